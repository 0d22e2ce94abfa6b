// Dot-commands in scripts and piped input (`.mode csv`, `.output FILE`, `.read FILE`), as the
// SQLite and DuckDB shells accept them: a line of its own, between statements, starting with
// `.` and a letter. The lines are found before parsing and blanked (spaces keep every offset),
// so the statements parse and check as one script and each command runs in its place.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

/// A dot-command found in a script: the command, its line as written, and where it is.
public struct ScriptCommand: Sendable {
    public let command: DotCommand
    public let text: String
    public let range: SourceRange

    /// Commands after which the rest of the script can only be checked once they ran: a
    /// loaded table's columns, or what a read script binds, are known only then.
    var changesNames: Bool {
        switch command {
        case .load, .read, .connect, .disconnect: return true
        case .help, .tables, .schema, .mode, .timer, .output, .once, .pager, .last, .edit, .maxRows, .sources, .quit: return false
        }
    }
}

/// A script split into its statements' text (command lines blanked) and its commands.
struct ScriptWithCommands {
    var statements: Source
    var commands: [ScriptCommand]
    var diagnostics: [Diagnostic]

    init(_ source: Source) {
        var bytes = source.bytes
        var commands: [ScriptCommand] = []
        var diagnostics: [Diagnostic] = []
        // A `.` line inside a string (strings may span lines) is text, not a command. The
        // script is lexed for that only when some line starts with `.` and a letter.
        var candidate = false
        for i in bytes.indices where bytes[i] == UInt8(ascii: ".") && i + 1 < bytes.count && ScriptWithCommands.isLetter(bytes[i + 1]) {
            var j = i
            while j > 0 && (bytes[j - 1] == UInt8(ascii: " ") || bytes[j - 1] == UInt8(ascii: "\t")) { j -= 1 }
            if j == 0 || bytes[j - 1] == UInt8(ascii: "\n") { candidate = true; break }
        }
        guard candidate else {
            self.statements = source
            self.commands = []
            self.diagnostics = []
            return
        }
        let strings = lex(source).tokens.compactMap { token -> SourceRange? in
            switch token.kind {
            case .string, .invalid: return token.range
            default: return nil
            }
        }
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var first = lineStart
            while first < lineEnd && (bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t")) { first += 1 }
            if first + 1 < lineEnd, bytes[first] == UInt8(ascii: "."), ScriptWithCommands.isLetter(bytes[first + 1]),
               !strings.contains(where: { $0.start < first && first < $0.end }) {
                var end = lineEnd
                if end > first && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let text = String(decoding: bytes[first..<end], as: UTF8.self)
                let range = SourceRange(start: first, end: end)
                switch DotCommand.parse(text) {
                case .success(let command) where !command.name.descriptor.inScripts:
                    diagnostics.append(Diagnostic(.promptOnlyCommand(command.name.rawValue), at: range))
                case .success(let command):
                    commands.append(ScriptCommand(command: command, text: text, range: range))
                case .failure(var diagnostic):
                    // The command's own ranges are in its line: move them to the script.
                    diagnostic.range = diagnostic.range.map { SourceRange(start: $0.start + first, end: $0.end + first) }
                    diagnostics.append(diagnostic)
                }
                for i in first..<end { bytes[i] = UInt8(ascii: " ") }
            }
            lineStart = lineEnd + 1
        }
        self.statements = commands.isEmpty && diagnostics.isEmpty ? source
            : Source(name: source.name, text: String(decoding: bytes, as: UTF8.self))
        self.commands = commands
        self.diagnostics = diagnostics
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}

extension Session {
    /// Runs a script that may hold dot-commands: each goes to `onCommand` in its place, between
    /// the results of the statements around it. The whole script parses first (every error
    /// reported at once); each part up to a `load`, `.load` or `.read` checks before any of
    /// it runs, commands included. A command inside a statement is an error.
    public func run(_ source: Source, onWarning: (DiagnosticError) -> Void = { _ in },
                    onHint: ((DiagnosticError) -> Void)? = nil,
                    onCommand: (ScriptCommand) throws -> Void,
                    onResult: (StatementResult) throws -> Void) throws {
        let split = ScriptWithCommands(source)
        let parsed = parse(split.statements)
        var diagnostics = split.diagnostics + parsed.diagnostics
        for command in split.commands {
            if let statement = parsed.script.statements.first(where: { $0.range.start < command.range.start && command.range.start < $0.range.end }) {
                diagnostics.append(Diagnostic(.dotCommandInsideStatement,
                                                    at: command.range,
                                                    help: "end the statement that begins at \(source.location(of: statement.range.start).line):\(source.location(of: statement.range.start).column) first"))
            }
        }
        if !diagnostics.isEmpty {
            throw DiagnosticError(diagnostics.sorted { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }, source: source)
        }
        try run(parsed.script, in: source, commands: split.commands, onWarning: onWarning, onHint: onHint,
                onCommand: onCommand, onResult: onResult)
    }
}
