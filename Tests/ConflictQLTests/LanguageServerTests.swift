// The language server (`conflictql lsp`): one session with the real executable over JSON-RPC,
// as an editor has it (initialize, diagnostics of a script with two errors, completion after
// `| where `, hover on a function, go to definition of a `let`, formatting, shutdown), and the
// other requests answered in-process.

import ConflictQL
import ConflictQLLanguageServer
import Foundation
import QueryFuzzing
import XCTest

final class LanguageServerTests: XCTestCase {
    var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
    }

    static let script = """
        let recent = timeline|where date >= @2012-01-01
        recent | summarize n = count() by year = to_year(date)
        groups | where foundd > @2000
        groups | extend n = lenn(name)

        """

    func frame(_ message: [String: Any]) throws -> String {
        let body = try JSONSerialization.data(withJSONObject: message)
        return "Content-Length: \(body.count)\r\n\r\n" + String(decoding: body, as: UTF8.self)
    }

    /// The messages in `output`, unframed.
    func messages(_ output: String) throws -> [[String: Any]] {
        var bytes = Array(output.utf8)[...]
        var found: [[String: Any]] = []
        while let headerEnd = bytes.indices.first(where: { bytes[$0...].starts(with: Array("\r\n\r\n".utf8)) }) {
            let header = String(decoding: bytes[bytes.startIndex..<headerEnd], as: UTF8.self)
            let length = try XCTUnwrap(Int(header.replacingOccurrences(of: "Content-Length: ", with: "")), header)
            let body = bytes[(headerEnd + 4)..<(headerEnd + 4 + length)]
            found.append(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]))
            bytes = bytes[(headerEnd + 4 + length)...]
        }
        return found
    }

    func request(_ id: Int, _ method: String, _ params: [String: Any]) -> [String: Any] {
        ["jsonrpc": "2.0", "id": id, "method": method, "params": params]
    }

    func notification(_ method: String, _ params: [String: Any]) -> [String: Any] {
        ["jsonrpc": "2.0", "method": method, "params": params]
    }

    func position(_ line: Int, _ character: Int) -> [String: Any] { ["line": line, "character": character] }

    func testAnEditorSessionWithTheExecutable() throws {
        let uri = "file:///tmp/conflictql-lsp-test/recent.cq"
        let document: [String: Any] = ["uri": uri]
        let changed = LanguageServerTests.script + "groups\n| where "
        let input = try [
            request(1, "initialize", ["processId": NSNull(), "rootUri": NSNull(), "capabilities": [:] as [String: Any]]),
            notification("initialized", [:]),
            notification("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "conflictql", "version": 1,
                                                                   "text": LanguageServerTests.script]]),
            request(2, "textDocument/hover", ["textDocument": document, "position": position(1, 43)]),
            request(3, "textDocument/definition", ["textDocument": document, "position": position(1, 2)]),
            request(4, "textDocument/formatting", ["textDocument": document, "options": ["tabSize": 4, "insertSpaces": true]]),
            notification("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2], "contentChanges": [["text": changed]]]),
            request(5, "textDocument/completion", ["textDocument": document, "position": position(5, 8)]),
            request(6, "shutdown", [:]),
            notification("exit", [:]),
        ].map(frame).joined()
        let run = try runProcess(executable, ["lsp"], in: URL(fileURLWithPath: repositoryRoot), stdin: input)
        XCTAssertEqual(run.status, 0, run.stderr)
        let replies = try messages(run.stdout)
        func response(_ id: Int) throws -> Any? {
            let reply = try XCTUnwrap(replies.first { $0["id"] as? Int == id }, "no response to request \(id)")
            XCTAssertNil(reply["error"], "request \(id): \(reply)")
            return reply["result"]
        }

        let initialize = try XCTUnwrap(try response(1) as? [String: Any])
        let capabilities = try XCTUnwrap(initialize["capabilities"] as? [String: Any])
        XCTAssertEqual(capabilities["hoverProvider"] as? Bool, true)
        XCTAssertNotNil(capabilities["semanticTokensProvider"])

        // Two diagnostics, on the misspelt column and the misspelt function.
        let published = replies.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }
        XCTAssertEqual(published.count, 2)
        let first = try XCTUnwrap((published.first?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(first.count, 2, "\(first)")
        XCTAssertEqual(first.map { $0["range"] as? NSDictionary }, [
            ["start": ["line": 2, "character": 15], "end": ["line": 2, "character": 21]],
            ["start": ["line": 3, "character": 20], "end": ["line": 3, "character": 24]],
        ] as [NSDictionary])
        XCTAssertEqual(first.map { ($0["message"] as? String)?.components(separatedBy: "\n").first },
                       ["unknown column 'foundd'", "unknown function 'lenn'"])
        XCTAssertTrue((first[0]["message"] as? String)?.contains("did you mean 'founded'?") ?? false)

        // Hover on to_year: its signature and help, from its descriptor.
        let hover = try XCTUnwrap(try response(2) as? [String: Any])
        let hoverText = try XCTUnwrap((hover["contents"] as? [String: Any])?["value"] as? String)
        XCTAssertTrue(hoverText.contains(try XCTUnwrap(ScalarFunction.named("to_year")).signature), hoverText)
        XCTAssertTrue(hoverText.contains("to_year(@2020-03-15)"), hoverText)

        // Definition of `recent` (used on line 2): the name its `let` binds on line 1.
        let definition = try XCTUnwrap(try response(3) as? [String: Any])
        XCTAssertEqual(definition["uri"] as? String, uri)
        XCTAssertEqual(definition["range"] as? NSDictionary,
                       ["start": ["line": 0, "character": 4], "end": ["line": 0, "character": 10]] as NSDictionary)

        // Formatting: one edit, the script with one stage per line.
        let edits = try XCTUnwrap(try response(4) as? [[String: Any]])
        XCTAssertEqual(edits.count, 1)
        XCTAssertEqual(edits.first?["newText"] as? String, """
            let recent = timeline
            | where date >= @2012-01-01
            recent
            | summarize n = count() by year = to_year(date)
            groups
            | where foundd > @2000
            groups
            | extend n = lenn(name)

            """)

        // Completion after `| where `: the columns of groups (and the functions).
        let completion = try XCTUnwrap(try response(5) as? [String: Any])
        let labels = Set(try XCTUnwrap(completion["items"] as? [[String: Any]]).compactMap { $0["label"] as? String })
        for column in try XCTUnwrap(Briefing.catalog.schema(ofTable: "groups")).names {
            XCTAssertTrue(labels.contains(column), "\(column) is not offered after '| where '")
        }
        XCTAssertTrue(labels.contains("len"))
        XCTAssertFalse(labels.contains("event"), "a column of timeline is offered for groups")
        XCTAssertFalse(labels.contains("summarize"), "a stage is offered where a condition goes")
        XCTAssertTrue(replies.contains { $0["id"] as? Int == 6 })
    }

    // MARK: In-process

    func open(_ server: LanguageServer, _ text: String, uri: String = "file:///tmp/test.cq") -> [[String: Any]] {
        let document: [String: Any] = ["uri": uri, "languageId": "conflictql", "version": 1, "text": text]
        return server.handle(notification("textDocument/didOpen", ["textDocument": document]))
    }

    func result(_ server: LanguageServer, _ method: String, _ params: [String: Any], uri: String = "file:///tmp/test.cq") -> Any? {
        var params = params
        params["textDocument"] = ["uri": uri]
        let replies = server.handle(request(1, method, params))
        return replies.first?["result"]
    }

    func testHoverOnAColumnATableAndALet() throws {
        let server = LanguageServer()
        _ = open(server, "let big = funding | where amount_usd > 1000000\nbig | summarize total = sum(amount_usd) by donor\n")
        func hover(_ line: Int, _ character: Int) -> String? {
            ((result(server, "textDocument/hover", ["position": position(line, character)]) as? [String: Any])?["contents"]
                as? [String: Any])?["value"] as? String
        }
        XCTAssertEqual(hover(0, 30), "**column** `amount_usd`: Int — of table `funding`")
        let table = try XCTUnwrap(hover(0, 12))
        XCTAssertTrue(table.hasPrefix("**table** `funding`"), table)
        XCTAssertTrue(table.contains("\(try XCTUnwrap(Briefing.catalog.table(named: "funding")).rowCount) rows"), table)
        let binding = try XCTUnwrap(hover(1, 1))
        XCTAssertTrue(binding.contains("let big = funding | where amount_usd > 1000000"), binding)
        XCTAssertTrue(hover(1, 6)?.contains("summarize") ?? false, "a stage's help")
    }

    func testCompletionOffersAColumnsValuesAfterAComparison() throws {
        let server = LanguageServer()
        let text = "groups | where category == "
        _ = open(server, text)
        let completion = result(server, "textDocument/completion", ["position": position(0, text.utf16.count)]) as? [String: Any]
        let items = try XCTUnwrap(completion?["items"] as? [[String: Any]])
        let groups = try XCTUnwrap(Briefing.catalog.table(named: "groups"))
        let categories = try XCTUnwrap(groups.column(named: "category"))
        let expected = Set((0..<groups.rowCount).compactMap { row -> String? in
            if case .string(let value) = categories.value(at: row) { return "\"" + value + "\"" }
            return nil
        })
        XCTAssertEqual(Set(items.compactMap { $0["label"] as? String }), expected)
        XCTAssertEqual(Set(items.compactMap { $0["kind"] as? Int }), [12], "values, not files")
    }

    func testReferencesSymbolsSignatureTokensAndQuickFixes() throws {
        let server = LanguageServer()
        let published = open(server, "let g = groups\ng | count\nlet n = 3\ng | take $n | select nme\n")
        let diagnostics = try XCTUnwrap((published.first?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.count, 1)

        let references = try XCTUnwrap(result(server, "textDocument/references",
                                              ["position": position(1, 0), "context": ["includeDeclaration": true]]) as? [[String: Any]])
        XCTAssertEqual(references.compactMap { (($0["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int }, [0, 1, 3])
        let parameter = try XCTUnwrap(result(server, "textDocument/definition", ["position": position(3, 10)]) as? [String: Any])
        XCTAssertEqual((((parameter["range"] as? [String: Any])?["start"]) as? [String: Any])?["line"] as? Int, 2)

        let symbols = try XCTUnwrap(result(server, "textDocument/documentSymbol", [:]) as? [[String: Any]])
        XCTAssertEqual(symbols.compactMap { $0["name"] as? String }, ["let g", "g | count", "let n", "g | take $n | select nme"])

        let actions = try XCTUnwrap(result(server, "textDocument/codeAction", [
            "range": ["start": position(3, 0), "end": position(3, 30)], "context": ["diagnostics": diagnostics]]) as? [[String: Any]])
        XCTAssertEqual(actions.first?["title"] as? String, "Change to 'name'")
        let changes = try XCTUnwrap((actions.first?["edit"] as? [String: Any])?["changes"] as? [String: [[String: Any]]])
        XCTAssertEqual(changes["file:///tmp/test.cq"]?.first?["newText"] as? String, "name")

        _ = open(server, "groups | select x = round(1.5, ", uri: "file:///tmp/call.cq")
        let signature = try XCTUnwrap(result(server, "textDocument/signatureHelp", ["position": position(0, 31)],
                                             uri: "file:///tmp/call.cq") as? [String: Any])
        XCTAssertEqual(signature["activeParameter"] as? Int, 1)
        let label = ((signature["signatures"] as? [[String: Any]])?.first?["label"] as? String) ?? ""
        XCTAssertEqual(label, ScalarFunction.named("round")?.signature)

        // Semantic tokens: `let`, `g`, `=`, `groups`, then line 2's `g`, `|`, `count`...
        let tokens = try XCTUnwrap((result(server, "textDocument/semanticTokens/full", [:]) as? [String: Any])?["data"] as? [Int])
        XCTAssertEqual(tokens.count % 5, 0)
        let types = stride(from: 3, to: tokens.count, by: 5).map { tokens[$0] }
        let legend = ["keyword", "function", "variable", "property", "parameter", "string", "number", "operator", "comment", "class",
                      "type", "enumMember"]
        XCTAssertEqual(types.prefix(7).map { legend[$0] }, ["keyword", "variable", "operator", "class", "class", "operator", "keyword"])
    }

    func testLoadsResolveBesideTheScriptAndAreCached() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conflictql-lsp-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Large enough to be sampled: 1 MiB is read of about 3.
        var csv = "region,fatalities,day\n"
        while csv.utf8.count < 3 << 20 { csv += "Gao,\(csv.utf8.count % 97),2020-01-0\(csv.utf8.count % 9 + 1)\n" }
        try csv.write(to: folder.appendingPathComponent("events.csv"), atomically: true, encoding: .utf8)
        let uri = "file://" + folder.appendingPathComponent("script.cq").path
        let server = LanguageServer()
        let text = "load \"events.csv\" as ev\nev | summarize s = sum(fatalitie) by region\n"
        let published = open(server, text, uri: uri)
        let diagnostics = try XCTUnwrap((published.first?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.compactMap { ($0["message"] as? String)?.components(separatedBy: "\n").first },
                       ["unknown column 'fatalitie'"])
        let hover = (result(server, "textDocument/hover", ["position": position(1, 1)], uri: uri) as? [String: Any])?["contents"]
            as? [String: Any]
        let hoverText = try XCTUnwrap(hover?["value"] as? String)
        XCTAssertTrue(hoverText.contains("`fatalities` Int") && hoverText.contains("a sample of 1 MiB of 3 MiB"), hoverText)
        // A change reads the file again only if it changed.
        _ = server.handle(notification("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2],
                                                                  "contentChanges": [["text": text + "ev | count\n"]]]))
        XCTAssertEqual(server.schemaReads, 1)
        // A file that cannot be loaded: the error on its path, the bad line as related information.
        try "a,b\n1,2\n3,4,5\n".write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let broken = server.handle(notification("textDocument/didChange", ["textDocument": ["uri": uri, "version": 3],
                                                                           "contentChanges": [["text": "load \"bad.csv\"\n"]]]))
        let failure = try XCTUnwrap(((broken.first?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertTrue((failure["message"] as? String)?.contains("/bad.csv:3:1: a row has 3 fields") ?? false, "\(failure)")
        XCTAssertEqual(failure["code"] as? String, "ragged-row")
        XCTAssertEqual(failure["range"] as? NSDictionary,
                       ["start": ["line": 0, "character": 5], "end": ["line": 0, "character": 14]] as NSDictionary)
        let related = try XCTUnwrap(failure["relatedInformation"] as? [[String: Any]])
        XCTAssertTrue(related.contains { ($0["message"] as? String)?.contains("3,4,5") ?? false }, "\(related)")
        // A path after `load "` is completed from the script's folder.
        _ = server.handle(notification("textDocument/didChange", ["textDocument": ["uri": uri, "version": 4],
                                                                  "contentChanges": [["text": "load \"ev"]]]))
        let completion = result(server, "textDocument/completion", ["position": position(0, 8)], uri: uri) as? [String: Any]
        let labels = (completion?["items"] as? [[String: Any]])?.compactMap { $0["label"] as? String }
        XCTAssertEqual(labels, ["\"events.csv\""], "bad.csv does not start with ev")
    }

    /// The guard: the query fuzzer's pipelines, cut at random places, typed into the server one
    /// change at a time; every request gets an answer (a crash would end the test run).
    func testHalfTypedScriptsAreAlwaysAnswered() throws {
        let server = LanguageServer()
        var generator = QueryGenerator(seed: 2812, environment: Briefing.catalog)
        var random = SeededRandom(seed: 12)
        let uri = "file:///tmp/typing.cq"
        _ = open(server, "", uri: uri)
        var answered = 0
        let methods = ["textDocument/completion", "textDocument/hover", "textDocument/signatureHelp", "textDocument/definition",
                       "textDocument/references", "textDocument/documentSymbol", "textDocument/semanticTokens/full",
                       "textDocument/formatting", "textDocument/codeAction"]
        for version in 0..<300 {
            let text = "let p = 1\n" + generator.pipeline().text
            let bytes = Array(text.utf8)
            let cut = String(decoding: bytes.prefix(Int.random(in: 0...bytes.count, using: &random)), as: UTF8.self)
            let published = server.handle(notification("textDocument/didChange", ["textDocument": ["uri": uri, "version": version],
                                                                                  "contentChanges": [["text": cut]]]))
            XCTAssertEqual(published.count, 1)
            let lines = cut.components(separatedBy: "\n")
            let line = lines.count - 1, character = lines.last?.utf16.count ?? 0
            for (index, method) in methods.enumerated() {
                let target = Bool.random(using: &random) ? position(line, character) : position(Int.random(in: 0...line, using: &random),
                                                                                                   Int.random(in: 0...80, using: &random))
                let replies = server.handle(request(index, method, ["textDocument": ["uri": uri], "position": target,
                                                                    "range": ["start": position(0, 0), "end": target],
                                                                    "context": ["diagnostics": [] as [Any]]]))
                XCTAssertEqual(replies.count, 1)
                XCTAssertNil(replies.first?["error"], "\(method) on \(cut.debugDescription)")
                answered += 1
            }
        }
        XCTAssertEqual(answered, 300 * methods.count)
    }
}
