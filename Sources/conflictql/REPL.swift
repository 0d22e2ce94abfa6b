// The interactive session: GNU readline (through CReadline) for line editing, history and
// completion; the library's StatementAssembler, Completer, DotCommand and Help for all the
// logic. Readline's callback interface is used so that Ctrl-C can discard a half-typed line
// and cancel a running statement without ending the session.

import ConflictQL
import CReadline
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
/// SIGTERM or SIGHUP, set by their handler: the session ends as with Ctrl-D.
nonisolated(unsafe) var terminationSignal: sig_atomic_t = 0

final class REPL: DotCommandHost {
    let session: Session
    var formatter: ResultFormatter
    var assembler = StatementAssembler()
    var timer = false
    var maxRows = 40
    /// How deep `.read` commands nest now (a script may read another).
    var readDepth = 0
    var output: OutputFile?
    /// Whether a result went to the `.output` file: the next CSV one is preceded by the separator.
    var outputHasResult = false
    var history: HistoryFile?
    let renderer: DiagnosticRenderer
    let progress = ProgressBar()
    var historyFailed = false
    /// A write of results, of `.output` or of history failed: the exit status is 2.
    var writeFailed = false
    /// Standard output cannot be written (a terminal gone, a full disk): the session ends.
    var outputLost = false
    static let historyLimit = 2000
    /// The `.output` file is SVG and has its one chart.
    var outputHoldsChart = false
    /// `.pager`: results taller than the terminal go through a pager (Pager.swift).
    var pager = DotCommand.PagerSetting.on
    /// The pager of the statement running now, when results go to the terminal.
    var paged: PagedOutput?
    /// `.once FILE`: the file for the next statement's results.
    var once: OutputFile?
    /// The last statement's results, for `.last`, and its text, for `.edit`.
    var lastResults: [StatementResult] = []
    var lastStatementText: String?
    /// A pager that is not on PATH was said once; results then go straight to the terminal.
    var missingPagerReported = false
    var format: OutputFormat {
        get { formatter.format }
        set { formatter.format = newValue }
    }
    var canShowMore: Bool { !outputLost }

    init(session: Session, format: OutputFormat) {
        self.session = session
        formatter = ResultFormatter(format: format)
        let useColor = getenv("NO_COLOR") == nil
        formatter.dimNulls = useColor
        formatter.chartColor = useColor
        // Source lines in messages fit the terminal, gutter included.
        renderer = DiagnosticRenderer(useColor: useColor, maximumLineWidth: min(120, (terminalWidth(STDOUT_FILENO) ?? 128) - 8))
        var historyPath: String?
        if let value = getenv("CONFLICTQL_HISTORY") {
            historyPath = String(cString: value)
        } else if let home = getenv("HOME") {
            historyPath = String(cString: home) + "/.conflictql_history"
        }
        if let historyPath, !historyPath.isEmpty { history = HistoryFile(path: historyPath, limit: REPL.historyLimit) }
    }

    // MARK: Set-up

    func run() -> Int32 {
        activeREPL = self
        cq_readline_configure(strdup("conflictql"), strdup(" \t\n|,()[]=<>!;")) { text, start, end in
            activeREPL?.complete(text, start: Int(start), end: Int(end))
        }
        loadHistory()
        installSignalHandlers()
        let progress = self.progress
        session.loadProgress = { done, total, rows in progress.update(done: done, total: total, rows: rows) }
        let tableCount = session.catalog.names.count
        show("ConflictQL \(conflictQLVersion) · \(tableCount) tables (.tables lists them) · .help for help, Ctrl-D to leave\n")
        while !outputLost && terminationSignal == 0 {
            guard let line = readLine(prompt: assembler.isContinuing ? "... " : "cq> ") else { break }
            if !handle(line) { break }
        }
        // Ctrl-D, .quit, SIGTERM and SIGHUP all end here: the `.output` file is finished
        // (its finished results kept), and the history was saved entry by entry.
        finishOutput()
        if terminationSignal != 0 { return 128 + terminationSignal }
        return writeFailed ? 2 : 0
    }

    func installSignalHandlers() {
        // No SA_RESTART: select() returns EINTR.
        CLibrary.handle([SIGINT]) { _ in
            interruptPending = 1
            activeREPL?.session.cancellation.cancel()
        }
        // TERM and HUP (a closed terminal window) end the session as Ctrl-D does, instead
        // of killing it with the `.output` file unfinished and the terminal without echo.
        CLibrary.handle([SIGTERM, SIGHUP]) { signal in
            terminationSignal = signal
            activeREPL?.session.cancellation.cancel()
        }
        // A parent may have left these blocked; the mask survives exec.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&handled, signal) }
        sigprocmask(SIG_UNBLOCK, &handled, nil)
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
            if terminationSignal != 0 {
                // Leave as at Ctrl-D; removing the handler gives the terminal its echo back.
                rl_callback_handler_remove()
                writeAll(STDOUT_FILENO, "\n")
                return nil
            }
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
            // A signal that lands between the checks above and select() would wait for the
            // next key: the timeout bounds that wait.
            var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
            let ready = select(STDIN_FILENO + 1, &readable, nil, nil, &timeout)
            if ready < 0 {
                // EINTR: a signal; the loop's top handles it.
                if errno == EINTR { continue }
                return nil
            }
            if ready == 0 { continue }
            rl_callback_read_char()
        }
        if receivedEndOfInput {
            show("\n")
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
            writeProblem(message, renderer: renderer, atPrompt: true)
            return true
        case .dotCommand(let text):
            // A `.connect` line's password is not kept in the history file.
            remember(DotCommand.historyEntry(text))
            return dotCommand(text)
        case .statement(let text, let historyEntry):
            remember(historyEntry)
            lastStatementText = text
            lastResults = []
            if run(text, name: "<repl>") { assembler.succeeded(text) }
            return true
        }
    }

    /// Runs a statement (or a script) and shows its results; false when it failed.
    @discardableResult
    func run(_ text: String, name: String, script: Script? = nil) -> Bool {
        interruptPending = 0
        session.cancellation.reset()
        let started = monotonicSeconds()
        let onceFile = takeOnce()
        defer { if let onceFile { finishOnce(onceFile) } }
        let pagerHere = startPaging()
        defer { if pagerHere { finishPaging() } }
        var formatter = self.formatter
        formatter.maxRows = output == nil && maxRows > 0 ? maxRows : nil
        formatter.maxWidth = output == nil ? terminalWidth(STDOUT_FILENO) : nil
        if output != nil { formatter.dimNulls = false; formatter.chartColor = false }
        // `.output chart.svg` writes charts as SVG whatever the mode (ChartOutput.swift).
        if output?.path.lowercased().hasSuffix(".svg") == true { formatter.format = .svg }
        // A query on an engine fetches only the rows this shows (`.last` fetches them all).
        session.rowsShown = { [unowned self] in writesParquet ? nil : formatter.rowsShown }
        defer { session.rowsShown = nil }
        var succeeded = true
        do {
            let source = Source(name: name, text: text)
            func onWarning(_ warning: DiagnosticError) { writeErrorRendered(renderer.render(warning.diagnostics, in: warning.source)) }
            func onResult(_ result: StatementResult) throws {
                if case .loaded(let table, let path, let report) = result {
                    progress.finish()
                    writeError(report.summary(table: table) + "\n")
                    if let warning = report.skippedWarning(path: path) { writeError(warning + "\n") }
                    if let warning = report.layoutWarning(path: path) { writeError(warning + "\n") }
                }
                switch result {
                case .table, .value, .chart: lastResults.append(result)
                case .loaded, .bound: break
                }
                if formatter.format == .svg { try checkSVG(result) }
                // `.mode parquet`, `.output FILE.parquet`: one table as a file (ParquetOutput.swift).
                if writesParquet {
                    try showParquet(result)
                    return
                }
                // CSV results in one `.output` file are split as a script's are (ScriptRunner).
                var wrote = false
                try formatter.write(result) { text in
                    guard !text.isEmpty else { return }
                    if !wrote && output != nil && outputHasResult && formatter.format.separatesResults {
                        try emit(ScriptRunner.csvSeparator)
                    }
                    wrote = true
                    try emit(text)
                }
                if wrote && output != nil { outputHasResult = true }
            }
            // Why a result is empty, under it (Engine/EmptyResultHints.swift).
            func onHint(_ hint: DiagnosticError) { writeErrorRendered(renderer.render(hint.diagnostics, in: hint.source)) }
            if let script {
                try session.run(script, in: source, onWarning: onWarning, onHint: onHint, onResult: onResult)
            } else {
                // A `.read` script may hold dot-commands, run as if typed (ScriptCommands.swift).
                try session.run(source, onWarning: onWarning, onHint: onHint,
                                onCommand: { command in _ = self.dotCommand(command.text) }, onResult: onResult)
            }
        } catch let failure as WriteFailure {
            progress.finish()
            outputFailed(failure)
            succeeded = false
        } catch let error as DiagnosticError {
            progress.finish()
            writeErrorRendered(renderer.render(error.diagnostics, in: error.source))
            succeeded = false
        } catch let refusal as SVGRefusal {
            writeProblem(refusal.diagnostic, renderer: renderer, atPrompt: true)
            succeeded = false
        } catch let refusal as ParquetRefusal {
            writeProblem(refusal.diagnostic, renderer: renderer, atPrompt: true)
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

    func emit(_ text: String) throws(WriteFailure) {
        if let output {
            try output.write(text)
        } else if let paged {
            try paged.write(text)
        } else {
            try writeOutput(text)
        }
    }

    /// Text for the terminal that is not a result (the banner, help): never to `.output`.
    func show(_ text: String) {
        do { try writeOutput(text) } catch { standardOutputFailed(error) }
    }

    /// A failed write of results (through `emit`): a failed `.output` file is closed at once
    /// (the target left as it was) and results go to the terminal again.
    func outputFailed(_ failure: WriteFailure) {
        writeFailed = true
        if output != nil {
            finishOutput(then: "; results go to the terminal again")
        } else {
            standardOutputFailed(failure)
        }
    }

    /// Standard output cannot be written (a terminal gone, a full disk): the session ends.
    func standardOutputFailed(_ failure: WriteFailure) {
        writeFailed = true
        guard !outputLost else { return }
        outputLost = true
        writeProblem(failure.diagnostic, renderer: renderer, atPrompt: true)
    }

    // MARK: Dot-commands (carried out by the library's `perform`, DotCommandPerformer.swift)

    /// A command line typed at the prompt; false to leave.
    func dotCommand(_ text: String) -> Bool {
        // The host's own effects never throw at the prompt: they report and go on.
        (try? perform(line: text, policy: .reportAndContinue)) != .quit
    }

    /// Closes a `.output` file: its content replaces the target only now, whole.
    func finishOutput(then note: String = "") {
        guard let file = output else { return }
        output = nil
        if let problem = file.commit() {
            writeFailed = true
            writeProblem(problem.adding(after: note), renderer: renderer, atPrompt: true)
        }
    }

    // MARK: History

    func loadHistory() {
        stifle_history(Int32(REPL.historyLimit))
        for entry in history?.read() ?? [] { add_history(entry) }
    }

    /// Adds an entry and appends it to the file at once, so a crash loses nothing and a
    /// session beside this one keeps its own entries (HistoryFile).
    func remember(_ entry: String) {
        add_history(entry)
        guard let problem = history?.append(entry) else { return }
        writeFailed = true
        if !historyFailed {
            writeProblem(problem, renderer: renderer, atPrompt: true)
            historyFailed = true
        }
    }

    // MARK: Completion

    func complete(_ text: UnsafePointer<CChar>?, start: Int, end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        cq_completion_over()
        let buffer = cq_line_buffer().map { Array(String(cString: $0).utf8) } ?? []
        let before = String(decoding: buffer[0..<min(start, buffer.count)], as: UTF8.self)
        let word = text.map { String(cString: $0) } ?? ""
        let completer = Completer(symbols: session.symbols, allowsFileAccess: session.allowsFileAccess)
        completionMatches = completer.complete(line: before, word: word, assembler: assembler)
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

extension REPL {
    func showHelp(_ text: String) { show(text) }

    func writeAmongResults(_ text: String) {
        do { try emit(text) } catch { outputFailed(error) }
    }

    func runStatements(_ source: Source) { run(source.text, name: source.name) }

    func runScript(_ source: Source) { run(source.text, name: source.name) }

    func runLoad(_ script: Script, in source: Source) { run(source.text, name: source.name, script: script) }

    func readScript(at path: String) throws(HostFileFailure) -> [UInt8] {
        switch readFile(path) {
        case .failure(let message): throw HostFileFailure(message)
        case .success(let bytes): return bytes
        }
    }

    func closeOutput() {
        finishOutput()
        outputHoldsChart = false
    }

    func openOutput(_ path: String) throws(HostFileFailure) {
        switch OutputFile.open(path) {
        case .success(let file):
            output = file
            outputHasResult = false
        // Refused at once, before anything is written: nothing is lost, so the exit status
        // stays as it is (like an error in a query).
        case .failure(let failure): throw HostFileFailure(failure.diagnostic)
        }
    }

    /// The line was just typed: a failure to carry it out is a plain message under it; a
    /// refused line (or a `.read` script that is not text) gets its caret.
    func note(_ text: String) { writeError(text + "\n") }

    func report(_ failure: DotCommandFailure) {
        switch failure.cause {
        case .failed:
            // As written: a plain message at the prompt shows a long path whole.
            writeProblem(DiagnosticMessage(id: failure.error.diagnostics.first?.id ?? InteractiveDiagnostic.dotCommandFailed.id,
                                           severity: .error, text: failure.message),
                         help: failure.help, renderer: renderer, atPrompt: true)
        case .refused, .unreadableScript:
            writeErrorRendered(renderer.render(failure.error.diagnostics, in: failure.error.source))
        }
    }
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

// MARK: The pager, `.once`, `.last` and `.edit` (Pager.swift)

extension REPL {
    /// The pager command, when results go to a terminal and `.pager` is not off.
    var pagerCommand: String? {
        guard output == nil, isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else { return nil }
        switch pager {
        case .off: return nil
        case .command(let command): return command
        case .on:
            if let value = getenv("PAGER"), case let command = String(cString: value), !command.isEmpty { return command }
            return "less -FRSX"
        }
    }

    /// Starts paging the statement's results, unless a statement around it already pages;
    /// true when this call started it.
    func startPaging() -> Bool {
        guard paged == nil, let command = pagerCommand, let height = terminalHeight(STDOUT_FILENO) else { return false }
        guard commandExists(command) else {
            if !missingPagerReported {
                writeError("note: the pager '\(command)' is not on PATH, so results are shown directly ('.pager off' silences this)\n")
                missingPagerReported = true
            }
            return false
        }
        paged = PagedOutput(command: command, height: height)
        return true
    }

    func finishPaging() {
        guard let pager = paged else { return }
        paged = nil
        do { try pager.finish() } catch { standardOutputFailed(error) }
    }

    /// The `.once` file becomes the output for one statement; the `.output` file waits.
    func takeOnce() -> (file: OutputFile, saved: OutputFile?, savedHasResult: Bool, savedHoldsChart: Bool)? {
        guard let file = once else { return nil }
        once = nil
        let saved = (file, output, outputHasResult, outputHoldsChart)
        output = file
        outputHasResult = false
        outputHoldsChart = false
        return saved
    }

    func finishOnce(_ saved: (file: OutputFile, saved: OutputFile?, savedHasResult: Bool, savedHoldsChart: Bool)) {
        finishOutput()
        output = saved.saved
        outputHasResult = saved.savedHasResult
        outputHoldsChart = saved.savedHoldsChart
    }

    func setPager(_ setting: DotCommand.PagerSetting) {
        pager = setting
        missingPagerReported = false
    }

    func openOnce(_ path: String) throws(HostFileFailure) {
        switch OutputFile.open(path) {
        case .success(let file):
            once?.discard()
            once = file
        case .failure(let failure): throw HostFileFailure(failure.diagnostic)
        }
    }

    /// The last statement's results again: whole (no `.maxrows`), through the pager when
    /// taller than the terminal, in the mode or `format`.
    func showLast(_ format: OutputFormat?) throws(HostFileFailure) {
        guard !lastResults.isEmpty else { throw HostFileFailure(.noResultsYet) }
        guard fetchLastWhole() else { return }
        var formatter = self.formatter
        if let format { formatter.format = format }
        formatter.maxRows = nil
        formatter.maxWidth = output == nil && once == nil ? terminalWidth(STDOUT_FILENO) : nil
        if formatter.format == .svg, let problem = lastResults.lazy.compactMap(ResultFormatter.svgProblem).first {
            throw HostFileFailure(problem)
        }
        let onceFile = takeOnce()
        defer { if let onceFile { finishOnce(onceFile) } }
        if output != nil { formatter.dimNulls = false; formatter.chartColor = false; formatter.maxWidth = nil }
        let pagerHere = startPaging()
        defer { if pagerHere { finishPaging() } }
        do {
            for result in lastResults {
                try formatter.write(result) { text throws(WriteFailure) in try emit(text) }
            }
        } catch let failure as WriteFailure {
            outputFailed(failure)
        } catch {
            writeError("error: \(error)\n")
        }
    }

    /// A result of the last statement that left rows on its engine (only the rows `.maxrows`
    /// shows were fetched) is fetched whole: the statement runs again. False when that failed
    /// (the error is shown).
    func fetchLastWhole() -> Bool {
        let partial = lastResults.contains { if case .table(let table) = $0 { table.rowsLeft != .none } else { false } }
        guard partial, let text = lastStatementText else { return true }
        session.cancellation.reset()
        do {
            lastResults = try session.run(text, name: "<repl>").filter {
                switch $0 {
                case .table, .value, .chart: true
                case .loaded, .bound: false
                }
            }
            return true
        } catch let error as DiagnosticError {
            writeErrorRendered(renderer.render(error.diagnostics, in: error.source))
        } catch {
            writeError("error: \(error)\n")
        }
        return false
    }

    /// The last statement (or an empty file) in the editor; what is saved runs as if typed.
    func editLast() throws(HostFileFailure) {
        let text = lastStatementText ?? assembler.lastStatement ?? ""
        let edited: String
        switch editInEditor(text) {
        case .failure(let failure): throw failure
        case .success(let saved): edited = saved
        }
        var trimmed = edited
        while let last = trimmed.last, last == "\n" || last == " " || last == "\r" { trimmed.removeLast() }
        guard trimmed.contains(where: { !$0.isWhitespace }) else {
            throw HostFileFailure(.editSavedEmpty)
        }
        show(trimmed + "\n")
        remember(trimmed)
        lastStatementText = trimmed
        lastResults = []
        if run(trimmed, name: "<edit>") { assembler.succeeded(trimmed) }
    }
}
