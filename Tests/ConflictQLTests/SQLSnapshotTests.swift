// The SQL of every sample in every dialect, kept as snapshots (Snapshots/sql/SAMPLE.DIALECT.sql,
// as `--to-sql` writes it, a refused statement as its comment): a change to the compiler shows
// in review as a diff of SQL. Regenerate with CONFLICTQL_UPDATE_SNAPSHOTS=1. The Spark and
// BigQuery statements, which CI cannot run, are parsed with sqlglot's dialects
// (Tests/SQL/parse_sql.py), those of the samples and of generated pipelines alike.

import ConflictQL
import Foundation
import QueryFuzzing
import XCTest

final class SQLSnapshotTests: XCTestCase {
    /// A sample's SQL as `--to-sql` writes it.
    func sql(of sample: String, _ dialect: SQLDialect) throws -> (text: String, statements: [String]) {
        let text = try String(contentsOfFile: "Samples/" + sample, encoding: .utf8)
        let source = Source(name: "Samples/" + sample, text: text)
        var out: [String] = [], statements: [String] = []
        for statement in try Session().sql(for: source, dialect: dialect) {
            if case .refused(let diagnostic) = statement {
                let line = diagnostic.range.map { ":\(source.location(of: $0.start).line)" } ?? ""
                out.append(dialect.comment("\(source.name)\(line): not compiled: \(diagnostic.message)"))
            }
            if case .rows(let sql) = statement { statements.append(sql) }
            if case .definition(let sql) = statement { statements.append(sql) }
            if let text = statement.text { out.append(text) }
        }
        return (out.map { $0 + "\n" }.joined(separator: "\n"), statements)
    }

    func inRepository<T>(_ body: () throws -> T) rethrows -> T {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        return try body()
    }

    var samples: [String] {
        get throws { try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Samples").filter { $0.hasSuffix(".cq") }.sorted() }
    }

    func testEverySamplesSQLMatchesItsSnapshots() throws {
        let update = ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_SNAPSHOTS"] != nil
        try inRepository {
            for sample in try samples {
                for dialect in SQLDialect.allCases {
                    let (text, _) = try sql(of: sample, dialect)
                    let snapshot = "Tests/ConflictQLTests/Snapshots/sql/\(sample.dropLast(3)).\(dialect.rawValue).sql"
                    if update { try text.write(toFile: snapshot, atomically: true, encoding: .utf8) }
                    XCTAssertEqual(text, try String(contentsOfFile: snapshot, encoding: .utf8), "SQL of Samples/\(sample) in \(dialect)")
                }
            }
        }
    }

    /// Every sample compiles in every dialect, but for the statements that name a construct no
    /// SQL says exactly (listed here with why): a new refusal fails this test.
    func testEverySampleCompilesButForNamedConstructs() throws {
        let allowed = [
            // The actor resolution (joint attributions, comma lists, the relations by date) is
            // ConflictQL's own: SQL would need the rules written again in each dialect.
            "groups_of() (it splits joint attributions and lists of actors) cannot be expressed",
            "groups_on() (it splits joint attributions and lists of actors) cannot be expressed",
            // PostgreSQL takes the longest of alternatives, RE2 the first.
            "extract() with a pattern that has alternatives ('|'), of which PostgreSQL takes the longest match and RE2 the first",
            // A point-in-polygon lookup in the outlines ConflictQL ships (Natural Earth).
            "country_of() (a lookup in the country outlines ConflictQL ships; join a table of regions instead) cannot be expressed",
            "admin_of() (a point-in-polygon lookup in the region outlines ConflictQL ships, which plain SQL",
        ]
        try inRepository {
            for sample in try samples {
                for dialect in SQLDialect.allCases {
                    let text = try String(contentsOfFile: "Samples/" + sample, encoding: .utf8)
                    for case .refused(let diagnostic) in try Session().sql(for: Source(name: sample, text: text), dialect: dialect) {
                        XCTAssertTrue(allowed.contains { diagnostic.message.hasPrefix($0) }, "\(sample) in \(dialect): \(diagnostic.message)")
                    }
                }
            }
        }
    }

    /// Parses `statements` with sqlglot's `dialect`; the errors, by statement.
    func parseErrors(_ statements: [String], _ dialect: SQLDialect) throws -> [(String, String)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/Tests/SQL/parse_sql.py"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let data = try JSONSerialization.data(withJSONObject: ["dialect": dialect.rawValue, "statements": statements])
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "parse_sql.py failed")
        let answers = (try JSONSerialization.jsonObject(with: result) as? [Any]) ?? []
        XCTAssertEqual(answers.count, statements.count)
        return zip(statements, answers).compactMap { statement, answer in (answer as? String).map { (statement, $0) } }
    }

    func testSparkAndBigQueryStatementsParseWithSqlglot() throws {
        guard pythonCanImport("sqlglot") else {
            if ProcessInfo.processInfo.environment["CONFLICTQL_REQUIRE_ENGINES"] != nil { XCTFail("python3 cannot import sqlglot (pip install sqlglot)") }
            throw XCTSkip("python3 cannot import sqlglot")
        }
        let session = try inRepository { try fuzzingSession(fixture: "Tests/ConflictQLTests/Fixtures/ged_sahel.csv") }
        for dialect in [SQLDialect.spark, .bigquery] {
            var statements = try inRepository { try samples.flatMap { try sql(of: $0, dialect).statements } }
            let fromSamples = statements.count
            var generator = QueryGenerator(seed: 24, environment: session.environment)
            for _ in 0..<400 {
                if case .rows(let sql)? = try session.sql(for: Source(name: "<generated>", text: generator.pipeline().text), dialect: dialect).last {
                    statements.append(sql)
                }
            }
            let errors = try parseErrors(statements, dialect)
            print("sqlglot \(dialect): \(statements.count) statements parsed (\(fromSamples) of the samples), \(errors.count) failed")
            XCTAssertGreaterThan(statements.count - fromSamples, 250, "too few generated pipelines compiled")
            for (statement, error) in errors.prefix(5) { XCTFail("\(dialect): \(error)\n\(statement)") }
        }
    }
}
