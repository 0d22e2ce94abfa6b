// Running scripts, `-c` queries and piped input, with the REPL's output dot-commands in them
// (`.mode`, `.output`, `.timer`, `.maxrows`, `.help`, `.read`, also `.tables`, `.schema`,
// `.load`, `.quit`) under the same `--safe` rules. Results go to standard output or to the
// `.output` file; in CSV several results are split by a line holding only a form feed; an
// error leaves an unfinished `.output` target as it was; hints and timings go to stderr.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends a run with an exit status once its message is written.
struct ScriptFailure: Error {
    let status: Int32
}

/// `.quit` in a script: the run ends there, successfully.
struct ScriptQuit: Error {}

final class ScriptRunner: DotCommandHost {
    let session: Session
    var formatter: ResultFormatter
    let renderer: DiagnosticRenderer
    let progress: ProgressBar
    var timer = false
    var maxRows = 0
    var output: OutputFile?
    /// Whether a result went to standard output, or to the open `.output` file: the next
    /// CSV result there is preceded by the separator.
    var wroteToStandardOutput = false
    var wroteToOutputFile = false
    var readDepth = 0
    var canShowMore: Bool { true }
    var format: OutputFormat {
        get { formatter.format }
        set { formatter.format = newValue }
    }
    /// `--format svg`: the run's one chart, written when the run ends and only if nothing
    /// failed, so a file never gets half an answer (ChartOutput.swift).
    var svg = SVGCollector()
    var lastMark = monotonicSeconds()
    /// The line between two CSV results: a form feed, which no CSV row can be (a field
    /// holding one is quoted).
    static let csvSeparator = "\u{0C}\n"

    init(session: Session, formatter: ResultFormatter, renderer: DiagnosticRenderer, progress: ProgressBar) {
        self.session = session
        self.formatter = formatter
        self.renderer = renderer
        self.progress = progress
        // A query on an engine fetches only the rows `.maxrows` shows.
        session.rowsShown = { [unowned self] in
            output?.path.lowercased().hasSuffix(".svg") == true || writesParquet ? nil : tableFormatter.rowsShown
        }
    }

    /// What a result is written with now, as `.mode`, `.maxrows` and `.output` have it.
    var tableFormatter: ResultFormatter {
        var formatter = self.formatter
        if output == nil && maxRows > 0 { formatter.maxRows = maxRows }
        if output != nil { formatter.maxWidth = nil }
        return formatter
    }

    /// Runs one input; throws `ScriptFailure` after writing its message, or `ScriptQuit`.
    func run(_ source: Source) throws {
        do {
            try runScript(source)
        } catch let error as DiagnosticError {
            progress.finish()
            writeErrorRendered(renderer.render(error.diagnostics, in: error.source))
            throw ScriptFailure(status: 1)
        } catch {
            throw reported(error)
        }
    }

    /// After the last input (or `.quit`): the SVG chart, and the `.output` file takes its
    /// place, whole.
    func finish() throws {
        if formatter.format == .svg {
            do {
                try emit(try svg.document())
            } catch {
                throw reported(error)
            }
        }
        try closeOutput()
    }

    /// A write that failed (status 2) or an SVG that cannot be made (status 1) as a
    /// `ScriptFailure`, its message written; any other error as it is.
    private func reported(_ error: Error) -> Error {
        switch error {
        case let failure as WriteFailure:
            writeProblem(failure.diagnostic, renderer: renderer)
            return ScriptFailure(status: 2)
        case let refusal as SVGRefusal:
            writeProblem(refusal.diagnostic, renderer: renderer)
            return ScriptFailure(status: 1)
        case let refusal as ParquetRefusal:
            writeProblem(refusal.diagnostic, renderer: renderer)
            return ScriptFailure(status: 1)
        default:
            return error
        }
    }

    /// After an error: an unfinished `.output` file is dropped and its target left as it was.
    func abandon() {
        guard let file = output else { return }
        output = nil
        file.discard()
    }

    // MARK: Results

    func show(_ result: StatementResult) throws {
        if case .loaded(let name, let path, let report) = result {
            progress.finish()
            if isatty(STDERR_FILENO) != 0 {
                writeError(report.summary(table: name) + "\n")
            } else {
                if let note = report.typeChangeNote(path: path) { writeError(note + "\n") }
                if let note = report.incompleteNote(path: path) { writeError(note + "\n") }
            }
            if let warning = report.skippedWarning(path: path) { writeError(warning + "\n") }
            if let warning = report.layoutWarning(path: path) { writeError(warning + "\n") }
        }
        if formatter.format == .svg {
            try svg.add(result, formatter)
            return
        }
        // `--format parquet`, `.output FILE.parquet`: one table as a file (ParquetOutput.swift).
        if writesParquet {
            try showParquet(result)
            return
        }
        // `.output chart.svg`: the file holds one chart as SVG, as in the REPL.
        if let output, output.path.lowercased().hasSuffix(".svg") {
            if let problem = ResultFormatter.svgProblem(result) {
                throw SVGRefusal(diagnostic: problem.adding(after: ", or '.output' alone to see it here"))
            }
            guard case .chart = result else { return }
            if wroteToOutputFile {
                throw SVGRefusal(diagnostic: .svgFileHoldsChart(output.path))
            }
            var drawing = formatter
            drawing.format = .svg
            try emit(drawing.format(result))
            wroteToOutputFile = true
            return
        }
        let formatter = tableFormatter
        var wrote = false
        try formatter.write(result) { text in
            guard !text.isEmpty else { return }
            if !wrote && formatter.format.separatesResults && (output == nil ? wroteToStandardOutput : wroteToOutputFile) {
                try emit(ScriptRunner.csvSeparator)
            }
            wrote = true
            try emit(text)
        }
        if wrote {
            if output == nil { wroteToStandardOutput = true } else { wroteToOutputFile = true }
        }
        if timer {
            let milliseconds = Int(((monotonicSeconds() - lastMark) * 1000).rounded())
            writeError("time: \(milliseconds / 1000).\(String(milliseconds % 1000).leftPadded(to: 3)) s\n")
        }
        lastMark = monotonicSeconds()
    }

    func emit(_ text: String) throws(WriteFailure) {
        if let output { try output.write(text) } else { try writeOutput(text) }
    }

    // MARK: Dot-commands (carried out by the library's `perform`, DotCommandPerformer.swift)

    /// A command in a script: an error in it is an error at its line, and the run stops.
    func perform(_ command: ScriptCommand, in source: Source) throws {
        defer { lastMark = monotonicSeconds() }
        if try perform(command.command, at: command.range, in: source, policy: .stopScript) == .quit { throw ScriptQuit() }
    }

    func closeOutput() throws {
        guard let file = output else { return }
        output = nil
        if let problem = file.commit() {
            writeProblem(problem, renderer: renderer)
            throw ScriptFailure(status: 2)
        }
    }
}

extension ScriptRunner {
    func showHelp(_ text: String) throws { try emit(text) }

    func writeAmongResults(_ text: String) throws { try emit(text) }

    /// `.tables` and `.schema`: their statements, shown as results.
    func runStatements(_ source: Source) throws {
        try session.run(source, onResult: { try self.show($0) })
    }

    /// A script, or a script `.read` read: its commands are carried out in their places.
    func runScript(_ script: Source) throws {
        try session.run(script, onWarning: { writeErrorRendered(self.renderer.render($0.diagnostics, in: $0.source)) },
                        onHint: { writeErrorRendered(self.renderer.render($0.diagnostics, in: $0.source)) },
                        onCommand: { try self.perform($0, in: script) },
                        onResult: { try self.show($0) })
    }

    func runLoad(_ script: Script, in source: Source) throws {
        try session.run(script, in: source, onResult: { try self.show($0) })
    }

    func readScript(at path: String) throws(HostFileFailure) -> [UInt8] {
        switch readFile(path) {
        case .failure(let message): throw HostFileFailure(message)
        case .success(let bytes): return bytes
        }
    }

    func openOutput(_ path: String) throws(HostFileFailure) {
        switch OutputFile.open(path) {
        case .success(let file):
            output = file
            wroteToOutputFile = false
        case .failure(let failure):
            throw HostFileFailure(failure.diagnostic)
        }
    }

    /// Under `.stopScript` nothing is reported: the failure is thrown.
    func note(_ text: String) { writeError(text + "\n") }

    func report(_ failure: DotCommandFailure) {
        writeErrorRendered(renderer.render(failure.error.diagnostics, in: failure.error.source))
    }
}
