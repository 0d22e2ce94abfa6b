// Running scripts, `-c` queries and piped input, with the REPL's output dot-commands in them
// (`.mode`, `.output`, `.timer`, `.maxrows`, `.help`, `.read`, also `.tables`, `.schema`,
// `.load`, `.quit`) under the same `--safe` rules. Results go to standard output or to the
// `.output` file; in CSV several results are split by a line holding only a form feed; an
// error leaves an unfinished `.output` target as it was; hints and timings go to stderr.

import ConflictQL
#if canImport(Glibc)
import Glibc
#endif

/// Ends a run with an exit status once its message is written.
struct ScriptFailure: Error {
    let status: Int32
}

/// `.quit` in a script: the run ends there, successfully.
struct ScriptQuit: Error {}

final class ScriptRunner {
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
    /// `--format svg`: the run's one chart, written when the run ends and only if nothing
    /// failed, so a file never gets half an answer (ChartOutput.swift).
    var svg = SVGCollector()
    var lastMark = monotonicSeconds()
    /// How deep `.read` may nest (a script that reads itself stops here).
    static let maximumReadDepth = 16
    /// The line between two CSV results: a form feed, which no CSV row can be (a field
    /// holding one is quoted).
    static let csvSeparator = "\u{0C}\n"

    init(session: Session, formatter: ResultFormatter, renderer: DiagnosticRenderer, progress: ProgressBar) {
        self.session = session
        self.formatter = formatter
        self.renderer = renderer
        self.progress = progress
    }

    /// Runs one input; throws `ScriptFailure` after writing its message, or `ScriptQuit`.
    func run(_ source: Source) throws {
        do {
            try session.run(source, onWarning: { writeErrorRendered(self.renderer.render($0.diagnostics, in: $0.source)) },
                            onHint: { writeErrorRendered(self.renderer.render($0.diagnostics, in: $0.source)) },
                            onCommand: { try self.perform($0, in: source) },
                            onResult: { try self.show($0) })
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
            writeError("conflictql: \(failure.message)\n")
            return ScriptFailure(status: 2)
        case let refusal as SVGRefusal:
            writeError("conflictql: \(refusal.message)\n")
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
        }
        if formatter.format == .svg {
            try svg.add(result, formatter)
            return
        }
        // `.output chart.svg`: the file holds one chart as SVG, as in the REPL.
        if let output, output.path.lowercased().hasSuffix(".svg") {
            if let problem = ResultFormatter.svgProblem(result) { throw SVGRefusal(message: problem + ", or '.output' alone to see it here") }
            guard case .chart = result else { return }
            if wroteToOutputFile {
                throw SVGRefusal(message: "'\(output.path)' already holds a chart, and an SVG file holds one; '.output FILE.svg' again for the next")
            }
            var drawing = formatter
            drawing.format = .svg
            try emit(drawing.format(result))
            wroteToOutputFile = true
            return
        }
        var formatter = self.formatter
        if output == nil && maxRows > 0 { formatter.maxRows = maxRows }
        if output != nil { formatter.maxWidth = nil }
        var wrote = false
        try formatter.write(result) { text in
            guard !text.isEmpty else { return }
            if !wrote && formatter.format == .csv && (output == nil ? wroteToStandardOutput : wroteToOutputFile) {
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

    // MARK: Dot-commands

    /// Carries out a command in a script; an error in it is an error at its line.
    func perform(_ command: ScriptCommand, in source: Source) throws {
        defer { lastMark = monotonicSeconds() }
        func fail(_ message: String, help: String? = nil) -> DiagnosticError {
            DiagnosticError([Diagnostic.error(message, at: command.range, help: help)], source: source)
        }
        if !session.allowsFileAccess {
            switch command.command {
            case .read, .load, .output(.some):
                throw fail("'\(command.text.split(separator: " ").first ?? "")' touches files, which safe mode does not allow",
                           help: "run without --safe to read or write files")
            default: break
            }
        }
        switch command.command {
        case .quit:
            throw ScriptQuit()
        case .help(let topic):
            guard let help = Help.text(topic) else {
                let suggestion = closestName(to: topic ?? "", in: Help.topics + Help.entryNames)
                throw fail("no help on '\(topic ?? "")'",
                           help: suggestion.map { "did you mean '.help \($0)'?" } ?? "topics are: \(Help.topics.joined(separator: ", "))")
            }
            try emit(help)
        case .tables:
            try runNested("tables", name: source.name)
        case .schema(let table):
            if let table {
                try runNested("describe `\(table)`", name: source.name)
            } else {
                for name in session.catalog.names {
                    try emit("\(name):\n")
                    try runNested("describe `\(name)`", name: source.name)
                }
            }
        case .mode(let format):
            formatter.format = format
        case .timer(let on):
            timer = on
        case .maxRows(let n):
            maxRows = n
        case .sources(let on):
            session.showsSources = on
        case .read(let path):
            guard readDepth < ScriptRunner.maximumReadDepth else {
                throw fail("'.read' nests deeper than \(ScriptRunner.maximumReadDepth) scripts", help: "a script that reads itself never ends")
            }
            let bytes: [UInt8]
            switch readFile(path) {
            case .failure(let message): throw fail(message)
            case .success(let read): bytes = read
            }
            let (script, encodingError) = Source.decoding(bytes, name: path)
            if let encodingError { throw DiagnosticError([encodingError], source: script) }
            readDepth += 1
            defer { readDepth -= 1 }
            try session.run(script, onWarning: { writeErrorRendered(self.renderer.render($0.diagnostics, in: $0.source)) },
                            onHint: { writeErrorRendered(self.renderer.render($0.diagnostics, in: $0.source)) },
                            onCommand: { try self.perform($0, in: script) },
                            onResult: { try self.show($0) })
        case .load:
            // The `load` statement the line stands for, parsed again in the script's text so
            // that its messages point into the script.
            var bytes = source.bytes
            for i in 0..<command.range.start where bytes[i] != UInt8(ascii: "\n") { bytes[i] = UInt8(ascii: " ") }
            let padded = Source(name: source.name, text: String(decoding: bytes[..<command.range.end], as: UTF8.self))
            let name = command.text.dropFirst().prefix { $0.isLetter }
            switch LoadCommand.parse(padded, from: command.range.start + 1 + name.utf8.count, form: .dotCommand) {
            case .failure(let error): throw error
            case .success(let load): try session.run(load.script, in: padded, onResult: { try self.show($0) })
            }
        case .output(let path):
            try closeOutput()
            if let path {
                switch OutputFile.open(path) {
                case .success(let file):
                    output = file
                    wroteToOutputFile = false
                case .failure(let failure):
                    throw fail(failure.message)
                }
            }
        }
    }

    /// `.tables` and `.schema`: their statements, shown as results.
    func runNested(_ text: String, name: String) throws {
        try session.run(Source(name: name, text: text), onResult: { try self.show($0) })
    }

    func closeOutput() throws {
        guard let file = output else { return }
        output = nil
        if let problem = file.commit() {
            writeError("conflictql: \(problem)\n")
            throw ScriptFailure(status: 2)
        }
    }
}
