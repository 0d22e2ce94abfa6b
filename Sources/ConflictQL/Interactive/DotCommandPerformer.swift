// Carrying out a dot-command, once for the REPL and the script runner. What differs between
// them is injected: where text and results go, how a file is read or opened for `.output`,
// how nested statements run (`DotCommandHost`), and what a failure does (`DotCommandErrorPolicy`:
// a script stops at the command's line, the prompt reports it and goes on). Everything else
// (safe mode, help lookup, the `.read` depth limit, the `load` a `.load` line stands for)
// happens here, so the two cannot drift apart.

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

/// What a failed dot-command does.
public enum DotCommandErrorPolicy: Sendable {
    /// In a script: the failure is an error at the command's line, and the run stops there.
    case stopScript
    /// At the prompt: the failure goes to `DotCommandHost.report` and the session goes on.
    case reportAndContinue
}

public enum DotCommandOutcome: Sendable, Equatable {
    case done
    /// `.quit`: the host ends the session or the run.
    case quit
}

/// A dot-command that could not be carried out, with its diagnostics.
public struct DotCommandFailure: Error {
    public enum Cause: Sendable {
        /// The line cannot run as written or here: a bad argument, a file in safe mode.
        case refused
        /// Carrying it out failed: no such help topic, a file that cannot be read or written.
        case failed
        /// The script `.read` names is not text; the diagnostic points into it.
        case unreadableScript
    }

    public var cause: Cause
    /// For `refused` and `failed`, one diagnostic at the command's line.
    public var error: DiagnosticError
    /// The message and help as written: a diagnostic shortens long quoted names for its caret
    /// line, while a plain message at the prompt shows the whole path.
    public var message: String
    public var help: String?

    init(cause: Cause, error: DiagnosticError, message: String? = nil, help: String? = nil) {
        self.cause = cause
        self.error = error
        self.message = message ?? error.diagnostics.first?.message ?? ""
        self.help = message == nil ? error.diagnostics.first?.help : help
    }
}

/// A file the host could not read or open, or an effect of the prompt's that failed, with the
/// message a person can act on (InteractiveMessages.swift: script-unreadable, output-unwritable, ...).
public struct HostFileFailure: Error, Sendable {
    public var diagnostic: DiagnosticMessage
    public var message: String { diagnostic.text }
    public init(_ diagnostic: DiagnosticMessage) { self.diagnostic = diagnostic }
}

/// The REPL or the script runner, as a dot-command sees it: its settings, and the effects that
/// need a terminal, a file or the host's own way of showing results.
public protocol DotCommandHost: AnyObject {
    var session: Session { get }
    var format: OutputFormat { get set }
    var timer: Bool { get set }
    /// At most this many rows of a result on the screen; 0 shows all.
    var maxRows: Int { get set }
    /// How many `.read` scripts run inside each other now.
    var readDepth: Int { get set }
    /// False once nothing more can be shown (standard output is gone): `.schema` stops.
    var canShowMore: Bool { get }

    /// `.help`'s text.
    func showHelp(_ text: String) throws
    /// Text among the results (the table names of `.schema`): where results go.
    func writeAmongResults(_ text: String) throws
    /// Statements the command stands for (`tables`, `describe T`), their results shown.
    func runStatements(_ source: Source) throws
    /// A script `.read` read; its own dot-commands come back to `perform`.
    func runScript(_ source: Source) throws
    /// The `load` statement a `.load` line stands for, its ranges in `source`.
    func runLoad(_ script: Script, in source: Source) throws
    func readScript(at path: String) throws(HostFileFailure) -> [UInt8]
    /// Finishes the `.output` file, if one is open: its results take the target's place.
    func closeOutput() throws
    func openOutput(_ path: String) throws(HostFileFailure)
    /// A failure under `.reportAndContinue`.
    func report(_ failure: DotCommandFailure)

    // The prompt's own (a script cannot use them: ScriptCommands.swift refuses them first).
    /// `.pager`: how results taller than the terminal are shown.
    func setPager(_ setting: DotCommand.PagerSetting)
    /// `.once FILE`: the next statement's results go to the file, then to the screen again.
    func openOnce(_ path: String) throws(HostFileFailure)
    /// `.last`: the last statement's results again, whole.
    func showLast(_ format: OutputFormat?) throws(HostFileFailure)
    /// `.edit`: the last statement in the editor, run when saved.
    func editLast() throws(HostFileFailure)
    /// A line about what a command did (`.connect`'s tables), beside the results, never among them.
    func note(_ text: String)
}

extension DotCommandHost {
    public func setPager(_ setting: DotCommand.PagerSetting) {}
    public func openOnce(_ path: String) throws(HostFileFailure) { throw HostFileFailure(.promptOnlyCommand("once")) }
    public func showLast(_ format: OutputFormat?) throws(HostFileFailure) { throw HostFileFailure(.promptOnlyCommand("last")) }
    public func editLast() throws(HostFileFailure) { throw HostFileFailure(.promptOnlyCommand("edit")) }
    public func note(_ text: String) {}
}

extension DotCommandHost {
    /// Carries out `command`, written at `range` of `source`; a failure is thrown or reported
    /// as `policy` says. Errors of the statements it runs are the host's (its `run…` methods).
    @discardableResult
    public func perform(_ command: DotCommand, at range: SourceRange, in source: Source,
                        policy: DotCommandErrorPolicy) throws -> DotCommandOutcome {
        do {
            return try carryOut(command, at: range, in: source)
        } catch let failure as DotCommandFailure {
            return try handle(failure, policy)
        }
    }

    /// A line as typed at the prompt: parsed, then performed; a bad line is `refused`.
    @discardableResult
    public func perform(line text: String, policy: DotCommandErrorPolicy) throws -> DotCommandOutcome {
        let source = Source(name: "<repl>", text: text)
        switch DotCommand.parse(text) {
        case .failure(let diagnostic):
            return try handle(DotCommandFailure(cause: .refused, error: DiagnosticError([diagnostic], source: source)), policy)
        case .success(let command):
            return try perform(command, at: SourceRange(start: 0, end: text.utf8.count), in: source, policy: policy)
        }
    }

    private func handle(_ failure: DotCommandFailure, _ policy: DotCommandErrorPolicy) throws -> DotCommandOutcome {
        switch policy {
        case .stopScript: throw failure.error
        case .reportAndContinue:
            report(failure)
            return .done
        }
    }

    private func carryOut(_ command: DotCommand, at range: SourceRange, in source: Source) throws -> DotCommandOutcome {
        let text = source.text(of: range)
        func failure(_ cause: DotCommandFailure.Cause, _ message: DiagnosticMessage, help: String? = nil) -> DotCommandFailure {
            DotCommandFailure(cause: cause, error: DiagnosticError([Diagnostic(message, at: range, help: help)], source: source),
                              message: message.text, help: help)
        }
        if command.touchesFiles && !session.allowsFileAccess {
            throw failure(.refused, .dotCommandInSafeMode(text.split(separator: " ").first ?? ""),
                          help: "run without --safe to read or write files")
        }
        if command.name.descriptor.network && !session.allowsFileAccess {
            throw failure(.refused, .networkInSafeMode(command.name.rawValue),
                          help: "run without --safe to connect to an engine")
        }
        switch command {
        case .quit:
            return .quit
        case .connect(let address):
            do {
                note(try session.connect(address).summary)
            } catch {
                throw failure(.failed, .cannotConnect(error.message, signIn: error.kind == .signIn), help: error.help)
            }
        case .disconnect:
            guard let engine = session.disconnect() else {
                throw failure(.failed, .notConnected, help: "'.connect URL' connects")
            }
            note("disconnected from \(engine)")
        case .help(let topic):
            guard let help = Help.text(topic) else {
                let suggestion = closestName(to: topic ?? "", in: Help.topics + Help.entryNames)
                throw failure(.failed, .noHelpOn(topic ?? ""),
                              help: suggestion.map { "did you mean '.help \($0)'?" }
                                  ?? "topics are: \(Help.topics.joined(separator: ", "))")
            }
            try showHelp(help)
        case .tables:
            try runStatements(Source(name: source.name, text: "tables"))
        case .schema(let table):
            if let table {
                try runStatements(Source(name: source.name, text: "describe `\(table)`"))
            } else {
                for name in session.catalog.names where canShowMore {
                    try writeAmongResults("\(name):\n")
                    try runStatements(Source(name: source.name, text: "describe `\(name)`"))
                }
            }
        case .mode(let format):
            self.format = format
        case .timer(let on):
            timer = on
        case .maxRows(let n):
            maxRows = n
        case .sources(let on):
            session.showsSources = on
        case .read(let path):
            guard readDepth < DotCommand.maximumReadDepth else {
                throw failure(.failed, .readNestsTooDeep(DotCommand.maximumReadDepth),
                              help: "a script that reads itself never ends")
            }
            let bytes: [UInt8]
            do { bytes = try readScript(at: path) } catch { throw failure(.failed, error.diagnostic) }
            let (script, encodingError) = Source.decoding(bytes, name: path)
            if let encodingError {
                throw DotCommandFailure(cause: .unreadableScript, error: DiagnosticError([encodingError], source: script))
            }
            readDepth += 1
            defer { readDepth -= 1 }
            try runScript(script)
        case .load:
            // The `load` statement the line stands for, parsed again in the text around it
            // (blanked up to the line, so offsets stay) so that its messages point there.
            var bytes = source.bytes
            for i in 0..<range.start where bytes[i] != UInt8(ascii: "\n") { bytes[i] = UInt8(ascii: " ") }
            let padded = Source(name: source.name, text: String(decoding: bytes[..<range.end], as: UTF8.self))
            let name = text.dropFirst().prefix { $0.isLetter }
            switch LoadCommand.parse(padded, from: range.start + 1 + name.utf8.count, form: .dotCommand) {
            case .failure(let error): throw DotCommandFailure(cause: .refused, error: error)
            case .success(let load): try runLoad(load.script, in: padded)
            }
        case .output(let path):
            try closeOutput()
            if let path {
                do { try openOutput(path) } catch { throw failure(.failed, error.diagnostic) }
            }
        case .pager(let setting):
            setPager(setting)
        case .once(let path):
            do { try openOnce(path) } catch { throw failure(.failed, error.diagnostic) }
        case .last(let format):
            do { try showLast(format) } catch { throw failure(.failed, error.diagnostic) }
        case .edit:
            do { try editLast() } catch { throw failure(.failed, error.diagnostic) }
        }
        return .done
    }
}
