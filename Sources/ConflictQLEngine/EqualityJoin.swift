// The matches of an equality join, found on raw keys: each key column of both sides becomes
// a 64-bit number per row that is equal exactly when the values are (string codes mapped
// through one dictionary, Int and Float bits, date keys), several columns are numbered
// together, and the right side's rows are bucketed in flat arrays (a direct table when the
// numbers are dense, a hash table otherwise). No row is boxed into [Value]; before, a join
// of a million rows made a million arrays of Values (0.8 s for a 5-row dimension table).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// For each left row its bucket of right rows (-1: none); bucket `b` is
/// `rows[starts[b]..<starts[b + 1]]`, right rows in their order.
struct JoinMatches {
    var bucketOfLeftRow: [Int32]
    var starts: [Int32]
    var rows: [Int32]

    @inline(__always)
    func matchCount(_ leftRow: Int) -> Int {
        let b = Int(bucketOfLeftRow[leftRow])
        return b < 0 ? 0 : Int(starts[b + 1] - starts[b])
    }
}

/// Key numbers of one side: `valid[row]` false for a row that can match nothing (a null key,
/// NaN, or a string the other side does not have).
struct JoinKeyNumbers {
    var numbers: [UInt64]
    var valid: [Bool]
}

func equalityJoinMatches(_ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
                         context: EvaluationContext, at range: SourceRange) throws -> JoinMatches {
    // One text key: the left rows find their bucket through their dictionary entry, looked up
    // once per entry, instead of a number and a flag per row (for 20M events joined to a
    // five-row table, 180 MB written and read again).
    enum LeftKeys {
        /// For each entry of the left key's dictionary, the right side's number (-1: none).
        case entries([Int32], codes: StringCodes)
        case numbers(JoinKeyNumbers)
    }
    let leftSide: LeftKeys, rightNumbers: JoinKeyNumbers
    if leftKeys.count == 1, let text = textJoinKeys(left.columns[leftKeys[0]], right.columns[rightKeys[0]]) {
        (leftSide, rightNumbers) = (.entries(text.leftEntries, codes: text.leftCodes), text.right)
    } else {
        guard let (l, r) = joinKeyNumbers(left, right, leftKeys, rightKeys) else {
            return try boxedJoinMatches(left, right, leftKeys, rightKeys, context: context, at: range)
        }
        (leftSide, rightNumbers) = (.numbers(l), r)
    }
    try context.checkCancelled(range)
    // Right rows' buckets: by a direct table over a small range of numbers, else by hashing.
    let validRight = (0..<right.rowCount).filter { rightNumbers.valid[$0] }
    let low = validRight.lazy.map { rightNumbers.numbers[$0] }.min() ?? 0
    let high = validRight.lazy.map { rightNumbers.numbers[$0] }.max() ?? 0
    let dense = high &- low < 1 << 22 && high &- low < UInt64(max(64, right.rowCount * 4))
    var slotOfNumber = dense ? [Int32](repeating: -1, count: Int(high &- low) + 1) : []
    var bucketOfNumber: [UInt64: Int32] = [:]
    var bucketOfRightRow = [Int32](repeating: -1, count: right.rowCount)
    var bucketCount: Int32 = 0
    for row in validRight {
        let n = rightNumbers.numbers[row]
        if dense {
            let slot = Int(n &- low)
            if slotOfNumber[slot] < 0 { slotOfNumber[slot] = bucketCount; bucketCount += 1 }
            bucketOfRightRow[row] = slotOfNumber[slot]
        } else if let b = bucketOfNumber[n] {
            bucketOfRightRow[row] = b
        } else {
            bucketOfNumber[n] = bucketCount
            bucketOfRightRow[row] = bucketCount
            bucketCount += 1
        }
    }
    // Flat buckets: counts, running starts, then rows in order.
    var starts = [Int32](repeating: 0, count: Int(bucketCount) + 1)
    for row in validRight { starts[Int(bucketOfRightRow[row]) + 1] += 1 }
    for b in 0..<Int(bucketCount) { starts[b + 1] += starts[b] }
    var next = Array(starts.dropLast())
    var rows = [Int32](repeating: 0, count: validRight.count)
    for row in validRight {
        let b = Int(bucketOfRightRow[row])
        rows[Int(next[b])] = Int32(row)
        next[b] += 1
    }
    try context.checkCancelled(range)
    var bucketOfLeftRow = [Int32](repeating: -1, count: left.rowCount)
    switch leftSide {
    case .entries(let entries, let codes):
        let column = left.columns[leftKeys[0]]
        let span = UInt64(slotOfNumber.count)
        let bucketOfEntry = entries.map { id -> Int32 in
            guard id >= 0 else { return -1 }
            let n = UInt64(UInt32(bitPattern: id))
            if dense { return n &- low < span ? slotOfNumber[Int(n &- low)] : -1 }
            return bucketOfNumber[n] ?? -1
        }
        bucketOfLeftRow.withUnsafeMutableBufferPointer { out in
            bucketOfEntry.withUnsafeBufferPointer { bucketOfEntry in
                if column.validity == nil {
                    codes.forEachCode { row, code in out[row] = bucketOfEntry[Int(code)] }
                } else {
                    codes.forEachCode { row, code in if !column.isNull(row) { out[row] = bucketOfEntry[Int(code)] } }
                }
            }
        }
    case .numbers(let leftNumbers):
        leftNumbers.numbers.withUnsafeBufferPointer { numbers in
            leftNumbers.valid.withUnsafeBufferPointer { valid in
                if dense {
                    slotOfNumber.withUnsafeBufferPointer { slots in
                        let span = UInt64(slots.count)
                        for row in 0..<left.rowCount where valid[row] {
                            let offset = numbers[row] &- low
                            if offset < span { bucketOfLeftRow[row] = slots[Int(offset)] }
                        }
                    }
                } else {
                    for row in 0..<left.rowCount where valid[row] {
                        bucketOfLeftRow[row] = bucketOfNumber[numbers[row]] ?? -1
                    }
                }
            }
        }
    }
    return JoinMatches(bucketOfLeftRow: bucketOfLeftRow, starts: starts, rows: rows)
}

/// Both sides' keys as numbers, or nil when a key column has no raw form here (lists).
func joinKeyNumbers(_ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int]) -> (JoinKeyNumbers, JoinKeyNumbers)? {
    var columns: [(JoinKeyNumbers, JoinKeyNumbers)] = []
    for (l, r) in zip(leftKeys, rightKeys) {
        guard let pair = joinKeyNumbers(left.columns[l], right.columns[r]) else { return nil }
        columns.append(pair)
    }
    guard var (leftNumbers, rightNumbers) = columns.first else { return nil }
    // Several keys: number each column's values densely over both sides, then the pairs.
    for (nextLeft, nextRight) in columns.dropFirst() {
        var numberOf: [UInt64: UInt64] = [:]
        func dense(_ n: UInt64) -> UInt64 {
            if let d = numberOf[n] { return d }
            let d = UInt64(numberOf.count)
            numberOf[n] = d
            return d
        }
        var pairs: [UInt64: UInt64] = [:]
        func combine(_ a: inout JoinKeyNumbers, _ b: JoinKeyNumbers) {
            for row in a.numbers.indices {
                guard a.valid[row] && b.valid[row] else { a.valid[row] = false; continue }
                let key = dense(a.numbers[row]) << 32 | dense(b.numbers[row])
                if let p = pairs[key] { a.numbers[row] = p } else {
                    let p = UInt64(pairs.count)
                    pairs[key] = p
                    a.numbers[row] = p
                }
            }
        }
        // The first column's numbers are renumbered too: the pair's halves must fit 32 bits.
        combine(&rightNumbers, nextRight)
        combine(&leftNumbers, nextLeft)
    }
    return (leftNumbers, rightNumbers)
}

/// Text keys as numbers: the right side's rows by the first entry of the right dictionary
/// equal to theirs, and for each entry of the left dictionary that same entry, or -1 when the
/// right side has no equal string. nil unless both columns are text.
func textJoinKeys(_ left: Column, _ right: Column) -> (right: JoinKeyNumbers, leftEntries: [Int32], leftCodes: StringCodes)? {
    guard case .string(let leftCodes, let leftDictionary) = left.storage,
          case .string(let rightCodes, let rightDictionary) = right.storage else { return nil }
    let rightIDs = rightDictionary.firstEqualEntries()
    let rightSide = JoinKeyNumbers(numbers: rightCodes.map { UInt64(UInt32(bitPattern: rightIDs[Int($0)])) }, valid: validFlags(right))
    return (rightSide, rightDictionary.matchingEntries(of: leftDictionary), leftCodes)
}

/// One key column of each side as numbers: Int and Float meet as Float, -0.0 as 0.0, NaN
/// matches nothing (as `==` says); strings by their bytes.
func joinKeyNumbers(_ left: Column, _ right: Column) -> (JoinKeyNumbers, JoinKeyNumbers)? {
    if let (rightSide, leftIDs, leftCodes) = textJoinKeys(left, right) {
        var leftSide = JoinKeyNumbers(numbers: [UInt64](repeating: 0, count: left.count), valid: validFlags(left))
        leftSide.numbers.withUnsafeMutableBufferPointer { numbers in
            leftSide.valid.withUnsafeMutableBufferPointer { valid in
                leftCodes.forEachCode { row, code in
                    guard valid[row] else { return }
                    let id = leftIDs[Int(code)]
                    if id >= 0 { numbers[row] = UInt64(id) } else { valid[row] = false }
                }
            }
        }
        return (leftSide, rightSide)
    }
    let widen = left.type != right.type
    guard let l = numbers(left, asFloat: widen), let r = numbers(right, asFloat: widen) else { return nil }
    return (l, r)
}

private func numbers(_ column: Column, asFloat: Bool) -> JoinKeyNumbers? {
    @inline(__always) func floatBits(_ v: Double) -> UInt64 { (v == 0 ? 0.0 : v).bitPattern }
    var valid = validFlags(column)
    let numbers: [UInt64]
    switch column.storage {
    case .int(let v):
        numbers = asFloat ? v.map { floatBits(Double($0)) } : v.map { UInt64(bitPattern: $0) }
    case .float(let v):
        for row in v.indices where v[row].isNaN { valid[row] = false }
        numbers = v.map(floatBits)
    case .bool(let v):
        numbers = v.map { $0 ? 1 : 0 }
    case .date(let days, let precision):
        numbers = (0..<column.count).map { UInt64(bitPattern: dateKey(days[$0], precision[$0])) }
    case .null:
        return JoinKeyNumbers(numbers: [UInt64](repeating: 0, count: column.count), valid: [Bool](repeating: false, count: column.count))
    case .string, .list:
        return nil
    }
    return JoinKeyNumbers(numbers: numbers, valid: valid)
}

/// Whether each row holds a value, read from the bitmap once (`isNull` per row would look
/// at the column's storage each time).
private func validFlags(_ column: Column) -> [Bool] {
    if case .null = column.storage { return [Bool](repeating: false, count: column.count) }
    guard let validity = column.validity else { return [Bool](repeating: true, count: column.count) }
    return (0..<column.count).map { validity[$0] }
}

/// The general path, for keys with no raw form: each row's key boxed as [Value].
func boxedJoinMatches(_ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
                      context: EvaluationContext, at range: SourceRange) throws -> JoinMatches {
    // Int and Float keys meet as Float.
    let widen = zip(leftKeys, rightKeys).map { left.columns[$0].type != right.columns[$1].type }
    func key(_ table: Table, _ columns: [Int], _ row: Int) -> [Value]? {
        var values: [Value] = []
        for (position, c) in columns.enumerated() {
            let v = table.columns[c].value(at: row)
            if v.isNull { return nil }
            if widen[position], case .int(let i) = v { values.append(.float(Double(i))) } else { values.append(v) }
        }
        return values
    }
    var bucketOfKey: [[Value]: Int32] = [:]
    var buckets: [[Int32]] = []
    for row in 0..<right.rowCount {
        try context.poll(row, range)
        guard let k = key(right, rightKeys, row) else { continue }
        if let b = bucketOfKey[k] {
            buckets[Int(b)].append(Int32(row))
        } else {
            bucketOfKey[k] = Int32(buckets.count)
            buckets.append([Int32(row)])
        }
    }
    var bucketOfLeftRow = [Int32](repeating: -1, count: left.rowCount)
    for row in 0..<left.rowCount {
        try context.poll(row, range)
        if let k = key(left, leftKeys, row), let b = bucketOfKey[k] { bucketOfLeftRow[row] = b }
    }
    var starts: [Int32] = [0]
    for bucket in buckets { starts.append(starts.last! + Int32(bucket.count)) }
    return JoinMatches(bucketOfLeftRow: bucketOfLeftRow, starts: starts, rows: buckets.flatMap { $0 })
}
