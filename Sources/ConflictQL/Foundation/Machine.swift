// What the machine tells: a monotonic clock for timings and the number of cores for
// parallel loading. Used by every layer that measures or splits work.

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
