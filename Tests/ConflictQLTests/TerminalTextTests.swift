// What reaches a terminal: every C0 and C1 control, the line separators and the bidirectional
// overrides and isolates, put into each writer (table cells and headers, Markdown, a single
// value, the `file:` line, a chart's title and labels, a rendered error, the executable's own
// messages), must come out escaped, never raw. And columns line up by display width.

import ConflictQL
import Foundation
import XCTest

final class TerminalTextTests: XCTestCase {
    /// Every code point a terminal must not see raw.
    static let unsafe: [Unicode.Scalar] = ((0..<0x20).map { $0 } + [0x7F] + (0x80...0x9F).map { $0 }
        + [0x2028, 0x2029] + (0x202A...0x202E).map { $0 } + (0x2066...0x2069).map { $0 }).map { Unicode.Scalar(UInt32($0))! }

    /// The unsafe scalars in `text` other than those `allowed`, as U+ names.
    func raw(_ text: String, allowing allowed: Set<Unicode.Scalar> = ["\n"]) -> [String] {
        text.unicodeScalars.filter { isTerminalUnsafe($0) && !allowed.contains($0) }.map { "U+" + String($0.value, radix: 16) }
    }

    /// `scalar` as a ConflictQL string escape.
    func escape(_ scalar: Unicode.Scalar) -> String { "\\u{\(String(scalar.value, radix: 16))}" }

    func testEveryUnsafeCodePointIsEscapedByEveryWriter() throws {
        setenv("SOURCE_DATE_EPOCH", "1795946400", 1)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cq-terminal-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(Self.unsafe.count, 76)
        var failures: [String] = []
        for scalar in Self.unsafe {
            let name = "U+" + String(scalar.value, radix: 16)
            let text = "a" + String(scalar) + "b"
            func check(_ writer: String, _ out: String, allowing allowed: Set<Unicode.Scalar> = ["\n"]) {
                let left = raw(out, allowing: allowed)
                if !left.isEmpty { failures.append("\(writer) with \(name) wrote \(left) raw: \(out.debugDescription.prefix(200))") }
            }
            // A table and a Markdown table: the value and the column name.
            let table = Table(schema: Schema([Field(text, .string), Field("n", .int)]), rows: [[.string(text), .int(1)]])
            check("table", ResultFormatter(format: .table).format(.table(table)))
            check("narrow table", ResultFormatter(format: .table, maxWidth: 12).format(.table(table)))
            check("markdown", ResultFormatter(format: .markdown).format(.table(table)))
            // A single value keeps its line breaks and tabs, nothing else.
            check("value", ResultFormatter(format: .table).format(.value(.string(text), .string)), allowing: ["\n", "\t"])
            // The `file:` line of a loaded file (a name holds neither NUL nor '/').
            if scalar != "\0" {
                let path = folder.appendingPathComponent("f\(String(scalar)).csv").path
                if FileManager.default.createFile(atPath: path, contents: Data("a\n1\n".utf8)) {
                    let session = Session()
                    var out = ""
                    try session.run(Source(name: "<test>", text: "load \"\(path.unicodeScalars.map { $0.value < 0x7F && $0.value >= 0x20 ? String($0) : escape($0) }.joined())\" as f\nf")) {
                        out += ResultFormatter(format: .table).format($0)
                    }
                    XCTAssertTrue(out.contains("file: "), out)
                    check("file line", out)
                    try FileManager.default.removeItem(atPath: path)
                }
            }
            // A chart in the terminal: its title, its labels and the label column's name.
            let session = Session()
            var chart = ""
            // (A quoted name cannot hold a C0 control: the lexer refuses it.)
            let column = "`n" + (scalar.value < 0x7F ? "" : String(scalar)) + "`"
            try session.run(Source(name: "<test>", text: "countries | extend \(column) = name + \"\(escape(scalar))\" | select \(column), k = len(name) | chart bar title \"t\(escape(scalar))\"")) {
                chart += ResultFormatter(format: .table, maxWidth: 60).format($0)
            }
            XCTAssertTrue(chart.contains("│"), chart)
            check("chart", chart)
            // A rendered error: its message, its source's name and the source line shown.
            let source = Source(name: "s" + String(scalar), text: "x " + text + " y")
            let unknown = DiagnosticMessage(SemanticsDiagnostic.unknownColumn, "unknown column '\(text)'")
            let diagnostic = Diagnostic(unknown, at: SourceRange(start: 2, end: 3), help: "did you mean '\(text)'?")
            let rendered = DiagnosticRenderer().render(diagnostic, in: source)
            check("error", rendered)
        }
        XCTAssertEqual(failures.count, 0, failures.prefix(8).joined(separator: "\n"))
    }

    /// The executable's own messages (a script it cannot read, named with every unsafe code
    /// point) reach standard error escaped.
    func testTheExecutablesMessagesAreEscaped() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("conflictql")
        let name = "missing" + String(String.UnicodeScalarView(Self.unsafe.filter { $0 != "\0" })) + ".cq"
        let result = try runProcess(executable, [name], in: FileManager.default.temporaryDirectory, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("cannot read"), result.stderr)
        XCTAssertEqual(raw(result.stderr), [])
        XCTAssertTrue(result.stderr.contains("\\u{1B}\\u{1C}"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\\u{9B}\\u{9C}\\u{9D}"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\\u{202E}"), result.stderr)
    }

    /// East Asian wide characters and emoji take two cells, combining marks none: columns line
    /// up on the screen, not by the count of characters.
    func testTablesAlignByDisplayWidth() {
        let table = Table(schema: Schema([Field("city", .string), Field("n", .int)]),
                          rows: [[.string("東京都"), .int(1)], [.string("Gao"), .int(22)], [.string("🙂x"), .int(3)], [.string("Ségou"), .int(4)]])
        XCTAssertEqual(ResultFormatter(format: .table).format(.table(table)), """
            city   │  n
            ───────┼───
            東京都 │  1
            Gao    │ 22
            🙂x    │  3
            Ségou  │  4
            (4 rows)

            """)
        // Cut to fit 15 cells: a wide character that would cross the edge is left out whole.
        let wide = Table(schema: Schema([Field("name", .string)]), rows: [[.string(String(repeating: "東", count: 20))]])
        let lines = ResultFormatter(format: .table, maxWidth: 15).format(.table(wide)).split(separator: "\n")
        XCTAssertEqual(lines[2], "東東東東東東東…")
        XCTAssertEqual(displayWidth(String(lines[2])), 15)
        XCTAssertEqual(displayWidth("東京都"), 6)
        XCTAssertEqual(displayWidth("e\u{301}"), 1)
    }
}
