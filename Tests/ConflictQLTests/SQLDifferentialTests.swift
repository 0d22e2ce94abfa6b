// The SQL that `--to-sql` writes must give ConflictQL's answers, row for row: every sample
// and 1,500 generated pipelines (over 1,000 of them expressible) run here and, through the emitted SQL, in DuckDB (PyPI
// `duckdb`) and PostgreSQL when .ci/run has started one. A statement the dialect cannot
// express is refused, never compared; one that ConflictQL answers must get the same rows.
// Without the engine the test is skipped, unless CONFLICTQL_REQUIRE_ENGINES is set (as CI does).

import ConflictQL
import Foundation
import QueryFuzzing
import XCTest

/// Whether python3 can import `module` (an engine or a parser the SQL tests drive).
func pythonCanImport(_ module: String) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import \(module)"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

final class SQLDifferentialTests: XCTestCase {
    struct Job: Encodable {
        struct Statement: Encodable {
            var sql: String
            var rows: Bool
        }
        var engine: String
        var dsn: String
        var schema: String
        var scripts: [[Statement]]
    }

    /// One statement compared: what ConflictQL answered, and where it came from.
    struct Expectation {
        var label: String
        var sql: String
        var table: Table
    }

    var required: Bool { ProcessInfo.processInfo.environment["CONFLICTQL_REQUIRE_ENGINES"] != nil }

    func available(_ module: String) -> Bool { pythonCanImport(module) }

    func run(_ job: Job) throws -> [[[String: Any]]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/Tests/SQL/run_sql.py"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let data = try JSONEncoder().encode(job)
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "run_sql.py failed")
        return (try JSONSerialization.jsonObject(with: result) as? [[[String: Any]]]) ?? []
    }

    // MARK: Comparing

    func same(_ value: Value, _ json: Any) -> Bool {
        switch value {
        case .null: return json is NSNull
        case .int(let i):
            guard let n = json as? NSNumber else { return false }
            return n.int64Value == i && n.doubleValue == Double(i)
        case .float(let d):
            // JSON has no infinities or NaN: run_sql.py writes them as text.
            if !d.isFinite { return json as? String == "non-finite " + (d.isNaN ? "nan" : d > 0 ? "inf" : "-inf") }
            guard let n = json as? NSNumber else { return false }
            let e = n.doubleValue
            return d == e || Swift.abs(d - e) <= 1e-9 * Swift.max(Swift.abs(d), Swift.abs(e))
        case .string(let s): return json as? String == s
        case .bool(let b): return (json as? NSNumber)?.boolValue == b && !(json is String)
        case .date(let d):
            let (y, m, day) = d.parts
            return json as? String == String(format: "%04d-%02d-%02d", y, m, day)
        case .list(let items):
            guard let array = json as? [Any], array.count == items.count else { return false }
            return zip(items, array).allSatisfy { same($0, $1) }
        }
    }

    /// The differences between ConflictQL's answer and the engine's, as messages.
    func compare(_ expectation: Expectation, _ answer: [String: Any], engine: String) -> String? {
        guard let rows = answer["rows"] as? [[Any]] else {
            // PostgreSQL refuses a Float arithmetic that leaves the finite range; ConflictQL
            // and DuckDB give IEEE infinity. A known difference, not a wrong answer.
            if engine == "postgres", "\(answer["error"] ?? "")".contains("value out of range: overflow"),
               expectation.table.rows.contains(where: { $0.contains { if case .float(let d) = $0 { return !d.isFinite } else { return false } } }) {
                return nil
            }
            // The same difference where the infinity does not reach the answer (a function such
            // as in_bbox gives null for a non-finite edge): the generator's 1e300 squared.
            if engine == "postgres", "\(answer["error"] ?? "")".contains("value out of range: overflow"),
               expectation.sql.contains("CAST(1e+300 AS DOUBLE PRECISION) * CAST(1e+300 AS DOUBLE PRECISION)") {
                return nil
            }
            return "\(engine) failed where ConflictQL answered: \(answer["error"] ?? "?")"
        }
        let expected = expectation.table.rows
        if rows.count != expected.count { return "\(engine) gave \(rows.count) rows, ConflictQL \(expected.count)" }
        for (index, (mine, theirs)) in zip(expected, rows).enumerated() {
            if mine.count != theirs.count || !zip(mine, theirs).allSatisfy({ same($0, $1) }) {
                return "row \(index + 1): ConflictQL \(mine), \(engine) \(theirs)"
            }
        }
        return nil
    }

    // MARK: The tests

    func testSamplesAndGeneratedQueriesGiveTheSameRowsInDuckDB() throws {
        guard available("duckdb") else {
            if required { XCTFail("python3 cannot import duckdb (pip install duckdb)") }
            throw XCTSkip("python3 cannot import duckdb")
        }
        try differential(engine: "duckdb", dialect: .duckdb, dsn: "")
    }

    /// Columns and tables named like the names the SQL uses for itself (its common table
    /// expressions, window and unnest columns) give the same rows; a name in the SQL's own
    /// `_cq_` space is refused, never silently mixed up with the hidden row column.
    func testNamesLikeTheSQLsOwnGiveTheSameRowsInDuckDB() throws {
        guard available("duckdb") else {
            if required { XCTFail("python3 cannot import duckdb (pip install duckdb)") }
            throw XCTSkip("python3 cannot import duckdb")
        }
        let scripts = [
            "funding | extend w0 = 7 | window by donor sort by amount_usd desc rank = rank() | select donor, w0, rank",
            "funding | extend element = 1, position = 2, u = 3 | expand d = [donor, recipient] | select d, element, position, u",
            "funding | extend k0 = 1, a0 = 2 | summarize n = count(), s = sum(k0) by a0",
            "funding | extend part = 1 | union source = origin missions | select origin, part",
            "let s2 = missions | select name, lead\nfunding | extend lead = donor | join s2 on lead | select donor, name",
            "let s1 = missions | select name, lead\ns1 | where lead == \"France\" | select name",
            "groups | extend e = \"FTO\" | where designation has e | select name",
            // trim: every space, tab, CR and LF at both ends, here as in SQL.
            "countries | extend t = trim(\"\\t\" + name + \" \\n\"), u = trim(\"a\\r\\n\"), v = trim(\"\\r\\n a b\\r\\n \\r\") | select t, u, v",
        ]
        var all: [[Job.Statement]] = [], expected: [[Expectation]] = []
        for script in scripts {
            let (_, statements, expectations, refused) = try compiled(script, name: script, dialect: .duckdb)
            XCTAssertEqual(refused, 0, script)
            all.append(statements)
            expected.append(expectations)
        }
        let answers = try run(Job(engine: "duckdb", dsn: "", schema: try Session().schemaScript(dialect: .duckdb), scripts: all))
        for (expectations, answers) in zip(expected, answers) {
            XCTAssertEqual(expectations.count, answers.count)
            for (expectation, answer) in zip(expectations, answers) {
                if let difference = compare(expectation, answer, engine: "duckdb") { XCTFail("\(difference)\n\(expectation.label)\n\(expectation.sql)") }
            }
        }
    }

    /// Every function that depends on a date's precision, over a column of days (month ends,
    /// leap days, ISO weeks across new year, dates before 1970): the same rows in each engine.
    func testDatesOfKnownPrecisionGiveTheSameRows() throws {
        let path = try SQLDateTests.dayFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var script = "load \"\(path)\" as days\n"
        for query in SQLDateTests.queries { script += "days | select id, \(query)\n" }
        script += "days | summarize span = max(d) - min(d), first = min(d) + 1 month, weeks = count(distinct to_week(d)) by m = to_month(e) | extend q = month(m)\n"
        script += "days | window sort by id previous = prev(d) | extend gap = d - previous\n"
        var engines: [(String, SQLDialect, String)] = []
        if available("duckdb") { engines.append(("duckdb", .duckdb, "")) } else if required { XCTFail("python3 cannot import duckdb") }
        if let dsn = ProcessInfo.processInfo.environment["CONFLICTQL_POSTGRES"], available("psycopg") {
            engines.append(("postgres", .postgres, dsn))
        } else if required { XCTFail("no PostgreSQL") }
        if engines.isEmpty { throw XCTSkip("no SQL engine") }
        for (engine, dialect, dsn) in engines {
            let (compiler, statements, expectations, refused) = try compiled(script, name: "<days>", dialect: dialect)
            XCTAssertEqual(refused, 0, engine)
            XCTAssertEqual(expectations.count, SQLDateTests.queries.count + 2, engine)
            let answers = try run(Job(engine: engine, dsn: dsn, schema: try compiler.schemaScript(dialect: dialect, tables: ["days"]), scripts: [statements]))
            for (expectation, answer) in zip(expectations, answers.first ?? []) {
                if let difference = compare(expectation, answer, engine: engine) { XCTFail("\(difference)\n\(expectation.sql)") }
            }
        }
    }

    /// `has` finds whole words alike in every engine: a word is a run of Unicode letters,
    /// marks and numbers. Before, the SQL's `[[:alnum:]]` was ASCII only in RE2 (DuckDB found
    /// "diafarab" in "Diafarabé") and unknown to Java (Spark found "attack" in "attacked").
    static let places = [
        "Diafarabé", "Diafarabe\u{301}", "Diafarab", "near Diafarab, Mopti", "attacked", "attack!", "2attack",
        "Ségou-Ville", "Tombouctou تمبكتو", "تمبكتوي", "हिन्दी", "हिन्द", "Москва́", "Ⅻattack", "attack½", "attack_force", "naïve",
    ]
    static let words = ["diafarab", "diafarabe", "diafarabé", "attack", "ségou", "ville", "تمبكتو", "हिन्द", "москва", "naïve", "na"]

    func testHasFindsWholeWordsAlikeInEveryEngine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cq-places-\(getpid()).csv")
        try Data(("id,place\n" + SQLDifferentialTests.places.enumerated().map { "\($0.offset + 1),\"\($0.element)\"" }.joined(separator: "\n") + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let tests = SQLDifferentialTests.words.enumerated().map { "w\($0.offset) = place has \"\($0.element)\"" }
        let script = "load \"\(file.path)\" as places\nplaces | select id, \(tests.joined(separator: ", "))\n"
        // Here: the accented word is not the word without its accent, in either spelling.
        let found = try Session().run(script, name: "<places>").compactMap { if case .table(let t) = $0 { return t } else { return nil } }.last!
        func rows(_ word: Int) -> [Int64] { found.rows.compactMap { $0[word + 1] == .bool(true) ? { if case .int(let id) = $0[0] { return id } else { return nil } }($0) : nil } }
        XCTAssertEqual(rows(0), [3, 4])              // diafarab: not in Diafarabé, nor in its decomposed spelling
        XCTAssertEqual(rows(2), [1])                 // diafarabé (composed)
        XCTAssertEqual(rows(3), [6, 16])             // attack: not in attacked, 2attack, Ⅻattack, attack½
        XCTAssertEqual(rows(4), [8])                 // ségou in Ségou-Ville
        XCTAssertEqual(rows(6), [9])                 // تمبكتو, not in the longer Arabic word
        XCTAssertEqual(rows(7), [12])                // हिन्द, not in हिन्दी (its vowel sign is a mark)
        XCTAssertEqual(rows(8), [])                  // москва: the combining accent belongs to Москва́
        var engines: [(String, SQLDialect, String)] = []
        if available("duckdb") { engines.append(("duckdb", .duckdb, "")) } else if required { XCTFail("python3 cannot import duckdb") }
        if let dsn = ProcessInfo.processInfo.environment["CONFLICTQL_POSTGRES"], available("psycopg") { engines.append(("postgres", .postgres, dsn)) }
        else if required { XCTFail("no PostgreSQL") }
        for (engine, dialect, dsn) in engines {
            let (compiler, statements, expectations, refused) = try compiled(script, name: "<places>", dialect: dialect)
            XCTAssertEqual(refused, 0)
            let answers = try run(Job(engine: engine, dsn: dsn, schema: try compiler.schemaScript(dialect: dialect, tables: ["places"]), scripts: [statements]))
            for (expectation, answer) in zip(expectations, answers.first ?? []) {
                if let difference = compare(expectation, answer, engine: engine) { XCTFail(difference) }
            }
        }
        try javaRegularExpressionsAgree(script, found)
    }

    /// Spark's RLIKE is Java's Pattern.find over Java's lower case: the Spark SQL's patterns,
    /// run by `java` (when installed) over the same texts, give the same answers.
    func javaRegularExpressionsAgree(_ script: String, _ found: Table) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/java") else { return }
        guard case .rows(let sql)? = try Session().sql(for: Source(name: "<places>", text: script), dialect: .spark).last else { return XCTFail("refused in Spark") }
        // Each RLIKE's literal, unescaped as Spark reads it.
        var patterns: [String] = []
        var rest = Substring(sql)
        while let start = rest.range(of: "RLIKE '") {
            var pattern = "", index = start.upperBound
            while rest[index] != "'" {
                if rest[index] == "\\" { index = rest.index(after: index) }
                pattern.append(rest[index])
                index = rest.index(after: index)
            }
            patterns.append(pattern)
            rest = rest[index...]
        }
        XCTAssertEqual(patterns.count, SQLDifferentialTests.words.count)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cq-java-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data((patterns.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("patterns.txt"))
        try Data((SQLDifferentialTests.places.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("texts.txt"))
        try Data("""
            import java.nio.file.*; import java.util.*; import java.util.regex.*;
            public class Has { public static void main(String[] a) throws Exception {
              List<String> ps = Files.readAllLines(Paths.get(a[0])), ts = Files.readAllLines(Paths.get(a[1]));
              for (String t : ts) { StringBuilder b = new StringBuilder();
                for (String p : ps) b.append(Pattern.compile(p).matcher(t.toLowerCase(Locale.ROOT)).find() ? '1' : '0');
                System.out.println(b); } } }
            """.utf8).write(to: directory.appendingPathComponent("Has.java"))
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/java"), [directory.appendingPathComponent("Has.java").path, directory.appendingPathComponent("patterns.txt").path,
                                                      directory.appendingPathComponent("texts.txt").path], environment: ProcessInfo.processInfo.environment,
                                    directory: directory.path)
        let expected = found.rows.map { row in row.dropFirst().map { $0 == .bool(true) ? "1" : "0" }.joined() }.joined(separator: "\n") + "\n"
        XCTAssertEqual(result.stdout, expected, result.stderr)
    }

    func testNamesInTheSQLsOwnSpaceAreRefused() throws {
        let reserved = "'_cq_row' cannot be a name in SQL: names beginning with '_cq_' are kept for the columns and tables the SQL makes for itself; rename it"
        for dialect in SQLDialect.allCases {
            for (script, name) in [("funding | extend _cq_row = 10 - amount_usd / 1000000", "_cq_row"),
                                   ("funding | extend _CQ_ROW = 1", "_CQ_ROW"),
                                   ("funding | extend _cq_part = 1 | union source = origin missions", "_cq_part"),
                                   ("let _cq_s0 = funding\n_cq_s0 | count", "_cq_s0")] {
                let statements = try Session().sql(for: Source(name: "<test>", text: script), dialect: dialect)
                guard case .refused(let diagnostic)? = statements.first(where: { if case .refused = $0 { return true } else { return false } }) else {
                    XCTFail("\(dialect): not refused: \(script)"); continue
                }
                XCTAssertEqual(diagnostic.message, reserved.replacingOccurrences(of: "_cq_row'", with: "\(name)'"), script)
            }
        }
        // A data file whose header names the hidden column: its table cannot be written
        // (--schema) nor read (--to-sql).
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cq-reserved-\(getpid()).csv")
        try Data("a,_cq_row\n1,2\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let session = Session()
        let statements = try session.sql(for: Source(name: "<test>", text: "load \"\(file.path)\" as h\nh | count"), dialect: .duckdb)
        guard case .refused(let diagnostic)? = statements.last else { return XCTFail("reading h was not refused") }
        XCTAssertEqual(diagnostic.message, reserved)
        XCTAssertThrowsError(try session.schemaScript(dialect: .duckdb, tables: ["h"])) { error in
            XCTAssertEqual("\(error)", "table 'h': " + reserved)
        }
    }

    func testSamplesAndGeneratedQueriesGiveTheSameRowsInPostgreSQL() throws {
        guard let dsn = ProcessInfo.processInfo.environment["CONFLICTQL_POSTGRES"], available("psycopg") else {
            if required { XCTFail("no PostgreSQL: set CONFLICTQL_POSTGRES to a DSN and pip install psycopg") }
            throw XCTSkip("no PostgreSQL (CONFLICTQL_POSTGRES unset or psycopg missing)")
        }
        try differential(engine: "postgres", dialect: .postgres, dsn: dsn)
    }

    /// A script run here and compiled for `dialect`: the session that compiled it (with its
    /// loaded tables), its statements, what each query answered here, and how many were refused.
    func compiled(_ text: String, name: String, dialect: SQLDialect) throws
        -> (session: Session, script: [Job.Statement], expectations: [Expectation], refused: Int) {
        let answers = try Session().run(text, name: name)
        let compiler = Session()
        let statements = try compiler.sql(for: Source(name: name, text: text), dialect: dialect)
        XCTAssertEqual(answers.count, statements.count, name)
        var script: [Job.Statement] = [], expectations: [Expectation] = [], refused = 0
        for (answer, statement) in zip(answers, statements) {
            switch (answer, statement) {
            case (.table(let table), .rows(let sql)):
                script.append(.init(sql: sql, rows: true))
                expectations.append(Expectation(label: name, sql: sql, table: table))
            case (.value(let value, let type), .rows(let sql)):
                script.append(.init(sql: sql, rows: true))
                expectations.append(Expectation(label: name, sql: sql, table: Table(schema: Schema([Field("value", type)]), rows: [[value]])))
            case (_, .definition(let sql)):
                script.append(.init(sql: sql, rows: false))
            case (_, .refused):
                refused += 1
            default:
                break
            }
        }
        return (compiler, script, expectations, refused)
    }

    func differential(engine: String, dialect: SQLDialect, dsn: String) throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }

        // The samples, each a script of its own (its `let` views serve its later statements).
        var sampleScripts: [[Job.Statement]] = []
        var sampleExpectations: [[Expectation]] = []
        var refused = 0
        let samples = try FileManager.default.contentsOfDirectory(atPath: "Samples").filter { $0.hasSuffix(".cq") }.sorted()
        var schema = ""
        var schemaTables: Set<String> = []
        for sample in samples {
            let text = try String(contentsOfFile: "Samples/" + sample, encoding: .utf8)
            let (compiler, script, expectations, refusedHere) = try compiled(text, name: sample, dialect: dialect)
            refused += refusedHere
            // Every table any sample reads, the loaded ones too (samples load different files).
            let fresh = compiler.environment.names.filter { !schemaTables.contains($0) }
            schema += try compiler.schemaScript(dialect: dialect, tables: fresh)
            schemaTables.formUnion(fresh)
            sampleScripts.append(script)
            sampleExpectations.append(expectations)
        }

        // Every stage's, function's, aggregate's and window function's example, from its
        // descriptor: one added to a table is compared on the engines without a test of its own.
        var exampleScript: [Job.Statement] = [], exampleExpectations: [Expectation] = []
        let examples = StageKind.allCases.map { (name: $0.keyword, example: $0.descriptor.example) }
            + ScalarFunction.all.map { (name: $0.name, example: $0.example) }
            + AggregateFunction.all.map { (name: $0.name, example: $0.example) }
            + WindowFunction.all.map { (name: $0.name, example: $0.example) }
        for function in examples {
            let answer = try Session().run(function.example, name: function.name).last
            guard case .rows(let sql)? = try Session().sql(for: Source(name: function.name, text: function.example), dialect: dialect).last else {
                refused += 1
                continue
            }
            let table: Table
            switch answer {
            case .table(let t)?: table = t
            case .value(let value, let type)?: table = Table(schema: Schema([Field("value", type)]), rows: [[value]])
            default: continue
            }
            exampleScript.append(.init(sql: sql, rows: true))
            exampleExpectations.append(Expectation(label: function.example, sql: sql, table: table))
        }
        sampleScripts.append(exampleScript)
        sampleExpectations.append(exampleExpectations)

        // Generated pipelines over the fuzzing session's tables, one script.
        let session = try fuzzingSession(fixture: "Tests/ConflictQLTests/Fixtures/ged_sahel.csv")
        let runner = QueryRunner(session: session)
        var generator = QueryGenerator(seed: 1129, environment: session.environment)
        var generated: [Job.Statement] = [], generatedExpectations: [Expectation] = []
        var ranWithError = 0
        var refusals: [String: Int] = [:]
        for _ in 0..<1500 {
            let query = generator.pipeline().text
            let compiled = try session.sql(for: Source(name: "<generated>", text: query), dialect: dialect).last
            if case .refused(let diagnostic)? = compiled { refusals[diagnostic.message, default: 0] += 1 }
            guard case .rows(let sql)? = compiled else {
                refused += 1
                continue
            }
            guard case (.rows, let table?) = try runner.run(query) else { ranWithError += 1; continue }
            generated.append(.init(sql: sql, rows: true))
            generatedExpectations.append(Expectation(label: query, sql: sql, table: table))
        }
        let generatedSchema = try session.schemaScript(dialect: dialect)

        let sampleAnswers = try run(Job(engine: engine, dsn: dsn, schema: schema, scripts: sampleScripts))
        let generatedAnswers = try run(Job(engine: engine, dsn: dsn, schema: generatedSchema, scripts: [generated]))
        var compared = 0, mismatches: [String] = []
        for (expectations, answers) in zip(sampleExpectations + [generatedExpectations], sampleAnswers + generatedAnswers) {
            XCTAssertEqual(expectations.count, answers.count)
            for (expectation, answer) in zip(expectations, answers) {
                compared += 1
                if let difference = compare(expectation, answer, engine: engine) {
                    mismatches.append("\(difference)\n--- ConflictQL:\n\(expectation.label)\n--- SQL:\n\(expectation.sql)")
                }
            }
        }
        print("\(engine): \(compared) statements compared, \(refused) refused as not expressible, \(ranWithError) ended in a ConflictQL error, \(mismatches.count) differ")
        for (message, count) in refusals.sorted(by: { $0.value > $1.value }) { print("  refused \(count)×: \(message)") }
        for mismatch in mismatches.prefix(10) { XCTFail(mismatch) }
        XCTAssertGreaterThan(generatedExpectations.count, 1000, "too few generated queries were expressible in SQL")
    }
}
