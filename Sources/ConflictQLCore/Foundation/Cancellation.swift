// Cancellation: a flag that Ctrl-C (or an embedding program) sets from another thread, and
// that every long loop of loading and running looks at. At the bottom of the layers, since
// every stage polls it.

import Synchronization

/// A flag a caller may set from another thread (Ctrl-C in the REPL) to stop a running
/// statement between batches.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
}
