// Work split over the machine's cores: a range of indices in pieces run by Dispatch's
// concurrentPerform, for operators whose pieces write disjoint parts of one result (text
// search per dictionary entry, hashing strings). Small inputs run on the calling thread,
// since starting threads costs more than a few thousand entries take.

import Dispatch

/// A value handed to other threads whose safety the caller guarantees (disjoint writes).
@usableFromInline package struct UncheckedSendable<T>: @unchecked Sendable {
    @usableFromInline package let value: T
    @usableFromInline package init(value: T) { self.value = value }
}

/// Calls `body` with pieces of `0..<count` covering it once each, concurrently when `count`
/// is at least `2 * minimumPiece` and the machine has more than one core.
@inlinable package func forEachPiece(of count: Int, minimumPiece: Int = 16_384, _ body: (Range<Int>) -> Void) {
    let cores = System.coreCount
    let pieces = cores == 1 || count < minimumPiece * 2 ? 1 : min(cores * 4, count / minimumPiece)
    if pieces <= 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(value: body)
        DispatchQueue.concurrentPerform(iterations: pieces) { k in
            shared.value(count * k / pieces..<count * (k + 1) / pieces)
        }
    }
}

/// `body`'s results over consecutive pieces of `0..<count`, in piece order: one piece per
/// core when `count` is at least `2 * minimumPiece`, else one. For passes that each piece
/// does into its own small result (per-group counts and sums, a range's bounds), merged after.
@inlinable package func mapPieces<T>(of count: Int, minimumPiece: Int = 131_072, _ body: (Range<Int>) -> T) -> [T] {
    let cores = System.coreCount
    let pieces = cores == 1 || count < minimumPiece * 2 ? 1 : min(cores, count / minimumPiece)
    if pieces <= 1 { return [body(0..<count)] }
    var results = [T?](repeating: nil, count: pieces)
    results.withUnsafeMutableBufferPointer { results in
        let target = UncheckedSendable(value: results)
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(value: body)
            DispatchQueue.concurrentPerform(iterations: pieces) { k in
                target.value[k] = shared.value(count * k / pieces..<count * (k + 1) / pieces)
            }
        }
    }
    return results.map { $0! }
}
