// The decompressed text of a .gz or zip member: memory of its own, asked for in advance and
// checked against what the system has free (the guard against bombs), and the refill that
// inflates again the ranges the loader gave back once parsed.

import ConflictQLCore
import ConflictQLSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The decompressed text, in memory of its own that grows as inflating needs (a new mapping
/// and one copy; the size given by the file usually makes that unneeded).
final class DecompressedText {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    /// nil when the memory cannot be had.
    init?(capacity wanted: Int) {
        let capacity = DecompressedText.rounded(wanted)
        guard DecompressedText.fits(capacity), let memory = DecompressedText.map(capacity) else { return nil }
        base = memory
        self.capacity = capacity
    }

    /// Address space for `bytes` of text, not memory until written (MAP_NORESERVE), for a
    /// text inflated while it is parsed (InflowingText); never grown, since readers hold
    /// pointers into it. nil when it cannot be reserved.
    init?(reserving bytes: Int) {
        let capacity = DecompressedText.rounded(bytes)
        guard let memory = DecompressedText.map(capacity, flags: MAP_NORESERVE) else { return nil }
        base = memory
        self.capacity = capacity
        isReserved = true
    }

    /// Whether this is a reservation (which may not grow).
    private var isReserved = false

    deinit { munmap(base, capacity) }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    var free: Int { capacity - count }
    var end: UnsafeMutablePointer<UInt8> { base + count }

    /// Doubles the room (at least); false when the memory cannot be had.
    func grow() -> Bool {
        guard !isReserved else { return false }
        let (doubled, overflow) = capacity.multipliedReportingOverflow(by: 2)
        guard !overflow, DecompressedText.fits(doubled), let memory = DecompressedText.map(doubled) else { return false }
        memory.update(from: base, count: count)
        munmap(base, capacity)
        base = memory
        capacity = doubled
        return true
    }

    private static func rounded(_ bytes: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let (sum, overflow) = max(bytes, 1).addingReportingOverflow(page - 1)
        return overflow ? Int.max / page * page : sum / page * page
    }

    private static func map(_ bytes: Int, flags: Int32 = 0) -> UnsafeMutablePointer<UInt8>? {
        guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0),
              memory != MAP_FAILED else {
            return nil
        }
        return memory.assumingMemoryBound(to: UInt8.self)
    }

    /// Whether `bytes` of text can be held in memory the system has free now (a bomb
    /// that expands to 20 GB on a machine of 24 would otherwise be mapped, then fill it).
    static func fits(_ bytes: Int) -> Bool { fitsAvailableMemory(bytes) }
}

extension DecompressedText: InflateSink {
    func room() -> UnsafeMutableBufferPointer<UInt8>? {
        if free == 0 && !grow() { return nil }
        return UnsafeMutableBufferPointer(start: end, count: free)
    }
    func took(_ bytes: Int) { count += bytes }
    var written: Int { count }
    var isSatisfied: Bool { false }
}

/// Inflating again to read back ranges of the text that were given back: bytes inside a
/// range are inflated straight into place, the others into a scratch window and dropped.
struct TextRefill: InflateSink {
    private let text: DecompressedText
    private let ranges: [Range<Int>]
    private var next = 0
    private let window: UnsafeMutableBufferPointer<UInt8>
    private let windowOwner: ScratchWindow
    private(set) var written = 0

    init(_ text: DecompressedText, _ ranges: [Range<Int>]) {
        self.text = text
        self.ranges = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        windowOwner = ScratchWindow()
        window = windowOwner.buffer
    }

    var isSatisfied: Bool { written >= (ranges.last?.upperBound ?? 0) }

    mutating func room() -> UnsafeMutableBufferPointer<UInt8>? {
        while next < ranges.count && ranges[next].upperBound <= written { next += 1 }
        guard next < ranges.count else { return window }
        if ranges[next].lowerBound <= written {
            return UnsafeMutableBufferPointer(start: text.base + written, count: ranges[next].upperBound - written)
        }
        return UnsafeMutableBufferPointer(rebasing: window.prefix(ranges[next].lowerBound - written))
    }

    mutating func took(_ bytes: Int) { written += bytes }

    /// The file gave less text than the first time: it changed.
    func checkComplete(path: String) throws(LoadError) {
        guard isSatisfied else {
            throw LoadError(.fileChangedWhileLoading, path: path)
        }
    }
}

/// 1 MB of scratch memory, given back when the refill ends.
final class ScratchWindow {
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
    deinit { buffer.deallocate() }
}

/// `1.5 MB`-style sizes for messages.
func megabytes(_ bytes: Int) -> String {
    bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
}

/// The message when the decompressed text does not fit.
func notEnoughMemory(path: String, passing bytes: Int) -> LoadError {
    LoadError(.decompressedTooLarge(megabytes(bytes)), path: path)
}
