// Sorting rows by typed keys without comparing them: a stable least-significant-digit radix
// sort over each key's 64 bits (Int, Date, Bool, string ranks, Float as ordered bits), the
// last key first, with a last pass per key that moves its nulls after every value. The
// order is exactly the comparison sort's: keys in turn, nulls last both ways, ties in input
// order. For a million rows this is a few passes over arrays instead of twenty million
// calls of a comparison closure.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    /// The rows of `table` in the order of `keys`, or nil when a key cannot be radix-sorted
    /// (a list, or a Float column holding NaN, which the comparison treats as equal to all).
    func radixOrder(_ columns: [SortKeyColumn], _ descending: [Bool], count: Int, range: SourceRange) throws -> [Int32]? {
        var bits: [[UInt64]] = []
        for column in columns {
            switch column.keys {
            case .ints(let values):
                bits.append(values.map { UInt64(bitPattern: $0) ^ (1 << 63) })
            case .doubles(let values):
                if values.contains(where: \.isNaN) { return nil }
                bits.append(values.map { value in
                    let v = value == 0 ? 0.0 : value   // -0.0 sorts with 0.0
                    let raw = v.bitPattern
                    return raw & (1 << 63) != 0 ? ~raw : raw | (1 << 63)
                })
            case .strings:
                return nil
            case .none:
                if case .null = column.column.storage { bits.append([UInt64](repeating: 0, count: count)); continue }
                return nil
            }
        }
        // Descending keys are flipped once; then each key's smallest value and span.
        for k in bits.indices where descending[k] { bits[k] = bits[k].map { ~$0 } }
        let lows = bits.map { $0.min() ?? 0 }
        let spans = bits.indices.map { (bits[$0].max() ?? 0) &- lows[$0] }
        var order = (0..<Int32(count)).map { $0 }
        var scratch = [Int32](repeating: 0, count: count)
        // Keys whose spans multiply to not much more than the row count (`by admin1,
        // fatalities desc`), none null, are one number per row: one counting pass for all.
        let countingLimit = UInt64(2 * count + 4_096)
        let combinedSpan = spans.reduce(1 as UInt64?) { product, span in
            product.flatMap { p in
                let (size, overflow) = p.multipliedReportingOverflow(by: span &+ 1)
                return overflow || span == .max || size > countingLimit ? nil : size
            }
        }
        if bits.count > 1, let combinedSpan, columns.allSatisfy({ !$0.column.mayHoldNulls }) {
            try context.checkCancelled(range)
            var combined = [UInt64](repeating: 0, count: count)
            for k in bits.indices {
                bits[k].withUnsafeBufferPointer { keys in
                    for row in 0..<count { combined[row] = combined[row] &* (spans[k] &+ 1) &+ (keys[row] &- lows[k]) }
                }
            }
            combined.withUnsafeBufferPointer { countingSort(&order, &scratch, $0, low: 0, span: Int(combinedSpan - 1)) }
            return order
        }
        for k in stride(from: columns.count - 1, through: 0, by: -1) {
            try context.checkCancelled(range)
            let keys = bits[k]
            keys.withUnsafeBufferPointer { keys in
                // Keys within a span not much larger than the row count (string ranks, years,
                // small counts) take one counting pass instead of a pass per byte.
                if spans[k] < countingLimit {
                    countingSort(&order, &scratch, keys, low: lows[k], span: Int(spans[k]))
                    return
                }
                for shift in stride(from: 0, to: 64, by: 8) {
                    var counts = [Int](repeating: 0, count: 257)
                    for row in order { counts[Int((keys[Int(row)] >> UInt64(shift)) & 0xFF) + 1] += 1 }
                    // A byte that is the same in every key moves nothing.
                    if counts.contains(count) { continue }
                    for b in 0..<256 { counts[b + 1] += counts[b] }
                    for row in order {
                        let b = Int((keys[Int(row)] >> UInt64(shift)) & 0xFF)
                        scratch[counts[b]] = row
                        counts[b] += 1
                    }
                    swap(&order, &scratch)
                }
            }
            // Nulls after every value, in the order they have.
            let column = columns[k].column
            if column.mayHoldNulls {
                var values: [Int32] = [], nulls: [Int32] = []
                values.reserveCapacity(count)
                for row in order { if column.isNull(Int(row)) { nulls.append(row) } else { values.append(row) } }
                order = values + nulls
            }
        }
        return order
    }

    /// `order` stably sorted by `keys[row] - low`, each in `0...span`: a count per value, then
    /// one pass placing the rows.
    private func countingSort(_ order: inout [Int32], _ scratch: inout [Int32], _ keys: UnsafeBufferPointer<UInt64>,
                              low: UInt64, span: Int) {
        var starts = [Int32](repeating: 0, count: span + 2)
        for row in order { starts[Int(keys[Int(row)] &- low) + 1] += 1 }
        for v in 0...span { starts[v + 1] += starts[v] }
        scratch.withUnsafeMutableBufferPointer { scratch in
            for row in order {
                let v = Int(keys[Int(row)] &- low)
                scratch[Int(starts[v])] = row
                starts[v] += 1
            }
        }
        swap(&order, &scratch)
    }
}

private extension Column {
    /// False when no row can be null (no validity bitmap, not a column of nulls).
    var mayHoldNulls: Bool {
        if case .null = storage { return true }
        return validity != nil
    }
}
