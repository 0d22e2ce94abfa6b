// The `conflictql` command: runs query scripts, one-line queries or standard input through
// the ConflictQL library, and writes results and diagnostics. All language logic is in the
// library; this file only reads arguments and files and writes to the terminal.

import ArgumentParser
import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ConflictQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflictql",
        abstract: "Query the conflict in Mali and the Sahel: the briefing's tables and conflict event data.",
        discussion: """
        With no script, no -c and no --load, and a terminal on standard input, conflictql opens the interactive REPL \
        (line editing, history, Tab completion; .help for help).

        Examples:
          conflictql Samples/tour.cq
          conflictql -c 'groups | where designation has "FTO" | select name, founded'
          conflictql --format csv -c 'funding | summarize total = sum(amount_usd) by recipient'
          echo 'tables' | conflictql
          conflictql --load acled.csv=events -c 'events | summarize fatalities = sum(fatalities) by year'
          conflictql --load 'export.csv=ev with (delimiter = ";", fatalities: Int)' script.cq
          conflictql --param region=Gao -D since=@2020-01 script.cq

        Exit status: 0 on success, 1 for an error in a query, 2 for usage and file errors.

        For editors: 'conflictql fmt [--check] FILE...' formats scripts; 'conflictql lsp' runs the language server (see their --help).
        """,
        version: conflictQLVersion + (buildCommit.map { " (\($0))" } ?? "")
    )

    @Argument(help: "Query scripts to run, in order, in one session.", completion: .file(extensions: ["cq"]))
    var files: [String] = []

    @Option(name: .customShort("c"), help: ArgumentHelp("Run this query (may be given more than once).", valueName: "QUERY"))
    var command: [String] = []

    @Option(name: .long,
            help: ArgumentHelp("Output format: table, csv, tsv, json, ndjson, line, markdown, html, svg (the one chart a script draws with '| "
                + "chart'), or parquet (one table, to a file)."),
            completion: .list(OutputFormat.allCases.map(\.rawValue)))
    var format: String = "table"

    @Flag(name: .long, help: "Safe mode: refuse statements that read or write files (load, .read, .output, .load).")
    var safe = false

    @Option(name: .long, help: ArgumentHelp("Load a CSV, JSON, Parquet, Excel (.xlsx) or Stata (.dta) file as a table first (NAME "
        + "defaults to the file name), with the options of 'load ... with (...)'.",
                                            valueName: "PATH[=NAME][ with (OPTIONS)]"),
            completion: .file())
    var load: [String] = []

    @Option(name: [.long, .customShort("D")],
            help: ArgumentHelp("Bind a value the scripts read as $NAME: a number, true, false, @DATE or \"text\" is typed as in the "
                + "language; other text is a String.",
                               valueName: "NAME=VALUE"))
    var param: [String] = []

    @Flag(name: .customLong("no-sources"), help: "Do not show under a table the sources and files its rows came from ('.sources off').")
    var noSources = false

    @Flag(name: .long, help: "Show each query's plan instead of its rows, as 'explain QUERY' does.")
    var explain = false

    @Flag(name: .long, help: "Run each query and show its plan with the rows and time of every stage ('explain analyze').")
    var explainAnalyze = false

    @Option(name: .customLong("to-sql"), help: ArgumentHelp("Print each query as SQL for DIALECT instead of running it: duckdb, "
        + "postgres, spark or bigquery.", valueName: "DIALECT"),
            completion: .list(SQLDialect.allCases.map(\.rawValue)))
    var toSQL: String?

    @Option(name: .long, help: ArgumentHelp("Run pipelines over this engine's tables there, as '.connect URL' does: "
                                            + "PostgreSQL (PGPASSWORD, ~/.pgpass and sslmode as psql reads them) "
                                            + "or a Spark Connect server (sc://HOST:PORT).",
                                            valueName: "postgres://USER@HOST/DB|sc://HOST:PORT"),
            completion: .list(PostgresTarget.urlSchemes + ["sc://"]))
    var engine: String?

    @Flag(name: .long, help: "With --to-sql: first print CREATE TABLE and INSERT statements for the tables the queries read.")
    var schema = false

    @Option(name: .customLong("explain-diagnostic"),
            help: ArgumentHelp("Explain the diagnostic with this ID (unknown-column, division-by-zero, …) "
                               + "and show a query that raises it.",
                               valueName: "ID"))
    var explainDiagnostic: String?

    @Flag(name: .customLong("diagnostic-ids"),
          help: "Show each diagnostic's ID after its severity (error[unknown-column]: ...), for --explain-diagnostic.")
    var diagnosticIDs = false

    @Option(name: .customLong("man-page"),
            help: ArgumentHelp("Print the man page: generate-manual's page at GENERATED_PAGE with the language's "
                               + "statements, stages and dot-commands added (README, Install).",
                               valueName: "GENERATED_PAGE", visibility: .hidden),
            completion: .file(extensions: ["1"]))
    var manPage: String?

    func validate() throws {
        if let toSQL, SQLDialect(rawValue: toSQL.lowercased()) == nil {
            throw ValidationError("unknown SQL dialect '\(toSQL)'; dialects are "
                + "\(SQLDialect.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if schema && toSQL == nil { throw ValidationError("--schema goes with --to-sql DIALECT") }
        guard OutputFormat(rawValue: format.lowercased()) != nil else {
            let formats = OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown format '\(format)'; formats are \(formats)")
        }
    }

    func run() throws {
        if let manPage {
            switch readFile(manPage) {
            case .success(let bytes): print(ManualPage.completing(String(decoding: bytes, as: UTF8.self)), terminator: "")
            case .failure(let message):
                writeError("conflictql: \(message)\n")
                throw ExitCode(2)
            }
            return
        }
        if let id = explainDiagnostic {
            guard let entry = DiagnosticCatalogue.entry(id) else {
                let suggestion = closestName(to: id, in: DiagnosticCatalogue.all.map(\.id.rawValue))
                writeError("conflictql: no diagnostic has the ID '\(escapingControlCharacters(id))'"
                           + (suggestion.map { "; did you mean '\($0)'?" } ?? "") + "\n")
                throw ExitCode(2)
            }
            print(entry.rendered, terminator: "")
            return
        }
        var formatter = ResultFormatter(format: OutputFormat(rawValue: format.lowercased()) ?? .table)
        formatter.maxWidth = terminalWidth(STDOUT_FILENO)
        formatter.chartColor = isatty(STDOUT_FILENO) != 0 && getenv("NO_COLOR") == nil
        let session = Session(allowsFileAccess: !safe)
        session.showsSources = !noSources
        session.explainsQueries = explain || explainAnalyze
        session.explainAnalyzes = explainAnalyze
        let progress = ProgressBar()
        session.loadProgress = { done, total, rows in progress.update(done: done, total: total, rows: rows) }
        let renderer = DiagnosticRenderer(useColor: isatty(STDERR_FILENO) != 0 && getenv("NO_COLOR") == nil, showsIDs: diagnosticIDs)
        do throws(ParameterError) {
            try session.bind(param.map { assignment throws(ParameterError) in try Parameter(parsing: assignment) })
        } catch {
            writeProblem(error.diagnostic, renderer: renderer)
            throw ExitCode(2)
        }
        for spec in load {
            // `PATH[=NAME] with (OPTIONS)`: read and checked as the `load` statement it stands for.
            let source = Source(name: "--load", text: spec)
            let (path, name, options): (String, String, LoadOptions)
            do throws(DiagnosticError) {
                (path, name, options) = try session.checkLoad(try LoadCommand.parse(source, from: 0, form: .commandLine).get(), in: source)
            } catch {
                writeErrorRendered(renderer.render(error.diagnostics, in: error.source))
                throw ExitCode(2)
            }
            do {
                let report = try session.load(path: path, as: name, options: options)
                progress.finish()
                if let note = report.typeChangeNote(path: path) { writeError(note + "\n") }
                if let note = report.incompleteNote(path: path) { writeError(note + "\n") }
                if let warning = report.layoutWarning(path: path) { writeError(warning + "\n") }
                if let warning = report.skippedWarning(path: path) { writeError(warning + "\n") }
            } catch {
                progress.finish()
                writeProblem(.cannotLoad(error), renderer: renderer)
                writeError(error.renderedExcerpt.map { $0 + "\n" }.joined())
                throw ExitCode(2)
            }
        }
        if let engine {
            do throws(RemoteError) {
                writeError(try session.connect(engine).summary + "\n")
            } catch {
                writeProblem(.cannotConnect(error.message), help: error.help, renderer: renderer)
                throw ExitCode(2)
            }
        }
        // Scripts and -c queries run in the order given, as in the SQLite shell, so that a
        // `-c 'let target = "Gao"'` can set a value for the script after it.
        var inputs: [(name: String, bytes: [UInt8])] = []
        var scripts = files.makeIterator(), queries = command.makeIterator()
        for kind in inputOrder(CommandLine.arguments.dropFirst(), files: files.count, commands: command.count) {
            if kind == .command, let query = queries.next() {
                inputs.append(("<command line>", Array(query.utf8)))
            } else if kind == .file, let path = scripts.next() {
                switch readFile(path) {
                case .success(let bytes): inputs.append((path, bytes))
                case .failure(let message):
                    writeProblem(message, renderer: renderer)
                    throw ExitCode(2)
                }
            }
        }
        if inputs.isEmpty {
            if isatty(STDIN_FILENO) != 0 && toSQL == nil {
                let repl = REPL(session: session, format: formatter.format)
                throw ExitCode(repl.run())
            }
            inputs.append(("<stdin>", readAll(STDIN_FILENO)))
        }
        if let dialect = toSQL.flatMap({ SQLDialect(rawValue: $0.lowercased()) }) {
            try printSQL(inputs, dialect: dialect, session: session, renderer: renderer)
            return
        }
        // Dot-commands in scripts, -c and piped input, results, hints: ScriptRunner.swift.
        let runner = ScriptRunner(session: session, formatter: formatter, renderer: renderer, progress: progress)
        do {
            for input in inputs {
                let (source, encodingError) = Source.decoding(input.bytes, name: input.name)
                if let encodingError {
                    writeErrorRendered(renderer.render(encodingError, in: source))
                    throw ScriptFailure(status: 1)
                }
                try runner.run(source)
            }
            try runner.finish()
        } catch is ScriptQuit {
            do { try runner.finish() } catch let failure as ScriptFailure { throw ExitCode(failure.status) }
        } catch let failure as ScriptFailure {
            runner.abandon()
            throw ExitCode(failure.status)
        }
    }
}

/// `-Dregion=Gao` as `-D region=Gao`, the spelling of cc and java. The argument parser's
/// joined short options stop at '=', so the split is made here, before options end at `--`.
func splittingJoinedParameters(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var optionsEnded = false
    for argument in arguments {
        if argument == "--" { optionsEnded = true }
        if !optionsEnded, argument.hasPrefix("-D"), argument.count > 2 {
            result += ["-D", String(argument.dropFirst(2))]
        } else {
            result.append(argument)
        }
    }
    return result
}

enum InputKind { case file, command }

/// The order in which script files and `-c` queries appear on the command line. The argument
/// parser keeps each list in order but not how they interleave, so the raw arguments are read
/// again for that alone; if that reading disagrees with the parser's counts (an option form
/// it does not know), scripts come first, then queries.
func inputOrder(_ arguments: ArraySlice<String>, files: Int, commands: Int) -> [InputKind] {
    var order: [InputKind] = []
    var rest = arguments[...]
    var optionsEnded = false
    while let argument = rest.popFirst() {
        if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
            order.append(.file)
        } else if argument == "--" {
            optionsEnded = true
        } else if argument == "-c" {
            if rest.popFirst() != nil { order.append(.command) }
        } else if argument.hasPrefix("-c") {
            order.append(.command)   // -cQUERY
        } else if ["--format", "--load", "--to-sql", "--param", "-D"].contains(argument) {
            _ = rest.popFirst()
        }
    }
    let counted = (order.filter { $0 == .file }.count, order.filter { $0 == .command }.count)
    if counted != (files, commands) {
        return Array(repeating: .file, count: files) + Array(repeating: .command, count: commands)
    }
    return order
}

extension ConflictQLCommand {
    /// `--to-sql DIALECT [--schema]`: the scripts' queries as SQL, not run. A statement the
    /// dialect cannot express is reported with its caret and left out, marked by a comment
    /// where it would be; the others are written, and the exit status is 1.
    func printSQL(_ inputs: [(name: String, bytes: [UInt8])], dialect: SQLDialect, session: Session,
                  renderer: DiagnosticRenderer) throws {
        var statements: [String] = []
        var refused = 0, total = 0
        for input in inputs {
            let (source, encodingError) = Source.decoding(input.bytes, name: input.name)
            if let encodingError {
                writeErrorRendered(renderer.render(encodingError, in: source))
                throw ExitCode(1)
            }
            do {
                for statement in try session.sql(for: source, dialect: dialect) {
                    if case .none = statement {} else { total += 1 }
                    if case .refused(let diagnostic) = statement {
                        refused += 1
                        writeErrorRendered(renderer.render([diagnostic], in: source))
                        let line = diagnostic.range.map { ":\(source.location(of: $0.start).line)" } ?? ""
                        statements.append(dialect.comment("\(source.name)\(line): not compiled: \(diagnostic.message)"))
                    }
                    if let text = statement.text { statements.append(text) }
                }
            } catch let error as DiagnosticError {
                writeErrorRendered(renderer.render(error.diagnostics, in: error.source))
                throw ExitCode(1)
            }
        }
        do {
            if schema { try writeOutput(try session.schemaScript(dialect: dialect, tables: session.tablesReadBySQL)) }
            try writeOutput(statements.map { $0 + "\n" }.joined(separator: "\n"))
            if refused > 0 {
                writeError("conflictql: \(refused) of \(total) statement\(total == 1 ? "" : "s") cannot be expressed in "
                    + "\(dialect.rawValue) SQL and \(refused == 1 ? "is" : "are") left out\n")
                throw ExitCode(1)
            }
        } catch let refusal as SQLError {
            writeProblem(DiagnosticMessage(id: refusal.id, severity: .error, text: "--schema: " + refusal.message), renderer: renderer)
            throw ExitCode(1)
        } catch let failure as WriteFailure {
            writeProblem(failure.diagnostic, renderer: renderer)
            throw ExitCode(2)
        }
    }
}

// Usage errors exit with status 2 (argument-parser's default is 64).
System.keepFreedMemory()
TemporaryFiles.installSignalHandlers()
let arguments = Array(CommandLine.arguments.dropFirst())
if let script = requestedCompletionScript(arguments) {
    print(script, terminator: "")
    CLibrary.exit(0)
}
let commandType: ParsableCommand.Type = arguments.first == "fmt" ? FormatCommand.self
    : arguments.first == "lsp" ? LanguageServerCommand.self : ConflictQLCommand.self
do {
    // `fmt` and `lsp` first: the script arguments would take them for files (a script called
    // fmt is run as ./fmt).
    var command: ParsableCommand
    switch arguments.first {
    case "fmt", "lsp": command = try commandType.parseAsRoot(Array(arguments.dropFirst()))
    default: command = try ConflictQLCommand.parseAsRoot(splittingJoinedParameters(arguments))
    }
    try command.run()
} catch let exit as ExitCode {
    CLibrary.exit(exit.rawValue)
} catch {
    let code = commandType.exitCode(for: error)
    if code == .success {
        // --help and --version: written by us, so that a failed write is not exit status 0.
        do { try writeOutput(commandType.fullMessage(for: error) + "\n") } catch {
            writeProblem(error.diagnostic, renderer: DiagnosticRenderer())
            CLibrary.exit(2)
        }
        CLibrary.exit(0)
    }
    writeError(commandType.fullMessage(for: error) + "\n")
    CLibrary.exit(2)
}
