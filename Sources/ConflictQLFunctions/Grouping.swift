// Grouping rows by key columns: every row gets a dense group number (in order of first
// appearance), used by `summarize`, `window`, `distinct` and the aggregates' kernels
// (`count(distinct ...)`, `mode`). Each key column is first mapped to dense per-column numbers
// (string codes directly), then the columns are combined pairwise, so no row is ever boxed.
// It sits with the function kernels, below the engine, because the aggregates' descriptors
// point at kernels over group numbers.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

package struct Grouping {
    /// The group of each row.
    package var groupOfRow: [Int32]
    /// The first row of each group, in group order.
    package var firstRow: [Int32]

    package var groupCount: Int { firstRow.count }

    package init(keys: [Column], rowCount: Int) {
        guard let first = keys.first else {
            groupOfRow = [Int32](repeating: 0, count: rowCount)
            firstRow = [0]
            return
        }
        // One key of Ints in a small range (years, counts): numbered by first appearance in
        // one pass, with each group's first row, so no renumbering pass follows.
        if keys.count == 1, case .int(let values) = first.storage, first.validity == nil,
           let (ids, firstRow) = Grouping.smallRangeGroups(values) {
            self.groupOfRow = ids
            self.firstRow = firstRow
            return
        }
        var ids = Grouping.denseIDs(first)
        // Several keys: combining numbers the pairs by first appearance already.
        if keys.count > 1 {
            var firstRow: [Int32] = []
            for key in keys.dropFirst() { firstRow = Grouping.combine(&ids, Grouping.denseIDs(key)) }
            self.groupOfRow = ids
            self.firstRow = firstRow
            return
        }
        // One key: renumber by first appearance (over plain buffers: this runs once per row).
        var renumber = [Int32](repeating: -1, count: (ids.max().map { Int($0) } ?? -1) + 1)
        var firstRow: [Int32] = []
        ids.withUnsafeMutableBufferPointer { ids in
            renumber.withUnsafeMutableBufferPointer { renumber in
                for row in 0..<rowCount {
                    let id = Int(ids[row])
                    if renumber[id] < 0 {
                        renumber[id] = Int32(firstRow.count)
                        firstRow.append(Int32(row))
                    }
                    ids[row] = renumber[id]
                }
            }
        }
        self.groupOfRow = ids
        self.firstRow = firstRow
    }

    /// Numbers each row's pair (`ids[row]`, `next[row]`) of dense numbers, in order of first
    /// appearance, into `ids`; returns each number's first row. Pairs whose numbers multiply to few slots (at most twice the
    /// rows, or 64K) are looked up in an array indexed by the pair; others in a flat table with
    /// open addressing. (A `Dictionary` of pairs was most of a three-key `distinct` at 5M rows.)
    static func combine(_ ids: inout [Int32], _ next: [Int32]) -> [Int32] {
        let width = Int(next.max() ?? 0) + 1
        let (slots, overflow) = (Int(ids.max() ?? 0) + 1).multipliedReportingOverflow(by: width)
        var firstRow: [Int32] = []
        ids.withUnsafeMutableBufferPointer { ids in
            next.withUnsafeBufferPointer { next in
                var count: Int32 = 0
                if !overflow && slots <= max(1 << 16, 2 * ids.count) {
                    var number = [Int32](repeating: -1, count: slots)
                    number.withUnsafeMutableBufferPointer { number in
                        for row in ids.indices {
                            let slot = Int(ids[row]) * width + Int(next[row])
                            if number[slot] < 0 {
                                number[slot] = count
                                count += 1
                                firstRow.append(Int32(row))
                            }
                            ids[row] = number[slot]
                        }
                    }
                    return
                }
                var table = PairTable(rows: ids.count)
                for row in ids.indices {
                    ids[row] = table.number(of: UInt64(UInt32(bitPattern: ids[row])) << 32 | UInt64(UInt32(bitPattern: next[row])))
                    if ids[row] == firstRow.count { firstRow.append(Int32(row)) }
                }
            }
        }
        return firstRow
    }

    /// No groups at all (grouping an empty table by keys).
    package init(empty: ()) {
        groupOfRow = []
        firstRow = []
    }

    /// Dense numbers for one column: equal values (and all nulls) share a number.
    package static func denseIDs(_ column: Column) -> [Int32] {
        let n = column.count
        switch column.storage {
        case .string(let codes, let dictionary):
            // Codes are already dense; nulls get their own number past the dictionary.
            let canonical = dictionary.isUnique ? nil : dictionary.canonicalIDs()
            if column.validity == nil {
                guard let canonical else { return codes.words }
                return codes.map { canonical[Int($0)] }
            }
            let nullID = Int32(dictionary.count)
            var ids = [Int32](repeating: nullID, count: n)
            codes.forEachCode { row, code in
                if !column.isNull(row) { ids[row] = canonical?[Int(code)] ?? code }
            }
            return ids
        case .bool(let values):
            return (0..<n).map { column.isNull($0) ? 2 : (values[$0] ? 1 : 0) }
        case .int(let values):
            return denseSmallRange(values, column) ?? denseIDs(n, column) { values[$0] }
        case .float(let values):
            return denseIDs(n, column) { Int64(bitPattern: (values[$0] == 0 ? 0 : values[$0]).bitPattern) }
        case .date(let days, let precision):
            return denseIDs(n, column) { dateKey(days[$0], precision[$0]) }
        case .list:
            var lookup: [Value: Int32] = [:]
            return (0..<n).map { row in
                let v = column.value(at: row)
                if let id = lookup[v] { return id }
                let id = Int32(lookup.count)
                lookup[v] = id
                return id
            }
        case .null:
            return [Int32](repeating: 0, count: n)
        }
    }

    /// Integers within a small range (years, codes, counts) map through an array, not a hash
    /// table: the number of each value is its offset from the smallest.
    static func denseSmallRange(_ values: [Int64], _ column: Column) -> [Int32]? {
        guard column.validity == nil, let low = values.min(), let high = values.max() else { return nil }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < 1 << 20 else { return nil }
        var number = [Int32](repeating: -1, count: Int(span) + 1)
        var next: Int32 = 0
        return values.map { v in
            let slot = Int(v &- low)
            if number[slot] < 0 { number[slot] = next; next += 1 }
            return number[slot]
        }
    }

    /// Groups of Ints within a small range: each value's number through an array indexed by
    /// its offset from the smallest, given in order of first appearance, and the first rows.
    /// Many rows are split over the cores: each piece finds the first row of each value in
    /// it, the earliest piece's is the value's first row, and a second pass numbers the rows.
    static func smallRangeGroups(_ values: [Int64]) -> ([Int32], [Int32])? {
        guard !values.isEmpty else { return nil }
        return values.withUnsafeBufferPointer { values -> ([Int32], [Int32])? in
            let bounds = mapPieces(of: values.count) { piece in
                var low = values[piece.lowerBound], high = low
                for row in piece { low = min(low, values[row]); high = max(high, values[row]) }
                return (low, high)
            }
            let low = bounds.map(\.0).min()!, high = bounds.map(\.1).max()!
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, span < 1 << 20 else { return nil }
            let slots = Int(span) + 1
            // Each piece's first row of each value (-1: not in the piece), for a few values;
            // for many, one piece (the arrays would outweigh the rows).
            let firsts = slots > 1 << 16 ? [firstRows(values, 0..<values.count, low: low, slots: slots)]
                : mapPieces(of: values.count) { firstRows(values, $0, low: low, slots: slots) }
            var first = firsts[0]
            for piece in firsts.dropFirst() {
                for slot in 0..<slots where first[slot] < 0 { first[slot] = piece[slot] }
            }
            let firstRow = first.filter { $0 >= 0 }.sorted()
            var number = [Int32](repeating: -1, count: slots)
            for (n, row) in firstRow.enumerated() { number[Int(values[Int(row)] &- low)] = Int32(n) }
            // Every number is written below, on the cores: the array is not zeroed first (that
            // was a pass of its own, on one core, which faulted in all its pages).
            let ids = [Int32](unsafeUninitializedCapacity: values.count) { ids, initialized in
                number.withUnsafeBufferPointer { number in
                    forEachPiece(of: values.count, minimumPiece: 262_144) { piece in
                        for row in piece { ids[row] = number[Int(values[row] &- low)] }
                    }
                }
                initialized = values.count
            }
            return (ids, firstRow)
        }
    }

    private static func firstRows(_ values: UnsafeBufferPointer<Int64>, _ rows: Range<Int>, low: Int64, slots: Int) -> [Int32] {
        var first = [Int32](repeating: -1, count: slots)
        first.withUnsafeMutableBufferPointer { first in
            for row in rows {
                let slot = Int(values[row] &- low)
                if first[slot] < 0 { first[slot] = Int32(row) }
            }
        }
        return first
    }

    static func denseIDs(_ n: Int, _ column: Column, _ key: (Int) -> Int64) -> [Int32] {
        var lookup: [Int64: Int32] = [:]
        var ids = [Int32](repeating: 0, count: n)
        var nullID: Int32 = -1
        for row in 0..<n {
            if column.isNull(row) {
                if nullID < 0 { nullID = Int32(lookup.count) }
                ids[row] = nullID
                continue
            }
            let k = key(row)
            if let id = lookup[k] {
                ids[row] = id
            } else {
                let id = Int32(lookup.count + (nullID >= 0 ? 1 : 0))
                lookup[k] = id
                ids[row] = id
            }
        }
        return ids
    }
}

/// Numbers for 64-bit keys in order of first appearance: open addressing over flat arrays,
/// grown to keep it at most half full.
struct PairTable {
    private var keys: [UInt64]
    private var numbers: [Int32]
    private(set) var count: Int32 = 0

    /// Room for as many keys as `rows` may bring, up to 32K before it grows.
    init(rows: Int) {
        var size = 16
        while size < min(2 * rows, 1 << 16) { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        numbers = [Int32](repeating: -1, count: size)
    }

    /// The key's number, a new one for a key not seen before.
    @inline(__always)
    mutating func number(of key: UInt64) -> Int32 {
        let mask = keys.count - 1
        var slot = PairTable.slot(key, mask)
        while true {
            let held = numbers[slot]
            if held < 0 { break }
            if keys[slot] == key { return held }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        numbers[slot] = count
        count += 1
        if Int(count) * 2 > keys.count { grow() }
        return count - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    private mutating func grow() {
        let oldKeys = keys, oldNumbers = numbers
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        numbers = [Int32](repeating: -1, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for i in oldKeys.indices where oldNumbers[i] >= 0 {
            var slot = PairTable.slot(oldKeys[i], mask)
            while numbers[slot] >= 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            numbers[slot] = oldNumbers[i]
        }
    }
}
