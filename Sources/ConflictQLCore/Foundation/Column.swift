// Columnar storage: a table is a list of typed columns of equal length. A column is one
// typed array (Int64, Double, Bool, day numbers with precisions, dictionary codes for
// strings, offsets plus a child column for lists) and a validity bitmap for nulls. Operators
// work on whole columns; no row is ever a dictionary of boxed values.

/// One bit per row: set when the row holds a value, clear when it is null.
public struct Bitmap: Sendable, Equatable {
    @usableFromInline package var words: [UInt64]
    public private(set) var count: Int

    public init(count: Int, allValid: Bool) {
        self.count = count
        let wordCount = (count + 63) / 64
        words = [UInt64](repeating: allValid ? ~0 : 0, count: wordCount)
        if allValid, count % 64 != 0, wordCount > 0 {
            words[wordCount - 1] = (1 << UInt64(count % 64)) - 1
        }
    }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    public var nullCount: Int { count - words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Row-wise AND: valid where both are valid.
    package static func and(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
        guard let a else { return b }
        guard let b else { return a }
        var result = a
        for i in result.words.indices { result.words[i] &= b.words[i] }
        return result
    }
}

/// The strings of a string column; codes index into it. The strings are kept as one UTF-8
/// buffer with offsets (no object per string), and shared between columns (after a filter,
/// a sort, a gather) without copying. Usually entries are unique, so equal strings have
/// equal codes; a loaded column with mostly distinct values (free-text notes, ids) is not
/// deduplicated (`isUnique` false), since hashing every value would cost more than it saves.
public final class StringDictionary: Sendable {
    /// A run of entries in one buffer: entry `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    /// Offsets are 32-bit, so a segment holds less than 4 GiB of text (`maximumBytes`); a
    /// column with more has more segments.
    @usableFromInline package struct Segment: Sendable {
        @usableFromInline package var bytes: [UInt8]
        @usableFromInline package var offsets: [UInt32]
        @usableFromInline package var count: Int { offsets.count - 1 }

        /// The most text one segment holds.
        package static let maximumBytes = Int(UInt32.max)

        package init(bytes: [UInt8], offsets: [UInt32]) {
            self.bytes = bytes
            self.offsets = offsets
        }

        /// Where entry `i` is in `bytes`.
        @inlinable @inline(__always)
        package func range(_ i: Int) -> Range<Int> { Int(offsets[i])..<Int(offsets[i + 1]) }
    }

    /// A loaded column keeps one segment per parsing thread, so no copy joins them.
    @usableFromInline let segments: [Segment]
    /// The first entry index of each segment, and the total count at the end.
    @usableFromInline let firstEntries: [Int]
    public let isUnique: Bool

    public convenience init(_ values: [String], isUnique: Bool = true) {
        var segments: [Segment] = []
        var bytes: [UInt8] = []
        var offsets: [UInt32] = [0]
        offsets.reserveCapacity(values.count + 1)
        for value in values {
            if bytes.count + value.utf8.count > Segment.maximumBytes {
                segments.append(Segment(bytes: bytes, offsets: offsets))
                bytes = []
                offsets = [0]
            }
            bytes.append(contentsOf: value.utf8)
            offsets.append(UInt32(bytes.count))
        }
        segments.append(Segment(bytes: bytes, offsets: offsets))
        self.init(segments: segments, isUnique: isUnique)
    }

    package init(segments: [Segment], isUnique: Bool) {
        self.segments = segments
        var first = [0]
        for segment in segments { first.append(first.last! + segment.count) }
        self.firstEntries = first
        self.isUnique = isUnique
    }

    @inlinable
    public var count: Int { firstEntries.last! }

    /// The memory the entries hold: their bytes and offsets.
    public var heldBytes: Int { segments.reduce(0) { $0 + $1.bytes.count + $1.offsets.count * 4 } }

    /// The segment holding entry `index`, and the entry's index within it.
    @inlinable @inline(__always)
    package func locate(_ index: Int) -> (Int, Int) {
        if segments.count == 1 { return (0, index) }
        var low = 0, high = segments.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if firstEntries[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return (low, index - firstEntries[low])
    }

    /// Calls `body` with the bytes of entry `index`.
    @inlinable @inline(__always)
    package func withEntry<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let (s, i) = locate(index)
        let segment = segments[s]
        return segment.bytes.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[segment.range(i)]))
        }
    }

    @inlinable
    public subscript(index: Int) -> String {
        withEntry(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Every entry as a String (made on demand: prefer per-entry access for large ones).
    public var values: [String] { (0..<count).map { self[$0] } }

    /// Calls `body` with the bytes of each entry in turn.
    func forEachEntry(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        for (s, segment) in segments.enumerated() {
            segment.bytes.withUnsafeBufferPointer { buffer in
                for i in 0..<segment.count {
                    body(firstEntries[s] + i, UnsafeBufferPointer(rebasing: buffer[segment.range(i)]))
                }
            }
        }
    }

    /// For each entry, a number shared by all entries holding the same string.
    /// (The index of the first entry holding it: see ByteStrings.swift.)
    package func canonicalIDs() -> [Int32] { firstEqualEntries() }

    /// The code of `string` when entries are unique (-1 when absent); nil when not unique.
    package func uniqueCode(of string: String) -> Int32? {
        guard isUnique else { return nil }
        let target = Array(string.utf8)
        var found: Int32 = -1
        forEachEntry { index, entry in
            if found < 0 && entry.count == target.count && entry.elementsEqual(target) { found = Int32(index) }
        }
        return found
    }

    /// Each entry's rank in byte order, so sorting compares integers; equal strings share one.
    /// Entries are compared as bytes in place, never made into Strings (StringOrder.swift).
    package func ranks(cancellation: Cancellation? = nil) -> [Int32] { byteOrderRanks(cancellation: cancellation) }

    /// Calls `body` with the base address of every segment's bytes.
    @inlinable func withSegmentBases<R>(_ body: ([UnsafePointer<UInt8>]) -> R) -> R {
        func nest(_ index: Int, _ bases: [UnsafePointer<UInt8>]) -> R {
            if index == segments.count { return body(bases) }
            return segments[index].bytes.withUnsafeBufferPointer { buffer in
                nest(index + 1, bases + [buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!])
            }
        }
        return nest(0, [])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte order of UTF-8, as DuckDB and SQLite sort text.
@inline(__always)
package func utf8Less(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

public struct Column: Sendable {
    public indirect enum Storage: Sendable {
        case int([Int64])
        case float([Double])
        case bool([Bool])
        case date(days: [Int32], precision: [DatePrecision])
        case string(codes: StringCodes, dictionary: StringDictionary)
        case list(offsets: [Int32], values: Column)
        case null
    }

    public let type: DataType
    public var storage: Storage
    /// nil when no row is null.
    public var validity: Bitmap?
    public let count: Int

    public init(type: DataType, storage: Storage, validity: Bitmap?, count: Int) {
        self.type = type
        self.storage = storage
        self.validity = validity.flatMap { $0.nullCount == 0 ? nil : $0 }
        self.count = count
        // Every code indexes the dictionary, null rows' codes too: loops read them and mask
        // afterwards. Rows that are all null (a builder of nulls, a left join with nothing on
        // the right) may have no entry at all, so they get one, the empty string.
        if case .string(let codes, let dictionary) = storage, dictionary.count == 0, !codes.isEmpty {
            self.storage = .string(codes: codes, dictionary: StringDictionary([""]))
        }
    }

    @inlinable @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        if case .null = storage { return true }
        guard let validity else { return false }
        return !validity[row]
    }

    public var nullCount: Int {
        if case .null = storage { return count }
        return validity?.nullCount ?? 0
    }

    /// The value at `row`, boxed: for output and tests, never for operators.
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch storage {
        case .int(let v): return .int(v[row])
        case .float(let v): return .float(v[row])
        case .bool(let v): return .bool(v[row])
        case .date(let days, let precision): return .date(DateValue(days: days[row], precision: precision[row]))
        case .string(let codes, let dictionary): return .string(dictionary[Int(codes[row])])
        case .list(let offsets, let values):
            return .list((Int(offsets[row])..<Int(offsets[row + 1])).map { values.value(at: $0) })
        case .null: return .null
        }
    }

    public var values: [Value] { (0..<count).map(value(at:)) }

    /// The memory the column's values hold, in bytes: its arrays, its null bits and its
    /// dictionary (counted in full here even when other columns share it).
    public var heldBytes: Int {
        let bits = (validity?.words.count ?? 0) * 8
        switch storage {
        case .int(let v): return bits + v.count * 8
        case .float(let v): return bits + v.count * 8
        case .bool(let v): return bits + v.count
        case .date(let days, let precision): return bits + days.count * 4 + precision.count
        case .string(let codes, let dictionary): return bits + codes.bytes + dictionary.heldBytes
        case .list(let offsets, let values): return bits + offsets.count * 4 + values.heldBytes
        case .null: return bits
        }
    }

    /// A column of `count` copies of `value`.
    public static func constant(_ value: Value, type: DataType, count: Int) -> Column {
        var builder = ColumnBuilder(type: type, capacity: count)
        if case .string(let s) = value {
            // One dictionary entry, every code zero.
            return Column(type: .string, storage: .string(codes: .repeating(0, count: count, entries: 1),
                                                          dictionary: StringDictionary([s])),
                          validity: nil, count: count)
        }
        for _ in 0..<count { builder.append(value) }
        return builder.finish()
    }

    /// The rows at `indices`, in that order; an index of -1 gives a null (for left joins).
    public func gather(_ indices: [Int32]) -> Column {
        let n = indices.count
        var validity: Bitmap? = nil
        let hasMissing = indices.contains(-1)
        if self.validity != nil || hasMissing {
            var bits = Bitmap(count: n, allValid: true)
            for (i, index) in indices.enumerated() where index < 0 || isNull(Int(index)) { bits[i] = false }
            validity = bits
        }
        @inline(__always) func pick<T>(_ array: [T], _ fill: T) -> [T] {
            if hasMissing { return indices.map { $0 < 0 ? fill : array[Int($0)] } }
            return array.withUnsafeBufferPointer { buffer in indices.map { buffer[Int($0)] } }
        }
        let storage: Storage
        switch self.storage {
        case .int(let v): storage = .int(pick(v, 0))
        case .float(let v): storage = .float(pick(v, 0))
        case .bool(let v): storage = .bool(pick(v, false))
        case .date(let days, let precision): storage = .date(days: pick(days, 0), precision: pick(precision, .day))
        case .string(let codes, let dictionary): storage = .string(codes: codes.gather(indices), dictionary: dictionary)
        case .list(let offsets, let values):
            var newOffsets: [Int32] = [0]
            var elementIndices: [Int32] = []
            for index in indices {
                if index >= 0 {
                    for e in offsets[Int(index)]..<offsets[Int(index) + 1] { elementIndices.append(e) }
                }
                newOffsets.append(Int32(elementIndices.count))
            }
            storage = .list(offsets: newOffsets, values: values.gather(elementIndices))
        case .null: storage = .null
        }
        return Column(type: type, storage: storage, validity: validity, count: n)
    }
}

/// Builds a column value by value: for literals, the embedded dataset, loaders and results
/// of operators that produce few rows. Strings are deduplicated into a dictionary.
public struct ColumnBuilder {
    public let type: DataType
    var ints: [Int64] = []
    var floats: [Double] = []
    var bools: [Bool] = []
    var days: [Int32] = []
    var precisions: [DatePrecision] = []
    var codes: [Int32] = []
    var dictionary: [String] = []
    var lookup: [String: Int32] = [:]
    var offsets: [Int32] = [0]
    var elements: [Value] = []
    var nullFlags: [Bool] = []
    var count = 0
    var hasNull = false

    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .int: ints.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity)
        case .string: codes.reserveCapacity(capacity)
        default: break
        }
    }

    public mutating func append(_ value: Value) {
        let isNull = value.isNull
        if isNull { hasNull = true }
        nullFlags.append(!isNull)
        switch type {
        case .int:
            if case .int(let v) = value { ints.append(v) } else { ints.append(0) }
        case .float:
            switch value {
            case .float(let v): floats.append(v)
            case .int(let v): floats.append(Double(v))
            default: floats.append(0)
            }
        case .bool:
            if case .bool(let v) = value { bools.append(v) } else { bools.append(false) }
        case .date:
            if case .date(let d) = value { days.append(d.days); precisions.append(d.precision) } else {
                days.append(0); precisions.append(.day)
            }
        case .string:
            if case .string(let s) = value { codes.append(intern(s)) } else { codes.append(0) }
        case .list:
            if case .list(let items) = value { elements.append(contentsOf: items) }
            offsets.append(Int32(elements.count))
        case .null:
            break
        }
        count += 1
    }

    mutating func intern(_ s: String) -> Int32 {
        if let code = lookup[s] { return code }
        let code = Int32(dictionary.count)
        dictionary.append(s)
        lookup[s] = code
        return code
    }

    public func finish() -> Column {
        var bitmap: Bitmap? = nil
        if hasNull {
            var bits = Bitmap(count: count, allValid: true)
            for (i, valid) in nullFlags.enumerated() where !valid { bits[i] = false }
            bitmap = bits
        }
        let storage: Column.Storage
        switch type {
        case .int: storage = .int(ints)
        case .float: storage = .float(floats)
        case .bool: storage = .bool(bools)
        case .date: storage = .date(days: days, precision: precisions)
        case .string: storage = .string(codes: StringCodes(codes).narrowed(entries: dictionary.count),
            dictionary: StringDictionary(dictionary))
        case .list(let elementType):
            var child = ColumnBuilder(type: elementType, capacity: elements.count)
            for element in elements { child.append(element) }
            storage = .list(offsets: offsets, values: child.finish())
        case .null: storage = .null
        }
        return Column(type: type, storage: storage, validity: bitmap, count: count)
    }
}
