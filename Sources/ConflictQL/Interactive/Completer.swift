// Tab completion that knows the language. The completer keeps no grammar of its own: it
// parses the text before the cursor and asks the parser what it expected where that text
// ends (Syntax/Expectations.swift): a stage name, a table, an operand, a clause word, a join
// kind, a load option. It only turns each kind of expectation into names: the tables, the
// columns of the pipeline flowing into the stage (checked as a statement of its own, so the
// columns made by an earlier `extend` or `summarize` count), the functions, the values of a
// string column with few of them after `COLUMN ==` or inside `COLUMN in (`.
//
// A dot-command line is completed from the command's description (DotCommand.swift).

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
        sortedMatches(candidates(context, word: word), word: word)
    }

    /// What Tab offers at the prompt: `before` is the line up to `word`, and the assembler
    /// holds the lines of the statement typed so far (or the one a `|` line extends).
    public func complete(line before: String, word: String, assembler: StatementAssembler) -> [String] {
        if !assembler.isContinuing, before.trimmingLeadingWhitespace().hasPrefix(".") {
            return sortedMatches(dotCommandArguments(before, word: word), word: word)
        }
        return complete(assembler.context(beforeCurrentLine: before), word: word)
    }

    func sortedMatches(_ candidates: [String], word: String) -> [String] {
        let lowered = word.lowercased()
        var seen: Set<String> = []
        return candidates.filter { $0.lowercased().hasPrefix(lowered) && seen.insert($0).inserted }.sorted {
            $0.lowercased() == $1.lowercased() ? $0 < $1 : $0.lowercased() < $1.lowercased()
        }
    }

    func candidates(_ context: String, word: String) -> [String] {
        if context.trimmingLeadingWhitespace().isEmpty && word.hasPrefix(".") {
            return DotCommand.names.map { "." + $0 }
        }
        // `$` names a value bound by `let`, wherever it stands.
        if word.hasPrefix("$") { return symbols.scalars.keys.map { "$" + $0 } }
        let source = Source(name: "<completion>", text: context)
        let expected = parse(source).expected
        if let sides = joinSideCandidates(expected, in: source, word: word) { return sides }
        return candidates(for: expected, in: source, word: word)
    }

    /// The names that fit what the parser expected at the end of `source`.
    func candidates(for expected: Expectations, in source: Source, word: String) -> [String] {
        // After `COLUMN ==` or inside `COLUMN in (`, a column with few values offers only them.
        for case .value(let column) in expected.kinds {
            let values = stringValues(of: column, input: expected.input, in: source)
            if !values.isEmpty { return values.map(stringLiteral) }
        }
        let tables = symbols.tableOrder
        var candidates: [String] = []
        var names = false
        for expectation in expected.kinds {
            switch expectation {
            case .statement: candidates += tables + ["tables", "let", "describe", "explain"]
            case .source: candidates += tables + ["tables"]
            case .table: candidates += tables
            case .stage: candidates += stageNames
            case .operand, .value: names = true
            // After a name or a date the names stay on offer, as they were before the parser
            // was asked; after a number or a duration only a unit or a word fits.
            case .continuation(let afterQuantity): names = names || !afterQuantity
            case .column: candidates += inputSchema(expected.input, in: source)?.names ?? []
            case .word(let word): candidates.append(word)
            case .durationUnit: candidates += DurationUnit.allCases.map { $0.rawValue + "s" }
            case .joinKind: candidates += JoinKind.allCases.map(\.rawValue)
            case .chartKind: candidates += ChartKind.allCases.map(\.rawValue)
            case .loadOption: candidates += Checker.loadOptionNames
            case .typeName: candidates += ["Int", "Float", "String", "Bool", "Date"]
            case .filePath:
                // `load "data/ev<Tab>`: the word holds the opening quote.
                guard allowsFileAccess, word.isEmpty || word.hasPrefix("\"") else { break }
                candidates += Completer.paths(startingWith: String(word.dropFirst())).map { path in
                    "\"" + path + (path.hasSuffix("/") ? "" : "\"")
                }
            }
        }
        if names {
            candidates += (inputSchema(expected.input, in: source)?.names ?? []) + functionNames + symbols.scalars.keys.sorted()
        }
        return candidates
    }

    var functionNames: [String] {
        ScalarFunction.all.map(\.name) + AggregateFunction.all.map(\.name) + WindowFunction.all.map(\.name)
    }

    /// The distinct strings of `column` in the table the input pipeline starts from, when few.
    func stringValues(of column: String, input: SourceRange?, in source: Source) -> [String] {
        guard let input,
              let head = lex(Source(name: "<completion>", text: source.text(of: input))).tokens.first,
              head.kind == .identifier || head.kind == .quotedIdentifier,
              let name = symbols.tableName(for: head.text),
              let table = symbols.table(named: name),
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

    /// The schema of the pipeline at `range` (a head and its stages), checked; nil when it
    /// does not check.
    func inputSchema(_ range: SourceRange?, in source: Source) -> Schema? {
        guard let range else { return nil }
        let parsed = parse(Source(name: "<completion>", text: source.text(of: range)))
        guard parsed.diagnostics.isEmpty, parsed.script.statements.count == 1,
              case .query(let pipeline) = parsed.script.statements[0].kind else { return nil }
        var checker = Checker(environment: symbols)
        return try? checker.checkPipeline(pipeline).schema
    }
}

extension Completer {
    /// Tab in a join condition: `left.` offers the columns of the join's input, `right.` those
    /// of the table or pipeline joined, each written with its side. Nil when the word names
    /// no side or the input does not end in a join condition.
    func joinSideCandidates(_ expected: Expectations, in source: Source, word: String) -> [String]? {
        let lowered = word.lowercased()
        guard let side = ["left", "right"].first(where: { lowered.hasPrefix($0 + ".") }),
              let right = expected.joinRight else { return nil }
        let schema = inputSchema(side == "left" ? expected.joinLeft : right, in: source)
        return (schema?.names ?? []).map { side + "." + $0 }
    }

    /// After a dot-command's name: what its description says its argument is.
    func dotCommandArguments(_ before: String, word: String) -> [String] {
        let line = before.trimmingLeadingWhitespace()
        let words = line.dropFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard let spelling = words.first, let name = DotCommand.Name(spelling: String(spelling)) else { return [] }
        switch name.descriptor.argument {
        case .none: return []
        case .choice(let choices): return words.count == 1 ? choices : []
        case .table: return words.count == 1 ? symbols.tableOrder : []
        case .file:
            if name == .load, let options = completeLoadCommand(String(line), word: word) { return options }
            return allowsFileAccess ? Completer.paths(startingWith: word) : []
        }
    }

    /// What Tab offers in `.load FILE [NAME] with (`: the options, as in the `load` statement
    /// the line stands for; nil before the options (then it completes the path).
    public func completeLoadCommand(_ before: String, word: String) -> [String]? {
        let bytes = Array(before.utf8)
        guard bytes.starts(with: Array(".load".utf8)),
              let clause = LoadCommand.optionsClauseStart(bytes, from: 5, form: .dotCommand) else { return nil }
        return complete("load \"\" " + String(decoding: bytes[clause...], as: UTF8.self), word: word)
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
#elseif canImport(Darwin)
import Darwin
#endif
