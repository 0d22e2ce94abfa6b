// A stand-in for Apple's `Darwin` module, for type-checking the Darwin branches of the
// portability layer on Linux (Tests/Install/darwin-typecheck.sh). It re-exports glibc and
// declares, in Apple's shapes, what Darwin spells or types differently; a declaration here
// shadows glibc's of the same name. Each is copied from the macOS SDK's headers as Swift
// imports them (the header is named); a call that type-checks against this file is only as
// right as these lines.

@_exported import Glibc

// sys/signal.h: `struct __sigaction { union __sigaction_u __sigaction_u; ... }`, whose
// `__sa_handler` is `void (*)(int)`; `struct sigaction` as Swift imports it.
public struct __sigaction_u {
    public var __sa_handler: (@convention(c) (Int32) -> Void)!
    public var __sa_sigaction: (@convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void)!
}
extension sigaction {
    public var __sigaction_u: Darwin.__sigaction_u {
        get { fatalError("type-checking only") }
        set { _ = newValue }
    }
}

// sys/stat.h: `struct timespec st_mtimespec` (glibc: st_mtim).
extension stat {
    public var st_mtimespec: timespec { fatalError("type-checking only") }
}

// sys/resource.h: `#define RUSAGE_SELF 0`, an Int32 (glibc: an enum, __rusage_who).
public let RUSAGE_SELF: Int32 = 0
@discardableResult
public func getrusage(_ who: Int32, _ usage: UnsafeMutablePointer<rusage>!) -> Int32 { fatalError("type-checking only") }

// spawn.h: `typedef void *posix_spawn_file_actions_t` (glibc: a struct).
public typealias posix_spawn_file_actions_t = UnsafeMutableRawPointer
public typealias posix_spawnattr_t = UnsafeMutableRawPointer
@discardableResult
public func posix_spawn_file_actions_init(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t?>!) -> Int32 {
    fatalError("type-checking only")
}
@discardableResult
public func posix_spawn_file_actions_destroy(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t?>!) -> Int32 {
    fatalError("type-checking only")
}
@discardableResult
public func posix_spawn_file_actions_adddup2(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t?>!, _ from: Int32,
                                             _ to: Int32) -> Int32 {
    fatalError("type-checking only")
}
@discardableResult
public func posix_spawn_file_actions_addclose(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t?>!, _ descriptor: Int32) -> Int32 {
    fatalError("type-checking only")
}
@discardableResult
public func posix_spawn(_ pid: UnsafeMutablePointer<pid_t>!, _ path: UnsafePointer<CChar>!,
                        _ actions: UnsafePointer<posix_spawn_file_actions_t?>!, _ attributes: UnsafePointer<posix_spawnattr_t?>!,
                        _ argv: UnsafePointer<UnsafeMutablePointer<CChar>?>!,
                        _ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>!) -> Int32 {
    fatalError("type-checking only")
}

// crt_externs.h: `char ***_NSGetEnviron(void)`; Darwin's unistd.h declares no `environ`.
public func _NSGetEnviron() -> UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>! {
    fatalError("type-checking only")
}
@available(*, unavailable, message: "Darwin declares no environ: _NSGetEnviron().pointee")
public var environ: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> { fatalError("type-checking only") }

// malloc/malloc.h has no mallopt or malloc_trim (glibc's malloc.h).
