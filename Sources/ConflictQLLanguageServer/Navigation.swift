// Going from a name to its `let` and back, the outline of a script (one symbol a statement),
// semantic tokens, formatting, and the quick fixes that "did you mean" help becomes.

import ConflictQL

extension LanguageServer {
    /// The uses of a `let` name: as a table, as `$NAME`, and its binding.
    func isUse(of name: String, _ use: NameUse) -> Bool {
        guard use.name.lowercased() == name.lowercased() else { return false }
        switch use.role {
        case .table, .parameter, .binding: return true
        case .column(let side): return side == nil
        case .newColumn, .function, .stage, .loadOption, .typeName: return false
        }
    }

    func definition(_ document: Document, _ params: JSONObject) -> Any? {
        let analysis = document.analysis
        let cursor = offset(document, params)
        guard let use = analysis.name(at: cursor), isUse(of: use.name, use),
              let binding = analysis.binding(of: use.name, before: use.range.start) else { return nil }
        return location(document, binding.range)
    }

    func references(_ document: Document, _ params: JSONObject) -> Any? {
        let analysis = document.analysis
        let cursor = offset(document, params)
        guard let use = analysis.name(at: cursor), isUse(of: use.name, use),
              analysis.binding(of: use.name, before: use.range.start) != nil else { return [] as [Any] }
        let includeDeclaration = ((params["context"] as? JSONObject)?["includeDeclaration"] as? Bool) ?? true
        let environment = analysis.finalEnvironment
        return analysis.names.filter { candidate in
            guard isUse(of: use.name, candidate), includeDeclaration || candidate.role != .binding else { return false }
            // A bare name in an expression is the binding only where it is not a column: a
            // scalar bound by `let`, read without `$`.
            if case .column = candidate.role { return environment.scalarType(use.name) != nil && !isColumn(candidate, environment) }
            return true
        }.map { location(document, $0.range) }
    }

    func isColumn(_ use: NameUse, _ environment: Environment) -> Bool {
        guard var pipeline = use.pipeline else { return false }
        if let stage = use.stage { pipeline.stages = Array(pipeline.stages.prefix(stage)) } else { return false }
        var checker = Checker(environment: environment)
        guard let schema = try? checker.checkPipeline(pipeline).schema else { return false }
        return schema.fields.contains { $0.name.lowercased() == use.name.lowercased() }
    }

    /// One symbol a statement: `let NAME`, `load NAME`, or the statement's first line.
    func documentSymbols(_ document: Document) -> Any? {
        let analysis = document.analysis
        return analysis.parsed.script.statements.map { statement -> JSONObject in
            let name: String, kind: Int
            var selection = statement.range
            switch statement.kind {
            case .binding(let bound, _):
                (name, kind, selection) = ("let " + bound.name, 13, bound.range)
            case .load(let paths, let pathRange, let bound, _):
                let table = bound?.name ?? (paths.count == 1 ? tableName(forPath: paths[0]) : "load")
                (name, kind, selection) = ("load " + table, 1, bound?.range ?? pathRange)
            case .query, .describe, .explain, .explainSQL:
                let firstLine = analysis.source.text(of: statement.range).split(separator: "\n").first.map(String.init) ?? ""
                name = firstLine.count > 60 ? String(firstLine.prefix(59)) + "…" : firstLine
                kind = 12
                selection = SourceRange(start: statement.range.start, end: statement.range.start + firstLine.utf8.count)
            }
            return ["name": name.isEmpty ? "statement" : name, "kind": kind, "range": analysis.positions.range(statement.range),
                    "selectionRange": analysis.positions.range(selection)]
        }
    }

    /// Every token with its type, as the protocol's relative five-number groups.
    func semanticTokens(_ document: Document) -> Any? {
        let analysis = document.analysis
        let roles = Dictionary(analysis.names.map { ($0.range.start, $0.role) }, uniquingKeysWith: { first, _ in first })
        var spans: [(start: Int, end: Int, type: Int)] = []
        let tokens = lex(analysis.source).tokens
        var previousEnd = 0
        for token in tokens {
            spans += comments(analysis.source.bytes, from: previousEnd, to: token.range.start)
            previousEnd = token.range.end
            if let type = tokenType(token, roles[token.range.start]) { spans.append((token.range.start, token.range.end, type)) }
        }
        var data: [Int] = []
        var (line, character) = (0, 0)
        for span in spans {
            let start = analysis.positions.position(of: span.start)
            // A token reaches no further than its line's end.
            let lineEnd = analysis.source.bytes[span.start..<span.end].firstIndex(of: UInt8(ascii: "\n")) ?? span.end
            let length = analysis.positions.utf16Count(span.start, lineEnd)
            guard length > 0 else { continue }
            data += [start.line - line, start.line == line ? start.character - character : start.character, length, span.type, 0]
            (line, character) = (start.line, start.character)
        }
        return ["data": data]
    }

    func comments(_ bytes: [UInt8], from start: Int, to end: Int) -> [(start: Int, end: Int, type: Int)] {
        var found: [(Int, Int, Int)] = []
        var position = start
        while position < end {
            if bytes[position] == UInt8(ascii: "#") {
                let commentStart = position
                while position < end && bytes[position] != UInt8(ascii: "\n") { position += 1 }
                found.append((commentStart, position, 8))
            }
            position += 1
        }
        return found
    }

    func tokenType(_ token: Token, _ role: NameRole?) -> Int? {
        let type: String?
        switch token.kind {
        case .identifier, .quotedIdentifier:
            switch role {
            case .table?: type = "class"
            case .column?, .newColumn?: type = "property"
            case .function?: type = "function"
            case .binding?: type = "variable"
            case .parameter?: type = "parameter"
            case .stage?: type = "keyword"
            case .loadOption?: type = "enumMember"
            case .typeName?: type = "type"
            case nil: type = token.kind == .identifier ? "keyword" : "property"
            }
        case .parameter: type = "parameter"
        case .integer, .decimal, .date: type = "number"
        case .string: type = "string"
        case .pipe, .plus, .minus, .star, .slash, .percent, .assign, .equal, .notEqual, .equalIgnoringCase, .notEqualIgnoringCase,
             .less, .lessEqual, .greater, .greaterEqual:
            type = "operator"
        case .comma, .semicolon, .dot, .colon, .leftParen, .rightParen, .leftBracket, .rightBracket, .newline, .invalid, .endOfInput:
            type = nil
        }
        return type.flatMap { LanguageServer.tokenTypes.firstIndex(of: $0) }
    }

    /// The whole document in the formatter's layout; no edit when it has syntax errors.
    func formatting(_ document: Document) -> Any? {
        let analysis = document.analysis
        guard let formatted = formatScript(analysis.source), formatted != analysis.source.text else { return [] as [Any] }
        return [["range": analysis.positions.range(SourceRange(start: 0, end: analysis.source.bytes.count)), "newText": formatted]]
    }

    /// "did you mean 'X'?" as a quick fix that writes X in place of the name.
    func codeActions(_ document: Document, _ params: JSONObject) -> Any? {
        let analysis = document.analysis
        let range = params["range"] as? JSONObject ?? [:]
        let start = analysis.positions.offset(range["start"]) ?? 0
        let end = analysis.positions.offset(range["end"]) ?? analysis.source.bytes.count
        var actions: [JSONObject] = []
        for diagnostic in analysis.diagnostics {
            guard let at = diagnostic.range, at.start <= end, at.end >= start,
                  let suggestion = suggestion(diagnostic.help) else { continue }
            let written = suggestion.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? suggestion : "`" + suggestion + "`"
            let edit: JSONObject = ["changes": [document.uri: [["range": analysis.positions.range(at), "newText": written]]]]
            actions.append(["title": "Change to '\(suggestion)'", "kind": "quickfix",
                            "diagnostics": [lspDiagnostic(diagnostic, analysis, uri: document.uri)], "edit": edit, "isPreferred": true])
        }
        return actions
    }

    /// X in a help that reads `did you mean 'X'?`.
    func suggestion(_ help: String?) -> String? {
        guard let help, let range = help.range(of: "did you mean '") else { return nil }
        let rest = help[range.upperBound...]
        guard let close = rest.range(of: "'?") else { return nil }
        let name = String(rest[..<close.lowerBound])
        return name.isEmpty || name.contains("'") ? nil : name
    }
}
