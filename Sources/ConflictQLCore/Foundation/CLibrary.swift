// The C library's calls that differ between glibc (Linux) and Darwin (macOS) in name or in
// shape, written once here so that no other file needs a platform branch beyond its import:
// the calls Swift code shadows (`open`, `close`, `exit`), a signal handler's field of
// `sigaction`, and the peak resident memory, which `getrusage` gives in KiB on Linux and in
// bytes on Darwin. Only Linux is built and tested (CI); the Darwin branches follow Apple's
// headers and have not been compiled here.

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
