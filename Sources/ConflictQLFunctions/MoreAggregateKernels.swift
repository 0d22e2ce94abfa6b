// The kernels of the aggregates of issue 11 beside the first ones: stdev and variance (one
// pass each, by Welford's update, which does not cancel as sum-of-squares does), percentile
// (the group's values laid out group after group in one array, each slice sorted), mode,
// first, last and list. first, last and list read the rows in the aggregator's order: the
// input's, or in a `window` the window's. Nulls are skipped by all of them.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension Aggregator {
    /// Sample variance (n - 1) per group, or its square root; null below two values.
    func spread(_ input: Column?, squareRoot: Bool) -> Column {
        let groups = grouping.groupCount
        guard let input else { return nulls(.float, groups) }
        var counts = [Int](repeating: 0, count: groups)
        var means = [Double](repeating: 0, count: groups)
        var squares = [Double](repeating: 0, count: groups)
        func add(_ g: Int, _ x: Double) {
            counts[g] += 1
            let delta = x - means[g]
            means[g] += delta / Double(counts[g])
            squares[g] += delta * (x - means[g])
        }
        let groupOf = grouping.groupOfRow
        switch input.storage {
        case .int(let v): for row in 0..<v.count where !input.isNull(row) { add(Int(groupOf[row]), Double(v[row])) }
        case .float(let v): for row in 0..<v.count where !input.isNull(row) { add(Int(groupOf[row]), v[row]) }
        default: break
        }
        var result = [Double](repeating: 0, count: groups)
        var valid = Bitmap(count: groups, allValid: true)
        for g in 0..<groups {
            guard counts[g] >= 2 else { valid[g] = false; continue }
            // Rounding can leave a tiny negative; an infinite input makes it NaN, which stays
            // NaN (max(0, NaN) would be 0, a spread of nothing).
            let quotient = squares[g] / Double(counts[g] - 1)
            let variance = quotient < 0 ? 0 : quotient
            result[g] = squareRoot ? variance.squareRoot() : variance
        }
        return Column(type: .float, storage: .float(result), validity: valid, count: groups)
    }

    /// The p-th percentile (0 to 100) per group, interpolated between the two nearest values
    /// as PostgreSQL's percentile_cont: at (n - 1) * p / 100 along the sorted values.
    func percentile(_ input: Column?, _ p: Double) -> Column {
        let groups = grouping.groupCount
        guard let input else { return nulls(.float, groups) }
        var doubles: [Double]
        switch input.storage {
        case .int(let v): doubles = v.map(Double.init)
        case .float(let v): doubles = v
        default: return nulls(.float, groups)
        }
        // Group after group in one array: a count per group, then starts, then a fill.
        let groupOf = grouping.groupOfRow
        var starts = [Int](repeating: 0, count: groups + 1)
        for row in 0..<input.count where !input.isNull(row) { starts[Int(groupOf[row]) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var next = starts
        var laid = [Double](repeating: 0, count: starts[groups])
        for row in 0..<input.count where !input.isNull(row) {
            let g = Int(groupOf[row])
            laid[next[g]] = doubles[row]
            next[g] += 1
        }
        doubles = []
        var result = [Double](repeating: 0, count: groups)
        var valid = Bitmap(count: groups, allValid: true)
        laid.withUnsafeMutableBufferPointer { laid in
            for g in 0..<groups {
                let n = starts[g + 1] - starts[g]
                guard n > 0 else { valid[g] = false; continue }
                var slice = UnsafeMutableBufferPointer(rebasing: laid[starts[g]..<starts[g + 1]])
                // NaN sorts last, as SQL engines order it above every number.
                slice.sort { $0 < $1 || (!$0.isNaN && $1.isNaN) }
                let position = Double(n - 1) * p / 100
                let low = Int(position.rounded(.down))
                let fraction = position - Double(low)
                let high = min(low + 1, n - 1)
                result[g] = fraction == 0 ? slice[low] : slice[low] + (slice[high] - slice[low]) * fraction
            }
        }
        return Column(type: .float, storage: .float(result), validity: valid, count: groups)
    }

    /// The most frequent value per group; of equally frequent ones, the smallest.
    func mode(_ input: Column?, _ type: DataType) -> Column {
        let groups = grouping.groupCount
        guard let input else { return nulls(type, groups) }
        let ids = Grouping.denseIDs(input)
        let distinctValues = Int(ids.max() ?? 0) + 1
        // A row holding each value, to compare values by the column's order.
        var holder = [Int32](repeating: -1, count: distinctValues)
        for row in 0..<input.count where !input.isNull(row) && holder[Int(ids[row])] < 0 { holder[Int(ids[row])] = Int32(row) }
        let key = SortKeyColumn(input)
        var best = [Int32](repeating: -1, count: groups), bestCount = [Int](repeating: 0, count: groups)
        func consider(_ g: Int, _ id: Int, _ count: Int) {
            let row = holder[id]
            if count > bestCount[g] || (count == bestCount[g] && key.compare(Int(row), Int(best[g])) < 0) {
                best[g] = row
                bestCount[g] = count
            }
        }
        let groupOf = grouping.groupOfRow
        if groups * distinctValues <= 1 << 22 {
            // Few groups times few values: one counter per pair (16 MB at most).
            var counts = [Int32](repeating: 0, count: groups * distinctValues)
            for row in 0..<input.count where !input.isNull(row) { counts[Int(groupOf[row]) * distinctValues + Int(ids[row])] += 1 }
            for pair in 0..<counts.count where counts[pair] > 0 { consider(pair / distinctValues, pair % distinctValues, Int(counts[pair])) }
        } else {
            var counts: [UInt64: Int] = [:]
            for row in 0..<input.count where !input.isNull(row) {
                counts[UInt64(UInt32(bitPattern: groupOf[row])) << 32 | UInt64(UInt32(bitPattern: ids[row])), default: 0] += 1
            }
            for (pair, count) in counts { consider(Int(pair >> 32), Int(pair & 0xffff_ffff), count) }
        }
        return input.gather(best)
    }

    /// The rows to read in order: the aggregator's order, or the input's.
    func rowsInOrder(_ count: Int) -> [Int32] { order ?? (0..<Int32(count)).map { $0 } }

    /// The first (or last) value in order per group.
    func firstOrLast(_ input: Column?, _ type: DataType, last: Bool) -> Column {
        let groups = grouping.groupCount
        guard let input else { return nulls(type, groups) }
        var chosen = [Int32](repeating: -1, count: groups)
        let groupOf = grouping.groupOfRow
        let rows = rowsInOrder(input.count)
        for row in last ? rows.reversed() : rows where !input.isNull(Int(row)) {
            let g = Int(groupOf[Int(row)])
            if chosen[g] < 0 { chosen[g] = row }
        }
        return input.gather(chosen)
    }

    /// The values of each group as a list, in order; with `distinct`, each value's first
    /// occurrence. A group with no value gets the empty list.
    func list(_ input: Column?, _ type: DataType, distinct: Bool) -> Column {
        let groups = grouping.groupCount
        let elementType: DataType
        if case .list(let element) = type { elementType = element } else { elementType = .null }
        guard let input else {
            return Column(type: type, storage: .list(offsets: [Int32](repeating: 0, count: groups + 1),
                                                     values: Column(type: elementType, storage: .null, validity: nil, count: 0)),
                          validity: nil, count: groups)
        }
        let groupOf = grouping.groupOfRow
        var keep = [Bool](repeating: false, count: input.count)
        for row in 0..<input.count { keep[row] = !input.isNull(row) }
        if distinct {
            let ids = Grouping.denseIDs(input)
            let distinctValues = Int(ids.max() ?? 0) + 1
            if groups * distinctValues <= 1 << 24 {
                // Few groups times few values: one flag per pair.
                var seen = [Bool](repeating: false, count: groups * distinctValues)
                for row in rowsInOrder(input.count) where keep[Int(row)] {
                    let pair = Int(groupOf[Int(row)]) * distinctValues + Int(ids[Int(row)])
                    keep[Int(row)] = !seen[pair]
                    seen[pair] = true
                }
            } else {
                var seen = Set<UInt64>()
                for row in rowsInOrder(input.count) where keep[Int(row)] {
                    let pair = UInt64(UInt32(bitPattern: groupOf[Int(row)])) << 32 | UInt64(UInt32(bitPattern: ids[Int(row)]))
                    keep[Int(row)] = seen.insert(pair).inserted
                }
            }
        }
        // Each group's rows in order, group after group, as a list column's offsets and values.
        var offsets = [Int32](repeating: 0, count: groups + 1)
        for row in 0..<input.count where keep[row] { offsets[Int(groupOf[row]) + 1] += 1 }
        for g in 0..<groups { offsets[g + 1] += offsets[g] }
        var next = offsets
        var picked = [Int32](repeating: 0, count: Int(offsets[groups]))
        for row in rowsInOrder(input.count) where keep[Int(row)] {
            let g = Int(groupOf[Int(row)])
            picked[Int(next[g])] = row
            next[g] += 1
        }
        let values = input.gather(picked)
        return Column(type: type, storage: .list(offsets: offsets, values: values), validity: nil, count: groups)
    }
}
