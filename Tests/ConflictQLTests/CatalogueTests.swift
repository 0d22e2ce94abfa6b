// The catalogue of bad inputs: every script in Catalogue/ must fail with exactly its .err, and
// every bad command line and dot-command with exactly its message. Never a crash.

import ConflictQL
import Foundation
import XCTest

final class CatalogueTests: XCTestCase {
    let folder = repositoryRoot + "/Tests/ConflictQLTests/Catalogue"

    var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
    }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        return try runProcess(executable, arguments, environment: environment, directory: folder)
    }

    /// `--to-sql` of a script with a statement the dialect cannot express: every other
    /// statement is written, the refused one is a comment in its place and a diagnostic with
    /// its caret, and the exit status is 1. Before, nothing was written.
    func testToSQLWritesEveryStatementThatCompiles() throws {
        let script = "funding | count\nfunding | select n = len(donor)\nlet n = 2\nmissions | take $n"
        let result = try run(["--to-sql", "postgres", "-c", script])
        XCTAssertEqual(result.status, 1)
        let refusal = "len() of text (here it counts characters as they are seen, graphemes: 'é' written as e and an accent is one, and "
            + "so is a CRLF; "
            + "SQL counts code points) cannot be expressed in postgres SQL"
        XCTAssertEqual(result.stderr, """
            <command line>:2:22: error: \(refusal)
             2 | funding | select n = len(donor)
               |                      ^~~~~~~~~~
            conflictql: 1 of 3 statements cannot be expressed in postgres SQL and is left out

            """)
        let statements = result.stdout.components(separatedBy: "\n\n")
        XCTAssertEqual(statements.count, 3, result.stdout)
        XCTAssertTrue(statements[0].hasPrefix("WITH ") && statements[0].contains("COUNT(*)"), statements[0])
        XCTAssertEqual(statements[1], "-- <command line>:2: not compiled: \(refusal)")
        XCTAssertTrue(statements[2].hasPrefix("WITH ") && statements[2].contains("LIMIT ((2))"), statements[2])
    }

    func testEveryBadScriptGivesItsExactMessage() throws {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".cq") }.sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 90)
        for script in scripts {
            let expected = try String(contentsOfFile: folder + "/" + script.dropLast(3) + ".err", encoding: .utf8)
            let result = try run([script])
            XCTAssertEqual(result.status, 1, script)
            XCTAssertEqual(result.stderr, expected, script)
        }
    }

    func testBadCommandLines() throws {
        let cases: [(arguments: [String], status: Int32, stderr: String)] = [
            (["no-such-script.cq"], 2, "conflictql: error: cannot read 'no-such-script.cq': No such file or directory\n"),
            (["data"], 2, "conflictql: error: 'data' is a directory, not a script\n"),
            (["--load", "data/field-count.csv", "-c", "1"], 2,
             "conflictql: error: cannot load data/field-count.csv:3:1: a row has 2 fields, expected 3 like the header (a 'lenient' load "
                 + "skips such rows)\n 3 | 2,b\n   | ^\n"),
            (["--load", "missing.csv=m", "-c", "1"], 2, "conflictql: error: cannot load missing.csv: no such file\n"),
            (["--safe", "-c", "load \"data/forced-type.csv\""], 1,
             "<command line>:1:1: error: 'load' reads files, which safe mode does not allow\n 1 | load \"data/forced-type.csv\"\n   | "
                 + "^~~~~~~~~~~~~~~~~~~~~~~~~~~\nhelp: run without --safe to load files\n"),
            (["--load", #"data/forced-type.csv=ft with (delimter = ";")"#, "-c", "1"], 2,
             "--load:1:31: error: unknown load option 'delimter'\n 1 | data/forced-type.csv=ft with (delimter = \";\")\n   |             "
                 + "                  ^~~~~~~~\nhelp: did you mean 'delimiter'?\n"),
            (["--load", #"data/nested-response.json=r with (records = "response.itms")"#, "-c", "1"], 2,
             "conflictql: error: cannot load data/nested-response.json:2:14: 'response' has no key 'itms'; did you mean 'items'? (its "
                 + "keys are 'total', 'items')\n 2 |  \"response\": {\"total\": 2,\n   |              ^\n"),
            // Parameters: every bad name or value is a usage error, before anything runs.
            (["--param", "region", "-c", "1"], 2, "conflictql: error: parameter 'region' has no value; write --param region=VALUE\n"),
            (["-D", "=Gao", "-c", "1"], 2, "conflictql: error: parameter '=Gao' has no name; write --param NAME=VALUE\n"),
            (["-D", "1st=Gao", "-c", "1"], 2, "conflictql: error: '1st' cannot name a parameter: a name is a letter or '_' followed by "
                + "letters, digits or '_'\n"),
            (["-D", "code=0123", "-c", "1"], 2, "conflictql: error: parameter 'code': '0123' has a leading zero; to pass it as text, "
                + "quote it: code='\"0123\"'\n"),
            (["-D", "n=12abc", "-c", "1"], 2, "conflictql: error: parameter 'n': invalid number '12abc'; to pass it as text, quote it: "
                + "n='\"12abc\"'\n"),
            (["-D", "n=99999999999999999999", "-c", "1"], 2,
             "conflictql: error: parameter 'n': integer literal '99999999999999999999' does not fit in a 64-bit integer; to pass it as "
                 + "text, quote it: n='\"99999999999999999999\"'\n"),
            (["-D", "since=@2020-13", "-c", "1"], 2,
             "conflictql: error: parameter 'since': invalid date '@2020-13'; write dates as @YYYY-MM-DD, @YYYY-MM or @YYYY (for example "
                 + "@2013-04-01)\n"),
            (["-D", #"s="Gao"#, "-c", "1"], 2, "conflictql: error: parameter 's': unterminated string; close the string with \"\n"),
            (["-D", "x=null", "-c", "1"], 2, "conflictql: error: parameter 'x' cannot be null: a parameter has a type; to pass the text, "
                + "quote it: x='\"null\"'\n"),
            (["-D", "n=1 2", "-c", "1"], 2, "conflictql: error: parameter 'n': '1 2' is not one value; to pass it as text, quote it: "
                + "n='\"1 2\"'\n"),
            (["-D", "a=1", "-D", "a=2", "-c", "1"], 2, "conflictql: error: parameter 'a' is given twice (1, then 2)\n"),
            (["-D", "groups=1", "-c", "1"], 2, "conflictql: error: parameter 'groups' has the name of a table; name it otherwise\n"),
            (["-D", "region=Gao", "-c", #"load "data/forced-type.csv" as region"#], 1,
             "<command line>:1:32: error: 'region' is a parameter given on the command line (--param region=Gao); a script cannot bind "
                 + "it again\n 1 | load \"data/forced-type.csv\" as region\n   |                                ^~~~~~\nhelp: read it as "
                 + "$region, or bind another name\n"),
            // Names in the SQL's own space: a column made by the script, a file's header.
            (["--to-sql", "duckdb", "-c", "funding | extend _cq_row = 1"], 1,
             "<command line>:1:11: error: '_cq_row' cannot be a name in SQL: names beginning with '_cq_' are kept for the columns and "
                 + "tables the SQL makes for itself; rename it\n 1 | funding | extend _cq_row = 1\n   |           "
                 + "^~~~~~~~~~~~~~~~~~\nconflictql: 1 of 1 statement cannot be expressed in duckdb SQL and is left out\n"),
            (["--to-sql", "duckdb", "--schema", "--load", "data/reserved-header.csv=h", "-c", "tables | count"], 1,
             "conflictql: error: --schema: table 'h': '_cq_row' cannot be a name in SQL: names beginning with '_cq_' are kept for the "
                 + "columns and tables the SQL makes for itself; rename it\n"),
            (["--to-sql", "postgres", "-c", "funding | select n = len(donor)"], 1,
             "<command line>:1:22: error: len() of text (here it counts characters as they are seen, graphemes: 'é' written as e and an "
                 + "accent is one, and so is a CRLF; "
                + "SQL counts code points) cannot be expressed in postgres SQL\n 1 | funding | select n = len(donor)\n   |               "
                    + "       ^~~~~~~~~~\n"
                + "conflictql: 1 of 1 statement cannot be expressed in postgres SQL and is left out\n"),
            (["-c", ""], 0, ""),
            (["-c", "# only a comment"], 0, ""),
        ]
        for (arguments, status, stderr) in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, status, "\(arguments)")
            XCTAssertEqual(result.stderr, stderr, "\(arguments)")
        }
        let format = try run(["--format", "xml", "-c", "1"])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.stderr.hasPrefix("Error: unknown format 'xml'; formats are table, csv, tsv, json, ndjson, line, markdown, "
            + "html, svg, parquet\n"), format.stderr)
        let option = try run(["--frmat", "csv"])
        XCTAssertEqual(option.status, 2)
        XCTAssertTrue(option.stderr.hasPrefix("Error: Unknown option '--frmat'"), option.stderr)
    }

    func testBadDotCommands() {
        let cases: [(String, String)] = [
            (".tabels", "<repl>:1:1: error: unknown command '.tabels'\n 1 | .tabels\n   | ^~~~~~~\nhelp: did you mean '.tables'?\n"),
            (".mode xml", "<repl>:1:7: error: unknown format 'xml'\n 1 | .mode xml\n   |       ^~~\nhelp: usage: .mode "
                + "table|csv|tsv|json|ndjson|line|markdown|html|svg|parquet\n"),
            (".timer maybe", "<repl>:1:8: error: '.timer' takes on or off\n 1 | .timer maybe\n   |        ^~~~~\nhelp: usage: .timer "
                + "on|off\n"),
            (".maxrows -3", "<repl>:1:10: error: '.maxrows' needs a number of rows, 0 or more\n 1 | .maxrows -3\n   |          ^~\nhelp: "
                + "usage: .maxrows N\n"),
            (".read", "<repl>:1:6: error: '.read' needs a file\n 1 | .read\n   |      ^\nhelp: usage: .read FILE\n"),
            (".load", "<repl>:1:6: error: '.load' needs a file\n 1 | .load\n   |      ^\nhelp: usage: .load FILE [NAME] [with (...)]\n"),
            (".load x.csv with (delimter = ';')",
             "<repl>:1:19: error: unknown load option 'delimter'\n 1 | .load x.csv with (delimter = ';')\n   |                   "
                 + "^~~~~~~~\nhelp: did you mean 'delimiter'?\n"),
            (".load x.csv x with (header = false",
             "<repl>:1:35: error: expected ')' to close '(' at 1:20, found end of input\n 1 | .load x.csv x with (header = false\n   |   "
                 + "                                ^\n"),
            (".load x.csv x with (header = false) y",
             "<repl>:1:37: error: expected nothing after the options' ')', found 'y'\n 1 | .load x.csv x with (header = false) y\n   |   "
                 + "                                  ^\n"),
            (".", "<repl>:1:1: error: expected a command after '.'\n 1 | .\n   | ^\nhelp: '.help' lists the commands\n"),
            (".sources maybe", "<repl>:1:10: error: '.sources' takes on or off\n 1 | .sources maybe\n   |          ^~~~~\nhelp: usage: "
                + ".sources on|off\n"),
        ]
        for (line, expected) in cases {
            guard case .failure(let diagnostic) = DotCommand.parse(line) else { XCTFail(line); continue }
            XCTAssertEqual(DiagnosticRenderer().render(diagnostic, in: Source(name: "<repl>", text: line)), expected, line)
        }
    }
}
