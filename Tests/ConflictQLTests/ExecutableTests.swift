// End-to-end runs of the built `conflictql` executable: output, errors and exit status as a
// user sees them.

import Foundation
import XCTest

final class ExecutableTests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable beside the test bundle (both are in .build/<configuration>/).
    var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
    }

    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Run {
        let result = try runProcess(executable, arguments, in: URL(fileURLWithPath: repositoryRoot), stdin: stdin, environment: environment)
        return Run(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    func testScriptsAndQueriesRunInTheOrderGiven() throws {
        // A -c before a script sets a value for it, as in the SQLite shell.
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("order-\(getpid()).cq")
        try "funding | where donor == $who | count\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let before = try run(["--format", "csv", "-c", #"let who = "United States""#, script.path, "-c", "$who"])
        XCTAssertEqual(before.status, 0, before.stderr)
        // Two CSV results: a form-feed line between them, so a program can split them.
        XCTAssertEqual(before.stdout, "count\n2\n\u{0C}\nUnited States\n")
        let after = try run([script.path, "-c", #"let who = "United States""#])
        XCTAssertEqual(after.status, 1)
        XCTAssertTrue(after.stderr.contains("no value is bound to '$who'"), after.stderr)
    }

    func testParametersAreTypedValuesTheScriptReads() throws {
        // `--param` and `-D` (also joined, as in cc) bind values before the script runs; each
        // is typed as the same text would be as a literal, and other text is a String.
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(getpid()).cq")
        try """
        funding | where donor == $who | count
        timeline | where date >= $since and date < $since + 1 years | count
        [$n * 2, len($who)]
        $quoted + "!"
        if($flag, "yes", "no")
        who + " again"

        """.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = try run(["--format", "csv", "--param", "who=United States", "-D", "since=@2012",
                              "-Dn=21", "-D", #"quoted="0123""#, "--param", "flag=true", script.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let sinceCount = try run(["--format", "csv", "-c", "timeline | where year(date) == 2012 | count"])
        XCTAssertEqual(result.stdout, ["count\n2\n", sinceCount.stdout, "\"42;13\"\n", "0123!\n", "yes\n", "United States again\n"]
                           .joined(separator: "\u{0C}\n"))
        // The value is inlined where it is read in SQL, as a `let` value is.
        let sql = try run(["--to-sql", "duckdb", "-D", "who=Mali", "-D", "since=@2013-01", "-c", "timeline | where date >= $since | "
            + "select event, who = $who"])
        XCTAssertEqual(sql.status, 0, sql.stderr)
        XCTAssertTrue(sql.stdout.contains("'Mali' AS \"who\""), sql.stdout)
        XCTAssertTrue(sql.stdout.contains("DATE '2013-01-01'") || sql.stdout.contains("2013-01"), sql.stdout)
    }

    func testAScriptCannotRebindAParameter() throws {
        let result = try run(["-D", "region=Gao", "-c", #"let region = "Mopti""#], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, """
        <command line>:1:5: error: 'region' is a parameter given on the command line (--param region=Gao); a script cannot bind it again
         1 | let region = "Mopti"
           |     ^~~~~~
        help: read it as $region, or bind another name

        """)
        // Without the parameter, the help names both ways to give the value.
        let missing = try run(["-c", "$region"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasSuffix("help: bind one first: let region = ..., or run with --param "
            + "region=VALUE\n"), missing.stderr)
    }

    func testCsvOfTheFTOGroups() throws {
        let result = try run(["--format", "csv", "-c", #"groups | where designation has "FTO" | select name"#])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "name\nAl Qaeda in the Islamic Maghreb\nAnsar Dine\n")
        XCTAssertEqual(result.stderr, "")
    }

    func testJsonAndMarkdown() throws {
        let json = try run(["--format", "json", "-c", "funding | where kind == \"pledge\" | top 1 by amount_usd | select donor, "
            + "amount_usd"])
        XCTAssertEqual(json.stdout, "[\n{\"donor\":\"Saudi Arabia\",\"amount_usd\":100000000}\n]\n")
        let markdown = try run(["--format", "markdown", "-c", "funding | summarize n = count() by kind"])
        XCTAssertEqual(markdown.stdout, "| kind | n |\n|---|---:|\n| pledge | 3 |\n| cut off | 1 |\n")
    }

    func testScriptFromStandardInput() throws {
        let result = try run([], stdin: "funding | count\n140100 + 51960\n")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "count\n─────\n    4\n(1 row)\nsources: HRW, briefing\n192060\n")
    }

    func testQueryErrorExitsWithOneAndShowsACaret() throws {
        let result = try run(["-c", "grups | count"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, """
        <command line>:1:1: error: unknown table 'grups'
         1 | grups | count
           | ^~~~~
        help: did you mean 'groups'?

        """)
    }

    func testRuntimeErrorKeepsEarlierResultsAndStops() throws {
        let script = "funding | count\n1 / 0\ngroups | count\n"
        let result = try run([], stdin: script)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "count\n─────\n    4\n(1 row)\nsources: HRW, briefing\n")
        XCTAssertTrue(result.stderr.hasPrefix("<stdin>:2:3: error: division by zero"), result.stderr)
    }

    func testFileAndUsageErrorsExitWithTwo() throws {
        let missing = try run(["Samples/no-such-script.cq"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "conflictql: error: cannot read 'Samples/no-such-script.cq': No such file or directory\n")
        let directory = try run(["Samples"])
        XCTAssertEqual(directory.status, 2)
        XCTAssertEqual(directory.stderr, "conflictql: error: 'Samples' is a directory, not a script\n")
        let format = try run(["--format", "xml", "-c", "1"])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.stderr.contains("unknown format 'xml'"), format.stderr)
    }

    func testRunsASampleScript() throws {
        let result = try run(["Samples/tour.cq"])
        XCTAssertEqual(result.status, 0)
        let expected = try String(contentsOfFile: repositoryRoot + "/Samples/tour.out", encoding: .utf8)
        XCTAssertEqual(result.stdout, expected)
    }

    func testHelpAndVersion() throws {
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("conflictql -c 'groups | where designation has \"FTO\""), help.stdout)
        let version = try run(["--version"])
        XCTAssertEqual(version.status, 0)
        // The version, and the commit the binary was built from (BuildCommitPlugin): this
        // checkout's, with "-dirty" when its files differ from the commit.
        let head = try runProcess(URL(fileURLWithPath: "/usr/bin/git"), ["rev-parse", "HEAD"], in: URL(fileURLWithPath: repositoryRoot))
        guard head.status == 0 else { return XCTAssertEqual(version.stdout, "0.3.0-dev\n") }
        let pattern = #"^0\.3\.0-dev \(([0-9a-f]{10})(-dirty)?\)\n$"#
        let match = try XCTUnwrap(version.stdout.firstMatch(of: try Regex(pattern)), version.stdout)
        let commit = try XCTUnwrap(match.output[1].substring)
        XCTAssertTrue(head.stdout.hasPrefix(commit), "\(version.stdout) against HEAD \(head.stdout)")
    }

    func testInvalidUTF8InAScriptIsAnErrorWithAPosition() throws {
        let path = NSTemporaryDirectory() + "conflictql-bad-\(getpid()).cq"
        try Data([0x67, 0x72, 0x6F, 0x75, 0x70, 0x73, 0x0A, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run([path], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("\(path):2:1: error: invalid UTF-8 in script"), result.stderr)
    }
}
