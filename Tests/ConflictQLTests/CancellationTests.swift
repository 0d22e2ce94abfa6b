// Ctrl-C stops a statement that would run for minutes, promptly, and the session goes on
// (issue 8: a cross join followed by `where` once ran 103 s after Ctrl-C). Driven through a
// pseudo-terminal, as a person would, with the terminal helper of TerminalTests.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest

final class CancellationTests: XCTestCase {
    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql").path
    }

    /// A 3,990-row table with two short text columns: joined with itself on a constant key it
    /// makes 15.9 million rows, and a `contains` between two columns then runs for minutes.
    func makeTable() throws -> String {
        let path = NSTemporaryDirectory() + "conflictql-cancel-\(getpid()).csv"
        let words = ["attack", "Gao", "Mopti", "kidnapped", "JNIM", "ISGS", "army", "village", "market", "convoy"]
        var text = "id,a,b\n"
        for i in 0..<3990 { text += "\(i),\(words[i % 10]) \(words[(i / 10) % 10]),\(words[(i / 7) % 10])\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testCtrlCStopsALongStatementPromptly() throws {
        let table = try makeTable()
        defer { unlink(table) }
        let terminal = try TerminalTests.Terminal(executable: executable,
                                                  environment: ["CONFLICTQL_HISTORY": "", "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type("load \"\(table)\" as t\r")
        XCTAssertTrue(terminal.read(until: "\r\ncq> "), terminal.screen)
        // In the join's loops (15.9 million rows), then in the expression loops after a
        // smaller join (4 million rows, made in about two seconds): each must notice Ctrl-C.
        let statements = [(0.5, "t | extend k = 1 | join (t | extend k = 1) on k | where a contains b_right | count"),
                          (4.0, "t | extend k = 1 | join (t | take 1000 | extend k = 1) on k | where a + \"x\" + b_right contains b | count")]
        for (wait, statement) in statements {
            let before = terminal.screen.count
            terminal.type(statement + "\r")
            XCTAssertTrue(terminal.read(until: "| count\r\n"), terminal.screen)
            Thread.sleep(forTimeInterval: wait)
            let pressed = Date()
            terminal.type("\u{3}")
            XCTAssertTrue(terminal.read(until: "cancelled", timeout: 60), String(terminal.screen.dropFirst(before)))
            let took = Date().timeIntervalSince(pressed)
            // Without the polls this statement runs for minutes after Ctrl-C; with them it
            // stops within milliseconds. The bound is loose for loaded CI machines.
            XCTAssertLessThan(took, 5, "Ctrl-C after \(wait) s took \(took) s to cancel")
            XCTAssertFalse(String(terminal.screen.dropFirst(before)).contains("(1 row)"))
        }
        terminal.type("funding | count\r")
        XCTAssertTrue(terminal.read(until: "(1 row)"), terminal.screen)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }
}
