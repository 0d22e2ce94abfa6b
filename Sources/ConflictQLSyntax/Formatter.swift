// The formatter: a script in one layout (`conflictql fmt`, the language server's formatting).
//
// It rewrites only the space between tokens; every token is written as it was (its quotes,
// escapes, number spelling), the grammar's words (stages, `by`, `and`, `desc`) in lower case. So the formatted script lexes to
// the same tokens and parses to the same tree, which the property test checks on generated
// scripts by comparing checked plans. The layout:
//   - one statement per line (a `;` is kept, and the next statement starts a line), blank lines
//     between statements kept (at most one);
//   - a pipeline's stages one per line, each line starting `| ` at column 0; a pipeline
//     inside brackets stays on its line;
//   - a line break the author made inside a statement is kept, the next line indented four
//     spaces (and four more per open bracket);
//   - one space around operators and after commas, none inside brackets, before commas or
//     between a function and its `(`; `join kind=left` as the help writes it;
//   - comments kept where they were: after a token on its line, or on lines of their own.
// A script with a syntax error is not formatted (nil): its tokens cannot be trusted.

import ConflictQLCore

/// `source` in the canonical layout, ending in one newline; nil when it has syntax errors.
public func formatScript(_ source: Source) -> String? {
    let parsed = parse(source)
    guard parsed.diagnostics.isEmpty else { return nil }
    var formatter = ScriptFormatter(source: source, script: parsed.script)
    return formatter.run()
}

private struct ScriptFormatter {
    /// What lies between two tokens: line breaks and comments.
    enum GapItem {
        case lineBreak
        case comment(String)
    }

    let source: Source
    let tokens: [Token]
    let statementStarts: Set<Int>
    let callNames: Set<Int>
    let unaryMinus: Set<Int>
    /// Where the words written in lower case are: stage names, and the grammar's words outside
    /// every name (`BY`, `AND`, `Desc`, `DAYS`, `TRUE`), which the parser reads in any case.
    let keywords: Set<Int>
    /// The grammar's words, besides the stage names.
    static let grammarWords: Set<String> = reservedWords.union([
        "let", "load", "describe", "explain", "analyze", "sql", "as", "with", "on", "kind", "into", "step", "from", "to",
        "title", "source", "inner", "left", "right", "semi", "anti", "this", "distinct", "where",
        "day", "days", "week", "weeks", "month", "months", "year", "years",
    ])
    var output = ""
    var depth = 0

    init(source: Source, script: Script) {
        self.source = source
        tokens = lex(source).tokens.filter { $0.kind != .newline && $0.kind != .endOfInput }
        statementStarts = Set(script.statements.map(\.range.start))
        var callNames: Set<Int> = []
        var unaryMinus: Set<Int> = []
        var keywords: Set<Int> = []
        var names: [SourceRange] = []
        let bytes = source.bytes
        walk(script, expression: { expression in
            let start = expression.range.start
            if start < bytes.count, bytes[start] == UInt8(ascii: "-") { unaryMinus.insert(start) }
        }, name: { use in
            switch use.role {
            case .function:
                callNames.insert(use.range.start)
                names.append(use.range)
            case .stage: keywords.insert(use.range.start)
            case .table, .column, .newColumn, .binding, .parameter, .loadOption, .typeName: names.append(use.range)
            }
        })
        self.callNames = callNames
        self.unaryMinus = unaryMinus
        // A grammar word is lower-cased only outside every name: `(Flag)` is a name whose range
        // starts at the bracket.
        names.sort { $0.start < $1.start }
        var nameIndex = 0
        var reach = -1
        for token in tokens where token.kind == .identifier {
            while nameIndex < names.count && names[nameIndex].start <= token.range.start {
                reach = max(reach, names[nameIndex].end)
                nameIndex += 1
            }
            if token.range.start >= reach && ScriptFormatter.grammarWords.contains(token.text.lowercased()) {
                keywords.insert(token.range.start)
            }
        }
        self.keywords = keywords
    }

    func gap(from start: Int, to end: Int) -> [GapItem] {
        var items: [GapItem] = []
        var position = start
        let bytes = source.bytes
        while position < end {
            if bytes[position] == UInt8(ascii: "\n") {
                items.append(.lineBreak)
                position += 1
            } else if bytes[position] == UInt8(ascii: "#") {
                var stop = position
                while stop < end && bytes[stop] != UInt8(ascii: "\n") { stop += 1 }
                var text = String(decoding: bytes[position..<stop], as: UTF8.self)
                while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
                items.append(.comment(text))
                position = stop
            } else {
                position += 1
            }
        }
        return items
    }

    mutating func run() -> String {
        var previousEnd = 0
        for (index, token) in tokens.enumerated() {
            let items = gap(from: previousEnd, to: token.range.start)
            if index > 0 {
                separate(index, items)
            } else {
                leading(items)
            }
            write(token)
            previousEnd = token.range.end
        }
        trailing(gap(from: previousEnd, to: source.bytes.count))
        return output
    }

    var indentation: String { String(repeating: " ", count: 4 * (1 + depth)) }

    /// Comments before the first token, each on its line, at most one blank line kept.
    mutating func leading(_ items: [GapItem]) {
        var breaks = 0
        for item in items {
            switch item {
            case .lineBreak: breaks += 1
            case .comment(let text):
                if breaks >= 2 && !output.isEmpty { output += "\n" }
                output += text + "\n"
                breaks = 0
            }
        }
        if breaks >= 2 && !output.isEmpty { output += "\n" }
    }

    /// Comments after the last token, then one newline.
    mutating func trailing(_ items: [GapItem]) {
        writeComments(items, blankLines: true, indent: "")
        if !output.hasSuffix("\n") { output += "\n" }
    }

    /// Writes the comments of a gap: one before any line break stays on its token's line;
    /// the others go on lines of their own. Ends at the start of a line when any was written.
    /// Returns how many line breaks ended the gap after its last comment.
    @discardableResult
    mutating func writeComments(_ items: [GapItem], blankLines: Bool, indent: String) -> Int {
        var breaks = 0
        var sawBreak = false
        var atLineStart = false
        for item in items {
            switch item {
            case .lineBreak:
                breaks += 1
                sawBreak = true
            case .comment(let text):
                if !sawBreak {
                    output += " " + text
                } else {
                    if !atLineStart { output += "\n" }
                    if blankLines && breaks >= 2 { output += "\n" }
                    output += indent + text
                }
                output += "\n"
                atLineStart = true
                breaks = 0
            }
        }
        return atLineStart ? max(0, breaks - 1) : breaks
    }

    /// The space before `tokens[index]`, with the comments of the gap before it.
    mutating func separate(_ index: Int, _ items: [GapItem]) {
        let token = tokens[index]
        let hasComment = items.contains { if case .comment = $0 { return true } else { return false } }
        let breaks = items.filter { if case .lineBreak = $0 { return true } else { return false } }.count
        if statementStarts.contains(token.range.start) {
            depth = 0
            let after = hasComment ? writeComments(items, blankLines: true, indent: "") : breaks - 1
            if !output.hasSuffix("\n") { output += "\n" }
            if after >= 1 { output += "\n" }
            return
        }
        if token.kind == .pipe && depth == 0 {
            if hasComment { writeComments(items, blankLines: false, indent: "") }
            if !output.hasSuffix("\n") { output += "\n" }
            return
        }
        let closes = token.kind == .rightParen || token.kind == .rightBracket
        if breaks > 0 || hasComment {
            let indent = String(repeating: " ", count: 4 * (1 + max(0, depth - (closes ? 1 : 0))))
            if hasComment { writeComments(items, blankLines: false, indent: indent) }
            if !output.hasSuffix("\n") { output += "\n" }
            output += indent
            return
        }
        if spaced(index) { output += " " }
    }

    /// Whether `tokens[index]` is written after the token before it, on its line, with a space.
    func spaced(_ index: Int) -> Bool {
        let (previous, token) = (tokens[index - 1], tokens[index])
        switch token.kind {
        case .comma, .semicolon, .rightParen, .rightBracket, .dot, .colon: return false
        case .leftParen where callNames.contains(previous.range.start): return false
        default: break
        }
        switch previous.kind {
        case .leftParen, .leftBracket, .dot: return false
        // A unary minus keeps its space or none: `-5` is a literal, `- 5` a negation.
        case .minus where isUnaryMinus(index - 1): return previous.range.end != token.range.start
        // `join kind=left`, as the help writes it.
        case .assign where isJoinKind(assign: index - 1): return false
        default: break
        }
        if token.kind == .assign, isJoinKind(assign: index) { return false }
        return true
    }

    /// Whether `tokens[index]` is a minus sign before an operand: one that starts an expression
    /// of the tree, or one after an operator or an opening bracket (`--1` folds to one literal,
    /// so its second sign starts no expression).
    func isUnaryMinus(_ index: Int) -> Bool {
        if unaryMinus.contains(tokens[index].range.start) { return true }
        guard index > 0 else { return false }
        switch tokens[index - 1].kind {
        case .plus, .minus, .star, .slash, .percent, .assign, .equal, .notEqual, .equalIgnoringCase, .notEqualIgnoringCase,
             .less, .lessEqual, .greater, .greaterEqual, .leftParen, .leftBracket, .comma:
            return true
        default:
            return false
        }
    }

    /// Whether `tokens[assign]` is the `=` of `join kind=...`.
    func isJoinKind(assign: Int) -> Bool {
        guard assign >= 2 else { return false }
        return tokens[assign - 1].text.lowercased() == "kind" && tokens[assign - 2].text.lowercased() == "join"
    }

    mutating func write(_ token: Token) {
        let text = source.text(of: token.range)
        output += keywords.contains(token.range.start) ? text.lowercased() : text
        switch token.kind {
        case .leftParen, .leftBracket: depth += 1
        case .rightParen, .rightBracket: depth = max(0, depth - 1)
        default: break
        }
    }
}
