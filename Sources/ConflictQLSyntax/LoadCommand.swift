// The other two ways to name a file: `.load FILE [NAME] with (...)` in the REPL and
// `--load 'PATH[=NAME] with (...)'` on the command line. Each is read into the `load`
// statement it stands for, its ranges in the text typed, so that the options are parsed by
// the language's own rule and checked by its checker: one set of options and messages.

import ConflictQLCore

public struct LoadCommand: Sendable, Equatable {
    public enum Form: Sendable {
        /// `FILE [NAME] [with (...)]`: a path with spaces in quotes, the table name a word after it.
        case dotCommand
        /// `PATH[=NAME] [with (...)]`: the shell has already taken the quotes off.
        case commandLine
    }

    public var path: String
    public var name: String?
    /// The options clause as typed, `with (delimiter = ";")`; nil without one.
    public var optionsText: String?
    /// The `load` statement it stands for, with ranges in the text it was read from.
    public var statement: Statement

    /// The statement as a script of one, for `Session.run(_:in:)`.
    public var script: Script { Script(statements: [statement]) }

    public static func == (a: LoadCommand, b: LoadCommand) -> Bool {
        a.path == b.path && a.name == b.name && a.optionsText == b.optionsText
    }

    /// Reads the words from `start` of `source` (after `.load `, or the whole `--load` value).
    public static func parse(_ source: Source, from start: Int, form: Form) -> Result<LoadCommand, DiagnosticError> {
        let bytes = source.bytes
        let clause = optionsClauseStart(bytes, from: start, form: form)
        var headEnd = clause ?? bytes.count
        while headEnd > start && isBlank(bytes[headEnd - 1]) { headEnd -= 1 }
        var headStart = start
        while headStart < headEnd && isBlank(bytes[headStart]) { headStart += 1 }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func failure(_ message: DiagnosticMessage, _ range: SourceRange, help: String? = nil) -> Result<LoadCommand, DiagnosticError> {
            .failure(DiagnosticError([Diagnostic(message, at: range, help: help)], source: source))
        }

        // The path and the table name.
        var pathRange = headStart..<headEnd
        var nameRange: Range<Int>?
        switch form {
        case .dotCommand:
            if let quote = bytes[pathRange].first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'"),
               let close = bytes[(headStart + 1)..<headEnd].firstIndex(of: quote) {
                pathRange = headStart..<(close + 1)
                var rest = close + 1
                while rest < headEnd && isBlank(bytes[rest]) { rest += 1 }
                if rest < headEnd { nameRange = rest..<headEnd }
            } else if let space = bytes[pathRange].lastIndex(where: isBlank) {
                // A path with spaces goes in quotes; unquoted, the last word is the name.
                var pathEnd = space
                while pathEnd > headStart && isBlank(bytes[pathEnd - 1]) { pathEnd -= 1 }
                pathRange = headStart..<pathEnd
                nameRange = (space + 1)..<headEnd
            }
        case .commandLine:
            if let equals = bytes[pathRange].lastIndex(of: UInt8(ascii: "=")), equals > headStart, equals + 1 < headEnd,
               !bytes[(equals + 1)..<headEnd].contains(UInt8(ascii: "/")) {
                pathRange = headStart..<equals
                nameRange = (equals + 1)..<headEnd
            }
        }
        var path = text(pathRange)
        if form == .dotCommand, path.count >= 2, let first = path.first, first == path.last, first == "\"" || first == "'" {
            path = String(path.dropFirst().dropLast())
        }
        let pathSourceRange = SourceRange(start: pathRange.lowerBound, end: max(pathRange.upperBound, pathRange.lowerBound + 1))
        if path.isEmpty {
            return failure(.expectedFilePath, pathSourceRange,
                           help: form == .dotCommand ? "write: .load events.csv ev with (delimiter = \";\")"
                                                     : "write: --load 'events.csv=ev with (delimiter = \";\")'")
        }
        let name = nameRange.map { Identifier(name: text($0), range: SourceRange(start: $0.lowerBound, end: $0.upperBound)) }

        // The options, by the grammar's own rule: the text before them is blanked out (byte for
        // byte, so ranges stay those of the text typed) and the rest lexed and parsed.
        var options: [LoadOptionSyntax] = []
        var end = name?.range.end ?? pathRange.upperBound
        if let clause {
            var blanked = bytes
            for i in 0..<clause { blanked[i] = UInt8(ascii: " ") }
            let lexed = lex(Source(name: source.name, text: String(decoding: blanked, as: UTF8.self)))
            if !lexed.diagnostics.isEmpty { return .failure(DiagnosticError(lexed.diagnostics, source: source)) }
            var parser = Parser(tokens: lexed.tokens, source: source)
            do {
                let closing: SourceRange
                (options, closing) = try parser.parseLoadOptions()
                end = closing.end
                parser.skipNewlines()
                guard parser.at(.endOfInput) else {
                    throw parser.unexpected(expected: "nothing after the options' ')'")
                }
            } catch let diagnostic as Diagnostic {
                return .failure(DiagnosticError([diagnostic], source: source))
            } catch {
                return failure(.internalError("\(error)"), SourceRange(start: clause, end: bytes.count))
            }
        }
        let statement = Statement(kind: .load(paths: [path], pathRange: pathSourceRange, name: name, options: options),
                                  range: SourceRange(start: headStart, end: max(end, headStart + 1)))
        return .success(LoadCommand(path: path, name: name?.name, optionsText: clause.map { text($0..<bytes.count) }, statement: statement))
    }

    /// Where ` with (` starts (its `w`): after a quoted path, and only after a blank, so a file
    /// name that holds the word stays whole (`without.csv`, `with.csv`).
    package static func optionsClauseStart(_ bytes: [UInt8], from start: Int, form: Form) -> Int? {
        var i = start
        while i < bytes.count && isBlank(bytes[i]) { i += 1 }
        if form == .dotCommand, i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
            let quote = bytes[i]
            i += 1
            while i < bytes.count && bytes[i] != quote { i += 1 }
        }
        while i < bytes.count {
            defer { i += 1 }
            guard isBlank(bytes[i]) else { continue }
            var j = i
            while j < bytes.count && isBlank(bytes[j]) { j += 1 }
            guard j + 4 <= bytes.count, String(decoding: bytes[j..<(j + 4)], as: UTF8.self).lowercased() == "with" else { continue }
            var k = j + 4
            while k < bytes.count && isBlank(bytes[k]) { k += 1 }
            if k < bytes.count && bytes[k] == UInt8(ascii: "(") { return j }
        }
        return nil
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}
