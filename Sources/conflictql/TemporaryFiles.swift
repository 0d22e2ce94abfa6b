// Temporary files that no exit may leave behind, a signal's included. `.output` writes to
// `TARGET.tmp-PID` and renames it into place when done; an error or a normal exit removes it
// (OutputFile), but SIGTERM, SIGHUP or SIGINT would end the process in between and leave it
// (20 to 150 MB each, in the hostile round of issue 22). Each temporary path is registered
// here as a C string made in advance; the handler, which may only call async-signal-safe
// functions, unlinks each registered path, restores the default action and raises the signal
// again, so the process still ends as the signal says (status 128 + N to a shell).
//
// The REPL installs its own handlers (TERM and HUP end the session, finishing `.output`;
// INT cancels the query), which replace these for the session.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TemporaryFiles {
    /// More `.output` files than are ever open at once (one, and one being replaced).
    static let capacity = 16

    /// The registered paths, as C strings; a slot is nil when free. A path's memory is never
    /// freed: a handler running on another thread could be reading it. (One small string
    /// per `.output` command.)
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()

    /// Registers `path` for removal if a signal ends the process; the slot to unregister
    /// it with (nil when all are taken: the file then only goes on a normal exit).
    static func register(_ path: String) -> Int? {
        guard let copy = strdup(path) else { return nil }
        for slot in 0..<capacity where slots[slot] == nil {
            slots[slot] = copy
            return slot
        }
        return nil
    }

    /// The file was renamed into place or removed: a signal must not remove it now.
    static func unregister(_ slot: Int?) {
        if let slot { slots[slot] = nil }
    }

    /// Installs the handler for SIGTERM, SIGHUP and SIGINT.
    static func installSignalHandlers() {
        _ = slots  // made now: the handler must not be the first to touch it
        CLibrary.handle([SIGTERM, SIGHUP, SIGINT]) { signal in
            for slot in 0..<TemporaryFiles.capacity {
                if let path = TemporaryFiles.slots[slot] { unlink(path) }
            }
            CLibrary.restoreDefaultAction(of: signal)
            raise(signal)
        }
    }
}
