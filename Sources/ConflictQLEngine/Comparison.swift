// Comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`) over columns. A string column against a
// constant compares dictionary codes (one lookup, then integers per row); other types
// compare their typed arrays. Any null operand gives null. A date compares as its first day.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

struct Comparison {
    let op: BinaryOperator
    /// Polled in the loops that compare strings or lists row by row (see `poll`).
    var cancellation: Cancellation? = nil

    func poll(_ row: Int) throws {
        if row & 0x3FF == 0, cancellation?.isCancelled == true { throw Diagnostic(.cancelled, at: nil) }
    }

    @inline(__always)
    func test<T: Comparable>(_ l: T, _ r: T) -> Bool {
        switch op {
        case .equal: return l == r
        case .notEqual: return l != r
        case .less: return l < r
        case .lessEqual: return l <= r
        case .greater: return l > r
        default: return l >= r
        }
    }

    /// `test` of every value against one: the operator chosen once, outside the loop, so
    /// each loop is a plain compare the compiler can vectorise.
    func all<T: Comparable>(_ values: [T], _ v: T) -> [Bool] {
        switch op {
        case .equal: return values.map { $0 == v }
        case .notEqual: return values.map { $0 != v }
        case .less: return values.map { $0 < v }
        case .lessEqual: return values.map { $0 <= v }
        case .greater: return values.map { $0 > v }
        default: return values.map { $0 >= v }
        }
    }

    /// The operator with its sides swapped: `5 < x` is `x > 5`.
    var flipped: Comparison {
        switch op {
        case .less: return Comparison(op: .greater, cancellation: cancellation)
        case .lessEqual: return Comparison(op: .greaterEqual, cancellation: cancellation)
        case .greater: return Comparison(op: .less, cancellation: cancellation)
        case .greaterEqual: return Comparison(op: .lessEqual, cancellation: cancellation)
        default: return self
        }
    }

    func apply(_ a: Operand, _ b: Operand, _ count: Int) throws -> Column {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)):
            // One comparison, as long as asked: callers combine it with columns of `count`.
            let left = Column.constant(x, type: x.type, count: 1)
            let right = Column.constant(y, type: y.type, count: 1)
            let one = try columnVersusColumn(left, right, 1)
            return count == 1 ? one : Column.constant(one.value(at: 0), type: .bool, count: count)
        case (.column(let column), .scalar(let value)):
            return try columnVersusScalar(column, value, count)
        case (.scalar(let value), .column(let column)):
            return try flipped.columnVersusScalar(column, value, count)
        case (.column(let x), .column(let y)):
            return try columnVersusColumn(x, y, count)
        }
    }

    func nulls(_ count: Int) -> Column {
        Column(type: .bool, storage: .null, validity: nil, count: count)
    }

    func columnVersusScalar(_ column: Column, _ value: Value, _ count: Int) throws -> Column {
        if value.isNull { return nulls(count) }
        let result: [Bool]
        switch (column.storage, value) {
        case (.int(let values), .int(let v)):
            result = all(values, v)
        case (.float(let values), .float(let v)):
            result = all(values, v)
        case (.float(let values), .int(let v)):
            result = all(values, Double(v))
        case (.date(let days, _), .date(let d)):
            result = all(days, d.days)
        case (.bool(let values), .bool(let v)):
            result = values.map { test($0 ? 1 : 0, v ? 1 : 0) }
        case (.string(let codes, let dictionary), .string(let s)):
            if op == .equal || op == .notEqual, let code = dictionary.uniqueCode(of: s) {
                result = op == .equal ? codes.map { $0 == code } : codes.map { $0 != code }
            } else {
                let perEntry = dictionary.values.map { entry -> Bool in
                    let less = utf8Less(entry, s), greater = utf8Less(s, entry)
                    return test(less ? -1 : greater ? 1 : 0, 0)
                }
                result = codes.map { perEntry[Int($0)] }
            }
        default:
            return try columnVersusColumn(column, Column.constant(value, type: column.type, count: count), count)
        }
        return Column(type: .bool, storage: .bool(result), validity: column.validity, count: count)
    }

    func columnVersusColumn(_ x: Column, _ y: Column, _ count: Int) throws -> Column {
        var result = [Bool](repeating: false, count: count)
        switch (x.storage, y.storage) {
        case (.int(let a), .int(let b)):
            for i in 0..<count { result[i] = test(a[i], b[i]) }
        case (.float(let a), .float(let b)):
            for i in 0..<count { result[i] = test(a[i], b[i]) }
        case (.bool(let a), .bool(let b)):
            for i in 0..<count { result[i] = test(a[i] ? 1 : 0, b[i] ? 1 : 0) }
        case (.date(let da, _), .date(let db, _)):
            for i in 0..<count { result[i] = test(da[i], db[i]) }
        case (.string(let ca, let dictionaryA), .string(let cb, let dictionaryB)):
            if dictionaryA === dictionaryB && dictionaryA.isUnique && (op == .equal || op == .notEqual) {
                for i in 0..<count { result[i] = test(ca[i], cb[i]) }
            } else {
                for i in 0..<count {
                    try poll(i)
                    let s = dictionaryA[Int(ca[i])], t = dictionaryB[Int(cb[i])]
                    result[i] = test(utf8Less(s, t) ? -1 : utf8Less(t, s) ? 1 : 0, 0)
                }
            }
        case (.list, .list):
            for i in 0..<count {
                try poll(i)
                let equal = x.value(at: i) == y.value(at: i)
                result[i] = op == .equal ? equal : !equal
            }
        default:
            return nulls(count)
        }
        return Column(type: .bool, storage: .bool(result), validity: Bitmap.and(x.validity, y.validity), count: count)
    }
}
