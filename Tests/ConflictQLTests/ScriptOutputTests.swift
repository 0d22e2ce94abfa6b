// Output control in scripts and piped input, through the real executable: dot-commands in a
// script (`.mode`, `.output`, `.timer`, `.maxrows`, `.help`, `.read`, `.sources`), the CSV
// separator between results, `.output` left whole on error, `--safe`, and where hints go.

import ConflictQL
import Foundation
import XCTest

final class ScriptOutputTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("script-output-\(getpid())-\(name.hashValue)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
    }

    func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProcess(executable, arguments, in: folder, stdin: stdin, environment: ["NO_COLOR": "1"])
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String? {
        try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    func testDotCommandsOnStandardInput() throws {
        let tables = try run([], stdin: ".tables\n")
        XCTAssertEqual(tables.status, 0, tables.stderr)
        XCTAssertTrue(tables.stdout.hasPrefix("name         │ rows │ columns │ description\n"), tables.stdout)
        let csv = try run([], stdin: ".mode csv\nfunding | count\n.mode json\nfunding | count\n")
        XCTAssertEqual(csv.stdout, "count\n4\n[\n{\"count\":4}\n]\n")
    }

    func testCSVResultsAreSeparatedByAFormFeedLine() throws {
        let result = try run(["--format", "csv", "-c", "funding | count\ncountries | where g5_member | count\n1 + 1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "count\n4\n\u{0C}\ncount\n5\n\u{0C}\n2\n")
        XCTAssertEqual(result.stdout.components(separatedBy: "\n\u{0C}\n").count, 3)
        // A value holding a form feed is quoted, so no row is the separator line.
        XCTAssertEqual(ResultFormatter(format: .csv).format(.value(.string("\u{0C}"), .string)), "\"\u{0C}\"\n")
    }

    func testOutputWritesEachFileWholeAndSeparately() throws {
        try write("report.cq", """
        .mode csv
        .output pledges.csv
        funding | where kind == "pledge" | select donor
        funding | count
        .output total.csv
        funding | summarize total = sum(amount_usd)
        .output
        1 + 1
        """)
        let result = try run(["report.cq"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "2\n")
        XCTAssertEqual(read("pledges.csv"), "donor\nEuropean Union\nUnited States\nSaudi Arabia\n\u{0C}\ncount\n4\n")
        XCTAssertEqual(read("total.csv"), "total\n216000000\n")
    }

    func testOutputToAnSVGFileInAScriptHoldsOneChart() throws {
        try write("chart.cq", """
        .output pledges.svg
        funding | where kind == "pledge" | summarize total = sum(amount_usd) by donor | chart bar title "Pledges"
        .output
        funding | count
        """)
        let result = try run(["chart.cq"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let svg = read("pledges.svg") ?? ""
        XCTAssertTrue(svg.hasPrefix("<?xml"), svg)
        XCTAssertTrue(svg.contains("Pledges") && svg.contains("Saudi Arabia"), svg)
        XCTAssertTrue(result.stdout.hasPrefix("count\n"), result.stdout)
        // A table is not drawn into an SVG file, and nothing is written.
        try write("table.cq", ".output table.svg\nfunding | count\n")
        let table = try run(["table.cq"])
        XCTAssertEqual(table.status, 1)
        XCTAssertTrue(table.stderr.contains("SVG output draws a chart, and this result is a table"), table.stderr)
        XCTAssertNil(read("table.svg"))
    }

    func testAnErrorLeavesTheOutputFileAsItWas() throws {
        try write("old.csv", "old\n")
        try write("fails.cq", ".output old.csv\nfunding | count\n1 / 0\n")
        let result = try run(["fails.cq"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("fails.cq:3:3: error: division by zero"), result.stderr)
        XCTAssertEqual(read("old.csv"), "old\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(left, [])
        // A file that did not exist is not made.
        try write("fails-new.cq", ".output new.csv\nfunding | count\n1 / 0\n")
        XCTAssertEqual(try run(["fails-new.cq"]).status, 1)
        XCTAssertNil(read("new.csv"))
    }

    func testTimerMaxrowsHelpAndSourcesInAScript() throws {
        try write("settings.cq", ".timer on\n.maxrows 2\n.sources off\ntimeline | select date\n.help stages\n")
        let result = try run(["settings.cq"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("date\n───────\n2011-10\n2011-12\n… 8 more rows\n(10 rows)\n"), result.stdout)
        XCTAssertFalse(result.stdout.contains("source:"), result.stdout)
        XCTAssertTrue(result.stdout.contains("where"), result.stdout)
        XCTAssertTrue(result.stderr.hasPrefix("time: 0."), result.stderr)
        let flag = try run(["--no-sources", "-c", "funding | count"])
        XCTAssertEqual(flag.stdout, "count\n─────\n    4\n(1 row)\n")
        let shown = try run(["-c", "funding | count"])
        XCTAssertEqual(shown.stdout, "count\n─────\n    4\n(1 row)\nsources: HRW, briefing\n")
    }

    func testReadRunsAScriptWithItsOwnCommands() throws {
        try write("inner.cq", ".mode csv\nfunding | count\n")
        try write("outer.cq", ".read inner.cq\ncountries | count\n.quit\nfunding | count\n")
        let result = try run(["outer.cq"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "count\n4\n\u{0C}\ncount\n12\n")
        try write("self.cq", ".read self.cq\n")
        let loop = try run(["self.cq"])
        XCTAssertEqual(loop.status, 1)
        XCTAssertTrue(loop.stderr.hasSuffix("self.cq:1:1: error: '.read' nests deeper than 16 scripts\n 1 | .read self.cq\n   | ^~~~~~~~~~~~~\nhelp: a script that reads itself never ends\n"), loop.stderr)
    }

    func testSafeModeRefusesCommandsThatTouchFiles() throws {
        for line in [".read x.cq", ".output x.csv", ".load x.csv"] {
            let result = try run(["--safe"], stdin: "\(line)\nfunding | count\n")
            XCTAssertEqual(result.status, 1, line)
            XCTAssertEqual(result.stdout, "", line)
            let name = line.split(separator: " ")[0]
            XCTAssertEqual(result.stderr, "<stdin>:1:1: error: '\(name)' touches files, which safe mode does not allow\n 1 | \(line)\n   | ^\(String(repeating: "~", count: line.count - 1))\nhelp: run without --safe to read or write files\n", line)
        }
        // `.output` alone (back to the screen) and the other commands are allowed.
        XCTAssertEqual(try run(["--safe"], stdin: ".output\n.mode csv\nfunding | count\n").stdout, "count\n4\n")
    }

    func testEveryHintKindThroughTheExecutable() throws {
        try write("empty.cq", """
        groups | where name == "ansar dine" | select name
        countries | where name in ("Mail", "Nigr")
        groups | where designation has "FTOO"
        timeline | where date >= @2019-01 | count
        funding | join (groups) on left.donor == right.abbrev | select donor
        funding | join kind=left groups on left.donor == right.abbrev | where founded > @2000
        countries | where name == "Mali" and name == "Niger"
        countries | take 0
        countries | where name == "Mali"
        """)
        let result = try run(["--format", "csv", "empty.cq"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Results only on standard output: the last query has its row.
        XCTAssertTrue(result.stdout.hasSuffix("\u{0C}\nname,g5_member,roles,source\nMali,true,\"G5 Sahel member;conflict country;government AQIM deems traitor\",briefing\n"), result.stdout)
        XCTAssertFalse(result.stdout.contains("note:"), result.stdout)
        let expected = [
            #"empty.cq:1:16: note: no row has name == "ansar dine""#,
            #"help: did you mean "Ansar Dine"? (the case differs; =~ ignores case)"#,
            #"empty.cq:2:19: note: no row has name in ("Mail", "Nigr")"#,
            #"help: did you mean "Mail" → "Mali", "Nigr" → "Niger"?"#,
            #"empty.cq:3:16: note: no row has designation has "FTOO""#,
            #"help: did you mean "FTO"?"#,
            "empty.cq:4:18: note: no row has date >= @2019-01",
            "help: date runs from 2011-10 to 2018",
            "empty.cq:5:11: note: this join matched no row: no value of donor on the left (4 rows) is a value of abbrev on the right (9 rows)",
            "empty.cq:6:71: note: no row has founded > @2000",
            "empty.cq:6:11: note: the left join here matched no row (no value of donor on the left is a value of abbrev on the right), so its right columns are null on every row",
            "empty.cq:7:13: note: each condition matches some rows, but no row matches them all",
            "empty.cq:8:13: note: this stage keeps no rows",
        ]
        for line in expected { XCTAssertTrue(result.stderr.contains(line + "\n"), "\(line)\n---\n\(result.stderr)") }
        // A command that runs statements of its own (.tables) leaves the script's text in place
        // for the hints after it.
        try write("after-tables.cq", ".tables\ncountries | where name == \"Mail\"\n")
        XCTAssertTrue(try run(["after-tables.cq"]).stderr.contains(#"note: no row has name == "Mail""#))
        XCTAssertFalse(result.stderr.contains("empty.cq:9:"), result.stderr)
    }

    func testToSQLLeavesOutputCommandsOutAndRefusesThoseThatBindNames() throws {
        let sql = try run(["--to-sql", "duckdb"], stdin: ".mode csv\n.timer on\nfunding | count\n")
        XCTAssertEqual(sql.status, 0, sql.stderr)
        XCTAssertEqual(try run(["--to-sql", "duckdb", "-c", "funding | count"]).stdout, sql.stdout)
        let read = try run(["--to-sql", "duckdb"], stdin: "funding | count\n.read other.cq\n")
        XCTAssertEqual(read.status, 1)
        XCTAssertEqual(read.stderr, "<stdin>:2:1: error: '.read' is not compiled to SQL\n 2 | .read other.cq\n   | ^~~~~~~~~~~~~~\nhelp: give the script it reads to --to-sql as well\n")
    }

    func testHintsGoToStandardErrorNeverIntoCSVOrJSON() throws {
        let csv = try run(["--format", "csv", "-c", #"countries | where name == "Mail""#])
        XCTAssertEqual(csv.status, 0)
        XCTAssertEqual(csv.stdout, "name,g5_member,roles,source\n")
        XCTAssertEqual(csv.stderr, #"""
        <command line>:1:19: note: no row has name == "Mail"
         1 | countries | where name == "Mail"
           |                   ^~~~~~~~~~~~~~
        help: did you mean "Mali"?

        """#)
        let json = try run(["--format", "json", "-c", "timeline | where date > @2020"])
        XCTAssertEqual(json.stdout, "[]\n")
        XCTAssertTrue(json.stderr.contains("help: date runs from 2011-10 to 2018"), json.stderr)
    }

    /// SIGTERM, SIGHUP or SIGINT while a script writes its `.output` file: the file is left as
    /// it was, no `FILE.tmp-PID` stays behind, and the process still ends by the signal.
    func testASignalRemovesTheOutputsTemporaryFile() throws {
        try write("rows.csv", "id,text\n" + (0..<100_000).map { "\($0),row \($0) of the table" }.joined(separator: "\n") + "\n")
        try write("slow.cq", "load \"rows.csv\" as t\n.mode csv\n.output out.csv\n" + String(repeating: "t\n", count: 200))
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            try write("out.csv", "old\n")
            let process = Process()
            process.executableURL = executable
            process.arguments = ["slow.cq"]
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until the temporary file has results in it.
            let temporary = folder.appendingPathComponent("out.csv.tmp-\(process.processIdentifier)").path
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline && ((try? FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int) ?? 0) < 100_000 {
                usleep(10_000)
            }
            XCTAssertTrue(process.isRunning, "the script ended before the signal; make it longer")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "signal \(signal)")
            XCTAssertEqual(process.terminationStatus, signal)
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
            XCTAssertEqual(left, [], "signal \(signal)")
            XCTAssertEqual(read("out.csv"), "old\n")
        }
    }

    /// `.timer` charges an empty result's hint to its own query: the statement after it (a
    /// constant) takes no time. It used to show the hint's seconds.
    func testAHintsTimeIsChargedToItsOwnQuery() throws {
        let words = ["armed", "group", "attacked", "village", "near", "Gao", "Mopti", "fighters", "patrol", "convoy"]
        try write("notes.csv", "id,notes\n" + (0..<150_000).map { i in
            "\(i),On \(i) May 2022 " + (0..<20).map { words[(i * 7 + $0 * 3 + $0 * $0) % words.count] }.joined(separator: " ")
        }.joined(separator: "\n") + "\n")
        try write("timed.cq", "load \"notes.csv\" as e\n.timer on\ne | where notes contains \"kidnapped\" | count\n1\n")
        let result = try run(["timed.cq"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let times = result.stderr.split(separator: "\n").filter { $0.hasPrefix("time: ") }.compactMap { Double($0.dropFirst(6).dropLast(2)) }
        XCTAssertEqual(times.count, 2, result.stderr)
        XCTAssertLessThan(times.last ?? 1, 0.05, result.stderr)
    }
}
