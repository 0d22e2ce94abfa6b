// User text that reaches SQL (a chart title, a load path, column names, string literals, data
// values under --schema) must stay inside the comment, quoted name or literal it was written
// into, in every dialect. A hostile piece of text (every control character, each dialect's
// quotes, comment openers and escapes) carries a marker statement; the emitted SQL is split by
// a lexer of each dialect's rules, and the marker must never appear outside a comment, a
// quoted name or a literal, nor the number of statements change. DuckDB also parses and runs
// it: no extra statement may run.

import ConflictQL
import Foundation
import XCTest

/// SQL text split as one dialect's lexer would: code, comments, literals and quoted names.
struct SQLLexed {
    var code = ""
    var comments: [String] = []
    var problems: [String] = []

    init(_ sql: String, _ dialect: SQLDialect) {
        let s = Array(sql.unicodeScalars)
        var i = 0
        let backslashes = dialect == .spark || dialect == .bigquery
        func at(_ text: String, _ k: Int) -> Bool {
            let t = Array(text.unicodeScalars)
            return k + t.count <= s.count && Array(s[k..<k + t.count]) == t
        }
        /// Skips a quoted token opening at `i` with `quote`; doubling a quote escapes it, and so
        /// does a backslash when `escapes`.
        func quoted(_ quote: Unicode.Scalar, escapes: Bool) {
            let start = i
            i += 1
            while i < s.count {
                if escapes && s[i] == "\\" { i += 2; continue }
                if s[i] == quote {
                    if !escapes, i + 1 < s.count, s[i + 1] == quote { i += 2; continue }
                    i += 1
                    return
                }
                i += 1
            }
            problems.append("unterminated \(quote) token from offset \(start)")
        }
        while i < s.count {
            let c = s[i]
            let lineComment = at("--", i) || (dialect == .bigquery && c == "#")
            if lineComment {
                // PostgreSQL and DuckDB end a line comment at \n or \r; the others at \n (a \r
                // before it too).
                let start = i
                while i < s.count && s[i] != "\n" && s[i] != "\r" { i += 1 }
                comments.append(String(String.UnicodeScalarView(s[start..<i])))
                code += " "
            } else if at("/*", i) {
                let start = i
                var depth = 0
                while i < s.count {
                    if at("/*", i) { depth += dialect == .bigquery ? (depth == 0 ? 1 : 0) : 1; i += 2; continue }
                    if at("*/", i) { depth -= 1; i += 2; if depth == 0 { break } else { continue } }
                    i += 1
                }
                if depth != 0 { problems.append("unterminated block comment") }
                comments.append(String(String.UnicodeScalarView(s[start..<i])))
                code += " "
            } else if dialect == .bigquery && (at("'''", i) || at("\"\"\"", i)) {
                problems.append("triple-quoted string at offset \(i)")
                i += 3
            } else if c == "'" {
                quoted("'", escapes: backslashes)
                code += " '' "
            } else if c == "\"" {
                quoted("\"", escapes: backslashes)
                code += dialect == .duckdb || dialect == .postgres ? " \"\" " : " '' "
            } else if c == "`" && backslashes {
                quoted("`", escapes: dialect == .bigquery)
                code += " `` "
            } else if c == "$" && (dialect == .duckdb || dialect == .postgres) {
                problems.append("'$' in code at offset \(i) (a dollar quote)")
                i += 1
            } else {
                code.unicodeScalars.append(c)
                i += 1
            }
        }
    }

    /// Statements, counted by the semicolons that end them.
    var statementCount: Int { code.filter { $0 == ";" }.count }
}

final class SQLEscapingTests: XCTestCase {
    /// The marker: a statement that must never run, and a word that must never be code.
    static let marker = "CREATE TABLE INJECTED (i INT);"

    /// Pieces of hostile text: every C0 and C1 control, DEL, the Unicode line separators, and
    /// each dialect's quotes, comment syntax and escapes.
    static let pieces: [String] = {
        var pieces = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\u{7F}"]
        pieces += (0x80...0x9F).map { String(UnicodeScalar(UInt8($0))) }
        pieces += ["\u{2028}", "\u{2029}", "'", "\"", "`", "\\", "--", "#", "/*", "*/", ";", "$$", "$q$",
                   "\\'", "''", "'''", "\"\"\"", "``", "\\`", "\r\n", "\n--", "*/\n"]
        return pieces
    }()

    /// Hostile texts made of `piece` around the marker statement.
    static func payloads(_ piece: String) -> [String] {
        ["x\(piece)\n\(marker)\n-- \(piece)", "\\\(piece)\(marker)\(piece)\(piece)"]
    }

    /// `text` as a ConflictQL string literal.
    func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out + "\""
    }

    /// `text` as one CSV field.
    func csvField(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    struct Case {
        var place: String
        var sql: String
        var benign: String
    }

    /// The SQL a script compiles to in `dialect`, with the --schema script of `tables` first;
    /// nil when the script is refused or does not check.
    func sql(_ script: String, _ dialect: SQLDialect, _ session: Session, schemaOf tables: [String] = []) -> String? {
        guard let statements = try? session.sql(for: Source(name: "<test>", text: script), dialect: dialect) else { return nil }
        var text = ""
        if !tables.isEmpty { guard let schema = try? session.schemaScript(dialect: dialect, tables: tables) else { return nil }; text = schema }
        for statement in statements {
            if case .refused = statement { return nil }
            if let line = statement.text { text += line + "\n\n" }
        }
        return text
    }

    /// Every place user text reaches SQL, with `text` in it, in `dialect`.
    func cases(_ text: String, _ dialect: SQLDialect, in folder: URL, session: Session) throws -> [(place: String, sql: String?)] {
        var out: [(String, String?)] = []
        // A data file whose header names a column with the text, and whose one value is it.
        let data = folder.appendingPathComponent("data.csv")
        try Data("name,\(csvField(text))\n\(csvField(text)),1\n".utf8).write(to: data)
        let load = "load \(literal(data.path)) as h\n"
        out.append(("chart title", sql(load + "h | summarize n = count() by name | chart bar title \(literal(text))", dialect, session)))
        out.append(("string literal", sql(load + "h | where name == \(literal(text)) | extend s = \(literal(text)) + name", dialect, session)))
        out.append(("column name and data value (--schema)", sql(load + "h | sort by name", dialect, session, schemaOf: ["h"])))
        if !text.unicodeScalars.contains(where: { $0 == "`" || $0 == "\n" || $0 == "\r" }) {
            out.append(("quoted name in extend", sql(load + "h | extend `\(text)2` = 1 | select name, `\(text)2`", dialect, session)))
        }
        // A file whose name holds the text (no NUL or '/' in a file name).
        if !text.unicodeScalars.contains(where: { $0 == "\0" || $0 == "/" }) {
            let named = folder.appendingPathComponent(text + ".csv")
            if FileManager.default.createFile(atPath: named.path, contents: Data("a\n1\n".utf8)) {
                out.append(("load path", sql("load \(literal(named.path)) as p\np | count", dialect, session)))
                try? FileManager.default.removeItem(at: named)
            }
        }
        return out
    }

    func testUserTextNeverLeavesItsCommentNameOrLiteral() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cq-escaping-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var duckdbCases: [Case] = []
        var failures: [String] = []
        for dialect in SQLDialect.allCases {
            let session = Session()
            let benign = try cases("benign", dialect, in: folder, session: session)
            for piece in Self.pieces {
                for payload in Self.payloads(piece) {
                    for (place, emitted) in try cases(payload, dialect, in: folder, session: session) {
                        let plain = benign.first { $0.place == place }?.sql
                        let what = "\(dialect) \(place) with \(piece.unicodeScalars.map { "U+" + String($0.value, radix: 16) }.joined(separator: " "))"
                        guard let plain else { failures.append("\(what): the benign script does not compile"); continue }
                        // Refusing the text is allowed: nothing reaches SQL.
                        guard let emitted else { continue }
                        let lexed = SQLLexed(emitted, dialect), expected = SQLLexed(plain, dialect)
                        if lexed.code.contains("INJECTED") { failures.append("\(what): the marker is code:\n\(emitted)") }
                        if lexed.statementCount != expected.statementCount { failures.append("\(what): \(lexed.statementCount) statements, not \(expected.statementCount)") }
                        if !lexed.problems.isEmpty { failures.append("\(what): \(lexed.problems)") }
                        for comment in lexed.comments where comment.contains("*/") && comment.hasPrefix("--") {
                            failures.append("\(what): a comment holds '*/': \(comment)")
                        }
                        if dialect == .duckdb { duckdbCases.append(Case(place: what, sql: emitted, benign: plain)) }
                    }
                }
            }
        }
        XCTAssertEqual(failures.count, 0, failures.prefix(5).joined(separator: "\n"))
        XCTAssertGreaterThan(duckdbCases.count, 700)
        try runInDuckDB(duckdbCases)
    }

    /// DuckDB splits each case into as many statements as its benign twin, and running them
    /// never creates the marker's table.
    func runInDuckDB(_ cases: [Case]) throws {
        let check = """
        import duckdb, json, sys
        out = []
        connection = duckdb.connect()
        for case in json.load(sys.stdin):
            try:
                n, m = len(duckdb.extract_statements(case["sql"])), len(duckdb.extract_statements(case["benign"]))
            except Exception as e:
                out.append(case["place"] + ": does not parse: " + str(e)[:200]); continue
            if n != m:
                out.append(case["place"] + ": %d statements, not %d" % (n, m)); continue
            for statement in duckdb.extract_statements(case["sql"]):
                try: connection.execute(statement.query)
                except Exception: pass
            if connection.execute("SELECT count(*) FROM information_schema.tables WHERE lower(table_name) = 'injected'").fetchone()[0]:
                out.append(case["place"] + ": the marker statement ran")
                connection.execute("DROP TABLE INJECTED")
        print(json.dumps(out))
        """
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import duckdb"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        if probe.terminationStatus != 0 {
            if ProcessInfo.processInfo.environment["CONFLICTQL_REQUIRE_ENGINES"] != nil { XCTFail("DuckDB (pip install duckdb) is required") }
            return
        }
        let input = try JSONSerialization.data(withJSONObject: cases.map { ["place": $0.place, "sql": $0.sql, "benign": $0.benign] })
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", check],
                                    in: FileManager.default.temporaryDirectory, stdin: String(decoding: input, as: UTF8.self))
        XCTAssertEqual(result.status, 0, result.stderr)
        let problems = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String]) ?? ["no answer: \(result.stdout.prefix(300))"]
        XCTAssertEqual(problems.count, 0, problems.prefix(5).joined(separator: "\n"))
    }
}

extension SQLEscapingTests {
    /// BigQuery reads `\` inside backticks as an escape: a column named `e\` must be written
    /// `e\\`, or the closing backtick is escaped and the name runs on into the query.
    func testBigQueryNamesEscapeTheirBackslash() throws {
        let statements = try Session().sql(for: Source(name: "<test>", text: "funding | extend `e\\` = 1 | select `e\\`"), dialect: .bigquery)
        let text = statements.compactMap(\.text).joined()
        XCTAssertTrue(text.contains("AS `e\\\\`"), text)
        XCTAssertFalse(text.contains("`e\\`"), text)
    }
}
