// What the machine tells: a monotonic clock for timings, the number of cores for parallel
// loading, and whether memory can be had. Used by every layer that measures, splits work or
// checks a result's size before making it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

public enum System {
    /// The cores work is split over: the machine's, or fewer when `limitThreads` said so.
    @usableFromInline package static var coreCount: Int {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        return threadLimit.map { min($0, cores) } ?? cores
    }

    nonisolated(unsafe) private static var threadLimit: Int?

    /// Makes every operator (loading, sorting, hashing, search) use at most `threads` cores,
    /// for measuring the engine on one. Called once by an executable, before any work.
    public static func limitThreads(_ threads: Int) {
        threadLimit = max(1, threads)
    }

    /// Keeps freed large buffers in the process for the next query instead of giving them
    /// back to the kernel: a query over millions of rows makes arrays of tens of MiB, and
    /// each fresh mapping is faulted in and zeroed page by page (a third of a join's time
    /// at 5M rows). Called once by the executables, before any work; glibc only.
    public static func keepFreedMemory() {
        CLibrary.mallocOption(-3, 32 << 20)   // M_MMAP_THRESHOLD, the largest glibc takes: above it, buffers are mapped
        CLibrary.mallocOption(-1, 512 << 20)  // M_TRIM_THRESHOLD: give back only when this much is free at the top
        CLibrary.mallocOption(-2, 64 << 20)   // M_TOP_PAD: grow the heap in steps of this much
    }

    /// Gives the kernel back the pages of freed heap memory, which `keepFreedMemory` keeps:
    /// the loader calls it as it joins the chunks of a large file, whose arrays it frees
    /// column by column, so that they do not add up to the peak beside the table.
    package static func returnFreedMemory() {
        CLibrary.mallocTrim()
    }
}

/// 10 to the power `n`, exactly as repeated multiplication gives it (for rounding and
/// for reading decimals).
package func pow10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<Swift.abs(n) { result *= 10 }
    return n < 0 ? 1 / result : result
}

/// Makes room in `array` for `extra` more elements, growing it as appending would (at least
/// doubling), when that memory can be had now; false when it cannot. Every buffer whose size
/// comes from the data (a field's bytes, a column's strings) grows through this, so a huge
/// field is reported as "not enough memory" instead of the allocator aborting the process.
/// Small growth is not checked: below 64 MB the allocator is asked directly.
@inlinable
package func reserveChecked<Element>(_ array: inout [Element], adding extra: Int) -> Bool {
    let (needed, overflow) = array.count.addingReportingOverflow(extra)
    if overflow { return false }
    if needed <= array.capacity { return true }
    let target = Swift.max(needed, array.capacity.multipliedReportingOverflow(by: 2).partialValue)
    let (bytes, tooMany) = target.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
    if tooMany { return false }
    if bytes >= 64 << 20 {
        guard fitsAvailableMemory(bytes), memoryAvailable(bytes) else { return false }
    }
    array.reserveCapacity(target)
    return true
}

/// Whether `bytes` can be held in memory the system has free now (MemAvailable). The
/// kernel lends more address space than it has memory, so a mapping of 20 GB on a machine of
/// 24 succeeds and then fills the machine page by page: ask first.
@usableFromInline
package func fitsAvailableMemory(_ bytes: Int) -> Bool {
    guard let available = availableMemory() else { return true }
    return bytes <= available
}

/// MemAvailable of /proc/meminfo, in bytes (nil where there is none).
private func availableMemory() -> Int? {
    guard let file = fopen("/proc/meminfo", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard text.hasPrefix("MemAvailable:") else { continue }
        let digits = text.dropFirst("MemAvailable:".count).filter(\.isNumber)
        return Int(digits).map { $0.multipliedReportingOverflow(by: 1024) }.flatMap { $0.overflow ? nil : $0.partialValue }
    }
    return nil
}

/// Whether `bytes` more could be had now: they are mapped and given back untouched. mmap,
/// not malloc: the compiler may drop a malloc whose memory is never used, and with it the
/// test of its result.
@usableFromInline
package func memoryAvailable(_ bytes: Int) -> Bool {
    guard bytes > 0 else { return true }
    guard let probe = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), probe != MAP_FAILED else {
        return false
    }
    munmap(probe, bytes)
    return true
}
