// Cancellation: a flag that Ctrl-C (or an embedding program) sets from another thread, and
// that every long loop of loading and running looks at. At the bottom of the layers, since
// every stage polls it.

import Synchronization

/// A flag a caller may set from another thread (Ctrl-C in the REPL) to stop a running
/// statement between batches. One made `within` a time also counts as set once that time
/// has passed (the budget of an empty result's hint), or when its parent is set.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    private let parent: Cancellation?
    /// A `monotonicNow()` time past which the work counts as cancelled.
    private let deadline: Double?

    public init() {
        parent = nil
        deadline = nil
    }

    /// Cancelled `seconds` from now, or when `parent` is.
    package init(within seconds: Double, of parent: Cancellation?) {
        self.parent = parent
        deadline = monotonicNow() + seconds
    }

    public var isCancelled: Bool {
        if flag.load(ordering: .relaxed) { return true }
        if let parent, parent.isCancelled { return true }
        if let deadline, monotonicNow() > deadline { return true }
        return false
    }
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
}
