// The prompt's pager and editor: a statement's results taller than the terminal go through
// `$PAGER` (or `less -FRSX`), as psql does; `.edit` opens the last statement in `$VISUAL`
// or `$EDITOR`. Both run through `/bin/sh -c`, so a command may carry its own options.
// Only the REPL uses them, and only when standard input and output are terminals: scripts
// and pipes never page.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rows of the terminal on `fd`, or nil when it is not a terminal.
func terminalHeight(_ fd: Int32) -> Int? {
    guard isatty(fd) != 0 else { return nil }
    var size = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
    return Int(size.ws_row)
}

/// Whether the first word of a shell command names a program on PATH (or a path that runs).
func commandExists(_ command: String) -> Bool {
    guard let program = command.split(separator: " ").first.map(String.init) else { return false }
    if program.contains("/") { return access(program, X_OK) == 0 }
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
    return path.split(separator: ":").contains { access("\($0)/\(program)", X_OK) == 0 }
}

/// Runs `/bin/sh -c command` with `arguments` as `$1`...; standard input from `input` when
/// given. Returns the child's pid, or nil when it could not start.
func spawnShell(_ command: String, arguments: [String] = [], input: Int32? = nil) -> pid_t? {
    CLibrary.spawn("/bin/sh", ["/bin/sh", "-c", command, "sh"] + arguments, input: input)
}

/// Waits for a child; its exit status (128 + the signal when a signal ended it).
func waitForChild(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if status & 0x7F != 0 { return 128 + (status & 0x7F) }
    return (status >> 8) & 0xFF
}

/// A statement's results on their way to the terminal: held until they pass the terminal's
/// height, then piped to the pager (the rest streams to it); written directly when shorter.
/// Quitting the pager early (`q`) is not an error: the rest is dropped.
final class PagedOutput {
    let command: String
    let height: Int
    private var held = ""
    private var heldLines = 0
    private var pipe: Int32?
    private var pager: pid_t?
    private var pagerQuit = false
    private var oldPipeAction = sigaction()

    init(command: String, height: Int) {
        self.command = command
        self.height = height
    }

    func write(_ text: String) throws(WriteFailure) {
        if pagerQuit { return }
        if let pipe {
            if let failure = writeAll(pipe, text) {
                if failure == EPIPE { pagerQuit = true; return }
                throw WriteFailure(target: "to the pager", errorNumber: failure)
            }
            return
        }
        held += text
        heldLines += text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        // One line is the prompt's, under the results.
        if heldLines >= height - 1 { try start() }
    }

    private func start() throws(WriteFailure) {
        var ends: [Int32] = [0, 0]
        guard CLibrary.pipe(&ends) == 0 else { return }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        // The pager closing its end must not kill us with SIGPIPE: the write gets EPIPE.
        oldPipeAction = CLibrary.ignore(SIGPIPE)
        guard let pid = spawnShell(command, input: ends[0]) else {
            close(ends[0])
            close(ends[1])
            CLibrary.restore(SIGPIPE, to: oldPipeAction)
            return  // shown directly at the end
        }
        close(ends[0])
        pager = pid
        pipe = ends[1]
        let text = held
        held = ""
        try write(text)
    }

    /// The end of the statement: what was held is written; the pager is waited for.
    func finish() throws(WriteFailure) {
        if let pipe, let pager {
            close(pipe)
            _ = waitForChild(pager)
            CLibrary.restore(SIGPIPE, to: oldPipeAction)
            self.pipe = nil
            self.pager = nil
        } else if !held.isEmpty {
            let text = held
            held = ""
            try writeOutput(text)
        }
    }
}

/// Opens `text` in the editor and returns what was saved, or a message why nothing is to run.
func editInEditor(_ text: String) -> Result<String, HostFileFailure> {
    var editor = "vi"
    for name in ["EDITOR", "VISUAL"] {
        if let value = getenv(name), case let command = String(cString: value), !command.isEmpty { editor = command }
    }
    var template = Array("/tmp/conflictql-edit-XXXXXX.cq".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 3) }
    guard fd >= 0 else { return .failure(HostFileFailure(.cannotMakeEditFile(String(cString: strerror(errno)))))  }
    let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let registration = TemporaryFiles.register(path)
    defer {
        unlink(path)
        TemporaryFiles.unregister(registration)
    }
    let failed = writeAll(fd, text.isEmpty || text.hasSuffix("\n") ? text : text + "\n")
    close(fd)
    if let failed { return .failure(HostFileFailure(.cannotWriteEditFile(path, String(cString: strerror(failed)))))  }
    guard let pid = spawnShell(editor + " \"$1\"", arguments: [path]) else {
        return .failure(HostFileFailure(.cannotRunEditor(editor)))
    }
    let status = waitForChild(pid)
    guard status == 0 else {
        return .failure(HostFileFailure(.editorFailed(editor, status: status)))
    }
    switch readFile(path) {
    case .failure(let message): return .failure(HostFileFailure(message))
    case .success(let bytes): return .success(String(decoding: bytes, as: UTF8.self))
    }
}
