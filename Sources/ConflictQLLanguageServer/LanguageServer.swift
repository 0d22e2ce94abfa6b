// The language server: what each message of the protocol means. It keeps the open documents
// and their analyses (DocumentAnalysis.swift) and answers from them; the features are in
// Completion.swift, Hover.swift and Navigation.swift. It never prints, and a request it
// cannot answer gets an error or an empty answer, never a crash: every index it takes from a
// message is clamped to the document.

import ConflictQL
import Foundation

public final class LanguageServer {
    struct Document {
        var uri: String
        var path: String?
        var version: Int
        var analysis: DocumentAnalysis
    }

    var documents: [String: Document] = [:]
    let cache = SchemaCache()
    /// The tables every script starts with (the embedded briefing).
    let base: Environment
    public private(set) var isShutDown = false
    /// Set by `exit`: the loop ends.
    public private(set) var hasExited = false

    /// The token types of semantic highlighting, in the order their indexes refer to.
    static let tokenTypes = ["keyword", "function", "variable", "property", "parameter", "string", "number", "operator",
                             "comment", "class", "type", "enumMember"]

    /// How many times a loaded file's columns were read rather than taken from the cache.
    public var schemaReads: Int { cache.reads }

    public init(base: Environment = Briefing.catalog) {
        self.base = base
    }

    /// Reads messages from `input` and writes answers to `output` until `exit` or the end of
    /// the input. Returns the exit status the protocol asks for: 0 after `shutdown`, else 1.
    public func run(input: Int32, output: Int32) -> Int32 {
        var reader = MessageReader(descriptor: input)
        while !hasExited, let body = reader.next() {
            let replies: [JSONObject]
            if let message = (try? JSONSerialization.jsonObject(with: Data(body))) as? JSONObject {
                replies = handle(message)
            } else {
                replies = [error(NSNull(), -32700, "parse error: the message is not a JSON object")]
            }
            for reply in replies where !writeAll(framed(reply), to: output) { return 1 }
        }
        return isShutDown ? 0 : 1
    }

    /// Answers one message: a response for a request, and any notifications it causes.
    public func handle(_ message: JSONObject) -> [JSONObject] {
        let method = message["method"] as? String ?? ""
        let params = message["params"] as? JSONObject ?? [:]
        guard let id = message["id"] else {
            return notification(method, params)
        }
        if isShutDown && method != "exit" {
            return [error(id, -32600, "the server is shut down")]
        }
        let result: Any?
        switch method {
        case "initialize": result = initializeResult()
        case "shutdown":
            isShutDown = true
            result = nil
        case "textDocument/completion": result = onDocument(params) { completion($0, params) }
        case "textDocument/hover": result = onDocument(params) { hover($0, params) }
        case "textDocument/signatureHelp": result = onDocument(params) { signatureHelp($0, params) }
        case "textDocument/definition": result = onDocument(params) { definition($0, params) }
        case "textDocument/references": result = onDocument(params) { references($0, params) }
        case "textDocument/documentSymbol": result = onDocument(params) { documentSymbols($0) }
        case "textDocument/semanticTokens/full": result = onDocument(params) { semanticTokens($0) }
        case "textDocument/formatting": result = onDocument(params) { formatting($0) }
        case "textDocument/codeAction": result = onDocument(params) { codeActions($0, params) }
        default:
            return [error(id, -32601, "method not found: \(method)")]
        }
        return [["jsonrpc": "2.0", "id": id, "result": result ?? NSNull()]]
    }

    func error(_ id: Any, _ code: Int, _ message: String) -> JSONObject {
        ["jsonrpc": "2.0", "id": id, "error": ["code": code, "message": message]]
    }

    func onDocument(_ params: JSONObject, _ answer: (Document) -> Any?) -> Any? {
        guard let uri = (params["textDocument"] as? JSONObject)?["uri"] as? String, let document = documents[uri] else { return nil }
        return answer(document)
    }

    func notification(_ method: String, _ params: JSONObject) -> [JSONObject] {
        let textDocument = params["textDocument"] as? JSONObject ?? [:]
        guard let uri = textDocument["uri"] as? String else {
            if method == "exit" { hasExited = true }
            return []
        }
        switch method {
        case "textDocument/didOpen":
            guard let text = textDocument["text"] as? String else { return [] }
            return update(uri, text: text, version: textDocument["version"] as? Int ?? 0)
        case "textDocument/didChange":
            // Full synchronisation: the last change holds the whole text (a ranged change is
            // applied to the text we hold).
            guard var text = documents[uri].map({ $0.analysis.source.text }),
                  let changes = params["contentChanges"] as? [JSONObject] else { return [] }
            for change in changes {
                guard let changed = change["text"] as? String else { continue }
                if let range = change["range"] as? JSONObject, let positions = documents[uri]?.analysis.positions,
                   positions.bytes == Array(text.utf8) {
                    let start = positions.offset(range["start"]) ?? 0, end = max(start, positions.offset(range["end"]) ?? start)
                    let bytes = Array(text.utf8)
                    text = String(decoding: bytes[..<start] + Array(changed.utf8) + bytes[end...], as: UTF8.self)
                } else {
                    text = changed
                }
            }
            return update(uri, text: text, version: textDocument["version"] as? Int ?? 0)
        case "textDocument/didClose":
            documents[uri] = nil
            return [publish(uri, [])]
        default:
            return []
        }
    }

    func update(_ uri: String, text: String, version: Int) -> [JSONObject] {
        let path = filePath(uri)
        let analysis = DocumentAnalysis(text: text, path: path, base: base, cache: cache)
        let document = Document(uri: uri, path: path, version: version, analysis: analysis)
        documents[uri] = document
        return [publish(uri, analysis.diagnostics.map { lspDiagnostic($0, analysis, uri: uri) })]
    }

    func publish(_ uri: String, _ diagnostics: [JSONObject]) -> JSONObject {
        ["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": ["uri": uri, "diagnostics": diagnostics]]
    }

    /// A diagnostic as the protocol has it: its help and notes as related information.
    func lspDiagnostic(_ diagnostic: Diagnostic, _ analysis: DocumentAnalysis, uri: String) -> JSONObject {
        let range = diagnostic.range ?? SourceRange(start: 0, end: 0)
        let severity: Int
        switch diagnostic.severity {
        case .error: severity = 1
        case .warning: severity = 2
        case .note: severity = 3
        }
        var message = diagnostic.message
        if let help = diagnostic.help { message += "\nhelp: " + help }
        var object: JSONObject = ["range": analysis.positions.range(range), "severity": severity, "source": "conflictql",
                                  "message": message, "code": diagnostic.id.rawValue]
        // A note with a range points there (the condition an empty result ran out at); one
        // without (a data file's bad line) points at the diagnostic.
        let related = diagnostic.notes.map { note -> JSONObject in
            ["location": ["uri": uri, "range": analysis.positions.range(note.range ?? range)] as JSONObject, "message": note.message]
        }
        if !related.isEmpty { object["relatedInformation"] = related }
        return object
    }

    func initializeResult() -> JSONObject {
        [
            "capabilities": [
                "textDocumentSync": ["openClose": true, "change": 1],
                "completionProvider": ["triggerCharacters": ["|", ".", "$", "(", " ", "\""]],
                "hoverProvider": true,
                "signatureHelpProvider": ["triggerCharacters": ["(", ","]],
                "definitionProvider": true,
                "referencesProvider": true,
                "documentSymbolProvider": true,
                "documentFormattingProvider": true,
                "codeActionProvider": ["codeActionKinds": ["quickfix"]],
                "semanticTokensProvider": ["legend": ["tokenTypes": LanguageServer.tokenTypes, "tokenModifiers": ["declaration"]],
                                           "full": true],
            ] as JSONObject,
            "serverInfo": ["name": "conflictql", "version": conflictQLVersion],
        ]
    }

    /// The file a `file:` URI names (nil for another scheme).
    func filePath(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        let encoded = String(uri.dropFirst("file://".count))
        return encoded.removingPercentEncoding ?? encoded
    }

    /// The byte offset of the request's position in the document.
    func offset(_ document: Document, _ params: JSONObject) -> Int {
        document.analysis.positions.offset(params["position"]) ?? 0
    }

    func location(_ document: Document, _ range: SourceRange) -> JSONObject {
        ["uri": document.uri, "range": document.analysis.positions.range(range)]
    }
}
