// Tab completion that knows the language: stage names after `|`, tables where a table may
// stand, the columns of the table flowing into the stage being typed (including columns made
// by an earlier `extend` or `summarize`), functions inside expressions, the values of a string
// column with few of them after `==` or inside `in (`, load options after `with (` (also on a
// `.load` line), and dot-commands after `.`.
//
// The context comes from the lexer and the checker, not from a word list: the text before the
// stage being typed is checked like any statement to learn its schema.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

public struct Completer {
    /// The session's names: tables and their columns and values, `let` values.
    public let symbols: SymbolTable
    var catalog: SymbolTable { symbols }
    var environment: SymbolTable { symbols }
    /// False in safe mode: no file names are offered.
    public let allowsFileAccess: Bool
    /// A string column offers its values when it has at most this many distinct ones.
    public static let maximumValueCount = 100

    public init(symbols: SymbolTable, allowsFileAccess: Bool = true) {
        self.symbols = symbols
        self.allowsFileAccess = allowsFileAccess
    }

    /// Candidates for `word`, the text being completed, after `context` (everything typed
    /// before it in the statement). Sorted, without duplicates.
    public func complete(_ context: String, word: String) -> [String] {
        let candidates = candidates(context, word: word)
        let lowered = word.lowercased()
        var seen: Set<String> = []
        return candidates.filter { $0.lowercased().hasPrefix(lowered) && seen.insert($0).inserted }.sorted {
            $0.lowercased() == $1.lowercased() ? $0 < $1 : $0.lowercased() < $1.lowercased()
        }
    }

    enum FrameKind { case top, joinSource, inList, call, paren }

    struct Frame {
        var kind: FrameKind
        /// Index of the first token of the pipeline this frame holds.
        var pipelineStart: Int
        /// Index of the last `|` of that pipeline.
        var lastPipe: Int?
        /// Index of the opening bracket.
        var open: Int
    }

    func candidates(_ context: String, word: String) -> [String] {
        if context.trimmingLeadingWhitespace().isEmpty && word.hasPrefix(".") {
            return DotCommand.names.map { "." + $0 }
        }
        // `$` names a value bound by `let`, wherever it stands.
        if word.hasPrefix("$") { return environment.scalars.keys.map { "$" + $0 } }
        let source = Source(name: "<completion>", text: context)
        let tokens = Array(lex(source).tokens.dropLast())
        if let options = loadOptionCandidates(tokens) { return options }
        var frames = [Frame(kind: .top, pipelineStart: 0, lastPipe: nil, open: -1)]
        for (i, token) in tokens.enumerated() {
            switch token.kind {
            case .newline where frames.count == 1 && !parse(Source(name: "", text: source.text(of: SourceRange(start: 0, end: token.range.start)))).isIncomplete,
                 .semicolon where frames.count == 1:
                frames[0] = Frame(kind: .top, pipelineStart: i + 1, lastPipe: nil, open: -1)
            case .leftParen, .leftBracket:
                let previous = i > 0 ? tokens[i - 1] : nil
                let word = previous?.kind == .identifier ? previous!.text.lowercased() : ""
                let kind: FrameKind
                if word == "join" || (JoinKind(rawValue: word) != nil && i >= 3 && tokens[i - 3].text.lowercased() == "join") {
                    kind = .joinSource
                } else if word == "in" {
                    kind = .inList
                } else if previous?.kind == .identifier || previous?.kind == .quotedIdentifier {
                    kind = .call
                } else {
                    kind = .paren
                }
                frames.append(Frame(kind: kind, pipelineStart: i + 1, lastPipe: nil, open: i))
            case .rightParen, .rightBracket:
                if frames.count > 1 { frames.removeLast() }
            case .pipe:
                frames[frames.count - 1].lastPipe = i
            case .assign:
                // `let NAME =` starts the pipeline after it.
                let frame = frames[frames.count - 1]
                if i == frame.pipelineStart + 2, tokens[frame.pipelineStart].text.lowercased() == "let" {
                    frames[frames.count - 1].pipelineStart = i + 1
                }
            default:
                break
            }
        }
        if let sides = joinSideCandidates(source, tokens, frames, word: word) { return sides }
        // Inside `f(`, `[` or `in (`: complete as in the enclosing pipeline.
        var frame = frames[frames.count - 1]
        var index = frames.count - 1
        while (frame.kind == .call || frame.kind == .inList) && index > 0 {
            index -= 1
            frame = frames[index]
        }
        let last = tokens.last
        let lastWord = last?.kind == .identifier ? last!.text.lowercased() : nil
        let tables = environment.tableOrder + ["tables"]

        if frame.pipelineStart >= tokens.count {
            switch frame.kind {
            case .top: return tables + ["let", "describe", "explain"]
            case .joinSource, .paren: return tables
            case .inList: break
            case .call: break
            }
        }
        if last?.kind == .pipe { return stageNames }
        // A file path after `load`: `load "data/ev<Tab>`.
        if lastWord == "load" && (word.isEmpty || word.hasPrefix("\"")) {
            guard allowsFileAccess else { return [] }
            return Completer.paths(startingWith: String(word.dropFirst())).map { path in
                "\"" + path + (path.hasSuffix("/") ? "" : "\"")
            }
        }
        if lastWord == "describe" || lastWord == "join" { return environment.tableOrder + (lastWord == "join" ? ["kind="] : []) }
        // `join kind=` offers the kinds; `join kind=left` the tables.
        let n = tokens.count
        func wordBack(_ back: Int) -> String { n >= back ? tokens[n - back].text.lowercased() : "" }
        if last?.kind == .assign, wordBack(2) == "kind", wordBack(3) == "join" { return JoinKind.allCases.map(\.rawValue) }
        if JoinKind(rawValue: lastWord ?? "") != nil, n >= 4, tokens[n - 2].kind == .assign, wordBack(3) == "kind", wordBack(4) == "join" {
            return environment.tableOrder
        }
        // `union` takes tables: after the word, after `source = NAME`, after a comma.
        if let stage = tokens[..<n].lastIndex(where: { $0.kind == .pipe }).map({ $0 + 1 }), stage < n,
           tokens[stage].text.lowercased() == "union", frames.count == 1 || frame.kind == .top {
            let afterSource = n >= stage + 4 && tokens[stage + 1].text.lowercased() == "source" && tokens[stage + 2].kind == .assign && n == stage + 4
            if lastWord == "union" { return environment.tableOrder + ["source ="] }
            if last?.kind == .comma || afterSource { return environment.tableOrder }
        }
        if let words = chartWords(tokens) { return words }
        // Values after `COLUMN ==` or inside `COLUMN in (`.
        if let column = comparedColumn(tokens, frames[frames.count - 1]) {
            let values = stringValues(of: column, in: tokens, from: frame.pipelineStart)
            if !values.isEmpty { return values.map(quote) }
        }
        var names = functionNames + environment.scalars.keys.sorted()
        if let schema = inputSchema(source, tokens, frame) { names = schema.names + names }
        if let words = fillWords(tokens) { return words.only ? words.words : words.words + names }
        return names
    }

    /// Inside a `fill` stage: its clause words, alone where nothing else fits (after the
    /// column, after `step N` the units of a duration, after a whole step).
    func fillWords(_ tokens: [Token]) -> (words: [String], only: Bool)? {
        guard let pipe = tokens.lastIndex(where: { $0.kind == .pipe }), pipe + 1 < tokens.count,
              tokens[pipe + 1].text.lowercased() == "fill", tokens.count > pipe + 2 else { return nil }
        let n = tokens.count
        let before = n >= 2 ? tokens[n - 2].text.lowercased() : ""
        if n == pipe + 3 { return (["by", "step"], true) }
        if case .integer = tokens[n - 1].kind, before == "step" {
            return (DurationUnit.allCases.map { $0.rawValue + "s" }, true)
        }
        if case .integer = tokens[n - 2].kind, n >= 3, tokens[n - 3].text.lowercased() == "step",
           DurationUnit(word: tokens[n - 1].text) != nil {
            return (["from", "to", "with"], true)
        }
        return (["by", "step", "from", "to", "with"], false)
    }

    var functionNames: [String] {
        ScalarFunction.all.map(\.name) + AggregateFunction.allCases.map(\.rawValue) + WindowFunction.allCases.map(\.rawValue)
    }

    /// The column in `COLUMN ==`, `COLUMN !=` or `COLUMN in (` just before the cursor.
    func comparedColumn(_ tokens: [Token], _ frame: Frame) -> String? {
        guard let last = tokens.last else { return nil }
        if last.kind == .equal || last.kind == .notEqual, tokens.count >= 2, tokens[tokens.count - 2].kind == .identifier {
            return tokens[tokens.count - 2].text
        }
        if frame.kind == .inList, frame.open >= 2 {
            var i = frame.open - 2
            if tokens[i].text.lowercased() == "not", i >= 1 { i -= 1 }
            if tokens[i].kind == .identifier || tokens[i].kind == .quotedIdentifier { return tokens[i].text }
        }
        return nil
    }

    /// The distinct strings of `column` in the pipeline's source table, when there are few.
    func stringValues(of column: String, in tokens: [Token], from start: Int) -> [String] {
        guard start < tokens.count, tokens[start].kind == .identifier || tokens[start].kind == .quotedIdentifier,
              let name = environment.tableName(for: tokens[start].text),
              let table = catalog.table(named: name),
              let found = table.column(named: column) else { return [] }
        var strings: [String] = []
        switch found.storage {
        case .string(_, let dictionary):
            if dictionary.count <= Completer.maximumValueCount { strings = dictionary.values }
        case .list(_, let values):
            if case .string(_, let dictionary) = values.storage, dictionary.count <= Completer.maximumValueCount {
                strings = dictionary.values
            }
        default:
            return []
        }
        return strings.count <= Completer.maximumValueCount ? strings : []
    }

    /// A string literal for `value`. By scalars, not Characters: a quote followed by a
    /// combining mark is one Character that is not equal to `"`, yet it ends the literal.
    func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The schema flowing into the stage being typed: the pipeline up to its last `|`, checked.
    func inputSchema(_ source: Source, _ tokens: [Token], _ frame: Frame) -> Schema? {
        guard frame.pipelineStart < tokens.count else { return nil }
        guard let pipe = frame.lastPipe else { return nil }
        let range = SourceRange(start: tokens[frame.pipelineStart].range.start, end: tokens[pipe].range.start)
        let text = source.text(of: range)
        let parsed = parse(Source(name: "<completion>", text: text))
        guard parsed.diagnostics.isEmpty, parsed.script.statements.count == 1,
              case .query(let pipeline) = parsed.script.statements[0].kind else { return nil }
        var checker = Checker(environment: environment)
        return try? checker.checkPipeline(pipeline).schema
    }
}

extension Completer {
    /// Inside `with (` of a `load`: option names after `(` or `,`, type names after `COLUMN:`.
    func loadOptionCandidates(_ tokens: [Token]) -> [String]? {
        guard let last = tokens.last, [.leftParen, .comma, .colon].contains(last.kind) else { return nil }
        var depth = 0
        for i in stride(from: tokens.count - 1, through: 0, by: -1) {
            if tokens[i].kind == .rightParen { depth += 1 }
            guard tokens[i].kind == .leftParen else { continue }
            if depth > 0 { depth -= 1; continue }
            guard i > 0, tokens[i - 1].kind == .identifier, tokens[i - 1].text.lowercased() == "with" else { return nil }
            return last.kind == .colon ? ["Int", "Float", "String", "Bool", "Date"] : Checker.loadOptionNames
        }
        return nil
    }

    /// What Tab offers in `.load FILE [NAME] with (`: the options, as in a `load` statement;
    /// nil before the options (then it completes the path).
    public func completeLoadCommand(_ before: String, word: String) -> [String]? {
        let bytes = Array(before.utf8)
        guard bytes.starts(with: Array(".load".utf8)),
              let clause = LoadCommand.optionsClauseStart(bytes, from: 5, form: .dotCommand) else { return nil }
        return complete(String(decoding: bytes[clause...], as: UTF8.self), word: word)
    }

    /// Files and folders whose path starts with `prefix`: folders end with `/`.
    public static func paths(startingWith prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let folder = slash.map { String(prefix[...$0]) } ?? ""
        let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        guard let directory = opendir(folder.isEmpty ? "." : folder) else { return [] }
        defer { closedir(directory) }
        var results: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard name != "." && name != "..", name.hasPrefix(stem), !name.hasPrefix(".") || stem.hasPrefix(".") else { continue }
            var info = stat()
            let path = folder + name
            let isFolder = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            results.append(path + (isFolder ? "/" : ""))
        }
        return results.sorted()
    }
}

#if canImport(Glibc)
import Glibc
#endif
