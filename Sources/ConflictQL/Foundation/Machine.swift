// What the machine tells: a monotonic clock for timings, the number of cores for parallel
// loading, and whether memory can be had. Used by every layer that measures, splits work or
// checks a result's size before making it.

#if canImport(Glibc)
import Glibc
#endif

func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

enum System {
    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// 10 to the power `n`, exactly as repeated multiplication gives it (for rounding and
/// for reading decimals).
func pow10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<Swift.abs(n) { result *= 10 }
    return n < 0 ? 1 / result : result
}

/// Whether `bytes` more could be had now: they are mapped and given back untouched. mmap,
/// not malloc: the compiler may drop a malloc whose memory is never used, and with it the
/// test of its result.
func memoryAvailable(_ bytes: Int) -> Bool {
    guard bytes > 0 else { return true }
    guard let probe = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), probe != MAP_FAILED else {
        return false
    }
    munmap(probe, bytes)
    return true
}
