// The `conflictql` command: runs query scripts, one-line queries or standard input through
// the ConflictQL library, and writes results and diagnostics. All language logic is in the
// library; this file only reads arguments and files and writes to the terminal.

import ArgumentParser
import ConflictQL
#if canImport(Glibc)
import Glibc
#endif

struct ConflictQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflictql",
        abstract: "Query the conflict in Mali and the Sahel: the briefing's tables and conflict event data.",
        discussion: """
        Examples:
          conflictql Samples/tour.cq
          conflictql -c 'groups | where designation has "FTO" | select name, founded'
          conflictql --format csv -c 'funding | summarize total = sum(amount_usd) by recipient'
          echo 'tables' | conflictql
          conflictql --load acled.csv=events -c 'events | summarize fatalities = sum(fatalities) by year'

        Exit status: 0 on success, 1 for an error in a query, 2 for usage and file errors.
        """,
        version: conflictQLVersion
    )

    @Argument(help: "Query scripts to run, in order, in one session.")
    var files: [String] = []

    @Option(name: .customShort("c"), help: "Run this query (may be given more than once).")
    var command: [String] = []

    @Option(name: .long, help: "Output format: table, csv, json or markdown.")
    var format: String = "table"

    @Flag(name: .long, help: "Safe mode: refuse statements that read or write files (load, .read, .output, .load).")
    var safe = false

    @Option(name: .long, help: ArgumentHelp("Load a CSV or JSON file as a table first (NAME defaults to the file name).",
                                            valueName: "PATH[=NAME]"))
    var load: [String] = []

    func validate() throws {
        guard OutputFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("unknown format '\(format)'; formats are table, csv, json, markdown")
        }
    }

    func run() throws {
        var formatter = ResultFormatter(format: OutputFormat(rawValue: format.lowercased()) ?? .table)
        formatter.maxWidth = terminalWidth(STDOUT_FILENO)
        let session = Session(allowsFileAccess: !safe)
        let progress = ProgressBar()
        session.loadProgress = { done, total, rows in progress.update(done: done, total: total, rows: rows) }
        for spec in load {
            let (path, name) = splitLoadSpec(spec)
            do {
                let report = try session.load(path: path, as: name)
                progress.finish()
                if let warning = report.skippedWarning(path: path) { writeError(warning + "\n") }
            } catch {
                progress.finish()
                writeError("conflictql: cannot load \(error.description)\n" + error.renderedExcerpt.map { $0 + "\n" }.joined())
                throw ExitCode(2)
            }
        }
        var inputs: [(name: String, bytes: [UInt8])] = []
        for path in files {
            switch readFile(path) {
            case .success(let bytes): inputs.append((path, bytes))
            case .failure(let message):
                writeError("conflictql: \(message)\n")
                throw ExitCode(2)
            }
        }
        inputs += command.map { ("<command line>", Array($0.utf8)) }
        if inputs.isEmpty {
            if isatty(STDIN_FILENO) != 0 {
                let repl = REPL(session: session, format: formatter.format)
                throw ExitCode(repl.run())
            }
            inputs.append(("<stdin>", readAll(STDIN_FILENO)))
        }
        let renderer = DiagnosticRenderer(useColor: isatty(STDERR_FILENO) != 0 && getenv("NO_COLOR") == nil)
        for input in inputs {
            let (source, encodingError) = Source.decoding(input.bytes, name: input.name)
            if let encodingError {
                writeError(renderer.render(encodingError, in: source))
                throw ExitCode(1)
            }
            do {
                try session.run(source) { result in
                    if case .loaded(let name, let path, let report) = result {
                        progress.finish()
                        if isatty(STDERR_FILENO) != 0 { writeError(report.summary(table: name) + "\n") }
                        if let warning = report.skippedWarning(path: path) { writeError(warning + "\n") }
                    }
                    try formatter.write(result, to: writeOutput)
                }
            } catch let error as DiagnosticError {
                progress.finish()
                writeError(renderer.render(error.diagnostics, in: error.source))
                throw ExitCode(1)
            } catch let failure as WriteFailure {
                writeError("conflictql: \(failure.message)\n")
                throw ExitCode(2)
            }
        }
    }
}

/// `events.csv=ev` gives the path and the name; `events.csv` the path alone.
func splitLoadSpec(_ spec: String) -> (String, String?) {
    guard let equals = spec.lastIndex(of: "="), equals != spec.startIndex else { return (spec, nil) }
    let name = String(spec[spec.index(after: equals)...])
    guard !name.isEmpty, !name.contains("/") else { return (spec, nil) }
    return (String(spec[..<equals]), name)
}

enum FileReadResult {
    case success([UInt8])
    case failure(String)
}

/// Reads a whole file, with a message a person can act on when it cannot be read.
func readFile(_ path: String) -> FileReadResult {
    var info = stat()
    if stat(path, &info) != 0 {
        return .failure("cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
        return .failure("'\(path)' is a directory, not a script")
    }
    let fd = open(path, O_RDONLY)
    if fd < 0 {
        return .failure("cannot open '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    return .success(readAll(fd))
}

func readAll(_ fd: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
}

// Usage errors exit with status 2 (argument-parser's default is 64).
do {
    var command = try ConflictQLCommand.parseAsRoot()
    try command.run()
} catch let exit as ExitCode {
    Glibc.exit(exit.rawValue)
} catch {
    let code = ConflictQLCommand.exitCode(for: error)
    if code == .success {
        // --help and --version: written by us, so that a failed write is not exit status 0.
        do { try writeOutput(ConflictQLCommand.fullMessage(for: error) + "\n") } catch {
            writeError("conflictql: \(error.message)\n")
            Glibc.exit(2)
        }
        Glibc.exit(0)
    }
    writeError(ConflictQLCommand.fullMessage(for: error) + "\n")
    Glibc.exit(2)
}
