// The interactive session: GNU readline (through CReadline) for line editing, history and
// completion; the library's StatementAssembler, Completer, DotCommand and Help for all the
// logic. Readline's callback interface is used so that Ctrl-C can discard a half-typed line
// and cancel a running statement without ending the session.

import ConflictQL
import CReadline
#if canImport(Glibc)
import Glibc
#endif

// Readline calls back into C function pointers, which cannot capture: the REPL they serve
// is reached through these globals. Only the main thread touches them.
nonisolated(unsafe) var activeREPL: REPL?
nonisolated(unsafe) var receivedLine: String?
nonisolated(unsafe) var receivedEndOfInput = false
nonisolated(unsafe) var lineArrived = false
nonisolated(unsafe) var completionMatches: [String] = []
nonisolated(unsafe) var completionIndex = 0
/// Set by the SIGINT handler; read by the input loop.
nonisolated(unsafe) var interruptPending: sig_atomic_t = 0

final class REPL {
    let session: Session
    var formatter: ResultFormatter
    var assembler = StatementAssembler()
    var timer = false
    var maxRows = 40
    var output: OutputFile?
    let historyPath: String?
    let renderer: DiagnosticRenderer
    let progress = ProgressBar()
    var historyWarned = false
    static let historyLimit = 2000

    init(session: Session, format: OutputFormat) {
        self.session = session
        formatter = ResultFormatter(format: format)
        let useColor = getenv("NO_COLOR") == nil
        formatter.dimNulls = useColor
        // Source lines in messages fit the terminal, gutter included.
        renderer = DiagnosticRenderer(useColor: useColor, maximumLineWidth: min(120, (terminalWidth(STDOUT_FILENO) ?? 128) - 8))
        if let value = getenv("CONFLICTQL_HISTORY") {
            let path = String(cString: value)
            historyPath = path.isEmpty ? nil : path
        } else if let home = getenv("HOME") {
            historyPath = String(cString: home) + "/.conflictql_history"
        } else {
            historyPath = nil
        }
    }

    // MARK: Set-up

    func run() -> Int32 {
        activeREPL = self
        cq_readline_configure(strdup("conflictql"), strdup(" \t\n|,()[]=<>!;")) { text, start, end in
            activeREPL?.complete(text, start: Int(start), end: Int(end))
        }
        loadHistory()
        installInterruptHandler()
        let progress = self.progress
        session.loadProgress = { done, total, rows in progress.update(done: done, total: total, rows: rows) }
        let tableCount = session.catalog.names.count
        writeAll(STDOUT_FILENO, "ConflictQL \(conflictQLVersion) · \(tableCount) tables (.tables lists them) · .help for help, Ctrl-D to leave\n")
        while true {
            guard let line = readLine(prompt: assembler.isContinuing ? "... " : "cq> ") else { break }
            if !handle(line) { break }
        }
        finishOutput()
        return 0
    }

    func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            interruptPending = 1
            activeREPL?.session.cancellation.cancel()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: select() returns EINTR
        sigaction(SIGINT, &action, nil)
        // A parent may have left SIGINT blocked; the mask survives exec.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        sigprocmask(SIG_UNBLOCK, &interrupt, nil)
    }

    // MARK: Reading

    /// One line through readline's callback interface; nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        lineArrived = false
        receivedEndOfInput = false
        rl_callback_handler_install(prompt, { line in
            if let line {
                receivedLine = String(cString: line)
                free(line)
            } else {
                receivedEndOfInput = true
            }
            lineArrived = true
            rl_callback_handler_remove()
        })
        while !lineArrived {
            if interruptPending != 0 {
                // Ctrl-C while typing: drop the line (and any statement in progress).
                interruptPending = 0
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_replace_line("", 0)
                rl_crlf()
                assembler.discard()
                rl_callback_handler_remove()
                return readLine(prompt: "cq> ")
            }
            var readable = fd_set()
            fdZero(&readable)
            fdSet(STDIN_FILENO, &readable)
            let ready = select(STDIN_FILENO + 1, &readable, nil, nil, nil)
            if ready < 0 {
                // EINTR: a signal; the loop's top handles Ctrl-C.
                if errno == EINTR { continue }
                return nil
            }
            rl_callback_read_char()
        }
        if receivedEndOfInput {
            writeAll(STDOUT_FILENO, "\n")
            return nil
        }
        return receivedLine ?? ""
    }

    // MARK: Statements

    /// Handles one line; false to leave.
    func handle(_ line: String) -> Bool {
        switch assembler.add(line) {
        case .needMore, .empty:
            return true
        case .error(let message):
            writeError("error: \(message)\n")
            return true
        case .dotCommand(let text):
            remember(text)
            return dotCommand(text)
        case .statement(let text, let historyEntry):
            remember(historyEntry)
            if run(text, name: "<repl>") { assembler.succeeded(text) }
            return true
        }
    }

    /// Runs a statement (or a script) and shows its results; false when it failed.
    @discardableResult
    func run(_ text: String, name: String) -> Bool {
        interruptPending = 0
        session.cancellation.reset()
        let started = monotonicSeconds()
        var formatter = self.formatter
        formatter.maxRows = output == nil && maxRows > 0 ? maxRows : nil
        formatter.maxWidth = output == nil ? terminalWidth(STDOUT_FILENO) : nil
        if output != nil { formatter.dimNulls = false }
        var succeeded = true
        do {
            try session.run(Source(name: name, text: text)) { result in
                if case .loaded(let table, let path, let report) = result {
                    progress.finish()
                    writeError(report.summary(table: table) + "\n")
                    if let warning = report.skippedWarning(path: path) { writeError(warning + "\n") }
                }
                formatter.write(result, to: emit)
            }
        } catch let error as DiagnosticError {
            progress.finish()
            writeError(renderer.render(error.diagnostics, in: error.source))
            succeeded = false
        } catch {
            writeError("error: \(error)\n")
            succeeded = false
        }
        // A Ctrl-C during the statement cancelled it; it is not for the next line.
        interruptPending = 0
        if timer {
            let milliseconds = Int(((monotonicSeconds() - started) * 1000).rounded())
            writeError("time: \(milliseconds / 1000).\(String(milliseconds % 1000).leftPadded(to: 3)) s\n")
        }
        return succeeded
    }

    func emit(_ text: String) {
        if let output {
            output.write(text)
        } else {
            writeAll(STDOUT_FILENO, text)
        }
    }

    // MARK: Dot-commands

    func dotCommand(_ text: String) -> Bool {
        switch DotCommand.parse(text) {
        case .failure(let diagnostic):
            writeError(renderer.render(diagnostic, in: Source(name: "<repl>", text: text)))
        case .success(let command):
            if !session.allowsFileAccess {
                switch command {
                case .read, .load, .output(.some):
                    writeError(renderer.render(Diagnostic.error("'\(text.split(separator: " ").first ?? "")' touches files, which safe mode does not allow",
                                                                at: SourceRange(start: 0, end: text.utf8.count),
                                                                help: "run without --safe to read or write files"),
                                               in: Source(name: "<repl>", text: text)))
                    return true
                default: break
                }
            }
            switch command {
            case .quit:
                return false
            case .help(let topic):
                if let help = Help.text(topic) {
                    writeAll(STDOUT_FILENO, help)
                } else {
                    let suggestion = closestName(to: topic ?? "", in: Help.topics)
                    writeError("error: no help on '\(topic ?? "")'\nhelp: \(suggestion.map { "did you mean '.help \($0)'?" } ?? "topics are: \(Help.topics.joined(separator: ", "))")\n")
                }
            case .tables:
                run("tables", name: "<repl>")
            case .schema(let table):
                if let table {
                    run("describe `\(table)`", name: "<repl>")
                } else {
                    for name in session.catalog.names {
                        emit("\(name):\n")
                        run("describe `\(name)`", name: "<repl>")
                    }
                }
            case .mode(let format):
                formatter.format = format
            case .timer(let on):
                timer = on
            case .maxRows(let n):
                maxRows = n
            case .read(let path):
                switch readFile(path) {
                case .failure(let message): writeError("error: \(message)\n")
                case .success(let bytes):
                    let (source, encodingError) = Source.decoding(bytes, name: path)
                    if let encodingError {
                        writeError(renderer.render(encodingError, in: source))
                    } else {
                        run(source.text, name: path)
                    }
                }
            case .load(let path, let name):
                // By scalars: a quote followed by a combining mark is one Character that
                // is not equal to `"`, yet the lexer sees the quote and would end the string.
                var quoted = ""
                for c in path.unicodeScalars {
                    if c == "\"" || c == "\\" { quoted += "\\" }
                    quoted.unicodeScalars.append(c)
                }
                run("load \"\(quoted)\"" + (name.map { " as `\($0)`" } ?? ""), name: "<repl>")
            case .output(let path):
                finishOutput()
                if let path {
                    switch OutputFile.open(path) {
                    case .success(let file): output = file
                    case .failure(let failure): writeError("error: \(failure.message)\n")
                    }
                }
            }
        }
        return true
    }

    /// Closes a `.output` file: its content replaces the target only now, whole.
    func finishOutput() {
        guard let file = output else { return }
        output = nil
        if let problem = file.commit() { writeError("error: \(problem)\n") }
    }

    // MARK: History

    func loadHistory() {
        cq_history_configure()
        stifle_history(Int32(REPL.historyLimit))
        guard let historyPath else { return }
        // Reading keeps the newest entries (the history is stifled); saving rewrites the file.
        if access(historyPath, F_OK) == 0 { read_history(historyPath) }
    }

    /// Adds an entry and saves the history at once, so a crash loses nothing. The file is
    /// written whole to a temporary file and renamed over the old one: a crash or a full disk
    /// leaves the old history or the new, never a truncated one.
    func remember(_ entry: String) {
        add_history(entry)
        guard let historyPath else { return }
        let temporary = historyPath + ".tmp-\(getpid())"
        if write_history(temporary) != 0 || rename(temporary, historyPath) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            if !historyWarned {
                writeError("warning: could not save history to \(historyPath): \(reason)\n")
                historyWarned = true
            }
        }
    }

    // MARK: Completion

    func complete(_ text: UnsafePointer<CChar>?, start: Int, end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        cq_completion_over()
        let buffer = cq_line_buffer().map { Array(String(cString: $0).utf8) } ?? []
        let before = String(decoding: buffer[0..<min(start, buffer.count)], as: UTF8.self)
        let word = text.map { String(cString: $0) } ?? ""
        let completer = Completer(catalog: session.catalog, environment: session.environment,
                                  allowsFileAccess: session.allowsFileAccess)
        let fileCommands = [".load ", ".read ", ".output "]
        if !assembler.isContinuing, fileCommands.contains(where: { before.hasPrefix($0) }) {
            completionMatches = session.allowsFileAccess ? Completer.paths(startingWith: word) : []
        } else {
            let context = before.hasPrefix(".") && !assembler.isContinuing ? "" : assembler.context(beforeCurrentLine: before)
            completionMatches = completer.complete(context, word: word)
        }
        // After a folder, go on typing the path: no space.
        cq_completion_append(completionMatches.count == 1 && completionMatches[0].hasSuffix("/") ? 0 : 32)
        completionIndex = 0
        guard let text, !completionMatches.isEmpty else { return nil }
        return rl_completion_matches(text, { _, state in
            if state == 0 { completionIndex = 0 }
            guard completionIndex < completionMatches.count else { return nil }
            defer { completionIndex += 1 }
            return strdup(completionMatches[completionIndex])
        })
    }
}

/// A `.output` file: written to a temporary file beside the target and renamed over it when
/// closed, so a crash or a full disk leaves the old content or the new, never a mix.
final class OutputFile {
    let path: String
    let temporaryPath: String
    let fd: Int32
    var failure: String?

    init(path: String, temporaryPath: String, fd: Int32) {
        self.path = path
        self.temporaryPath = temporaryPath
        self.fd = fd
    }

    static func open(_ path: String) -> Result<OutputFile, OutputFileError> {
        let temporary = path + ".tmp-\(getpid())"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { return .failure(OutputFileError("cannot write '\(path)': \(String(cString: strerror(errno)))")) }
        return .success(OutputFile(path: path, temporaryPath: temporary, fd: fd))
    }

    func write(_ text: String) {
        guard failure == nil else { return }
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    failure = "writing '\(path)' failed: \(String(cString: strerror(errno)))"
                    return
                }
                offset += n
            }
        }
    }

    /// Flushes and renames into place; returns a message when that failed (the target is
    /// then untouched).
    func commit() -> String? {
        if failure == nil && fsync(fd) != 0 { failure = "writing '\(path)' failed: \(String(cString: strerror(errno)))" }
        close(fd)
        if let failure {
            unlink(temporaryPath)
            return failure + "; '\(path)' was left as it was"
        }
        if rename(temporaryPath, path) != 0 {
            let message = "cannot replace '\(path)': \(String(cString: strerror(errno)))"
            unlink(temporaryPath)
            return message
        }
        return nil
    }
}

struct OutputFileError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension Result where Failure == OutputFileError {
    static func failure(_ message: String) -> Result { .failure(OutputFileError(message)) }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}


func fdZero(_ set: inout fd_set) {
    set.__fds_bits = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}

func fdSet(_ fd: Int32, _ set: inout fd_set) {
    withUnsafeMutableBytes(of: &set.__fds_bits) { raw in
        let words = raw.bindMemory(to: Int.self)
        words[Int(fd) / Int.bitWidth] |= 1 << (Int(fd) % Int.bitWidth)
    }
}
