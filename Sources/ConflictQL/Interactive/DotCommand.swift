// The REPL's dot-commands (`.help`, `.tables`, `.mode csv`, ...), parsed into values. The
// executable carries out the ones that touch files or the terminal.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

public enum DotCommand: Equatable, Sendable {
    case help(String?)
    case tables
    case schema(String?)
    case mode(OutputFormat)
    case timer(Bool)
    case read(String)
    /// Load a file as a table (NAME defaults to the file name), with options as `load` takes.
    case load(LoadCommand)
    /// Send results to a file; nil sends them back to the screen.
    case output(String?)
    case maxRows(Int)
    /// Show the sources (and files) of a result under it, or not.
    case sources(Bool)
    case quit

    /// Every command name with its usage, for `.help` and completion.
    public static let usage: [(name: String, usage: String, summary: String)] = [
        ("help", ".help [stages|functions|types]", "show help, or help on a topic"),
        ("tables", ".tables", "list the tables with their row counts"),
        ("schema", ".schema [TABLE]", "the columns and types of a table (or of all)"),
        ("mode", ".mode table|csv|json|markdown|svg", "how results are shown (svg: charts)"),
        ("timer", ".timer on|off", "show how long each statement took"),
        ("read", ".read FILE", "run a script"),
        ("load", ".load FILE [NAME] [with (...)]", "load a CSV or JSON file as a table"),
        ("output", ".output [FILE]", "send results to FILE, or back to the screen"),
        ("maxrows", ".maxrows N", "show at most N rows of a result (0: all)"),
        ("sources", ".sources on|off", "show under a table the sources and files its rows came from"),
        ("quit", ".quit", "leave (also .exit and Ctrl-D)"),
        ("exit", ".exit", "leave"),
    ]

    public static var names: [String] { usage.map(\.name) }

    /// Parses a line starting with `.`; errors come with a range in `line` and a suggestion.
    public static func parse(_ line: String) -> Result<DotCommand, Diagnostic> {
        let text = line.trimmingLeadingWhitespace()
        let start = line.count - text.count
        let words = text.dropFirst().split(separator: " ", omittingEmptySubsequences: true)
        let name = words.first.map(String.init) ?? ""
        let argument = words.dropFirst().joined(separator: " ")
        let nameRange = SourceRange(start: start, end: start + 1 + name.utf8.count)
        func usage() -> String { "usage: " + (DotCommand.usage.first { $0.name == name }?.usage ?? "") }
        func bad(_ message: String) -> Result<DotCommand, Diagnostic> {
            .failure(.error(message, at: SourceRange(start: nameRange.end + 1, end: max(nameRange.end + 1, line.utf8.count)), help: usage()))
        }
        switch name.lowercased() {
        case "help": return .success(.help(argument.isEmpty ? nil : argument.lowercased()))
        case "tables": return .success(.tables)
        case "schema": return .success(.schema(argument.isEmpty ? nil : argument))
        case "mode":
            guard let format = OutputFormat(rawValue: argument.lowercased()) else {
                return bad(argument.isEmpty ? "'.mode' needs a format" : "unknown format '\(argument)'")
            }
            return .success(.mode(format))
        case "timer":
            switch argument.lowercased() {
            case "on": return .success(.timer(true))
            case "off": return .success(.timer(false))
            default: return bad("'.timer' takes on or off")
            }
        case "read":
            guard !argument.isEmpty else { return bad("'.read' needs a file") }
            return .success(.read(unquote(argument)))
        case "load":
            guard words.count > 1 else { return bad("'.load' needs a file") }
            switch LoadCommand.parse(Source(name: "<repl>", text: line), from: nameRange.end, form: .dotCommand) {
            case .success(let command):
                // The options are checked here too, so that a bad one is a bad command line.
                guard case .load(_, _, _, let options) = command.statement.kind else { return .success(.load(command)) }
                do {
                    _ = try Checker.checkLoadOptions(options)
                } catch let diagnostic as Diagnostic {
                    return .failure(diagnostic)
                } catch {
                    return bad("\(error)")
                }
                return .success(.load(command))
            case .failure(let error): return .failure(error.diagnostics[0])
            }
        case "output": return .success(.output(argument.isEmpty ? nil : unquote(argument)))
        case "sources":
            switch argument.lowercased() {
            case "on": return .success(.sources(true))
            case "off": return .success(.sources(false))
            default: return bad("'.sources' takes on or off")
            }
        case "maxrows":
            guard let n = Int(argument), n >= 0 else { return bad("'.maxrows' needs a number of rows, 0 or more") }
            return .success(.maxRows(n))
        case "quit", "exit", "q": return .success(.quit)
        default:
            let suggestion = closestName(to: name, in: names)
            return .failure(.error(name.isEmpty ? "expected a command after '.'" : "unknown command '.\(name)'", at: nameRange,
                                   help: suggestion.map { "did you mean '.\($0)'?" } ?? "'.help' lists the commands"))
        }
    }

    static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
