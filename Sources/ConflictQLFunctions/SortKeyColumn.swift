// Rows compared by one column, as sorting orders them (nulls last, text by bytes): the engine's
// sort, top-N and window order read it, and so do the aggregates whose answer is a value of
// the group (min, max, mode). `compare` is inlinable, and what it reads usable from inlined
// code: the engine calls it per pair of rows from another module. (A `package` type without
// @usableFromInline is not inlined across modules even when its method is @inlinable: the
// ties of a window's rank took 1.3 s instead of 0.7 over 5M rows.)

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column viewed as something to order rows by: integers, doubles or string ranks; or,
/// for a top-N of few rows, strings compared byte by byte where they meet (ranking every
/// string of a column of notes would sort a million of them to keep three).
@usableFromInline package struct SortKeyColumn {
    @usableFromInline package enum Keys {
        case ints([Int64])
        case doubles([Double])
        case strings(codes: StringCodes, dictionary: StringDictionary)
        case none
    }

    @usableFromInline package let keys: Keys
    @usableFromInline package let column: Column

    package init(_ column: Column, cancellation: Cancellation? = nil, comparingStrings: Bool = false) {
        self.column = column
        if comparingStrings, case .string(let codes, let dictionary) = column.storage {
            keys = .strings(codes: codes, dictionary: dictionary)
            return
        }
        switch column.storage {
        case .int(let v): keys = .ints(v)
        case .float(let v): keys = .doubles(v)
        case .bool(let v): keys = .ints(v.map { $0 ? 1 : 0 })
        case .date(let days, let precision): keys = .ints((0..<column.count).map { dateKey(days[$0], precision[$0]) })
        case .string(let codes, let dictionary):
            let ranks = dictionary.ranks(cancellation: cancellation)
            keys = .ints(codes.map { Int64(ranks[Int($0)]) })
        case .list, .null: keys = .none
        }
    }

    /// -1, 0 or 1; nulls sort after every value.
    @inlinable @inline(__always)
    package func compare(_ a: Int, _ b: Int) -> Int {
        let nullA = column.isNull(a), nullB = column.isNull(b)
        if nullA || nullB { return nullA == nullB ? 0 : (nullA ? 1 : -1) }
        switch keys {
        case .ints(let v): return v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
        case .doubles(let v): return v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
        case .strings(let codes, let dictionary):
            let x = Int(codes[a]), y = Int(codes[b])
            if x == y { return 0 }
            return dictionary.withEntry(x) { left in
                dictionary.withEntry(y) { right in
                    let common = min(left.count, right.count)
                    let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                    if order != 0 { return order < 0 ? -1 : 1 }
                    return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
                }
            }
        case .none: return 0
        }
    }
}

/// A date compares as its first day (`@2011-10 == @2011-10-01`); sorting and grouping tell
/// precisions apart with this key, coarser first (`@2013` before `@2013-01-01`).
@inlinable @inline(__always)
package func dateKey(_ days: Int32, _ precision: DatePrecision) -> Int64 {
    Int64(days) * 4 + Int64(precision.rawValue)
}
