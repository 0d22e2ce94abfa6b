// The chart stage in the REPL, in a pseudo-terminal as a person has it: colour in a
// terminal, the width of the window, and `.output FILE.svg` holding one whole chart.

import Foundation
import XCTest

final class ChartTerminalTests: XCTestCase {
    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql").path
    }

    func testChartsInTheREPLFitTheWindowInColour() throws {
        let terminal = try TerminalTests.Terminal(executable: executable, environment: ["CONFLICTQL_HISTORY": "", "TERM": "xterm"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type("funding | summarize total = sum(amount_usd) by donor | chart\r")
        XCTAssertTrue(terminal.read(until: "total 216,000,000 · 3 bars"), terminal.screen)
        XCTAssertTrue(terminal.screen.contains("\u{1B}[36m"), "bars in colour in a terminal")
        // The window is 100 columns: the axis reaches its edge, and no line passes it.
        let plain = terminal.screen.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        let lines = plain.components(separatedBy: "\r\n")
        XCTAssertTrue(lines.contains { $0.count == 100 && $0.contains("100,000,000") }, plain)
        XCTAssertFalse(lines.contains { $0.count > 100 }, plain)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testOutputToAnSVGFileHoldsOneChart() throws {
        let target = NSTemporaryDirectory() + "conflictql-chart-\(getpid()).svg"
        defer { unlink(target) }
        let terminal = try TerminalTests.Terminal(executable: executable, environment: ["CONFLICTQL_HISTORY": "", "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type(".output \(target)\rfunding | summarize total = sum(amount_usd) by donor | chart\rfunding | count\r")
        XCTAssertTrue(terminal.read(until: "error: SVG output draws a chart, and this result is a table; end the query with '| chart', or '.output' alone to see it here"), terminal.screen)
        terminal.type("funding | summarize n = count() by kind | chart\r")
        XCTAssertTrue(terminal.read(until: "already holds a chart, and an SVG file holds one; '.output FILE.svg' again for the next"), terminal.screen)
        terminal.type(".output\r.quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
        let svg = try String(contentsOfFile: target, encoding: .utf8)
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertEqual(svg.components(separatedBy: "data-value=").count - 1, 3, "the first chart's three bars, and nothing else")
        XCTAssertTrue(svg.contains(#"data-label="Saudi Arabia" data-value="100000000.0""#))
    }
}
