// Issue 22, finding 4: regular expressions through RE2. Each reproducer of the finding gives
// the right answer or a clear error within a bounded time; matching is by code point;
// cancellation stops a long column promptly; the SQL of a pattern is exact per dialect or
// refused; and a short run of the differential fuzzer (Tests/Fuzz/regex_fuzz.py) against
// DuckDB. Speed figures are not here: they are the release benchmark's
// (conflictql-bench --patterns, Performance.md).

import ConflictQL
import Foundation
import XCTest

final class RegularExpressionTests: XCTestCase {
    /// `body`'s result and how long it took.
    func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = Date()
        let result = try body()
        return (result, Date().timeIntervalSince(start))
    }

    func testTheReproducersOfFinding4AnswerOrFailClearlyInBoundedTime() {
        // Each took from 16 s to past 30 s (and up to 9.9 GB) with glibc's regcomp and regexec.
        let aLot = String(repeating: "a", count: 200)
        let refused: [(String, String)] = [
            ("\"aaaa\" matches r\"a{1,32767}\"", "the repetition {1,32767} counts over 1000, the limit"),
            ("\"aaaa\" matches r\"(a{1,1000}){1,1000}\"", "repeat more than 1000 times in all"),
            ("\"\(aLot)\" matches r\"(a*)(a*)(a*)\\3\\2\\1b\"", "backreferences (\\3) are not supported"),
            ("\"ab\" matches r\"a(?=b)\"", "lookaround ((?=...) is not supported"),
            ("\"ab\" matches r\"(?<!a)b\"", "lookaround ((?<...) is not supported"),
            ("\"ab\" matches r\"[\\p{L}]{200}\"", "compiles to 238604 instructions, more than the limit of 200000"),
            ("\"ab\" matches \"\(String(repeating: "x", count: 70_000))\"", "the pattern is 70000 bytes long, more than the limit of 65536"),
        ]
        for (query, message) in refused {
            let (rendered, seconds) = timed { diagnostics(query) }
            XCTAssertTrue(rendered.contains(message), "\(query.prefix(80)): \(rendered)")
            XCTAssertLessThan(seconds, 5, query)
        }
        XCTAssertEqual(value("groups | where name matches r\"^Jama.at Nusrat\" | count"), .int(1))
        XCTAssertEqual(value("\"é\" matches r\"^.$\""), .bool(true))
        XCTAssertEqual(value("\"é\" matches r\"^[^a]$\""), .bool(true))
        XCTAssertEqual(value("\"ÉCOLE\" matches r\"(?i)^école$\""), .bool(true))
        XCTAssertEqual(value("\"xyz\" matches \"\\0\""), .bool(false))
        XCTAssertEqual(value("\"x\\0y\" matches \"x\\0y\""), .bool(true))
        XCTAssertEqual(value("extract(\"gao 東京 mopti\", r\"(\\S+) mopti\")"), .string("東京"))
    }

    func testPathologicalPatternsMatchInTimeLinearInTheText() throws {
        // Patterns that make a backtracking engine take exponential time, on 20,000
        // characters: each is answered within a generous bound even in a debug build.
        let x = String(repeating: "x", count: 20_000)
        let cases: [(String, Bool)] = [
            ("(x+x+)+y", false), ("(x|xx)+y", false), ("(.*)*y", false), ("(x*)*y", false),
            ("^(x?){50}x{50}$", false), ("(?i)(X|x)*z", false), ("x{1000}$", true),
        ]
        for (pattern, expected) in cases {
            let (answer, seconds) = timed { value("\"\(x)\" matches r\"\(pattern)\"") }
            XCTAssertEqual(answer, .bool(expected), pattern)
            XCTAssertLessThan(seconds, 5, pattern)
        }
    }

    func testCancellationStopsMatchingALongColumnWithinATenthOfASecond() throws {
        // 12,000 distinct notes of 8 KB: about half a second of matching or more.
        var csv = "id,notes\n"
        let filler = String(repeating: "attack on the convoy near gao; village market mopti army ", count: 140)
        for i in 0..<12_000 { csv += "\(i),\(i) \(filler)\n" }
        let session = try session(loading: csv, as: "t")
        let query = "t | where notes matches r\"[a-q][^u-z]{13}x\" | count"
        let (_, whole) = try timed { try session.run(query) }
        try XCTSkipIf(whole < 0.15, "the column took only \(whole) s: too fast to cancel in the middle")
        let delay = min(0.05, whole / 4)
        let cancelled = Date().addingTimeInterval(delay)
        let cancellation = session.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { cancellation.cancel() }
        XCTAssertThrowsError(try session.run(query)) { error in
            XCTAssertTrue("\(error)".contains("cancelled"), "\(error)")
        }
        let late = Date().timeIntervalSince(cancelled)
        XCTAssertLessThan(late, 0.1, "cancelled \(late) s after Ctrl-C (the whole query takes \(whole) s)")
    }

    func sql(_ query: String, _ dialect: SQLDialect) throws -> String {
        switch try Session().sql(for: Source(name: "q", text: query), dialect: dialect).last {
        case .rows(let text)?: return text
        case .refused(let diagnostic)?: return "refused: " + diagnostic.message
        default: return "none"
        }
    }

    func testEachDialectGetsThePatternInAFormExactThereOrARefusal() throws {
        let matches = "groups | where name matches r\"(?i)^jama.at\\b\\d*$\" | count"
        XCTAssertTrue(try sql(matches, .duckdb).contains("regexp_matches(\"name\", '(?i)^jama.at\\b\\d*$')"))
        XCTAssertTrue(try sql(matches, .bigquery).contains("REGEXP_CONTAINS(`name`, '(?i)^jama.at\\\\b\\\\d*$')"))
        // ARE's dot takes a line break and its \d is the locale's; Java's $ matches before a
        // final line break; (?i) is written out, with the Kelvin sign beside k.
        let postgres = try sql(matches, .postgres)
        XCTAssertTrue(postgres.contains("~ '^[Jj][Aa][Mm][Aa][\\u0001-\\u0009\\u000B-\\U0010FFFF][Aa][Tt](?:(?<![0-9A-Z\\u005Fa-z])(?=[0-9A-Z\\u005Fa-z])|(?<=[0-9A-Z\\u005Fa-z])(?![0-9A-Z\\u005Fa-z]))(?:[0-9])*$'"), postgres)
        let spark = try sql("groups | where name matches r\"(?i)k$\" | count", .spark)
        XCTAssertTrue(spark.contains("RLIKE '[Kk\\\\x{212A}]\\\\z'"), spark)
        // What has no exact form is refused with its reason.
        XCTAssertTrue(try sql("groups | where name matches r\"(?i)école\" | count", .postgres)
            .contains("refused: matches with a pattern that has (?i) on 'é'"))
        XCTAssertTrue(try sql("groups | where name matches r\"\\pL\" | count", .spark).contains("the class \\pL"))
        XCTAssertTrue(try sql("groups | where name matches r\"(?m)^a\" | count", .postgres).contains("(?m)"))
        // Found by the fuzzer against PostgreSQL: a repetition after \Q...\E takes its last
        // character; (?i)[^ſ] leaves out s and S too; \B holds between the bytes of é in RE2.
        XCTAssertTrue(try sql("groups | where name matches r\"\\Qa.b\\E?\" | count", .postgres).contains("~ 'a\\u002E(?:b)?'"))
        XCTAssertTrue(try sql("groups | where name matches r\"(?i)[^ſ]\" | count", .postgres)
            .contains("~ '[\\u0001-RT-rt-\\u017E\\u0180-\\U0010FFFF]'"))
        XCTAssertTrue(try sql("groups | where name matches r\"\\B\" | count", .postgres).contains("refused: matches with a pattern that has \\B"))
        // A NUL goes to DuckDB as \x00, which its literal can hold.
        XCTAssertTrue(try sql("groups | where name matches \"a\\0\" | count", .duckdb).contains("'a\\x00'"))
        // extract: RE2 and Java take the first alternative, PostgreSQL the longest.
        let alternatives = "groups | select x = extract(name, r\"(Jama|Jam)a\")"
        XCTAssertTrue(try sql(alternatives, .duckdb).contains("regexp_extract(\"name\", '(Jama|Jam)a', 1)"))
        XCTAssertTrue(try sql(alternatives, .postgres).contains("refused: extract() with a pattern that has alternatives"))
        // A group that may take no part: null here, '' in DuckDB.
        XCTAssertTrue(try sql("groups | select x = extract(name, r\"(x)?J\")", .duckdb).contains("NULLIF(regexp_extract("))
        XCTAssertTrue(try sql("groups | select x = extract(name, r\"(x*)?J\")", .duckdb).contains("refused: extract() of a group that may take no part"))
    }

    func testTheDifferentialFuzzerAgreesWithDuckDB() throws {
        // A short run of the fuzzer; its long run is in Performance.md and the closing note.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import duckdb"]
        python.standardError = FileHandle.nullDevice
        try python.run()
        python.waitUntilExit()
        if python.terminationStatus != 0 {
            if ProcessInfo.processInfo.environment["CONFLICTQL_REQUIRE_ENGINES"] != nil { XCTFail("python3 cannot import duckdb") }
            throw XCTSkip("python3 cannot import duckdb")
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql").path
        let run = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                 ["python3", repositoryRoot + "/Tests/Fuzz/regex_fuzz.py", "--batches", "2", "--patterns", "10",
                                  "--seed", "22", "--binary", executable],
                                 in: URL(fileURLWithPath: repositoryRoot))
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains(" 0 findings"), run.stdout)
    }
}
