// The diagnostics of the session's own statements and of dot-commands: a dot-command that is
// unknown, misused or misplaced, a prepared query that is not one. DiagnosticMessage.swift in
// ConflictQLCore says how IDs are chosen; the messages are the `DiagnosticMessage` members at
// the end. `DiagnosticCatalogue` gathers every layer's IDs for `--explain` and `.help ID`.

import ConflictQLCore
import ConflictQLData
import ConflictQLEngine
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLSyntax

/// IDs raised by the session and the dot-commands.
public enum InteractiveDiagnostic: String, DiagnosticKind {
    case unknownDotCommand = "unknown-dot-command"
    case invalidDotCommand = "invalid-dot-command"
    case misplacedDotCommand = "misplaced-dot-command"
    case dotCommandFailed = "dot-command-failed"
    case notAQuery = "not-a-query"
    case mixedEngines = "mixed-engines"
    case engineFailed = "engine-failed"
    case engineAnswerUnreadable = "engine-answer-unreadable"

    public static let layer = "the session"

    public var explanation: MessageExplanation {
        switch self {
        case .unknownDotCommand:
            MessageExplanation(.error, "A line that starts with '.' is a dot-command; '.help' lists them.", example: ".tabels")
        case .invalidDotCommand:
            MessageExplanation(.error, "The dot-command was given an argument it does not take; the help line shows its usage.",
                               example: ".maxrows many")
        case .misplacedDotCommand:
            MessageExplanation(.error, """
                A dot-command in a script stands on a line of its own between statements, and some \
                (.quit, .history, …) are for the prompt only.
                """, example: "funding\n.tables\n| take 1")
        case .dotCommandFailed:
            MessageExplanation(.error, "The dot-command could not be carried out: a script or file it names cannot be read or written.",
                               example: nil)
        case .notAQuery:
            MessageExplanation(.error, """
                Session.prepare takes one query of rows: not several statements, a value, a load \
                or a chart.
                """, example: nil)
        case .mixedEngines:
            MessageExplanation(.error, """
                A pipeline runs in one place: it reads either a connected engine's tables (and runs \
                there) or local ones. Bring the remote rows here with let, or put the local table in \
                the engine (--to-sql postgres --schema).
                """, example: nil)
        case .engineFailed:
            MessageExplanation(.error, """
                The connected engine (PostgreSQL, Spark) could not be reached, refused the connection or the \
                query, or dropped the connection; the message is the engine's. The next statement \
                connects again.
                """, example: nil)
        case .engineAnswerUnreadable:
            MessageExplanation(.error, """
                The connected engine answered with something ConflictQL cannot read into its columns: a \
                type it has no column for (Spark's maps, structs, binary, intervals, a timestamp where \
                a date was asked for), or a malformed or compressed Arrow batch. The query ran; cast \
                the column on the engine or leave it out.
                """, example: nil)
        }
    }
}

extension DiagnosticMessage {
    package static func mixedEngines(remote: String, engine: String, local: String) -> Self {
        Self(InteractiveDiagnostic.mixedEngines,
             "this pipeline reads \(remote) in \(engine) and \(local) here; a pipeline runs in one place")
    }
    package static func notExpressibleThere(_ text: String, engine: String) -> Self {
        Self(SQLDiagnostic.notExpressibleInSQL, text + " (the pipeline reads \(engine)'s tables, so it runs there)")
    }
    /// The engine's own message (PostgreSQL's error, a lost connection).
    package static func engineFailed(_ text: String) -> Self { Self(InteractiveDiagnostic.engineFailed, text) }
    /// An answer of the engine ConflictQL cannot read (a type it has no column for).
    package static func engineAnswerUnreadable(_ text: String) -> Self { Self(InteractiveDiagnostic.engineAnswerUnreadable, text) }
    package static func cannotConnect(_ text: String) -> Self { Self(InteractiveDiagnostic.engineFailed, "cannot connect: \(text)") }
    package static let connectNeedsAddress = Self(InteractiveDiagnostic.invalidDotCommand,
                                                  "'.connect' needs an address: postgres://USER@HOST/DATABASE or sc://HOST:PORT")
    package static let notConnected = Self(InteractiveDiagnostic.invalidDotCommand, "not connected to an engine")
    package static func networkInSafeMode(_ command: String) -> Self {
        Self(InteractiveDiagnostic.dotCommandFailed, "'.\(command)' reaches another machine, which safe mode does not allow")
    }
    /// "cannot load events.csv:3:1: ...", with the loader's own ID.
    package static func cannotLoad(_ error: LoadError) -> Self {
        Self(id: error.id, severity: .error, text: "cannot load \(error.description)")
    }
    package static func notCompiledToSQL(_ command: String) -> Self {
        Self(SQLDiagnostic.notExpressibleInSQL, "'\(command)' is not compiled to SQL")
    }
    package static let expectedFileToLoad = Self(SyntaxDiagnostic.expectedFilePath, "expected a file to load")
    package static func unknownDotCommand(_ spelling: String) -> Self {
        Self(InteractiveDiagnostic.unknownDotCommand, spelling.isEmpty ? "expected a command after '.'" : "unknown command '.\(spelling)'")
    }
    package static func unknownFormat(_ format: String) -> Self {
        Self(InteractiveDiagnostic.invalidDotCommand, format.isEmpty ? "'.mode' needs a format" : "unknown format '\(format)'")
    }
    package static func dotCommandFailed(_ text: String) -> Self {
        Self(InteractiveDiagnostic.dotCommandFailed, text)
    }
}

/// Every ID the library raises, from every layer: what `conflictql --explain ID` and
/// `.help ID` look up, and what `DiagnosticIDTests` compares with `Snapshots/diagnostic-ids.txt`.
public enum DiagnosticCatalogue {
    public static let all: [MessageCatalogueEntry] = CoreDiagnostic.catalogue + SyntaxDiagnostic.catalogue
        + LoadDiagnostic.catalogue + FunctionDiagnostic.catalogue + SemanticsDiagnostic.catalogue
        + EngineDiagnostic.catalogue + SQLDiagnostic.catalogue + InteractiveDiagnostic.catalogue

    /// The entry of an ID as written (any case), or nil.
    public static func entry(_ id: String) -> MessageCatalogueEntry? {
        all.first { $0.id.rawValue == id.lowercased() }
    }
}

extension DiagnosticMessage {
    package static func readNestsTooDeep(_ maximumReadDepth: some CustomStringConvertible) -> Self {
        Self(InteractiveDiagnostic.dotCommandFailed, "'.read' nests deeper than \(maximumReadDepth) scripts")
    }
    package static func noHelpOn(_ topic: some CustomStringConvertible) -> Self {
        Self(InteractiveDiagnostic.dotCommandFailed, "no help on '\(topic)'")
    }
    package static func dotCommandInSafeMode(_ text: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.fileAccessRefused, "'\(text)' touches files, which safe mode does not allow")
    }
    package static let maxRowsNeedsNumber = Self(InteractiveDiagnostic.invalidDotCommand, "'.maxrows' needs a number of rows, 0 or more")
    package static let loadNeedsFile = Self(InteractiveDiagnostic.invalidDotCommand, "'.load' needs a file")
    package static let readNeedsFile = Self(InteractiveDiagnostic.invalidDotCommand, "'.read' needs a file")
    package static let onceNeedsFile = Self(InteractiveDiagnostic.invalidDotCommand, "'.once' needs a file")
    package static let pagerNeedsSetting = Self(InteractiveDiagnostic.invalidDotCommand,
                                                "'.pager' takes on, off or a command such as 'less -S'")
    package static let editTakesNoArgument = Self(InteractiveDiagnostic.invalidDotCommand,
                                                  "'.edit' takes no argument; it opens the last statement")
    package static func takesOnOrOff(_ name: some CustomStringConvertible) -> Self {
        Self(InteractiveDiagnostic.invalidDotCommand, "'.\(name)' takes on or off")
    }
    package static let dotCommandInsideStatement = Self(InteractiveDiagnostic.misplacedDotCommand,
                                                        "a dot-command must be on a line of its own, between statements")
    package static func promptOnlyCommand(_ commandName: some CustomStringConvertible) -> Self {
        Self(InteractiveDiagnostic.misplacedDotCommand, "'.\(commandName)' is for the prompt; a script cannot use it")
    }
    package static func valueChangedSinceCheck(_ name: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.tableChanged, "the value '\(name)' has changed since the query was checked; prepare it again")
    }
    package static let prepareOfValue = Self(InteractiveDiagnostic.notAQuery, "this is a value, not a query of a table")
    package static let prepareWithoutChart = Self(InteractiveDiagnostic.notAQuery,
                                                  "prepare takes a query of rows, and 'chart' draws them; prepare the query without it")
    package static let prepareTakesOneQuery = Self(InteractiveDiagnostic.notAQuery,
                                                   "prepare takes one query; run other statements with run(_:)")
}
