// The diagnostics of the session's own statements and of dot-commands: a dot-command that is
// unknown, misused or misplaced, a prepared query that is not one. DiagnosticMessage.swift in
// ConflictQLCore says how IDs are chosen; the messages are the `DiagnosticMessage` members at
// the end. `DiagnosticCatalogue` gathers every layer's IDs for `--explain` and `.help ID`.

import ConflictQLCore
import ConflictQLData
import ConflictQLEngine
import ConflictQLFunctions
import ConflictQLOutput
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
    case invalidParameter = "invalid-parameter"
    case scriptUnreadable = "script-unreadable"
    case outputUnwritable = "output-unwritable"
    case editorFailed = "editor-failed"
    case historyUnwritable = "history-unwritable"
    case nothingToExtend = "nothing-to-extend"
    case engineSignInRefused = "engine-sign-in-refused"
    case engineQueryFailed = "engine-query-failed"
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
            MessageExplanation(.error, """
                The dot-command could not be carried out: '.help' on a topic there is none of, \
                '.read' nested too deeply, '.last' before any result, '.disconnect' with no engine. \
                A script or file that cannot be read or written has an ID of its own \
                (script-unreadable, output-unwritable).
                """, example: ".help no-such-topic")
        case .invalidParameter:
            MessageExplanation(.error, """
                A parameter given on the command line (--param NAME=VALUE, -D NAME=VALUE) or to \
                Session.bind cannot be bound: no '=' or no name, a name that is not one, a value that \
                starts like a literal but is not one (@2020-13, 0123), a name given twice or the name \
                of a table. Quote a value to pass it as text: -D code='"0123"'.
                """, example: "conflictql -D code=0123 -c '$code'")
        case .scriptUnreadable:
            MessageExplanation(.error, """
                A script named on the command line or by '.read' does not exist, is a folder, or \
                cannot be opened or read.
                """, example: ".read no-such-script.cq")
        case .outputUnwritable:
            MessageExplanation(.error, """
                Results cannot be written where they were sent: '.output' or '.once' names a folder, \
                a file in a folder that does not exist or that may not be written, or writing failed \
                part-way (a full disk, standard output closed). A file being written is left as it was.
                """, example: ".output /")
        case .editorFailed:
            MessageExplanation(.error, """
                '.edit' (at the prompt) could not open the last statement in $VISUAL or $EDITOR: the \
                editor cannot be run, it failed, or the file was saved empty; nothing is run. The \
                prompt is the only place it can happen, so there is no script to show.
                """, example: nil)
        case .historyUnwritable:
            MessageExplanation(.error, """
                The prompt could not save its history file (~/.conflictql_history, or \
                CONFLICTQL_HISTORY): its folder is missing or read-only, or the disk is full. The \
                session goes on, and says so once. Only the prompt keeps a history, so there is no \
                script to show.
                """, example: nil)
        case .nothingToExtend:
            MessageExplanation(.error, """
                At the prompt, a line that starts with '|' extends the statement before it, and \
                there is none yet. (In a script, such a line continues the statement above it, so \
                only the prompt can raise this.)
                """, example: nil)
        case .notAQuery:
            MessageExplanation(.error, """
                Session.prepare takes one query of rows: not several statements, a value, a load \
                or a chart. Only Session.prepare (an embedding program) raises it, never a script.
                """, example: nil)
        case .mixedEngines:
            MessageExplanation(.error, """
                A pipeline runs in one place: it reads either a connected engine's tables (and runs \
                there) or local ones. Bring the remote rows here with let, or put the local table in \
                the engine (--to-sql postgres --schema). It needs a connected PostgreSQL, so a \
                fresh session cannot show it.
                """, example: nil)
        case .engineFailed:
            MessageExplanation(.error, """
                The connected engine (PostgreSQL, Spark) could not be reached, refused the connection or the \
                query, or dropped the connection; the message is the engine's. The next statement \
                connects again.
                """, example: ".connect postgres://analyst@127.0.0.1:1/conflict")
        case .engineSignInRefused:
            MessageExplanation(.error, """
                The engine refused to let the session in, or the session refused the engine: a \
                wrong or missing password (from the address, PGPASSWORD or ~/.pgpass, as psql reads \
                them), a server certificate that does not verify against sslrootcert, or a host name \
                the certificate does not name (sslmode=verify-full). The password is never shown. It needs \
                a live engine, so a fresh session cannot show it.
                """, example: nil)
        case .engineQueryFailed:
            MessageExplanation(.error, """
                PostgreSQL raised an error running the pipeline's SQL (a division by zero, a sum past \
                64 bits): a difference the checker could not see before the data was read. It is shown \
                at the stage whose SQL raised it when that can be found (by the position PostgreSQL \
                gives, or by running the stages one by one, within a few seconds), else at the whole \
                pipeline, with PostgreSQL's message and SQLSTATE. It needs a live engine, so a fresh session \
                cannot show it.
                """, example: nil)
        case .engineAnswerUnreadable:
            MessageExplanation(.error, """
                The connected engine answered with something ConflictQL cannot read into its columns: a \
                type it has no column for (Spark's maps, structs, binary, intervals, a timestamp where \
                a date was asked for), or a malformed or compressed Arrow batch. The query ran; cast \
                the column on the engine or leave it out. It needs a live engine, so a fresh session cannot \
                show it.
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
    package static func cannotConnect(_ text: String, signIn: Bool = false) -> Self {
        Self(signIn ? InteractiveDiagnostic.engineSignInRefused : InteractiveDiagnostic.engineFailed, "cannot connect: \(text)")
    }
    /// PostgreSQL's error running the query, with its SQLSTATE.
    package static func engineQueryFailed(_ text: String) -> Self { Self(InteractiveDiagnostic.engineQueryFailed, text) }
    /// An answer of the engine ConflictQL cannot read (a type it has no column for).
    package static func engineAnswerUnreadable(_ text: String) -> Self { Self(InteractiveDiagnostic.engineAnswerUnreadable, text) }
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
        + EngineDiagnostic.catalogue + SQLDiagnostic.catalogue + OutputDiagnostic.catalogue + InteractiveDiagnostic.catalogue

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

extension DiagnosticMessage {
    // The files of the command line and the prompt (the executable opens and reads them).
    public static func cannotReadScript(_ path: String, _ reason: String) -> Self {
        Self(InteractiveDiagnostic.scriptUnreadable, "cannot read '\(path)': \(reason)")
    }
    public static func cannotOpenScript(_ path: String, _ reason: String) -> Self {
        Self(InteractiveDiagnostic.scriptUnreadable, "cannot open '\(path)': \(reason)")
    }
    public static func scriptIsADirectory(_ path: String) -> Self {
        Self(InteractiveDiagnostic.scriptUnreadable, "'\(path)' is a directory, not a script")
    }
    /// `target`: a quoted path, "to standard output", "to the pager".
    public static func cannotWrite(_ target: String, _ reason: String) -> Self {
        Self(InteractiveDiagnostic.outputUnwritable, "cannot write \(target): \(reason)")
    }
    public static func cannotReplace(_ target: String, _ reason: String) -> Self {
        Self(InteractiveDiagnostic.outputUnwritable, "cannot replace \(target): \(reason)")
    }
    public static func cannotSaveHistory(_ path: String, _ reason: String) -> Self {
        Self(InteractiveDiagnostic.historyUnwritable, "cannot save history to \(path): \(reason)")
    }
    public static func outputIsADirectory(_ path: String) -> Self {
        Self(InteractiveDiagnostic.outputUnwritable, "'\(path)' is a directory; '.output' needs a file")
    }
    public static let noResultsYet = Self(InteractiveDiagnostic.dotCommandFailed, "there are no results to show again yet")
    public static func cannotMakeEditFile(_ reason: String) -> Self {
        Self(InteractiveDiagnostic.editorFailed, "cannot make a file to edit: \(reason)")
    }
    public static func cannotWriteEditFile(_ path: String, _ reason: String) -> Self {
        Self(InteractiveDiagnostic.editorFailed, "cannot write '\(path)': \(reason)")
    }
    public static func cannotRunEditor(_ editor: String) -> Self {
        Self(InteractiveDiagnostic.editorFailed, "cannot run the editor '\(editor)'")
    }
    public static func editorFailed(_ editor: String, status: Int32) -> Self {
        Self(InteractiveDiagnostic.editorFailed, "the editor '\(editor)' exited with status \(status); nothing was run")
    }
    public static let nothingToExtend = Self(InteractiveDiagnostic.nothingToExtend, "there is no previous statement to extend")
    public static let editSavedEmpty = Self(InteractiveDiagnostic.editorFailed, "the file was saved empty; nothing was run")
}
