// The dot-commands (`.help`, `.tables`, `.mode csv`, ...): each described once by its `Name`
// (spelling, arguments, help line, whether safe mode and scripts allow it), parsed into a
// `DotCommand` value, and carried out by `perform` (DotCommandPerformer.swift) for the REPL
// and the script runner alike. `.help`, the parser's suggestions and Tab completion all read
// the descriptions, and every dispatch is an exhaustive `switch`: a command added to `Name`
// without its parsing, description or effect does not compile.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput
import ConflictQLRemote
import ConflictQLSpark

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
    /// How the prompt shows a result taller than the terminal.
    case pager(PagerSetting)
    /// Send only the next statement's results to a file.
    case once(String)
    /// Show the last statement's results again, whole, in the mode or the format given.
    case last(OutputFormat?)
    /// Open the last statement in the editor, and run what is saved.
    case edit
    /// Connect to a remote engine (a `postgres://` or Spark Connect `sc://` URL): its tables become the session's.
    case connect(String)
    case disconnect
    case quit

    /// `.pager on|off|CMD`.
    public enum PagerSetting: Equatable, Sendable {
        /// `$PAGER`, or `less -FRSX`, for a result taller than the terminal.
        case on
        case off
        /// This command line, run by the shell, instead of `$PAGER`.
        case command(String)
    }

    /// How deep `.read` may nest (a script that reads itself stops here).
    public static let maximumReadDepth = 16

    public var name: Name {
        switch self {
        case .help: return .help
        case .tables: return .tables
        case .schema: return .schema
        case .mode: return .mode
        case .timer: return .timer
        case .read: return .read
        case .load: return .load
        case .output: return .output
        case .maxRows: return .maxrows
        case .sources: return .sources
        case .pager: return .pager
        case .once: return .once
        case .last: return .last
        case .edit: return .edit
        case .connect: return .connect
        case .disconnect: return .disconnect
        case .quit: return .quit
        }
    }

    /// Whether this command reads or writes files, which `--safe` refuses (`.output` alone,
    /// back to the screen, touches none).
    public var touchesFiles: Bool {
        switch name.descriptor.files {
        case .never: return false
        case .always: return true
        case .withAnArgument:
            if case .output(nil) = self { return false }
            if case .pager(.on) = self { return false }
            if case .pager(.off) = self { return false }
            return true
        }
    }
}

// MARK: The descriptions

extension DotCommand {
    /// A command by name, in the order `.help` lists them.
    public enum Name: String, CaseIterable, Sendable {
        case help, tables, schema, mode, timer, read, load, output, once, maxrows, sources, pager, last, edit, connect, disconnect, quit

        public var descriptor: Descriptor {
            switch self {
            case .help:
                return Descriptor(arguments: "[stages|functions|types]", summary: "show help, or help on a topic",
                                   argument: .choice(Help.topics))
            case .tables:
                return Descriptor(summary: "list the tables with their row counts")
            case .schema:
                return Descriptor(arguments: "[TABLE]", summary: "the columns and types of a table (or of all)", argument: .table)
            case .mode:
                return Descriptor(arguments: OutputFormat.allCases.map(\.rawValue).joined(separator: "|"),
                                   summary: "how results are shown (svg: charts; parquet: a table as a file, with .output)",
                                   argument: .choice(OutputFormat.allCases.map(\.rawValue)))
            case .timer:
                return Descriptor(arguments: "on|off", summary: "show how long each statement took", argument: .choice(["on", "off"]))
            case .read:
                return Descriptor(arguments: "FILE", summary: "run a script", argument: .file, files: .always)
            case .load:
                return Descriptor(arguments: "FILE [NAME] [with (...)]", summary: "load a CSV, JSON, Parquet, Excel or Stata file as a table",
                                   argument: .file, files: .always)
            case .output:
                return Descriptor(arguments: "[FILE]", summary: "send results to FILE, or back to the screen",
                                   argument: .file, files: .withAnArgument)
            case .maxrows:
                return Descriptor(arguments: "N", summary: "show at most N rows of a result (0: all)")
            case .sources:
                return Descriptor(arguments: "on|off", summary: "show under a table the sources and files its rows came from",
                                   argument: .choice(["on", "off"]))
            case .once:
                return Descriptor(arguments: "FILE", summary: "send only the next statement's results to FILE",
                                   argument: .file, files: .always, inScripts: false)
            case .pager:
                return Descriptor(arguments: "on|off|COMMAND", summary: "page results taller than the terminal ($PAGER, or less -FRSX)",
                                   argument: .choice(["on", "off"]), files: .withAnArgument, inScripts: false)
            case .last:
                return Descriptor(arguments: "[" + OutputFormat.allCases.map(\.rawValue).joined(separator: "|") + "]",
                                   summary: "show the last results again, whole, in the mode or another format",
                                   argument: .choice(OutputFormat.allCases.map(\.rawValue)), inScripts: false)
            case .edit:
                return Descriptor(summary: "edit the last statement in $VISUAL or $EDITOR, and run it when saved",
                                   files: .always, inScripts: false)
            case .connect:
                return Descriptor(arguments: "URL",
                                  summary: "run pipelines over an engine's tables there (postgres://USER@HOST/DB, sc://HOST:PORT)",
                                  network: true)
            case .disconnect:
                return Descriptor(summary: "close the engine's connection; its tables leave the session")
            case .quit:
                return Descriptor(summary: "leave (also .exit and Ctrl-D)", aliases: ["exit"], shortcuts: ["q"])
            }
        }

        /// The name as typed after `.`, an alias or a shortcut included, in any case.
        public init?(spelling: String) {
            let lowered = spelling.lowercased()
            guard let name = Name.allCases.first(where: { $0.rawValue == lowered || $0.descriptor.aliases.contains(lowered)
                || $0.descriptor.shortcuts.contains(lowered) }) else { return nil }
            self = name
        }

        /// `.mode table|csv|tsv|json|ndjson|line|markdown|html|svg|parquet`.
        public var usage: String {
            let arguments = descriptor.arguments
            return "." + rawValue + (arguments.isEmpty ? "" : " " + arguments)
        }
    }

    /// What a command is, once: `.help` prints it, completion and suggestions read it, and
    /// `perform` asks it whether safe mode and scripts allow the command.
    public struct Descriptor: Sendable {
        /// How the arguments read in `.help` and in a usage message: `FILE [NAME] [with (...)]`.
        public var arguments: String
        /// The line in `.help`.
        public var summary: String
        /// What Tab offers after the name.
        public var argument: Argument
        /// Whether the command reads or writes files: safe mode refuses those.
        public var files: FileUse
        /// Whether the command reaches another machine (`.connect`): safe mode refuses it too.
        public var network: Bool
        /// Whether a script (a file, `-c`, piped input, a `.read` script) may use it.
        public var inScripts: Bool
        /// Other names, suggested and completed as the name is (`.exit`).
        public var aliases: [String]
        /// Names accepted but not offered (`.q`).
        public var shortcuts: [String]

        init(arguments: String = "", summary: String, argument: Argument = .none, files: FileUse = .never, network: Bool = false,
             inScripts: Bool = true, aliases: [String] = [], shortcuts: [String] = []) {
            self.arguments = arguments
            self.summary = summary
            self.argument = argument
            self.files = files
            self.network = network
            self.inScripts = inScripts
            self.aliases = aliases
            self.shortcuts = shortcuts
        }
    }

    public enum Argument: Sendable, Equatable {
        case none
        /// One of these words.
        case choice([String])
        /// A table of the session.
        case table
        /// A path (`.load` then takes the options of `load`).
        case file
    }

    public enum FileUse: Sendable {
        case never, always
        /// Only when a file is named (`.output FILE`; `.output` alone goes back to the screen).
        case withAnArgument
    }

    /// Every name a user may be offered or told about: names and aliases, as `.help` orders them.
    public static var names: [String] { Name.allCases.flatMap { [$0.rawValue] + $0.descriptor.aliases } }
}

// MARK: Parsing

extension DotCommand {
    /// Parses a line starting with `.`; errors come with a range in `line` and a suggestion.
    public static func parse(_ line: String) -> Result<DotCommand, Diagnostic> {
        let text = line.trimmingLeadingWhitespace()
        let start = line.count - text.count
        let words = text.dropFirst().split(separator: " ", omittingEmptySubsequences: true)
        let spelling = words.first.map(String.init) ?? ""
        let argument = words.dropFirst().joined(separator: " ")
        let nameRange = SourceRange(start: start, end: start + 1 + spelling.utf8.count)
        guard let name = Name(spelling: spelling) else {
            let suggestion = closestName(to: spelling, in: names)
            return .failure(Diagnostic(.unknownDotCommand(spelling), at: nameRange,
                                   help: suggestion.map { "did you mean '.\($0)'?" } ?? "'.help' lists the commands"))
        }
        func bad(_ message: DiagnosticMessage) -> Result<DotCommand, Diagnostic> {
            .failure(Diagnostic(message, at: SourceRange(start: nameRange.end + 1, end: max(nameRange.end + 1, line.utf8.count)),
                            help: "usage: " + name.usage))
        }
        func onOff(_ make: (Bool) -> DotCommand) -> Result<DotCommand, Diagnostic> {
            switch argument.lowercased() {
            case "on": return .success(make(true))
            case "off": return .success(make(false))
            default: return bad(.takesOnOrOff(name.rawValue))
            }
        }
        switch name {
        case .help: return .success(.help(argument.isEmpty ? nil : argument.lowercased()))
        case .tables: return .success(.tables)
        case .schema: return .success(.schema(argument.isEmpty ? nil : argument))
        case .mode:
            guard let format = OutputFormat(rawValue: argument.lowercased()) else {
                return bad(.unknownFormat(argument))
            }
            return .success(.mode(format))
        case .timer: return onOff(DotCommand.timer)
        case .read:
            guard !argument.isEmpty else { return bad(.readNeedsFile) }
            return .success(.read(unquote(argument)))
        case .load:
            guard words.count > 1 else { return bad(.loadNeedsFile) }
            switch LoadCommand.parse(Source(name: "<repl>", text: line), from: nameRange.end, form: .dotCommand) {
            case .success(let command):
                // The options are checked here too, so that a bad one is a bad command line.
                guard case .load(_, _, _, let options) = command.statement.kind else { return .success(.load(command)) }
                do {
                    _ = try Checker.checkLoadOptions(options)
                } catch let diagnostic as Diagnostic {
                    return .failure(diagnostic)
                } catch {
                    return bad(.internalError("\(error)"))
                }
                return .success(.load(command))
            case .failure(let error): return .failure(error.diagnostics[0])
            }
        case .output: return .success(.output(argument.isEmpty ? nil : unquote(argument)))
        case .once:
            guard !argument.isEmpty else { return bad(.onceNeedsFile) }
            return .success(.once(unquote(argument)))
        case .pager:
            switch argument.lowercased() {
            case "on": return .success(.pager(.on))
            case "off": return .success(.pager(.off))
            case "": return bad(.pagerNeedsSetting)
            default: return .success(.pager(.command(unquote(argument))))
            }
        case .last:
            if argument.isEmpty { return .success(.last(nil)) }
            guard let format = OutputFormat(rawValue: argument.lowercased()) else {
                let suggestion = closestName(to: argument.lowercased(), in: OutputFormat.allCases.map(\.rawValue))
                return .failure(Diagnostic(.unknownFormat(argument),
                                       at: SourceRange(start: nameRange.end + 1, end: max(nameRange.end + 1, line.utf8.count)),
                                       help: suggestion.map { "did you mean '\($0)'?" } ?? "usage: " + name.usage))
            }
            return .success(.last(format))
        case .edit:
            guard argument.isEmpty else { return bad(.editTakesNoArgument) }
            return .success(.edit)
        case .sources: return onOff(DotCommand.sources)
        case .connect:
            guard !argument.isEmpty else { return bad(.connectNeedsAddress) }
            return .success(.connect(unquote(argument)))
        case .disconnect: return .success(.disconnect)
        case .maxrows:
            guard let n = Int(argument), n >= 0 else { return bad(.maxRowsNeedsNumber) }
            return .success(.maxRows(n))
        case .quit: return .success(.quit)
        }
    }

    /// The line as history keeps it: a `.connect` line loses its password or token, if it holds one.
    public static func historyEntry(_ line: String) -> String {
        guard case .success(.connect(let address)) = parse(line) else { return line }
        let redacted = SparkTarget.isSparkAddress(address) ? SparkTarget.redactingToken(address) : PostgresTarget.redactingPassword(address)
        return redacted == address ? line : ".connect " + redacted
    }

    static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
