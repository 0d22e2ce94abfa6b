// The text of a .gz or zip member inflated on a thread of its own while the CSV parse reads
// it, so that inflating (one core) and parsing (the others) overlap, and the text is never
// held whole: what the parse has read is given back, and inflating waits when it runs too far
// ahead of the parse.
//
// The text is inflated into address space reserved for all of it (MAP_NORESERVE: the most a
// deflate stream can inflate to, 1032 times its size, or a zip member's stated size), so the
// offsets are the text's own and a range given back can be inflated again in place (the
// refill of DecompressedText), exactly as when the text was inflated first, whole. Only the
// pages between the parse and the inflating are memory.
//
// Inflating waits while more than `lead` bytes are held and some reader is busy; when every
// reader waits for text (a record longer than the lead, a chunk's bound) it goes on, so the
// two sides never wait on each other. The text held beyond the lead is then checked against the
// memory the system has, as a text inflated whole is.

import ConflictQLCore
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class InflowingText: @unchecked Sendable {
    /// The reserved text: `text.base + offset` is the byte at `offset`.
    let text: DecompressedText
    /// Bytes held ahead of the parse before inflating waits.
    let lead: Int
    /// The length the text is expected to have (the size a .gz or zip states).
    let expectedLength: Int
    private let condition = Condition()
    // Guarded by `condition` (and `text.count`, the bytes inflated, written under it).
    private var released = 0
    private var ended = false
    private var failure: LoadError? = nil
    private var readers = 0
    private var peak = 0
    private var waiting = 0
    /// A reader needs the whole text (an error's line, a column parsed again): no more waits.
    private var unbounded = false
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts inflating with `inflate`, which writes into the sink it is given; nil when the
    /// address space cannot be reserved (a limit on it, or strict overcommit: the caller
    /// inflates the text whole instead).
    init?(reserving bytes: Int, expecting expectedLength: Int, lead: Int,
          inflate: @escaping @Sendable (inout InflowSink) throws(LoadError) -> Void) {
        guard let text = DecompressedText(reserving: bytes) else { return nil }
        self.text = text
        self.lead = lead
        self.expectedLength = expectedLength
        DispatchQueue(label: "conflictql.inflate").async { [self] in
            var sink = InflowSink(self)
            do throws(LoadError) {
                try inflate(&sink)
                finish(nil)
            } catch {
                finish(error)
            }
        }
    }

    deinit { stop() }

    private func finish(_ error: LoadError?) {
        condition.withLock {
            ended = true
            failure = error
            condition.broadcast()
        }
        done.signal()
    }

    /// Stops inflating (the load ended early) and waits for the thread to end.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
        join()
    }

    private func join() {
        guard !joined else { return }
        done.wait()
        joined = true
    }

    // MARK: The readers' side

    /// A parsing thread begins or ends reading.
    func readerBegins() { condition.withLock { readers += 1 } }
    func readerEnds() {
        condition.withLock {
            readers -= 1
            condition.broadcast()
        }
    }

    /// Waits until the text holds `end` bytes or has ended; returns the bytes it holds then
    /// (fewer than `end` only at its end), or the failure that stopped inflating.
    func held(upTo end: Int) -> Result<Int, LoadError> {
        condition.withLock {
            while text.count < end && !ended {
                waiting += 1
                condition.broadcast()  // inflating may be waiting for the readers to wait
                condition.wait()
                waiting -= 1
            }
            if let failure, text.count < end { return .failure(failure) }
            return .success(text.count)
        }
    }

    /// The text's length, once it has ended without a failure.
    var length: Int? {
        condition.withLock { ended && failure == nil ? text.count : nil }
    }

    /// The most text held at once (inflated, not given back) while the parse's threads ran
    /// (before them, the header and the type sample hold their prefix: 5 MiB, or more when
    /// the sample needs it).
    var peakHeld: Int { condition.withLock { peak } }

    /// `bytes` of the text were given back.
    func gaveBack(_ bytes: Int) {
        condition.withLock {
            released += bytes
            condition.broadcast()
        }
    }

    /// Lets inflating run to the end of the text, waits for it, and returns the length, or
    /// the failure that stopped it.
    func whole() -> Result<Int, LoadError> {
        condition.withLock {
            unbounded = true
            condition.broadcast()
        }
        join()
        return condition.withLock { failure.map { .failure($0) } ?? .success(text.count) }
    }

    // MARK: The inflating side

    /// Room for the next bytes: waits while the lead is full and a reader is busy; nil when
    /// stopped, or when the text held goes past the memory there is.
    fileprivate func room(checkedAt checked: inout Int) -> UnsafeMutableBufferPointer<UInt8>? {
        let held = condition.withLock { () -> Int? in
            // Every reader waiting (and one at least: a thread that reads without having said
            // so, as the prelude does, is counted only while it waits) lets inflating go on.
            while !stopped && !unbounded && text.count - released > lead && !(waiting > 0 && waiting >= readers) {
                condition.wait()
            }
            return stopped ? nil : text.count - released
        }
        guard let held else { return nil }
        // Past the lead (a reader needs more, or the whole text is wanted): the text held is
        // checked against the memory there is, every 64 MiB.
        if held > lead && held - checked >= 64 << 20 {
            guard DecompressedText.fits(held + (64 << 20)) else { return nil }
            checked = held
        }
        let free = text.capacity - text.count
        guard free > 0 else { return nil }
        return UnsafeMutableBufferPointer(start: text.end, count: min(free, 1 << 20))
    }

    fileprivate func took(_ bytes: Int) {
        condition.withLock {
            text.count += bytes
            if readers > 0 { peak = max(peak, text.count - released) }
            if waiting > 0 { condition.broadcast() }
        }
    }
}

/// The sink inflating writes into: the reserved text, a MiB at a time, each published to the
/// readers as it is written.
struct InflowSink: InflateSink {
    private let inflow: InflowingText
    private var checked = 0

    fileprivate init(_ inflow: InflowingText) { self.inflow = inflow }

    mutating func room() -> UnsafeMutableBufferPointer<UInt8>? { inflow.room(checkedAt: &checked) }
    mutating func took(_ count: Int) { inflow.took(count) }
    var written: Int { inflow.text.count }
    var isSatisfied: Bool { false }
}

/// A mutex and its condition variable.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let variable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(variable, nil)
    }

    deinit {
        pthread_cond_destroy(variable)
        pthread_mutex_destroy(mutex)
        variable.deallocate()
        mutex.deallocate()
    }

    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Waits for a broadcast (the lock held, as `withLock` holds it).
    func wait() { pthread_cond_wait(variable, mutex) }
    func broadcast() { pthread_cond_broadcast(variable) }
}
