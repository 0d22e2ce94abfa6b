// Terminal helpers of the executable: writing to file descriptors, the terminal's width, and
// the progress bar a long load draws on standard error.

import ConflictQL
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all of `text` to a file descriptor; the errno of a failure, or nil.
@discardableResult
func writeAll(_ fd: Int32, _ text: String) -> Int32? {
    var text = text
    return text.withUTF8 { writeAll(fd, buffer: $0) }
}

/// Writes all of `bytes` (a Parquet file's) to a file descriptor; the errno of a failure, or nil.
func writeAll(_ fd: Int32, bytes: [UInt8]) -> Int32? {
    bytes.withUnsafeBufferPointer { writeAll(fd, buffer: $0) }
}

private func writeAll(_ fd: Int32, buffer: UnsafeBufferPointer<UInt8>) -> Int32? {
    var offset = 0
    while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return errno }
        if n == 0 { return ENOSPC }
        offset += n
    }
    return nil
}

/// A write of results that failed: a full disk, a closed file system, a terminal gone. It
/// ends the run (results cannot be shown), with a message and exit status 2.
struct WriteFailure: Error {
    let target: String
    let errorNumber: Int32
    var diagnostic: DiagnosticMessage { .cannotWrite(target, String(cString: strerror(errorNumber))) }
}

/// A problem of the command's own (a file, a parameter, a format) as a diagnostic without a
/// place, rendered as the library's are: `conflictql: error: cannot read 'x.cq': ...`, or
/// `error: ...` at the prompt, under the line just typed; with --diagnostic-ids, its ID too.
func writeProblem(_ message: DiagnosticMessage, help: String? = nil, renderer: DiagnosticRenderer, atPrompt: Bool = false) {
    var diagnostic = Diagnostic(message, at: nil, help: help)
    // Whole: with no caret line to fit, a long path is shown as it is.
    diagnostic.message = message.text
    diagnostic.help = help
    writeErrorRendered(renderer.render(diagnostic, in: Source(name: atPrompt ? "" : "conflictql", text: "")))
}

/// Results to standard output: a failure is thrown, never ignored (`conflictql > /dev/full`
/// must not exit 0 having written nothing).
func writeOutput(_ text: String) throws(WriteFailure) {
    if let failure = writeAll(STDOUT_FILENO, text) {
        throw WriteFailure(target: "to standard output", errorNumber: failure)
    }
}

/// A message on standard error. It may quote a path, a name or a cell, so it goes through the
/// library's one terminal sanitiser (controls, C1, line separators and bidirectional controls
/// escaped); its own line breaks are kept.
func writeError(_ text: String) {
    writeAll(STDERR_FILENO, escapingControlCharacters(text, keeping: ["\n"]))
}

/// Text made for the terminal already: rendered diagnostics (their user text escaped by
/// DiagnosticRenderer, their colours wanted) and the progress bar's own escapes.
func writeErrorRendered(_ text: String) {
    writeAll(STDERR_FILENO, text)
}

/// The width of the terminal on `fd`, or nil when it is not a terminal.
func terminalWidth(_ fd: Int32) -> Int? {
    guard isatty(fd) != 0 else { return nil }
    var size = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
}

/// A progress bar for loads, on standard error when it is a terminal: it appears once a load
/// has run half a second, and shows MB read, rows and the rate. Called from parsing threads.
final class ProgressBar: Sendable {
    struct State {
        var started: Double?
        var drawn = false
        var lastDraw = 0.0
    }

    let state = Mutex(State())
    let enabled = isatty(STDERR_FILENO) != 0

    func update(done: Int, total: Int, rows: Int) {
        guard enabled else { return }
        state.withLock { state in
            let now = monotonicSeconds()
            if state.started == nil { state.started = now }
            let elapsed = now - state.started!
            guard elapsed >= 0.5, now - state.lastDraw >= 0.1 || done >= total else { return }
            state.lastDraw = now
            state.drawn = true
            let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let megabytes = Double(done) / 1_048_576, totalMegabytes = Double(total) / 1_048_576
            let rate = megabytes / max(elapsed, 0.001)
            writeErrorRendered("\r\(bar) \(Int(fraction * 100))%  \(Int(megabytes)) of \(Int(totalMegabytes)) MB  \(rows) rows  "
                + "\(Int(rate)) MB/s\u{1B}[K")
        }
    }

    /// Erases the bar (when one was drawn) and readies for the next load.
    func finish() {
        state.withLock { state in
            if state.drawn { writeErrorRendered("\r\u{1B}[K") }
            state = State()
        }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
