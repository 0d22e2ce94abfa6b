// Builds one loaded column from field bytes, typed as inference decided. Strings are
// interned through a hash table keyed by the field's bytes, so a repeated value costs a hash
// and a compare, not a new String. A column whose values are mostly distinct (free text,
// identifiers) stops interning and keeps every value.
//
// A value that does not fit an inferred type changes the type only without loss: an Int
// column meeting a decimal becomes Float when a Float holds all its integers exactly;
// otherwise the column is abandoned (type `.null`, nothing more kept) and the loader reads it
// again as text, with every value as the file spells it.

import ConflictQLCore
import ConflictQLSyntax

/// What went wrong with one field: the caller knows the line and column.
enum FieldProblem: Error {
    /// The value does not read as the column's type.
    case notA(DataType)
    /// The bytes are not UTF-8 text.
    case invalidUTF8
    /// Keeping the value needs `bytes` more memory than can be had.
    case notEnoughMemory(bytes: Int)

    /// The bytes a value needed (0 for the other problems).
    var bytes: Int {
        if case .notEnoughMemory(let bytes) = self { return bytes }
        return 0
    }
}

/// Whether the bytes are valid UTF-8 (as Swift's decoder has it: no overlong forms, no
/// surrogates, nothing past U+10FFFF). ASCII, the common case, is checked eight bytes at a
/// time, and so are the runs of ASCII between the other characters of a text (the accents of
/// French place names in a note: decoding the rest of a note scalar by scalar after its first
/// `é` was a tenth of a load).
@inline(__always)
func isValidUTF8(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    if isASCII(p, length) { return true }
    let raw = UnsafeRawPointer(p)
    @inline(__always) func isContinuation(_ i: Int) -> Bool { p[i] & 0xC0 == 0x80 }
    var i = 0
    while i < length {
        if i + 8 <= length && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
            continue
        }
        let lead = p[i]
        switch lead {
        case 0x00..<0x80:
            i += 1
        case 0xC2..<0xE0:
            guard i + 1 < length, isContinuation(i + 1) else { return false }
            i += 2
        case 0xE0..<0xF0:
            guard i + 2 < length, isContinuation(i + 1), isContinuation(i + 2) else { return false }
            // Not overlong (E0 80-9F), not a surrogate (ED A0-BF).
            if (lead == 0xE0 && p[i + 1] < 0xA0) || (lead == 0xED && p[i + 1] > 0x9F) { return false }
            i += 3
        case 0xF0..<0xF5:
            guard i + 3 < length, isContinuation(i + 1), isContinuation(i + 2), isContinuation(i + 3) else { return false }
            // Not overlong (F0 80-8F), not past U+10FFFF (F4 90-BF).
            if (lead == 0xF0 && p[i + 1] < 0x90) || (lead == 0xF4 && p[i + 1] > 0x8F) { return false }
            i += 4
        default:
            return false
        }
    }
    return true
}

/// Whether no byte has its top bit set: eight bytes at a time, the last word overlapping the
/// one before it, and a field shorter than a word read as two overlapping halves, so that
/// no byte is looked at alone (nor any byte outside the field read).
@inline(__always)
func isASCII(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    let raw = UnsafeRawPointer(p)
    if length >= 8 {
        var i = 0
        var seen: UInt64 = 0
        while i + 8 < length {
            seen |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        seen |= raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        return seen & 0x8080_8080_8080_8080 == 0
    }
    return shortWord(p, length) & 0x8080_8080_8080_8080 == 0
}

/// The bytes of a field shorter than eight as one word (overlapping halves, so some bytes may
/// be in it twice; zero for no bytes): for tests of every byte at once, and hashing.
@inline(__always)
func shortWord(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
    let raw = UnsafeRawPointer(p)
    if length >= 4 {
        return UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)) << 32
    }
    if length >= 2 {
        return UInt64(raw.loadUnaligned(as: UInt16.self)) | UInt64(raw.loadUnaligned(fromByteOffset: length - 2, as: UInt16.self)) << 16
    }
    return length == 1 ? UInt64(p[0]) : 0
}

/// Whether `length` bytes at `a` and `b` are equal: by words for a short field (most of a
/// column's repeated values), memcmp for a long one.
@inline(__always)
func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    if length > 16 { return memcmp(a, b, length) == 0 }
    if length >= 8 {
        let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
            && x.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
    }
    return shortWord(a, length) == shortWord(b, length)
}

struct ColumnAccumulator {
    /// `.null` once abandoned: the column will be read again as text.
    var type: DataType { didSet { kind = Kind(type) } }
    /// `type` for the dispatch of each field: DataType is an indirect enum, whose every
    /// switch and comparison costs a reference count.
    private(set) var kind: Kind

    enum Kind: UInt8 {
        /// `list` is kept as text, as `text` is, but an empty quoted field of it is a null.
        case int, float, date, bool, abandoned, text, list

        init(_ type: DataType) {
            switch type {
            case .int: self = .int
            case .float: self = .float
            case .date: self = .date
            case .bool: self = .bool
            case .null: self = .abandoned
            case .string: self = .text
            case .list: self = .list
            }
        }
    }
    /// The type came from the sample and may change; a given type never does.
    let isInferred: Bool
    /// Where the first value that changed an inferred type was (a byte offset), if one did.
    var changedAt: Int?
    var ints: [Int64] = []
    var floats: [Double] = []
    var bools: [Bool] = []
    var days: [Int32] = []
    var precisions: [DatePrecision] = []
    var strings = StringInterner()
    var validity: [UInt64] = []
    var count = 0
    var nullCount = 0

    /// Room for `capacity` values and, for text, `textBytes` bytes of them (the sample's
    /// estimate, with some to spare: room never used is address space, not memory, while an
    /// array that grows copies itself and keeps, for a moment, both copies).
    init(type: DataType, isInferred: Bool, capacity: Int, textBytes: Int = 0) {
        self.type = type
        self.kind = Kind(type)
        self.isInferred = isInferred
        switch type {
        case .int: ints.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity)
        case .date: days.reserveCapacity(capacity); precisions.reserveCapacity(capacity)
        case .bool: bools.reserveCapacity(capacity)
        case .null: break
        default:
            strings.codes.reserveCapacity(capacity)
            strings.expectedBytes = textBytes
        }
        validity.reserveCapacity(capacity / 64 + 1)
    }

    var isAbandoned: Bool { kind == .abandoned }

    @inline(__always)
    mutating func markValid(_ valid: Bool) {
        if count & 63 == 0 { validity.append(0) }
        if valid { validity[count >> 6] |= 1 << UInt64(count & 63) } else { nullCount += 1 }
        count += 1
    }

    /// Appends a null (an empty unquoted field).
    mutating func appendNull() {
        switch kind {
        case .int: ints.append(0)
        case .float: floats.append(0)
        case .date: days.append(0); precisions.append(.day)
        case .bool: bools.append(false)
        case .abandoned: return
        case .text, .list: strings.appendNull()
        }
        markValid(false)
    }

    /// Appends a value from its bytes; throws when it is not of a given type. A value that
    /// breaks an inferred type widens it without loss or abandons the column (`offset` is
    /// where the value is, for the load's report).
    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ length: Int, at offset: Int) throws(FieldProblem) {
        switch kind {
        case .int:
            guard let v = FieldParsers.int(p, length) else {
                guard isInferred else { throw .notA(.int) }
                // A decimal in an Int column: Float, if a Float holds every integer so far.
                if let d = FieldParsers.inferredFloat(p, length), promoteToFloat() {
                    changedAt = changedAt ?? offset
                    floats.append(d)
                    markValid(true)
                } else {
                    abandon(at: offset)
                }
                return
            }
            ints.append(v)
        case .float:
            let parsed = isInferred ? FieldParsers.inferredFloat(p, length) : FieldParsers.floatOrNonFinite(p, length)
            guard let v = parsed else {
                guard isInferred else { throw .notA(.float) }
                abandon(at: offset)
                return
            }
            floats.append(v)
        case .date:
            // Declared Date columns also read `2011-10` and `2013`, as the language writes them.
            guard let v = isInferred ? FieldParsers.date(p, length) : FieldParsers.dateOfAnyPrecision(p, length) else {
                guard isInferred else { throw .notA(.date) }
                abandon(at: offset)
                return
            }
            days.append(v.days)
            precisions.append(v.precision)
        case .bool:
            guard let v = FieldParsers.bool(p, length) else {
                guard isInferred else { throw .notA(.bool) }
                abandon(at: offset)
                return
            }
            bools.append(v)
        case .abandoned:
            return
        case .text, .list:
            try strings.append(p, length)
        }
        markValid(true)
    }

    /// Whether a field of a column of `kind` is a null: an empty field (for text, an unquoted
    /// one only: `""` is the empty string; a list's `""` is a null).
    @inline(__always)
    static func isNull(_ field: FieldSpan, _ kind: Kind) -> Bool {
        field.length == 0 && (!field.quoted || kind != .text)
    }

    /// Appends one field as the CSV record has it: a null (`isNull`), a value, or a field with
    /// doubled quotes read unescaped.
    @inline(__always)
    mutating func append(_ field: FieldSpan, of scanner: RecordScanner) throws(FieldProblem) {
        if ColumnAccumulator.isNull(field, kind) {
            appendNull()
        } else if field.needsUnescape {
            guard var bytes = scanner.unescaped(field) else { throw .notEnoughMemory(bytes: field.length) }
            try bytes.withUnsafeMutableBufferPointer { buffer throws(FieldProblem) in
                try append(buffer.baseAddress!, buffer.count, at: field.start)
            }
        } else {
            try append(scanner.base + field.start, field.length, at: field.start)
        }
    }

    /// Appends this column's field of each record of a batch (`fields[r * stride]` for record
    /// `r`): a loop of the column's type over the batch, its values and validity bits written
    /// to `scratch` and appended at once. A field the loop cannot take (a value that changes
    /// the type or is refused, doubled quotes) goes through `append(_:of:)`, then the loop goes
    /// on. Returns the first record whose value was refused, and why: nothing of it appended.
    mutating func append(batch fields: UnsafePointer<FieldSpan>, stride: Int, records: Int, of scanner: RecordScanner,
                         scratch: BatchScratch) -> (record: Int, problem: FieldProblem)? {
        var r = 0
        while r < records {
            switch kind {
            case .int: r = appendRun(\.ints, 0, fields, stride, r, records, scanner.base, scratch, FieldParsers.int)
            case .float:
                r = isInferred ? appendRun(\.floats, 0, fields, stride, r, records, scanner.base, scratch, FieldParsers.inferredFloat)
                    : appendRun(\.floats, 0, fields, stride, r, records, scanner.base, scratch, FieldParsers.floatOrNonFinite)
            case .bool: r = appendRun(\.bools, false, fields, stride, r, records, scanner.base, scratch, FieldParsers.bool)
            case .date: r = appendDates(fields, stride, r, records, scanner.base, scratch)
            case .text, .list: r = appendTexts(fields, stride, r, records, scanner, scratch)
            case .abandoned: return nil
            }
            guard r < records else { break }
            do { try append(fields[r * stride], of: scanner) } catch { return (r, error) }
            r += 1
        }
        return nil
    }

    /// The loop of a column's run over a batch, from record `from`: each field is a null
    /// (`isNull` for `kind`; `null` writes its place in the run) or a value that `take` writes at its
    /// place (false: the run stops at that record, for `append(_:of:)`); the validity bits go
    /// to `scratch.bits`. Returns the record it stopped at and the nulls it met.
    @inline(__always)
    private static func run(_ fields: UnsafePointer<FieldSpan>, _ stride: Int, _ from: Int, _ records: Int, _ scratch: BatchScratch,
                            _ kind: Kind, null: (Int) -> Void, take: (Int, FieldSpan) -> Bool) -> (end: Int, nulls: Int) {
        scratch.clearBits(records - from)
        var r = from, nulls = 0
        while r < records {
            let field = fields[r * stride]
            let i = r - from
            if isNull(field, kind) {
                null(i)
                nulls += 1
            } else {
                guard take(i, field) else { break }
                scratch.bits[i >> 6] |= 1 << UInt64(i & 63)
            }
            r += 1
        }
        return (r, nulls)
    }

    /// Appends a run's validity bits (`count` values from `scratch`).
    @inline(__always)
    private mutating func appendValidity(of scratch: BatchScratch, count: Int, nulls: Int) {
        appendValidity(UnsafeBufferPointer(start: scratch.bits, count: (count + 63) / 64), count: count, nulls: nulls)
    }

    /// Appends the values of records `from...` while each parses as `T` (a null is `zero`);
    /// returns the record it stopped at.
    @inline(__always)
    private mutating func appendRun<T>(_ values: WritableKeyPath<ColumnAccumulator, [T]>, _ zero: T, _ fields: UnsafePointer<FieldSpan>,
                                       _ stride: Int, _ from: Int, _ records: Int, _ base: UnsafePointer<UInt8>,
                                       _ scratch: BatchScratch, _ parse: (UnsafePointer<UInt8>, Int) -> T?) -> Int {
        let out = scratch.values.bindMemory(to: T.self, capacity: records - from)
        let (end, nulls) = ColumnAccumulator.run(fields, stride, from, records, scratch, kind,
                                                 null: { (out + $0).initialize(to: zero) }) { i, field in
            guard !field.needsUnescape, let v = parse(base + field.start, field.length) else { return false }
            (out + i).initialize(to: v)
            return true
        }
        self[keyPath: values].append(contentsOf: UnsafeBufferPointer(start: out, count: end - from))
        appendValidity(of: scratch, count: end - from, nulls: nulls)
        return end
    }

    /// `appendRun` for dates: a day number and a precision each.
    private mutating func appendDates(_ fields: UnsafePointer<FieldSpan>, _ stride: Int, _ from: Int, _ records: Int,
                                      _ base: UnsafePointer<UInt8>, _ scratch: BatchScratch) -> Int {
        let out = scratch.values.bindMemory(to: Int32.self, capacity: records - from)
        let declared = !isInferred
        let (end, nulls) = ColumnAccumulator.run(fields, stride, from, records, scratch, kind,
                                                 null: { out[$0] = 0; scratch.precisions[$0] = .day }) { i, field in
            guard !field.needsUnescape,
                  let v = declared ? FieldParsers.dateOfAnyPrecision(base + field.start, field.length)
                      : FieldParsers.date(base + field.start, field.length) else { return false }
            out[i] = v.days
            scratch.precisions[i] = v.precision
            return true
        }
        days.append(contentsOf: UnsafeBufferPointer(start: out, count: end - from))
        precisions.append(contentsOf: UnsafeBufferPointer(start: scratch.precisions, count: end - from))
        appendValidity(of: scratch, count: end - from, nulls: nulls)
        return end
    }

    /// `appendRun` for text: each value interned (checked as UTF-8 when new), its code kept;
    /// a value with doubled quotes is made plain in `scratch` first.
    private mutating func appendTexts(_ fields: UnsafePointer<FieldSpan>, _ stride: Int, _ from: Int, _ records: Int,
                                      _ scanner: RecordScanner, _ scratch: BatchScratch) -> Int {
        let out = scratch.values.bindMemory(to: Int32.self, capacity: records - from)
        let kind = self.kind
        var strings = self.strings
        self.strings = StringInterner()  // held alone while the run interns (no copy on write)
        let (end, nulls) = ColumnAccumulator.run(fields, stride, from, records, scratch, kind,
                                                 null: { out[$0] = strings.nullCode() }) { i, field in
            var p = scanner.base + field.start, length = field.length
            if field.needsUnescape {
                guard let room = scratch.text(room: field.length) else { return false }
                length = scanner.unescape(field, into: room)
                p = UnsafePointer(room)
            }
            guard let code = try? strings.intern(p, length) else { return false }
            out[i] = code
            return true
        }
        strings.codes.append(UnsafeBufferPointer(start: out, count: end - from))
        self.strings = strings
        appendValidity(of: scratch, count: end - from, nulls: nulls)
        return end
    }

    /// Int to Float, when a Float holds every value exactly; false (and no change) otherwise.
    mutating func promoteToFloat() -> Bool {
        guard type == .int else { return type == .float }
        guard ints.allSatisfy(isExactAsFloat) else { return false }
        type = .float
        floats = ints.map(Double.init)
        ints = []
        return true
    }

    /// Gives the column up: it will be read again as text. Its values are dropped now.
    mutating func abandon(at offset: Int) {
        changedAt = changedAt.map { min($0, offset) } ?? offset
        self = ColumnAccumulator(abandonedFrom: self)
    }

    private init(abandonedFrom other: ColumnAccumulator) {
        self.init(type: .null, isInferred: true, capacity: 0)
        changedAt = other.changedAt
    }

    /// Appends everything of `other` (a later chunk of the same column). An Int chunk beside
    /// a Float chunk widens only without loss; otherwise the column is abandoned.
    mutating func absorb(_ other: ColumnAccumulator) throws(FieldProblem) {
        var other = other
        if let offset = other.changedAt, changedAt == nil { changedAt = offset }
        if isAbandoned { return }
        if other.isAbandoned { abandon(at: other.changedAt ?? 0); return }
        if type != other.type {
            let widened = type == .int ? promoteToFloat() : other.promoteToFloat()
            guard widened, type == other.type else {
                // The chunk that changed the type says where; else the later chunk's start.
                abandon(at: other.changedAt ?? changedAt ?? 0)
                return
            }
            if changedAt == nil { changedAt = other.changedAt }
        }
        switch type {
        case .int: ints.append(contentsOf: other.ints)
        case .float: floats.append(contentsOf: other.floats)
        case .date: days.append(contentsOf: other.days); precisions.append(contentsOf: other.precisions)
        case .bool: bools.append(contentsOf: other.bools)
        case .null: return
        default: try strings.absorb(other.strings)
        }
        appendValidity(other)
    }

    /// Appends `other`'s validity bits after ours.
    mutating func appendValidity(_ other: ColumnAccumulator) {
        other.validity.withUnsafeBufferPointer { appendValidity($0, count: other.count, nulls: other.nullCount) }
    }

    /// Appends `added` validity bits (of `nulls` nulls) after ours, a word at a time; bits of
    /// `words` past `added` are zero.
    mutating func appendValidity(_ words: UnsafeBufferPointer<UInt64>, count added: Int, nulls: Int) {
        let shift = UInt64(count & 63)
        let addedWords = (added + 63) / 64
        if shift == 0 {
            validity.append(contentsOf: words.prefix(addedWords))
        } else {
            for w in 0..<addedWords {
                let word = words[w]
                validity[validity.count - 1] |= word << shift
                validity.append(word >> (64 - shift))
            }
        }
        count += added
        nullCount += nulls
        validity.removeLast(validity.count - (count + 63) / 64)
    }

    func finish() -> Column {
        var bitmap: Bitmap? = nil
        if nullCount > 0 {
            var bits = Bitmap(count: count, allValid: false)
            bits.words = validity
            bitmap = bits
        }
        let storage: Column.Storage
        switch type {
        case .int: storage = .int(ints)
        case .float: storage = .float(floats)
        case .date: storage = .date(days: days, precision: precisions)
        case .bool: storage = .bool(bools)
        default: storage = .string(codes: strings.codes.finish(), dictionary: strings.dictionary())
        }
        return Column(type: type == .null ? .string : type, storage: storage, validity: bitmap, count: count)
    }
}

extension ColumnAccumulator {
    /// The memory the column's values hold (not the room reserved for more).
    var heldBytes: Int {
        ints.count * 8 + floats.count * 8 + bools.count + days.count * 4 + precisions.count + validity.count * 8
            + strings.heldBytes
    }
}

/// What a CSV load may take, which a chunk's parser checks as its columns grow: the columns
/// so far, projected to the whole text, against the memory budget (Machine.swift).
struct LoadBudget: Sendable {
    let budget: MemoryBudget
    /// The text the load parses, all chunks together.
    let textBytes: Int
    /// Memory the load holds beside the columns (the windows on the text).
    let buffers: Int

    /// A refusal when columns holding `held` bytes after `parsed` bytes of text project a
    /// table that does not fit; nil when it fits. An eighth more is kept for joining the
    /// chunks (a column's arrays are copied once) and the dictionaries still to come.
    func refusal(held: Int, parsed: Int, path: String) -> LoadError? {
        guard parsed > 0 else { return nil }
        let projected = Double(held) * Double(textBytes) / Double(parsed) * 1.125 + Double(buffers)
        guard projected > Double(budget.bytes) else { return nil }
        return LoadError(.tableOverMemory(needed: describeBytes(projected), available: describeBytes(Double(budget.bytes)),
                                          limitedBy: budget.sourceDescription), path: path)
    }
}

/// `1.6 GB`, `240 MB`: sizes in messages, in powers of ten as `ls -lh --si` shows them.
func describeBytes(_ bytes: Double) -> String {
    if bytes >= 1e9 { return "\((bytes / 1e8).rounded() / 10) GB" }
    return "\(Int((bytes / 1e6).rounded(.up))) MB"
}

/// Interns strings given as bytes into one buffer with offsets: an open-addressing table of
/// codes, hashed eight bytes at a time. After 4,096 values, if more than half were new,
/// interning stops: the column is mostly distinct and every value is simply appended.
/// Codes are a byte each while the dictionary has at most 256 entries, widened as it grows,
/// and not kept at all while each row holds a new entry (StringCodes.swift); offsets are
/// 32-bit, a new segment begun before the text of one reaches 4 GiB.
struct StringInterner {
    var codes = StringCodeBuilder()
    var bytes: [UInt8] = []
    var offsets: [UInt32] = [0]
    /// Segments of earlier chunks (not interned columns are joined without copying).
    var earlierSegments: [StringDictionary.Segment] = []
    /// Starts small and doubles: a file of many columns and few rows must not cost a large
    /// table per column.
    var table: [Int32] = [Int32](repeating: -1, count: 16)
    var hashes: [UInt64] = []
    var interning = true
    var seen = 0
    /// The text the column is expected to keep when it stops interning (its values mostly
    /// distinct): reserved then, at once.
    var expectedBytes = 0
    var emptyCode: Int32 = -1

    var earlierEntryCount = 0
    var entryCount: Int { offsets.count - 1 + earlierEntryCount }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(length)
        let raw = UnsafeRawPointer(p)
        // Whole words, then the last eight bytes (overlapping the word before), or a short
        // value as one word: equal bytes of equal length give equal words.
        var i = 0
        while i + 8 < length {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        let last = length >= 8 ? raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) : shortWord(p, length)
        h = (h ^ last) &* 0x0000_0100_0000_01B3
        h ^= h >> 29
        return h ^ (h >> 32)
    }

    /// Nulls point at an empty entry so codes stay in range.
    mutating func appendNull() {
        codes.append(nullCode())
    }

    /// The code of a null: an empty entry, made when first needed.
    @inline(__always)
    mutating func nullCode() -> Int32 {
        if emptyCode < 0 {
            var nothing: UInt8 = 0
            // An empty entry needs no memory: it cannot fail.
            emptyCode = withUnsafePointer(to: &nothing) { (try? intern($0, 0)) ?? 0 }
        }
        return emptyCode
    }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ length: Int) throws(FieldProblem) {
        codes.append(try intern(p, length))
    }

    /// Keeps the value's bytes; refuses, before anything is allocated, a value whose bytes
    /// cannot be had (a field of 600 MB under a memory limit aborted the process here).
    @inline(__always)
    mutating func store(_ p: UnsafePointer<UInt8>, _ length: Int) throws(FieldProblem) -> Int32 {
        if bytes.count + length > StringDictionary.Segment.maximumBytes { try startSegment(for: length) }
        guard reserveChecked(&bytes, adding: length) else { throw .notEnoughMemory(bytes: length) }
        // Text is checked once, as it is kept: a value equal to an entry is as valid as it.
        guard isValidUTF8(p, length) else { throw .invalidUTF8 }
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: length))
        offsets.append(UInt32(truncatingIfNeeded: bytes.count))
        let code = earlierEntryCount + offsets.count - 2
        guard code < Int(Int32.max) else { throw .notEnoughMemory(bytes: length) }
        return Int32(code)
    }

    /// Keeps the text so far as a segment and begins another: one segment's offsets are
    /// 32-bit. A column with that much distinct text is not interned any more.
    mutating func startSegment(for length: Int) throws(FieldProblem) {
        guard length <= StringDictionary.Segment.maximumBytes else { throw .notEnoughMemory(bytes: length) }
        interning = false
        table = []
        hashes = []
        emptyCode = -1
        earlierSegments.append(StringDictionary.Segment(bytes: bytes, offsets: offsets))
        earlierEntryCount += offsets.count - 1
        bytes = []
        offsets = [0]
    }

    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ length: Int) throws(FieldProblem) -> Int32 {
        seen += 1
        if !interning { return try store(p, length) }
        if seen == 4096 && entryCount > 2048 {
            interning = false
            table = []
            hashes = []
            emptyCode = -1
            if expectedBytes > bytes.count {
                _ = reserveChecked(&bytes, adding: min(expectedBytes, StringDictionary.Segment.maximumBytes) - bytes.count)
            }
            offsets.reserveCapacity(codes.capacity + 1)
            return try store(p, length)
        }
        let h = StringInterner.hash(p, length)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = table[slot]
            if code < 0 { break }
            if hashes[Int(code)] == h {
                let start = Int(offsets[Int(code)]), end = Int(offsets[Int(code) + 1])
                if end - start == length && bytes.withUnsafeBufferPointer({ sameBytes($0.baseAddress! + start, p, length) }) {
                    return code
                }
            }
            slot = (slot + 1) & mask
        }
        let code = try store(p, length)
        // Storing may have begun a segment (4 GiB of distinct text), which ends the interning
        // and empties the table: writing the slot then was out of range.
        guard interning else { return code }
        hashes.append(h)
        table[slot] = code
        if entryCount * 2 > table.count { grow() }
        return code
    }

    mutating func grow() {
        var bigger = [Int32](repeating: -1, count: table.count * 2)
        let mask = bigger.count - 1
        for (code, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while bigger[slot] >= 0 { slot = (slot + 1) & mask }
            bigger[slot] = Int32(code)
        }
        table = bigger
    }

    /// Appends a later chunk's strings: interned chunks merge entry by entry; others are
    /// joined as segments, with no copy of their bytes.
    mutating func absorb(_ other: StringInterner) throws(FieldProblem) {
        if interning && other.interning && other.earlierSegments.isEmpty {
            var remap = [Int32](repeating: 0, count: other.entryCount)
            try other.bytes.withUnsafeBufferPointer { buffer throws(FieldProblem) in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
                for index in 0..<other.entryCount {
                    remap[index] = try intern(base + Int(other.offsets[index]), Int(other.offsets[index + 1] - other.offsets[index]))
                }
            }
            seen -= other.entryCount
            codes.append(contentsOf: other.codes, remap: remap)
        } else {
            interning = false
            table = []
            hashes = []
            let entryOffset = Int32(entryCount)
            earlierSegments.append(StringDictionary.Segment(bytes: bytes, offsets: offsets))
            earlierSegments += other.earlierSegments
            earlierEntryCount = earlierSegments.reduce(0) { $0 + $1.count }
            bytes = other.bytes
            offsets = other.offsets
            codes.append(contentsOf: other.codes, shift: entryOffset)
        }
    }

    /// The memory the text, its offsets, the codes and the table hold.
    var heldBytes: Int {
        earlierSegments.reduce(0) { $0 + $1.bytes.count + $1.offsets.count * 4 } + bytes.count + offsets.count * 4
            + codes.count * codes.width + table.count * 4 + hashes.count * 8
    }

    func dictionary() -> StringDictionary {
        StringDictionary(segments: earlierSegments + [StringDictionary.Segment(bytes: bytes, offsets: offsets)], isUnique: interning)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A batch's values and validity bits for one column at a time, reused (one per parsing thread).
final class BatchScratch {
    /// Room for `capacity` values of up to 8 bytes, bound to each column's type in turn.
    let values: UnsafeMutableRawPointer
    let precisions: UnsafeMutablePointer<DatePrecision>
    let bits: UnsafeMutablePointer<UInt64>

    init(capacity: Int) {
        values = .allocate(byteCount: capacity * 8, alignment: 8)
        precisions = .allocate(capacity: capacity)
        bits = .allocate(capacity: (capacity + 63) / 64)
    }

    deinit {
        values.deallocate()
        precisions.deallocate()
        bits.deallocate()
        textRoom.deallocate()
    }

    /// Room for a field's text made plain: grown as fields need, up to 1 MiB; nil for a
    /// longer field, which is made plain as an array whose memory is checked first.
    private var textRoom = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    private var textCapacity = 4096

    @inline(__always)
    func text(room bytes: Int) -> UnsafeMutablePointer<UInt8>? {
        if bytes <= textCapacity { return textRoom }
        guard bytes <= 1 << 20 else { return nil }
        textRoom.deallocate()
        textCapacity = max(bytes, textCapacity * 2)
        textRoom = .allocate(capacity: textCapacity)
        return textRoom
    }

    /// Zeroes the validity bits of `count` values.
    @inline(__always)
    func clearBits(_ count: Int) { bits.initialize(repeating: 0, count: (count + 63) / 64) }
}
