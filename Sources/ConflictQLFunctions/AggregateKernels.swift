// The kernels of count, count(distinct), countif, sum, avg, min and max over groups (the
// others are in MoreAggregateKernels.swift); the aggregates' descriptors (Aggregates.swift)
// point at them. Each runs one pass over its typed input column with the row-to-group numbers
// of a `Grouping`. Nulls are skipped; a group with no value gives null (count gives 0).
// Integer sums are checked; avg of Ints sums exactly in 128 bits, and Floats are summed with
// compensation. The grouped count and sum are the hot ones: many rows into few groups are
// split over the cores.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

package struct Aggregator {
    package let grouping: Grouping
    /// The rows in the order first, last and list read them (a window's order); nil: as they are.
    package var order: [Int32]? = nil

    package init(grouping: Grouping, order: [Int32]? = nil) {
        self.grouping = grouping
        self.order = order
    }

    /// Rows per group. Many rows into few groups are counted on the cores, each piece into
    /// its own counts; one group needs no group numbers at all.
    package func rowCounts() -> [Int64] {
        let groups = grouping.groupCount
        if groups == 1 { return [Int64(grouping.groupOfRow.count)] }
        return grouping.groupOfRow.withUnsafeBufferPointer { groupOf in
            let pieces = mapPieces(of: groups <= 1 << 16 ? groupOf.count : 0) { rows in
                var counts = [Int64](repeating: 0, count: groups)
                counts.withUnsafeMutableBufferPointer { counts in
                    for row in rows { counts[Int(groupOf[row])] += 1 }
                }
                return counts
            }
            if groups > 1 << 16 {
                var counts = [Int64](repeating: 0, count: groups)
                for g in groupOf { counts[Int(g)] += 1 }
                return counts
            }
            var counts = pieces[0]
            for piece in pieces.dropFirst() { for g in 0..<groups { counts[g] += piece[g] } }
            return counts
        }
    }

    /// Each group's sum of `values` (nulls skipped) and whether it had a value; nil when a
    /// total does not fit in 64 bits. The total is exact whatever the order of the rows:
    /// pieces (on the cores, for many rows into few groups) sum in 64 bits, and only when one
    /// overflows are the sums made again in 128 bits, so that a total that fits is given even
    /// when a partial sum did not.
    package func exactSums(_ values: [Int64], validity: Bitmap?) -> ([Int64], [Bool])? {
        let groups = grouping.groupCount
        let single = groups == 1
        return values.withUnsafeBufferPointer { values in
            grouping.groupOfRow.withUnsafeBufferPointer { groupOf in
                func valid(_ row: Int) -> Bool { validity.map { $0[row] } ?? true }
                let split = groups <= 1 << 16 ? values.count : 0
                let pieces = mapPieces(of: split) { rows -> (sums: [Int64], summed: [Bool], overflowed: Bool) in
                    var sums = [Int64](repeating: 0, count: groups), summed = [Bool](repeating: false, count: groups)
                    var overflowed = false
                    sums.withUnsafeMutableBufferPointer { sums in
                        summed.withUnsafeMutableBufferPointer { summed in
                            for row in rows where validity == nil || valid(row) {
                                let g = single ? 0 : Int(groupOf[row])
                                let (s, overflow) = sums[g].addingReportingOverflow(values[row])
                                overflowed = overflowed || overflow
                                sums[g] = s
                                summed[g] = true
                            }
                        }
                    }
                    return (sums, summed, overflowed)
                }
                var totals = [Int128](repeating: 0, count: groups), summed = [Bool](repeating: false, count: groups)
                if split == 0 || pieces.contains(where: \.overflowed) {
                    for row in 0..<values.count where valid(row) {
                        let g = single ? 0 : Int(groupOf[row])
                        totals[g] += Int128(values[row])
                        summed[g] = true
                    }
                } else {
                    for piece in pieces {
                        for g in 0..<groups {
                            totals[g] += Int128(piece.sums[g])
                            summed[g] = summed[g] || piece.summed[g]
                        }
                    }
                }
                guard totals.allSatisfy({ $0 >= Int128(Int64.min) && $0 <= Int128(Int64.max) }) else { return nil }
                return (totals.map { Int64($0) }, summed)
            }
        }
    }

    /// count(): the rows of each group; count(x): those where x is not null; count(distinct x):
    /// the distinct values that are not null.
    func count(_ call: GroupedCall) -> Column {
        let groups = grouping.groupCount
        let groupOf = grouping.groupOfRow
        var counts = [Int64](repeating: 0, count: groups)
        guard let input = call.input else {
            return Column(type: .int, storage: .int(rowCounts()), validity: nil, count: groups)
        }
        if call.distinct, groups == 1, case .string(let codes, let dictionary) = input.storage {
            // Ungrouped text: the distinct strings among the entries the rows that are not
            // null use, counted over the dictionary (StringDictionary.distinctCount).
            var used: [UInt64]? = nil
            if case .sequence(let rows) = codes.storage, rows == dictionary.count, input.validity == nil {
                used = nil    // each row its own entry: every entry is used
            } else {
                var marks = [UInt64](repeating: 0, count: (dictionary.count + 63) >> 6)
                codes.forEachCode { row, code in
                    if !input.isNull(row) { marks[Int(code) >> 6] |= 1 << UInt64(code & 63) }
                }
                used = marks
            }
            counts[0] = Int64(dictionary.distinctCount(used: used))
        } else if call.distinct {
            let ids = Grouping.denseIDs(input)
            let distinctValues = Int(ids.max() ?? 0) + 1
            let (pairs, overflow) = groups.multipliedReportingOverflow(by: distinctValues)
            if !overflow && pairs <= 1 << 30 {
                // Up to 2^30 pairs of a group and a value (20M distinct ids ungrouped, a
                // thousand groups of a million values): one bit each, at most 128 MB. A bit
                // rather than a Bool keeps 20M pairs in 2.5 MB, within the caches, where a
                // hash set of them was most of the time of a count(distinct) of 20M ids.
                var seen = [UInt64](repeating: 0, count: (pairs + 63) >> 6)
                seen.withUnsafeMutableBufferPointer { seen in
                    for row in 0..<input.count where !input.isNull(row) {
                        let pair = Int(groupOf[row]) * distinctValues + Int(ids[row])
                        let bit: UInt64 = 1 << UInt64(pair & 63)
                        if seen[pair >> 6] & bit == 0 {
                            seen[pair >> 6] |= bit
                            counts[Int(groupOf[row])] += 1
                        }
                    }
                }
            } else {
                var seen = Set<UInt64>()
                for row in 0..<input.count where !input.isNull(row) {
                    let pair = UInt64(UInt32(bitPattern: groupOf[row])) << 32 | UInt64(UInt32(bitPattern: ids[row]))
                    if seen.insert(pair).inserted { counts[Int(groupOf[row])] += 1 }
                }
            }
        } else {
            for row in 0..<input.count where !input.isNull(row) { counts[Int(groupOf[row])] += 1 }
        }
        return Column(type: .int, storage: .int(counts), validity: nil, count: groups)
    }

    /// The rows where the condition is true: false and null are not counted.
    func countif(_ call: GroupedCall) -> Column {
        let groups = grouping.groupCount
        let groupOf = grouping.groupOfRow
        var counts = [Int64](repeating: 0, count: groups)
        if let input = call.input, case .bool(let values) = input.storage {
            for row in 0..<input.count where values[row] && !input.isNull(row) { counts[Int(groupOf[row])] += 1 }
        }
        return Column(type: .int, storage: .int(counts), validity: nil, count: groups)
    }

    /// The total per group, exact for Ints (an error when it does not fit in 64 bits).
    func sum(_ call: GroupedCall) throws -> Column {
        let groups = grouping.groupCount
        let groupOf = grouping.groupOfRow
        guard let input = call.input else { return nulls(call.type, groups) }
        var seen = Bitmap(count: groups, allValid: false)
        switch input.storage {
        case .int(let values):
            guard let (sums, summed) = exactSums(values, validity: input.validity) else {
                throw Diagnostic(.sumOverflow, at: call.range,
                                       help: "sum a Float instead, for example sum(x * 1.0)")
            }
            for g in 0..<groups where summed[g] { seen[g] = true }
            return Column(type: .int, storage: .int(sums), validity: seen, count: groups)
        case .float(let values):
            var sums = [CompensatedSum](repeating: CompensatedSum(), count: groups)
            for row in 0..<values.count where !input.isNull(row) {
                let g = Int(groupOf[row])
                sums[g].add(values[row])
                seen[g] = true
            }
            return Column(type: .float, storage: .float(sums.map(\.value)), validity: seen, count: groups)
        default:
            return nulls(call.type, groups)
        }
    }

    /// The mean per group; null for a group with no value.
    func avg(_ call: GroupedCall) -> Column {
        let groups = grouping.groupCount
        let groupOf = grouping.groupOfRow
        guard let input = call.input else { return nulls(.float, groups) }
        var counts = [Int](repeating: 0, count: groups)
        var averages = [Double](repeating: 0, count: groups)
        switch input.storage {
        case .int(let values):
            // Summed exactly in 128 bits (2^64 values of 2^63 cannot overflow it), then
            // divided exactly: the quotient and remainder round once each.
            var sums = [Int128](repeating: 0, count: groups)
            for row in 0..<values.count where !input.isNull(row) {
                sums[Int(groupOf[row])] += Int128(values[row]); counts[Int(groupOf[row])] += 1
            }
            for g in 0..<groups where counts[g] > 0 {
                let (quotient, remainder) = sums[g].quotientAndRemainder(dividingBy: Int128(counts[g]))
                averages[g] = Double(quotient) + Double(remainder) / Double(counts[g])
            }
        case .float(let values):
            var sums = [CompensatedSum](repeating: CompensatedSum(), count: groups)
            for row in 0..<values.count where !input.isNull(row) {
                sums[Int(groupOf[row])].add(values[row]); counts[Int(groupOf[row])] += 1
            }
            for g in 0..<groups where counts[g] > 0 { averages[g] = sums[g].value / Double(counts[g]) }
        default: break
        }
        var seen = Bitmap(count: groups, allValid: true)
        for g in 0..<groups where counts[g] == 0 { seen[g] = false }
        return Column(type: .float, storage: .float(averages), validity: seen, count: groups)
    }

    package func nulls(_ type: DataType, _ count: Int) -> Column {
        Column(type: type, storage: .null, validity: nil, count: count)
    }

    /// min or max: the row holding the extreme of each group, then a gather.
    func extreme(_ call: GroupedCall, wantMax: Bool) -> Column {
        let groups = grouping.groupCount
        guard let input = call.input else { return nulls(call.type, groups) }
        var best = [Int32](repeating: -1, count: groups)
        let key = SortKeyColumn(input)
        for row in 0..<input.count where !input.isNull(row) {
            let g = Int(grouping.groupOfRow[row])
            let current = best[g]
            if current < 0 {
                best[g] = Int32(row)
            } else {
                let order = key.compare(row, Int(current))
                if (wantMax && order > 0) || (!wantMax && order < 0) { best[g] = Int32(row) }
            }
        }
        return input.gather(best)
    }
}

/// A sum of Floats with Neumaier's compensation: the low-order bits each addition rounds
/// away are kept apart and added back at the end, so a million values lose no more than a
/// few of them would (plain addition drifts: 1e6 values of 0.1 gave 100000.00000133288).
struct CompensatedSum {
    var sum = 0.0
    var compensation = 0.0

    mutating func add(_ x: Double) {
        let t = sum + x
        // Infinities and NaN make the compensation meaningless; the sum says it all.
        if t.isFinite {
            compensation += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
        }
        sum = t
    }

    var value: Double { sum.isFinite ? sum + compensation : sum }
}
