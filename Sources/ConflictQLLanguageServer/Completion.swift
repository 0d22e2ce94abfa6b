// Completion and signature help. Completion is the REPL's (Interactive/Completer.swift): the
// statement up to the cursor is handed to the completer with the environment the statement is
// checked in, so the columns offered after `| where ` are those of the stage's input, and
// tables loaded or bound earlier in the script are offered by name.

import ConflictQL
import Foundation

extension LanguageServer {
    /// LSP completion item kinds.
    enum ItemKind: Int {
        case function = 3, field = 5, variable = 6, `class` = 7, keyword = 14, file = 17, value = 12
    }

    func completion(_ document: Document, _ params: JSONObject) -> Any? {
        let analysis = document.analysis
        let cursor = offset(document, params)
        let bytes = analysis.source.bytes
        let wordStart = completedWordStart(bytes, cursor)
        let statementStart = completedStatementStart(bytes, before: wordStart)
        let context = String(decoding: bytes[statementStart..<wordStart], as: UTF8.self)
        let word = String(decoding: bytes[wordStart..<cursor], as: UTF8.self)
        let environment = analysis.environment(at: statementStart)
        let completer = Completer(symbols: environment, allowsFileAccess: document.path != nil)
        var candidates = completer.complete(context, word: word)
        let expectsPath = parse(Source(name: "<completion>", text: context)).expected.kinds.contains(.filePath)
        // A path after `load "` is the script's: relative to its folder, not the server's.
        if word.hasPrefix("\""), let path = document.path, expectsPath {
            let folder = folderOf(path)
            let prefix = folder.isEmpty || word.dropFirst().hasPrefix("/") ? "" : folder + "/"
            candidates = candidates.filter { !$0.hasPrefix("\"") } + Completer.paths(startingWith: prefix + word.dropFirst()).map { found in
                "\"" + found.dropFirst(prefix.count) + (found.hasSuffix("/") ? "" : "\"")
            }
        }
        let functions = Set(Completer.allFunctionNames), stages = Set(stageNames)
        let tables = Set(environment.tableOrder), values = Set(environment.scalars.keys.map { "$" + $0 })
        let range = analysis.positions.range(SourceRange(start: wordStart, end: cursor))
        let items: [JSONObject] = candidates.prefix(500).map { label in
            let kind: ItemKind
            var item: JSONObject = ["label": label, "textEdit": ["range": range, "newText": label]]
            if stages.contains(label) { kind = .keyword }
            else if functions.contains(label) {
                kind = .function
                if let entry = functionEntry(label) { item["detail"] = entry.signature }
            } else if tables.contains(label) { kind = .class }
            else if values.contains(label) { kind = .variable }
            else if label.hasPrefix("\"") { kind = expectsPath ? .file : .value }
            else if label.first?.isLowercase == false && label.first != "`" { kind = .value }
            else { kind = .field }
            item["kind"] = kind.rawValue
            return item
        }
        return ["isIncomplete": false, "items": items]
    }

    /// Where the word being completed starts: a name, a `$name`, `left.` or `right.` with a
    /// name, or a quoted path after `load`.
    func completedWordStart(_ bytes: [UInt8], _ cursor: Int) -> Int {
        func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: ".") || byte >= 0x80
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        var start = min(cursor, bytes.count)
        while start > 0 && isWordByte(bytes[start - 1]) { start -= 1 }
        // A path being typed: back to its opening quote, on this line.
        var look = start
        while look > 0 && bytes[look - 1] != UInt8(ascii: "\n") && bytes[look - 1] != UInt8(ascii: " ") {
            look -= 1
            if bytes[look] == UInt8(ascii: "\"") {
                let line = bytes[..<look].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
                if String(decoding: bytes[line..<look], as: UTF8.self).contains("load") { return look }
                break
            }
        }
        return start
    }

    /// Where the statement holding `offset` starts: the last line before it that starts at
    /// column 1 with something other than `|` or a comment, after its last `;`.
    func completedStatementStart(_ bytes: [UInt8], before offset: Int) -> Int {
        var lineStart = offset
        while true {
            while lineStart > 0 && bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
            if lineStart < offset, lineStart < bytes.count, ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "|"), UInt8(ascii: "#"),
                                                              UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[lineStart]) {
                break
            }
            if lineStart == 0 { break }
            lineStart -= 1
        }
        // A `;` outside strings and brackets on the way ends an earlier statement.
        var start = lineStart
        let tokens = lex(Source(name: "<statement>", text: String(decoding: bytes[lineStart..<offset], as: UTF8.self))).tokens
        var depth = 0
        for token in tokens {
            switch token.kind {
            case .leftParen, .leftBracket: depth += 1
            case .rightParen, .rightBracket: depth -= 1
            case .semicolon where depth <= 0: start = lineStart + token.range.end
            default: break
            }
        }
        return start
    }

    /// The descriptor's help of a function, aggregate or window function.
    func functionEntry(_ name: String) -> (signature: String, meaning: String, example: String)? {
        if let function = ScalarFunction.named(name) { return (function.signature, function.meaning, function.example) }
        if let aggregate = AggregateFunction.named(name) { return (aggregate.signature, aggregate.meaning, aggregate.example) }
        if let window = WindowFunction.named(name) { return (window.signature, window.meaning, window.example) }
        return nil
    }

    /// Inside a call: the function's signature, its parameters, and the one the cursor is in.
    func signatureHelp(_ document: Document, _ params: JSONObject) -> Any? {
        let analysis = document.analysis
        let cursor = offset(document, params)
        let tokens = lex(analysis.source).tokens.filter { $0.range.end <= cursor && $0.kind != .endOfInput }
        var depth = 0
        var commas = 0
        for index in tokens.indices.reversed() {
            switch tokens[index].kind {
            case .rightParen, .rightBracket: depth += 1
            case .leftBracket: depth -= 1
            case .comma where depth == 0: commas += 1
            case .leftParen:
                if depth > 0 { depth -= 1; continue }
                guard index > 0, tokens[index - 1].kind == .identifier, let entry = functionEntry(tokens[index - 1].text) else {
                    commas = 0
                    continue
                }
                let parameters = signatureParameters(entry.signature)
                return ["signatures": [["label": entry.signature,
                                        "documentation": ["kind": "markdown",
                                                          "value": entry.meaning + "\n\n```cq\n" + entry.example + "\n```"],
                                        "parameters": parameters.map { ["label": $0] }]],
                        "activeSignature": 0, "activeParameter": min(commas, max(0, parameters.count - 1))]
            default: break
            }
        }
        return nil
    }

    /// `round(X[, DIGITS])` gives `X` and `DIGITS`.
    func signatureParameters(_ signature: String) -> [String] {
        guard let open = signature.firstIndex(of: "("), let close = signature[open...].firstIndex(of: ")") else { return [] }
        let inside = signature[signature.index(after: open)..<close]
        // `X[, DIGITS]`: the brackets mark an optional parameter, not part of its name.
        return inside.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " []")) }.filter { !$0.isEmpty }
    }
}

extension Completer {
    /// Every function, aggregate and window function by name.
    static var allFunctionNames: [String] {
        ScalarFunction.all.map(\.name) + AggregateFunction.all.map(\.name) + WindowFunction.all.map(\.name)
    }
}
