// The documented limits ("Limits" in Sources/ConflictQL/ConflictQL.docc/Contributors.md) and
// the work that must stay in proportion to the input: each limit gives its message, and long
// scripts of many stages run with the results the short forms give.

import ConflictQL
import Foundation
import XCTest

final class LimitTests: XCTestCase {
    func testExtendsInARowSeeTheStepsBeforeThem() {
        XCTAssertEqual(rows("groups | extend a = 1 | extend b = a + 1, a = 10 | extend a = b * a, c = a | select a, b, c | take 1"),
                       [[.int(20), .int(2), .int(10)]])
    }

    func testAnExtendNoLaterStageReadsIsNotComputed() {
        XCTAssertEqual(rows("groups | extend a = 1 / 0 | extend b = 2 | select b | take 1"), [[.int(2)]])
        XCTAssertTrue(diagnostics("groups | extend a = 1 / 0 | extend b = 2 | select a | take 1").contains("division by zero"))
    }

    /// 8,000 extends of a new column each: one plan stage, not 8,000 copies of the schema
    /// (4.5 GB before). The memory itself is checked by Tests/Reliability/memory-cases.sh.
    func testEightThousandExtends() {
        let script = "groups" + (0..<8000).map { " | extend c\($0) = \($0)" }.joined() + " | select c0, c7999, n = c7998 + c1 | take 1"
        XCTAssertEqual(rows(script), [[.int(0), .int(7999), .int(7999)]])
    }

    func testAtMostSoManyColumns() {
        let items = (0..<maximumColumns).map { "c\($0) = 0" }.joined(separator: ", ")
        XCTAssertTrue(diagnostics("groups | extend \(items)").contains("a table may have at most 32767 columns"))
    }

    func testASelectOrALoadPastTheColumnLimit() throws {
        let select = "groups | select " + (0...maximumColumns).map { "c\($0) = 0" }.joined(separator: ", ")
        XCTAssertTrue(diagnostics(select).contains("error: a table may have at most 32767 columns; this stage makes 32768"))
        let path = NSTemporaryDirectory() + "conflictql-wide-\(getpid()).csv"
        defer { unlink(path) }
        try ((0...maximumColumns).map { "c\($0)" }.joined(separator: ",") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try loadTable(path: path)) { error in
            XCTAssertEqual((error as? LoadError)?.message, "the file has more than 32767 columns, the most a table can have")
        }
    }

    func testScriptSizeLimit() {
        let script = String(repeating: "1+1\n", count: Source.maximumBytes / 4 + 1)
        XCTAssertEqual(diagnostics(script), "<test>: error: the script is over the limit of 4194304 bytes (4 MiB)\nhelp: split it into several scripts\n")
        // Exactly at the limit is fine.
        let long = "# " + String(repeating: "a", count: Source.maximumBytes - 6) + "\n1+1"
        XCTAssertEqual(long.utf8.count, Source.maximumBytes)
        XCTAssertEqual(value(long), .int(2))
    }
}

/// Joins and `expand` count their result before storing it: past the row limit they fail at
/// once, with the count (before, a self-join spent 1.6 GB first). The memory guard itself
/// needs a memory limit: Tests/Reliability/memory-cases.sh runs it under `ulimit -v`.
final class ResultSizeTests: XCTestCase {
    /// A table of `n` rows, all with key k = 1.
    func table(_ n: Int) -> String {
        "let a = groups | take 1 | extend x = [\((0..<n).map(String.init).joined(separator: ","))] | expand x | extend k = 1 | select x, k\n"
    }

    func testSelfJoinOverTheRowLimitIsCountedFirst() {
        let script = table(150) + "let b = a | join (a) on k | select k\nb | join (b) on k | count"
        XCTAssertTrue(diagnostics(script).contains("error: this join would make 506250000 rows, more than 200000000"),
                      diagnostics(script))
    }

    func testJoinsStillPairEveryMatchInOrder() {
        XCTAssertEqual(rows(table(3) + "a | join (a | select y = x, k) on k | select x, y"),
                       [[.int(0), .int(0)], [.int(0), .int(1)], [.int(0), .int(2)], [.int(1), .int(0)], [.int(1), .int(1)],
                        [.int(1), .int(2)], [.int(2), .int(0)], [.int(2), .int(1)], [.int(2), .int(2)]])
    }

    func testAConstantListOnEveryRowIsCountedFirst() {
        let script = table(144) + "let b = a | join (a) on k | select k\nb | extend l = [\((0..<10_000).map(String.init).joined(separator: ","))] | expand l | count"
        XCTAssertTrue(diagnostics(script).contains("error: this list of 10000 values on each of 20736 rows would store more than 200000000 values"))
    }

    func testExpandKeepsOtherColumnsAndDropsTheList() {
        XCTAssertEqual(rows("groups | take 2 | extend l = [1, 2] | expand l | select name, l"),
                       [[.string("Al Qaeda in the Islamic Maghreb"), .int(1)], [.string("Al Qaeda in the Islamic Maghreb"), .int(2)],
                        [.string("Islamic State in the Greater Sahara"), .int(1)], [.string("Islamic State in the Greater Sahara"), .int(2)]])
    }
}

/// An unknown name of any length: the suggestion's work is bounded and the message shows
/// the name's first 60 characters (a 10 MB name took 7.7 s and was printed whole).
final class LongNameTests: XCTestCase {
    func testAHugeUnknownNameIsShortenedInTheMessage() {
        let name = String(repeating: "x", count: 1_000_000)
        let text = diagnostics("groups | select \(name)")
        XCTAssertTrue(text.hasPrefix("<test>:1:17: error: unknown column '\(String(repeating: "x", count: 60))…'\n"), String(text.prefix(300)))
        XCTAssertLessThan(text.utf8.count, 2_000)
    }

    func testSuggestionsStillFoundForLongAndShortNames() {
        XCTAssertEqual(closestName(to: "desgination", in: ["name", "designation"]), "designation")
        XCTAssertEqual(closestName(to: "designation" + String(repeating: "s", count: 500), in: ["name", "designation"]), "designation")
        XCTAssertNil(closestName(to: String(repeating: "n", count: 500), in: ["name", "designation"]))
    }

    func testLoadErrorsShortenNamesToo() {
        let message = DiagnosticMessage(LoadDiagnostic.unknownLoadColumn, "the file has no column '\(String(repeating: "y", count: 500))'")
        let error = LoadError(message, path: "f.csv")
        XCTAssertEqual(error.message, "the file has no column '\(String(repeating: "y", count: 60))…'")
    }
}

/// The plans of a script hold each stage's schema: a long pipeline over a wide table is
/// refused past 4,000,000 column descriptions, at the stage that passes it, before running.
final class PlanSizeTests: XCTestCase {
    func testALongPipelineOverAWideTableIsRefusedWhileChecking() {
        let wide = "groups | extend " + (0..<16_000).map { "c\($0) = 0" }.joined(separator: ", ")
        let long = wide + (0..<300).map { " | extend x = \($0) | where true" }.joined() + " | count"
        XCTAssertTrue(diagnostics(long).contains("error: the script's stages would describe more than 4000000 columns in all"))
        let shorter = wide + (0..<200).map { " | extend x = \($0) | where true" }.joined() + " | count"
        XCTAssertEqual(rows(shorter), [[.int(9)]])
    }
}
