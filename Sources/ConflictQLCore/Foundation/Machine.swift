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
        threadLimit.map { min($0, machineCores) } ?? machineCores
    }

    /// The machine's cores, whatever `limitThreads` said: Dispatch's `concurrentPerform`
    /// runs up to this many iterations at once.
    @usableFromInline package static var machineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

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

/// The memory a load may take before the machine or the process runs out: the least of what
/// the system has free (MemAvailable), what the process's cgroup still allows (`memory.max`
/// less `memory.current`), and `CONFLICTQL_MEMORY_LIMIT` (bytes, or with K, M or G; a limit
/// on the whole process) less what the process holds already. nil when none is known.
package func memoryBudget(environment: [String: String]? = nil) -> MemoryBudget? {
    var budget: MemoryBudget? = nil
    func consider(_ bytes: Int?, _ source: MemoryBudget.Source) {
        guard let bytes else { return }
        if budget == nil || bytes < budget!.bytes { budget = MemoryBudget(bytes: max(0, bytes), source: source) }
    }
    consider(availableMemory(), .system)
    consider(cgroupMemoryLeft(), .cgroup)
    let variable = environment.map { $0["CONFLICTQL_MEMORY_LIMIT"] } ?? getenv("CONFLICTQL_MEMORY_LIMIT").map { String(cString: $0) }
    if let text = variable, let limit = parseByteSize(text) { consider(limit - residentBytes(), .variable) }
    return budget
}

/// How much memory a load may take, and what says so.
package struct MemoryBudget: Sendable, Equatable {
    package enum Source: Sendable, Equatable {
        /// MemAvailable of /proc/meminfo.
        case system
        /// The process's cgroup (a container's limit).
        case cgroup
        /// CONFLICTQL_MEMORY_LIMIT.
        case variable
        /// A load option of the tests.
        case given
    }

    package var bytes: Int
    package var source: Source

    package init(bytes: Int, source: Source) {
        self.bytes = bytes
        self.source = source
    }

    /// What limits the budget, for a message.
    package var sourceDescription: String {
        switch source {
        case .system: return "the memory the system has free"
        case .cgroup: return "the memory the process's cgroup allows"
        case .variable: return "CONFLICTQL_MEMORY_LIMIT"
        case .given: return "the load's memory limit"
        }
    }
}

/// `2G`, `512M`, `64K` or a number of bytes; nil for anything else.
package func parseByteSize(_ text: String) -> Int? {
    let trimmed = String(text.filter { $0 != " " }).uppercased()
    guard let last = trimmed.last else { return nil }
    let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
    let shift = shifts[last] ?? 0
    let digits = shift == 0 ? Substring(trimmed) : trimmed.dropLast()
    guard let number = Int(digits), number >= 0, number <= Int.max >> shift else { return nil }
    return number << shift
}

/// The memory the process holds now (resident pages), in bytes.
package func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
    // "size resident shared ...", in pages.
    let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let fields = text.split(separator: " ")
    guard fields.count > 1, let resident = Int(fields[1]) else { return 0 }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// What the process's cgroup still allows: its limit less what it holds (v2: memory.max and
/// memory.current; v1: memory.limit_in_bytes and memory.usage_in_bytes); nil when it has no
/// limit or none can be read. What it holds includes the page cache, which the kernel would
/// give back: this errs on the side of refusing.
private func cgroupMemoryLeft() -> Int? {
    func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 4096)
        var text = ""
        while fgets(&line, Int32(line.count), file) != nil {
            text += String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return text
    }
    func number(_ text: String) -> Int? { Int(String(text.filter { $0 != "\n" && $0 != " " })) }
    // /proc/self/cgroup: "0::/path" (v2) or "4:memory:/path" (v1), the group under /sys/fs/cgroup.
    let lines = (read("/proc/self/cgroup") ?? "").split(separator: "\n")
    let unified = lines.first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) }
    var v1: String? = nil
    for line in lines {
        let parts: [Substring] = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3 && parts[1] == "memory" { v1 = String(parts[2]) }
    }
    let unifiedFolder: String = "/sys/fs/cgroup" + (unified ?? "/")
    let v1Folder: String = "/sys/fs/cgroup/memory" + (v1 ?? "/")
    var places: [(folder: String, limit: String, usage: String)] = []
    places.append((unifiedFolder, "memory.max", "memory.current"))
    places.append(("/sys/fs/cgroup", "memory.max", "memory.current"))
    places.append((v1Folder, "memory.limit_in_bytes", "memory.usage_in_bytes"))
    places.append(("/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"))
    for place in places {
        guard let text = read(place.folder + "/" + place.limit) else { continue }
        // "max" (v2), or a number near 2^63 (v1): no limit.
        guard let limit = number(text), limit < 1 << 60 else { return nil }
        return limit - (read(place.folder + "/" + place.usage).flatMap(number) ?? 0)
    }
    return nil
}
