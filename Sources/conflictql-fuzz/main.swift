// The query fuzzer and the partitioning oracle, as a long run:
//
//     swift run -c release conflictql-fuzz fuzz SECONDS [SEED]
//     swift run -c release conflictql-fuzz oracle SECONDS [SEED]
//     conflictql-fuzz sql DIALECT COUNT [SEED]
//
// `sql` writes COUNT generated pipelines compiled for DIALECT, with ConflictQL's answers and
// the script that makes their tables, as JSON on standard output, for an engine CI cannot run
// (Tests/SQL/spark_samples.py --generated).
//
// Each query is written to Tests/Fuzz/findings/last-MODE-query.cq before it runs, so a trap leaves
// its reproducer; findings are appended to Tests/Fuzz/findings/queries.txt. Prints how many
// queries ran and how they ended.

import ConflictQL
import Foundation
import QueryFuzzing

let arguments = CommandLine.arguments
if arguments.count >= 4, arguments[1] == "sql", let dialect = SQLDialect(rawValue: arguments[2]), let count = Int(arguments[3]) {
    try writeGeneratedSQL(dialect: dialect, count: count, seed: arguments.count > 4 ? UInt64(arguments[4]) ?? 1 : 1)
    exit(0)
}
guard arguments.count >= 3, ["fuzz", "oracle"].contains(arguments[1]), let seconds = Double(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: conflictql-fuzz fuzz|oracle SECONDS [SEED]\n".utf8))
    exit(2)
}
let mode = arguments[1]
let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : UInt64(Date().timeIntervalSince1970)
let root = FileManager.default.currentDirectoryPath
let findings = root + "/Tests/Fuzz/findings"
try FileManager.default.createDirectory(atPath: findings, withIntermediateDirectories: true)
let fixture = root + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv"

let session = try fuzzingSession(fixture: fixture)
var runner = QueryRunner(session: session)
runner.timeLimit = 10
let oracle = PartitionOracle(runner: runner)
var generator = QueryGenerator(seed: seed, environment: session.environment)
var counts: [String: Int] = [:]
var found = 0
let deadline = Date().addingTimeInterval(seconds)
let lastQuery = findings + "/last-\(mode)-query.cq"
while Date() < deadline {
    let (table, columns) = generator.pipeline()
    let query: String
    if mode == "fuzz" {
        query = table
    } else {
        query = table + "  # oracle"
    }
    try? query.write(toFile: lastQuery, atomically: false, encoding: .utf8)
    do {
        if mode == "fuzz" {
            switch try runner.run(query).0 {
            case .rows: counts["ran", default: 0] += 1
            case .checkError:
                counts["rejected by the checker", default: 0] += 1
                if ProcessInfo.processInfo.environment["CONFLICTQL_FUZZ_VERBOSE"] != nil {
                    // The generator's model of the columns drifted from the checker's: show why.
                    do { _ = try session.run(query) } catch let error as DiagnosticError {
                        print(DiagnosticRenderer().render(error.diagnostics, in: error.source))
                    }
                }
            case .runtimeError: counts["runtime error", default: 0] += 1
            }
        } else {
            let predicate = generator.expression(.bool, columns, depth: 3)
            let column = columns.filter { [.int, .float, .string, .date].contains($0.type) }.randomElement()
            let checked = try oracle.check(table: table, predicate: predicate, column: column)
            counts[checked ? "partitions checked" : "skipped (error in T or p)", default: 0] += 1
        }
    } catch {
        found += 1
        let text = "=== seed \(seed)\n\(error)\n\n"
        FileHandle.standardError.write(Data(text.utf8))
        let log = findings + "/queries.txt"
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        if let handle = FileHandle(forWritingAtPath: log) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            handle.closeFile()
        }
    }
}
let total = counts.values.reduce(0, +)
print("\(mode): seed \(seed), \(Int(seconds)) s, \(total) queries, \(found) findings")
for (what, n) in counts.sorted(by: { $0.key < $1.key }) { print("  \(what): \(n)") }
exit(found == 0 ? 0 : 1)

/// `count` generated pipelines as JSON: {"schema": SQL, "statements": [{"query", "sql", "rows"}]},
/// only those the dialect expresses and ConflictQL answers. A Date is its first day.
func writeGeneratedSQL(dialect: SQLDialect, count: Int, seed: UInt64) throws {
    let root = FileManager.default.currentDirectoryPath
    let session = try fuzzingSession(fixture: root + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv")
    let runner = QueryRunner(session: session)
    var generator = QueryGenerator(seed: seed, environment: session.environment)
    func json(_ value: Value) -> Any {
        switch value {
        case .null: return NSNull()
        case .int(let i): return i
        case .float(let d): return d.isFinite ? d : "non-finite " + (d.isNaN ? "nan" : d > 0 ? "inf" : "-inf")
        case .string(let s): return s
        case .bool(let b): return b
        case .date(let d):
            let (y, m, day) = d.parts
            return String(format: "%04d-%02d-%02d", y, m, day)
        case .list(let items): return items.map(json)
        }
    }
    var statements: [[String: Any]] = []
    for _ in 0..<count {
        let query = generator.pipeline().text
        guard case .rows(let sql)? = try session.sql(for: Source(name: "<generated>", text: query), dialect: dialect).last,
              case (.rows, let table?) = try runner.run(query) else { continue }
        statements.append(["query": query, "sql": sql, "rows": table.rows.map { $0.map(json) }])
    }
    let document: [String: Any] = ["schema": try session.schemaScript(dialect: dialect), "statements": statements]
    FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: document))
}
