// The C library's calls that differ between glibc (Linux) and Darwin (macOS) in name or in
// shape, written once here so that no other file needs a platform branch beyond its import:
// the calls Swift code shadows (`open`, `close`, `exit`, `pipe`), a signal handler's field of
// `sigaction`, `environ` (which Darwin gives through `_NSGetEnviron`), posix_spawn's file
// actions (a struct in glibc, a pointer in Darwin), and the peak resident memory, which
// `getrusage` gives in KiB on Linux and in bytes on Darwin. Calls of the same name and shape
// in both (`stat`, `pread`, `mmap`, `clock_gettime`, `sysconf`, `glob`, ...) are called
// where they are used. Only Linux is built and tested (CI); the Darwin branches are
// type-checked on Linux against Apple's shapes by Tests/Install/darwin-typecheck.sh.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum CLibrary {
    /// `open(2)`.
    package static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, mode)
        #else
        Darwin.open(path, flags, mode)
        #endif
    }

    /// `close(2)`.
    @discardableResult
    package static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// `read(2)`, for code inside a type whose own `read` hides it.
    package static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// `exit(3)`: flushes stdio and ends the process.
    package static func exit(_ status: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }

    /// Puts back the default action for `signal` (before raising it again to end the process).
    package static func restoreDefaultAction(of signal: Int32) {
        #if canImport(Glibc)
        _ = Glibc.signal(signal, SIG_DFL)
        #else
        _ = Darwin.signal(signal, SIG_DFL)
        #endif
    }

    /// `pipe(2)`: `ends[0]` reads what `ends[1]` writes.
    package static func pipe(_ ends: inout [Int32]) -> Int32 {
        #if canImport(Glibc)
        Glibc.pipe(&ends)
        #else
        Darwin.pipe(&ends)
        #endif
    }

    /// Ignores `signal` (SIGPIPE: a write to a closed pipe then fails with EPIPE) and
    /// returns the action it had, for `restore`.
    package static func ignore(_ signal: Int32) -> sigaction {
        var ignore = sigaction(), old = sigaction()
        #if canImport(Glibc)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #else
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        #endif
        sigemptyset(&ignore.sa_mask)
        sigaction(signal, &ignore, &old)
        return old
    }

    /// Puts back the action `ignore` returned.
    package static func restore(_ signal: Int32, to action: sigaction) {
        var action = action
        sigaction(signal, &action, nil)
    }

    /// The process's environment, `NAME=VALUE` strings up to a null (`environ`).
    package static var environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        #if canImport(Glibc)
        environ
        #else
        _NSGetEnviron()!.pointee!
        #endif
    }

    /// Starts `path` with `arguments` (the first is its name) in this environment, its
    /// standard input from `input` when given (that descriptor is then closed in the child).
    /// Returns the child's pid, or nil when it could not start.
    package static func spawn(_ path: String, _ arguments: [String], input: Int32? = nil) -> pid_t? {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO)
            posix_spawn_file_actions_addclose(&actions, input)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, environment)
        return status == 0 ? pid : nil
    }

    /// Installs `handler` for each of `signals`, with an empty mask and no flags (no
    /// SA_RESTART: a blocking call returns EINTR).
    package static func handle(_ signals: [Int32], with handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for signal in signals { sigaction(signal, &action, nil) }
    }

    /// When a file was last modified, from its `stat` (`st_mtim` in glibc, `st_mtimespec` in Darwin).
    package static func modificationTime(_ info: stat) -> timespec {
        #if canImport(Glibc)
        info.st_mtim
        #else
        info.st_mtimespec
        #endif
    }

    /// glibc's `mallopt(option, value)`; nothing elsewhere (Darwin's allocator has no such
    /// settings). mallopt is in malloc.h, which Swift's Glibc module leaves out: found by name.
    package static func mallocOption(_ option: Int32, _ value: Int32) {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(option, value)
        #endif
    }

    /// glibc's `malloc_trim(0)`: freed heap pages go back to the kernel. Darwin's allocator
    /// gives them back by itself.
    package static func mallocTrim() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }

    /// The process's peak resident memory so far, in bytes.
    package static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss
        #endif
    }
}
