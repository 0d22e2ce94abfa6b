// The documented limits (README, "For contributors") and the work that must stay in
// proportion to the input: each limit gives its message, and long scripts of many stages
// run with the results the short forms give.

import ConflictQL
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
        XCTAssertTrue(diagnostics("groups | extend \(items)").contains("a table may have at most 16384 columns"))
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
