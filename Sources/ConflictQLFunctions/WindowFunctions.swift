// Every window function, one descriptor each, with its kernel: one pass along the rows in the
// window's order (groups contiguous, ties in input order), writing each row's value in its
// own place. Nulls are skipped by running_sum and moving_avg; prev and next give null at the
// group's edge.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension WindowFunction {
    /// Every window function, in the order of the reference.
    public static let all: [WindowFunction] = [row_number, rank, dense_rank, running_sum, prev, next, moving_avg]

    public static let row_number = numbering("row_number", meaning: "the row's place in its group, from 1, in the window's order",
                                             example: "figures | window sort by value desc n = row_number()", ties: nil)
    public static let rank = numbering("rank", meaning: "1 plus the rows before it in the order; ties share a rank and leave a gap (1, 1, 3)",
                                       example: "figures | window sort by value desc r = rank()", ties: .leaveAGap)
    public static let dense_rank = numbering("dense_rank", meaning: "as rank, without gaps after ties (1, 1, 2)",
                                             example: "figures | window sort by value desc r = dense_rank()", ties: .leaveNoGap)

    public static let running_sum = WindowFunction(
        "running_sum", signature: "running_sum(NUMBER)  (in window)",
        meaning: "the total of the group's values up to this row, in the order (nulls skipped; null before the first value)",
        example: "funding | window sort by amount_usd total = running_sum(amount_usd)",
        arity: 1...1, usage: "running_sum(NUMBER)",
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0)], $0) },
        check: { call in
            let type = try call.expect("a number", \.isNumeric)
            return type == .null ? .int : type
        },
        kernel: runningSum,
        sql: { call throws(SQLError) in
            let frame = try call.over(frame: " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")
            return call.type == .int ? try call.dialect.integerSum(call.argument, over: frame) : "SUM(\(call.argument)) \(frame)"
        })

    public static let prev = shifted("prev", before: true,
                                     meaning: "the value N rows (1 by default) before in the group's order; null at the group's edge",
                                     example: "funding | window by donor sort by amount_usd change = amount_usd - prev(amount_usd)")
    public static let next = shifted("next", before: false,
                                     meaning: "the value N rows (1 by default) after in the group's order; null at the group's edge",
                                     example: "funding | window by donor sort by amount_usd change = next(amount_usd) - amount_usd")

    public static let moving_avg = WindowFunction(
        "moving_avg", signature: "moving_avg(NUMBER, N) -> Float  (in window)",
        meaning: "the mean of this row and the N - 1 before it in the group (nulls skipped)",
        example: "figures | window sort by value m = moving_avg(value, 3)",
        arity: 2...2, usage: "moving_avg(NUMBER, ROWS)",
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0), .rows], .float) },
        check: { call in
            try call.expect("a number", \.isNumeric)
            try call.rows(1)
            return .float
        },
        kernel: movingAverage,
        sql: { call throws(SQLError) in
            let float = try call.dialect.typeName(.float)
            return "AVG(CAST(\(call.argument) AS \(float))) \(try call.over(frame: " ROWS BETWEEN \(call.offset - 1) PRECEDING AND CURRENT ROW"))"
        })

    // MARK: Families

    /// How rank and dense_rank number rows that tie in the order.
    enum Ties { case leaveAGap, leaveNoGap }

    /// row_number (`ties` nil: every row its own number), rank and dense_rank: numbers along
    /// the group in the window's order.
    static func numbering(_ name: String, meaning: String, example: String, ties: Ties?) -> WindowFunction {
        let readsTies = ties != nil, dense = ties == .leaveNoGap
        return WindowFunction(
            name, signature: "\(name)() -> Int  (in window)", meaning: meaning, example: example,
            arity: 0...0, usage: "\(name)()", readsTies: readsTies,
            forms: [CallForm([], .int)],
            check: { _ in .int },
            kernel: { call in
                let count = call.rowCount, order = call.order, starts = call.starts, ties = call.ties
                var result = [Int64](repeating: 0, count: count)
                var number: Int64 = 0, rank: Int64 = 0, denseRank: Int64 = 0
                for p in 0..<count {
                    if starts[p] { number = 0; rank = 0; denseRank = 0 }
                    number += 1
                    if !ties[p] { rank = number; denseRank += 1 }
                    result[Int(order[p])] = !readsTies ? number : dense ? denseRank : rank
                }
                return Column(type: .int, storage: .int(result), validity: nil, count: count)
            },
            sql: { call throws(SQLError) in
                // rank's ties are ties: the hidden row column would break them.
                "\(name.uppercased())() \(try call.over(withRow: !readsTies))"
            })
    }

    /// prev and next: the value `offset` rows before (after) in the group, or null.
    static func shifted(_ name: String, before: Bool, meaning: String, example: String) -> WindowFunction {
        WindowFunction(
            name, signature: "\(name)(VALUE[, N])  (in window)", meaning: meaning, example: example,
            arity: 1...2, usage: "\(name)(VALUE) or \(name)(VALUE, N)",
            forms: CallForm.each(CallForm.valueTypes) { CallForm([.of($0)], $0) }
                + CallForm.each(CallForm.valueTypes) { CallForm([.of($0), .rows], $0) },
            check: { call in
                if call.arguments.count == 2 { try call.rows(1) }
                return call.type
            },
            kernel: { call in
                let count = call.rowCount, order = call.order, starts = call.starts
                var source = [Int32](repeating: -1, count: count)
                var groupStart = 0
                var groupEnd = [Int](repeating: count, count: count)
                var end = count
                for p in stride(from: count - 1, through: 0, by: -1) {
                    groupEnd[p] = end
                    if starts[p] { end = p }
                }
                for p in 0..<count {
                    if starts[p] { groupStart = p }
                    let q = before ? p - call.offset : p + call.offset
                    if q >= groupStart && q < groupEnd[p] { source[Int(order[p])] = order[q] }
                }
                return (call.input ?? call.nulls()).gather(source)
            },
            sql: { call throws(SQLError) in
                if case .list = call.type { throw call.refuse("\(name)() of a list") }
                // PostgreSQL cannot type LAG('JNIM', 1): a literal's type is unknown to a
                // polymorphic function (found by the differential test), so it is cast there.
                let value = call.dialect == .postgres ? "CAST(\(call.argument) AS \(try call.dialect.typeName(call.type)))" : call.argument
                return "\(before ? "LAG" : "LEAD")(\(value), \(call.offset)) \(try call.over())"
            })
    }

    // MARK: Kernels

    /// The sum of the group's values so far (nulls skipped; null before the first value).
    @Sendable static func runningSum(_ call: WindowKernelCall) throws -> Column {
        guard let input = call.input else { return call.nulls() }
        let count = input.count, order = call.order, starts = call.starts
        var bits = Bitmap(count: count, allValid: true)
        switch input.storage {
        case .int(let values):
            var result = [Int64](repeating: 0, count: count)
            var sum: Int64 = 0, seen = false
            for p in 0..<count {
                if starts[p] { sum = 0; seen = false }
                let row = Int(order[p])
                if !input.isNull(row) {
                    let (next, overflow) = sum.addingReportingOverflow(values[row])
                    if overflow { throw Diagnostic(.runningSumOverflow(Int64.max), at: call.range) }
                    sum = next
                    seen = true
                }
                if seen { result[row] = sum } else { bits[row] = false }
            }
            return Column(type: .int, storage: .int(result), validity: bits, count: count)
        case .float(let values):
            var result = [Double](repeating: 0, count: count)
            var sum = 0.0, seen = false
            for p in 0..<count {
                if starts[p] { sum = 0; seen = false }
                let row = Int(order[p])
                if !input.isNull(row) { sum += values[row]; seen = true }
                if seen { result[row] = sum } else { bits[row] = false }
            }
            return Column(type: .float, storage: .float(result), validity: bits, count: count)
        default:
            return call.nulls()
        }
    }

    /// The mean of the row and the `offset - 1` before it in its group (nulls skipped).
    @Sendable static func movingAverage(_ call: WindowKernelCall) -> Column {
        let count = call.rowCount, order = call.order, starts = call.starts
        guard let input = call.input else { return Column(type: .float, storage: .null, validity: nil, count: count) }
        var values = [Double](repeating: 0, count: count)
        if case .int(let v) = input.storage { values = v.map(Double.init) }
        if case .float(let v) = input.storage { values = v }
        var result = [Double](repeating: 0, count: count), bits = Bitmap(count: count, allValid: true)
        var sum = 0.0, present = 0, groupStart = 0
        for p in 0..<count {
            if starts[p] { sum = 0; present = 0; groupStart = p }
            let row = Int(order[p])
            if !input.isNull(row) { sum += values[row]; present += 1 }
            // The row leaving the last `offset` rows of the group.
            let leaving = p - call.offset
            if leaving >= groupStart {
                let old = Int(order[leaving])
                if !input.isNull(old) { sum -= values[old]; present -= 1 }
            }
            if present == 0 { bits[row] = false } else { result[row] = sum / Double(present) }
        }
        return Column(type: .float, storage: .float(result), validity: bits, count: count)
    }
}
