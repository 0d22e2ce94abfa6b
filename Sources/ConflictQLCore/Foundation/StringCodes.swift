// The codes of a string column, each an index into its dictionary, stored as narrow as the
// dictionary allows: a byte per row for up to 256 entries (countries, event types), two for
// up to 65,536 (actors, places), four beyond; and no array at all for a column whose row i
// holds entry i (free-text notes and ids, whose values are all distinct and kept in order).
// At a million events this keeps 30 to 40 MB fewer than a 32-bit code per row of every text
// column. Kernels read codes through `map` and `forEach`, which choose the width once and
// run a loop specialised for it; the subscript chooses per row, for code that reads few.

/// The dictionary codes of a string column, as narrow as the dictionary allows.
public struct StringCodes: Sendable, RandomAccessCollection {
    @usableFromInline package enum Storage: Sendable {
        /// A dictionary of at most 256 entries.
        case bytes([UInt8])
        /// At most 65,536 entries.
        case shorts([UInt16])
        case words([Int32])
        /// Row i holds entry i, for `count` rows.
        case sequence(count: Int)
    }

    @usableFromInline package var storage: Storage

    @inlinable package init(storage: Storage) { self.storage = storage }

    /// Codes as given, 32 bits each (see `narrowed(entries:)`).
    @inlinable public init(_ codes: [Int32]) { storage = .words(codes) }

    /// Codes 0, 1, 2, ... for `count` rows.
    public static func sequence(_ count: Int) -> StringCodes { StringCodes(storage: .sequence(count: count)) }

    /// `count` copies of `code`, in a dictionary of `entries` entries.
    public static func repeating(_ code: Int32, count: Int, entries: Int) -> StringCodes {
        switch StringCodes.width(entries: entries) {
        case 1: return StringCodes(storage: .bytes([UInt8](repeating: UInt8(truncatingIfNeeded: code), count: count)))
        case 2: return StringCodes(storage: .shorts([UInt16](repeating: UInt16(truncatingIfNeeded: code), count: count)))
        default: return StringCodes(storage: .words([Int32](repeating: code, count: count)))
        }
    }

    /// The bytes a code needs in a dictionary of `entries` entries: 1, 2 or 4.
    @inlinable package static func width(entries: Int) -> Int {
        entries <= 1 << 8 ? 1 : (entries <= 1 << 16 ? 2 : 4)
    }

    /// The same codes, each as narrow as a dictionary of `entries` entries allows.
    public func narrowed(entries: Int) -> StringCodes {
        guard case .words(let words) = storage else { return self }
        switch StringCodes.width(entries: entries) {
        case 1: return StringCodes(storage: .bytes(words.map { UInt8(truncatingIfNeeded: $0) }))
        case 2: return StringCodes(storage: .shorts(words.map { UInt16(truncatingIfNeeded: $0) }))
        default: return self
        }
    }

    public var startIndex: Int { 0 }

    @inlinable public var endIndex: Int { count }

    @inlinable public var count: Int {
        switch storage {
        case .bytes(let codes): return codes.count
        case .shorts(let codes): return codes.count
        case .words(let codes): return codes.count
        case .sequence(let count): return count
        }
    }

    /// The bytes a code takes here (0 for a sequence).
    public var width: Int {
        switch storage {
        case .bytes: return 1
        case .shorts: return 2
        case .words: return 4
        case .sequence: return 0
        }
    }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Int32 {
        switch storage {
        case .bytes(let codes): return Int32(codes[row])
        case .shorts(let codes): return Int32(codes[row])
        case .words(let codes): return codes[row]
        case .sequence: return Int32(truncatingIfNeeded: row)
        }
    }

    /// Each code transformed, the width chosen once for the whole column.
    @inlinable
    public func map<T>(_ transform: (Int32) throws -> T) rethrows -> [T] {
        switch storage {
        case .bytes(let codes): return try codes.map { try transform(Int32($0)) }
        case .shorts(let codes): return try codes.map { try transform(Int32($0)) }
        case .words(let codes): return try codes.map(transform)
        case .sequence(let count): return try (0..<count).map { try transform(Int32(truncatingIfNeeded: $0)) }
        }
    }

    /// Calls `body` with each row and its code, the width chosen once.
    @inlinable
    public func forEachCode(_ body: (Int, Int32) throws -> Void) rethrows {
        switch storage {
        case .bytes(let codes): for row in codes.indices { try body(row, Int32(codes[row])) }
        case .shorts(let codes): for row in codes.indices { try body(row, Int32(codes[row])) }
        case .words(let codes): for row in codes.indices { try body(row, codes[row]) }
        case .sequence(let count): for row in 0..<count { try body(row, Int32(truncatingIfNeeded: row)) }
        }
    }

    /// The codes as 32-bit numbers (a new array unless they are stored so).
    public var words: [Int32] {
        if case .words(let codes) = storage { return codes }
        return map { $0 }
    }

    /// The codes of the rows at `rows`, in that order, as wide as these; -1 gives code 0.
    public func gather(_ rows: [Int32]) -> StringCodes {
        @inline(__always) func pick<T: FixedWidthInteger>(_ codes: [T]) -> [T] {
            codes.withUnsafeBufferPointer { codes in rows.map { $0 < 0 ? 0 : codes[Int($0)] } }
        }
        switch storage {
        case .bytes(let codes): return StringCodes(storage: .bytes(pick(codes)))
        case .shorts(let codes): return StringCodes(storage: .shorts(pick(codes)))
        case .words(let codes): return StringCodes(storage: .words(pick(codes)))
        case .sequence: return StringCodes(storage: .words(rows.map { Swift.max(0, $0) }))
        }
    }

    /// The memory the codes hold, in bytes.
    public var bytes: Int { count * width }
}

/// Builds the codes of a loaded column as its dictionary grows: a byte per row while the
/// dictionary has at most 256 entries, widened to two bytes and then four as it passes
/// those sizes, each widening a copy of the codes so far; nothing at all while every row
/// holds a new entry in order (a column of distinct values).
package struct StringCodeBuilder: Sendable {
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var shorts: [UInt16] = []
    @usableFromInline var words: [Int32] = []
    /// 0 while the codes are 0, 1, 2, ...; then 1, 2 or 4.
    @usableFromInline package private(set) var width = 0
    package private(set) var count = 0
    /// Rows to make room for once the codes are kept.
    @usableFromInline package private(set) var capacity = 0

    package init() {}

    package mutating func reserveCapacity(_ rows: Int) {
        capacity = max(capacity, rows)
        switch width {
        case 1: bytes.reserveCapacity(rows)
        case 2: shorts.reserveCapacity(rows)
        case 4: words.reserveCapacity(rows)
        default: break
        }
    }

    @inlinable @inline(__always)
    package mutating func append(_ code: Int32) {
        switch width {
        case 0:
            if code == Int32(truncatingIfNeeded: count) { count += 1; return }
            widen(toHold: code)
            append(code)
            return
        case 1:
            if code < 1 << 8 { bytes.append(UInt8(truncatingIfNeeded: code)) } else { widen(toHold: code); append(code); return }
        case 2:
            if code < 1 << 16 { shorts.append(UInt16(truncatingIfNeeded: code)) } else { widen(toHold: code); append(code); return }
        default:
            words.append(code)
        }
        count += 1
    }

    /// Copies the codes so far into an array wide enough for `code` (and for 0, 1, 2, ...).
    @usableFromInline
    mutating func widen(toHold code: Int32) {
        // From 0, 1, 2, ...: the codes so far are as large as the rows so far.
        let needed = width == 0 ? max(Int(code) + 1, count) : Int(code) + 1
        let newWidth = StringCodes.width(entries: needed)
        let room = max(capacity, count + 1)
        switch (width, newWidth) {
        case (0, 1):
            bytes.reserveCapacity(room)
            bytes.append(contentsOf: (0..<count).lazy.map { UInt8(truncatingIfNeeded: $0) })
        case (0, 2):
            shorts.reserveCapacity(room)
            shorts.append(contentsOf: (0..<count).lazy.map { UInt16(truncatingIfNeeded: $0) })
        case (0, _):
            words.reserveCapacity(room)
            words.append(contentsOf: (0..<count).lazy.map { Int32(truncatingIfNeeded: $0) })
        case (1, 2):
            shorts.reserveCapacity(room)
            shorts.append(contentsOf: bytes.lazy.map { UInt16($0) })
            bytes = []
        case (1, _):
            words.reserveCapacity(room)
            words.append(contentsOf: bytes.lazy.map { Int32($0) })
            bytes = []
        case (2, _):
            words.reserveCapacity(room)
            words.append(contentsOf: shorts.lazy.map { Int32($0) })
            shorts = []
        default:
            return
        }
        width = max(newWidth, width)
    }

    /// Removes the last `k` codes (records that turned out bad).
    package mutating func removeLast(_ k: Int = 1) {
        switch width {
        case 0: break
        case 1: bytes.removeLast(k)
        case 2: shorts.removeLast(k)
        default: words.removeLast(k)
        }
        count -= k
    }

    /// Appends a batch of codes (the loader's, a column's batch at a time): while they go on
    /// 0, 1, 2, ... only the count moves; else the array is widened once, for the largest.
    package mutating func append(_ codes: UnsafeBufferPointer<Int32>) {
        var rest = codes[...]
        if width == 0 {
            while let code = rest.first, code == Int32(truncatingIfNeeded: count) {
                count += 1
                rest = rest.dropFirst()
            }
        }
        guard let largest = rest.max() else { return }
        if width == 0 || (width < 4 && largest >= 1 << (8 * width)) { widen(toHold: largest) }
        @inline(__always) func narrow<T: FixedWidthInteger>(into array: inout [T]) {
            let start = array.count
            array.append(contentsOf: repeatElement(0, count: rest.count))
            array.withUnsafeMutableBufferPointer { array in
                for (k, code) in rest.enumerated() { array[start + k] = T(truncatingIfNeeded: code) }
            }
        }
        switch width {
        case 1: narrow(into: &bytes)
        case 2: narrow(into: &shorts)
        default: words.append(contentsOf: rest)
        }
        count += rest.count
    }

    /// Appends `other`'s codes, each shifted by `shift` (a later chunk's, whose dictionary
    /// follows this one's).
    package mutating func append(contentsOf other: StringCodeBuilder, shift: Int32 = 0) {
        if width == 0 && other.width == 0 && shift == Int32(truncatingIfNeeded: count) {
            count += other.count
            return
        }
        append(contentsOf: other) { $0 &+ shift }
    }

    /// Appends `other`'s codes, each through `remap` (a later chunk's, whose entries were
    /// interned again into this one's dictionary).
    /// Codes of a byte or two (a chunk's column of few values, as most are) go through a
    /// table of the new codes at this builder's width, in one loop; a column of many values
    /// code by code.
    package mutating func append(contentsOf other: StringCodeBuilder, remap: [Int32]) {
        guard other.width == 1 || other.width == 2, let largest = remap.max(), largest >= 0 else {
            remap.withUnsafeBufferPointer { remap in
                append(contentsOf: other) { remap[Int($0)] }
            }
            return
        }
        if width == 0 || (width < 4 && largest >= 1 << (8 * width)) { widen(toHold: largest) }
        switch (other.width, width) {
        case (1, 1): StringCodeBuilder.append(other.bytes, through: remap, to: &bytes)
        case (1, 2): StringCodeBuilder.append(other.bytes, through: remap, to: &shorts)
        case (1, _): StringCodeBuilder.append(other.bytes, through: remap, to: &words)
        case (_, 1): StringCodeBuilder.append(other.shorts, through: remap, to: &bytes)
        case (_, 2): StringCodeBuilder.append(other.shorts, through: remap, to: &shorts)
        default: StringCodeBuilder.append(other.shorts, through: remap, to: &words)
        }
        count += other.count
    }

    /// Appends each of `codes` looked up in `remap`, whose codes all fit a `T`.
    private static func append<S: FixedWidthInteger, T: FixedWidthInteger>(_ codes: [S], through remap: [Int32], to array: inout [T]) {
        let table = remap.map { T(truncatingIfNeeded: $0) }
        let start = array.count
        array.append(contentsOf: repeatElement(0, count: codes.count))
        array.withUnsafeMutableBufferPointer { array in
            codes.withUnsafeBufferPointer { codes in
                table.withUnsafeBufferPointer { table in
                    for i in codes.indices { array[start + i] = table[Int(codes[i])] }
                }
            }
        }
    }

    /// Appends `other`'s codes, each mapped.
    @inline(__always)
    mutating func append(contentsOf other: StringCodeBuilder, mapping: (Int32) -> Int32) {
        appendMapped(other.count, { body in other.forEachCode(body) }, mapping)
    }

    /// Appends the codes of a column, each mapped (into a dictionary the column's is part of).
    package mutating func append(_ codes: StringCodes, mapping: (Int32) -> Int32) {
        appendMapped(codes.count, { body in codes.forEachCode { _, code in body(code) } }, mapping)
    }

    /// Appends `count` codes that `each` hands on, mapped, 4,096 at a time: a block is
    /// appended at once, widening the array once (one at a time, each code chose its width).
    @inline(__always)
    private mutating func appendMapped(_ count: Int, _ each: ((Int32) -> Void) -> Void, _ mapping: (Int32) -> Int32) {
        reserveCapacity(self.count + count)
        withoutActuallyEscaping(mapping) { mapping in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4096) { block in
                var n = 0
                each { code in
                    block[n] = mapping(code)
                    n += 1
                    if n == block.count {
                        append(UnsafeBufferPointer(block))
                        n = 0
                    }
                }
                if n > 0 { append(UnsafeBufferPointer(rebasing: block[0..<n])) }
            }
        }
    }

    @inlinable
    package func forEachCode(_ body: (Int32) -> Void) {
        switch width {
        case 0: for code in 0..<count { body(Int32(truncatingIfNeeded: code)) }
        case 1: for code in bytes { body(Int32(code)) }
        case 2: for code in shorts { body(Int32(code)) }
        default: for code in words { body(code) }
        }
    }

    /// The codes built, for a dictionary of `entries` entries (at least as many as the
    /// codes need; a dictionary may have entries no row holds).
    package func finish() -> StringCodes {
        switch width {
        case 0: return .sequence(count)
        case 1: return StringCodes(storage: .bytes(bytes))
        case 2: return StringCodes(storage: .shorts(shorts))
        default: return StringCodes(storage: .words(words))
        }
    }
}
