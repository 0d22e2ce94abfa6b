// Sorting rows by typed keys without comparing them: a stable least-significant-digit radix
// sort over each key's 64 bits (Int, Date, Bool, string ranks, Float as ordered bits), the
// last key first, with a last pass per key that moves its nulls after every value. The
// order is exactly the comparison sort's: keys in turn, nulls last both ways, ties in input
// order. For a million rows this is a few passes over arrays instead of twenty million
// calls of a comparison closure.

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
        var order = (0..<Int32(count)).map { $0 }
        var scratch = [Int32](repeating: 0, count: count)
        for k in stride(from: columns.count - 1, through: 0, by: -1) {
            try context.checkCancelled(range)
            let keys = descending[k] ? bits[k].map { ~$0 } : bits[k]
            keys.withUnsafeBufferPointer { keys in
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
            if column.validity != nil || { if case .null = column.storage { return true }; return false }() {
                var values: [Int32] = [], nulls: [Int32] = []
                values.reserveCapacity(count)
                for row in order { if column.isNull(Int(row)) { nulls.append(row) } else { values.append(row) } }
                order = values + nulls
            }
        }
        return order
    }
}
