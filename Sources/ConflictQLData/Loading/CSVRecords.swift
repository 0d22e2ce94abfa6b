// Reading CSV records: the record scanner (the one piece of code that knows RFC 4180
// quoting), the fields it finds, what can be wrong with a record, and the dialect guesses
// (delimiter, header names, column types) made before the parse.

import CCSVScan
import ConflictQLCore
import ConflictQLSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One field of a record: where its bytes are, and whether it was quoted.
struct FieldSpan {
    var start: Int
    var length: Int
    var quoted: Bool
    var needsUnescape: Bool
}

extension FieldSpan {
    /// Whether CCSVScan's field (cq_csv_field) is laid out as FieldSpan, so that its record
    /// scan may write a batch's fields: checked, not assumed.
    /// (C's size counts the padding after the flags, Swift's does not: the strides agree.)
    static let isCCSVScanLayout = MemoryLayout<FieldSpan>.stride == MemoryLayout<cq_csv_field>.stride
        && MemoryLayout<FieldSpan>.offset(of: \.start) == MemoryLayout<cq_csv_field>.offset(of: \.start)
        && MemoryLayout<FieldSpan>.offset(of: \.length) == MemoryLayout<cq_csv_field>.offset(of: \.length)
        && MemoryLayout<FieldSpan>.offset(of: \.quoted) == MemoryLayout<cq_csv_field>.offset(of: \.quoted)
        && MemoryLayout<FieldSpan>.offset(of: \.needsUnescape) == MemoryLayout<cq_csv_field>.offset(of: \.needs_unescape)
}

/// The fields of the record being read, in a buffer reused from record to record.
final class FieldCollector {
    private(set) var buffer: UnsafeMutablePointer<FieldSpan>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    @inline(__always)
    func append(_ field: FieldSpan) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: buffer, count: count)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        (buffer + count).initialize(to: field)
        count += 1
    }

    @inline(__always)
    func removeAll() { count = 0 }

    @inline(__always)
    subscript(i: Int) -> FieldSpan { buffer[i] }

    var all: [FieldSpan] { (0..<count).map { buffer[$0] } }
}

enum RecordProblem: Error {
    case unterminatedQuote(offset: Int)
    case afterClosingQuote(offset: Int)
    case fieldCount(found: Int, expected: Int, offset: Int)
    case badValue(column: Int, expected: DataType, offset: Int, text: String)
    case invalidUTF8(offset: Int)
    /// More fields than a table may have columns: the record is refused as soon as it passes
    /// that, so no record of millions of delimiters fills memory with its fields.
    case tooManyFields(offset: Int)
    /// Keeping a field needs more memory than can be had.
    case notEnoughMemory(bytes: Int, offset: Int)

    var offset: Int {
        switch self {
        case .unterminatedQuote(let o), .afterClosingQuote(let o), .invalidUTF8(let o), .tooManyFields(let o),
             .notEnoughMemory(_, let o): return o
        case .fieldCount(_, _, let o): return o
        case .badValue(_, _, let o, _): return o
        }
    }

    /// The message's text, worded in LoadMessages.swift (`DiagnosticMessage.recordProblem`).
    package var message: String { DiagnosticMessage.recordProblem(self).text }
}

/// Set when a scan of the text's prefix reached the prefix's end: what it read there may be
/// cut short, so the prefix is made longer and the scans done again.
final class PrefixLimit {
    var isReached = false
}

/// Reads records: the one piece of code that knows CSV quoting.
struct RecordScanner: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    /// Where the bytes held end (the text's end, or a prefix's or a window's).
    let count: Int
    let delimiter: UInt8
    /// For a scanner of a prefix shorter than the text: told when a scan reaches its end.
    var limit: PrefixLimit? = nil

    /// Scans the record at `start` into `fields`; returns the offset after its line end.
    @inline(__always)
    func scanRecord(at start: Int, into fields: FieldCollector) throws(RecordProblem) -> Int {
        fields.removeAll()
        var p = start
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        while true {
            if p < count && base[p] == quote {
                let open = p
                p += 1
                let fieldStart = p
                var escaped = false
                while true {
                    // The next quote, found by memchr (vectorised in the C library).
                    guard p < count, let found = memchr(base + p, Int32(quote), count - p) else {
                        limit?.isReached = true
                        throw .unterminatedQuote(offset: open)
                    }
                    p = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if p + 1 < count && base[p + 1] == quote { escaped = true; p += 2; continue }
                    break
                }
                fields.append(FieldSpan(start: fieldStart, length: p - fieldStart, quoted: true, needsUnescape: escaped))
                if fields.count > LoadLimits.maximumColumns { throw .tooManyFields(offset: start) }
                p += 1
                if p < count && base[p] != delimiter && base[p] != newline && base[p] != carriage {
                    throw .afterClosingQuote(offset: p)
                }
            } else {
                let fieldStart = p
                p = endOfUnquotedField(from: p)
                fields.append(FieldSpan(start: fieldStart, length: p - fieldStart, quoted: false, needsUnescape: false))
                if fields.count > LoadLimits.maximumColumns { throw .tooManyFields(offset: start) }
            }
            if p >= count {
                limit?.isReached = true
                return p
            }
            let c = base[p]
            if c == delimiter { p += 1; continue }
            if c == carriage { p += 1; if p < count && base[p] == newline { p += 1 }; return p }
            return p + 1
        }
    }

    /// The offset of the first delimiter, '\n' or '\r' at or after `p` (or the end), eight
    /// bytes at a time: a byte equal to one of them makes a zero byte in `word ^ pattern`.
    @inline(__always)
    func endOfUnquotedField(from start: Int) -> Int {
        var p = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let newlines = ones &* 0x0A
        let carriages = ones &* 0x0D
        while p + 8 <= count {
            let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
            let a = word ^ delimiters, b = word ^ newlines, c = word ^ carriages
            let found = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if found != 0 { return p + found.trailingZeroBitCount / 8 }
            p += 8
        }
        while p < count {
            let c = base[p]
            if c == delimiter || c == 0x0A || c == 0x0D { break }
            p += 1
        }
        return p
    }

    /// A quoted field's bytes with each `""` made `"`; nil when they cannot be had.
    func unescaped(_ field: FieldSpan) -> [UInt8]? {
        var bytes: [UInt8] = []
        guard reserveChecked(&bytes, adding: field.length) else { return nil }
        forEachUnescapedRun(of: field) { bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: $1)) }
        return bytes
    }

    /// Writes a quoted field's text, each doubled quote made one, into `out` (room for
    /// `field.length` bytes); returns how many bytes it wrote.
    @inline(__always)
    func unescape(_ field: FieldSpan, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        forEachUnescapedRun(of: field) { run, count in
            (out + written).update(from: run, count: count)
            written += count
        }
        return written
    }

    /// Calls `body` with the runs of a quoted field's text between doubled quotes, each run
    /// up to and with the first quote of a pair: found by memchr, handed on whole.
    @inline(__always)
    func forEachUnescapedRun(of field: FieldSpan, _ body: (UnsafePointer<UInt8>, Int) -> Void) {
        var i = field.start
        let end = field.start + field.length
        while i < end {
            guard let found = memchr(base + i, Int32(UInt8(ascii: "\"")), end - i) else {
                body(base + i, end - i)
                return
            }
            let run = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1 - i
            body(base + i, run)
            i += run + 1
        }
    }

    func text(of field: FieldSpan) -> String {
        if field.needsUnescape { return String(decoding: unescaped(field) ?? [], as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(start: base + field.start, count: field.length), as: UTF8.self)
    }
}

enum CSVDialect {
    /// The candidate (comma, semicolon, tab, '|') seen most often outside quotes on the first
    /// line; comma when none is.
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: PrefixLimit? = nil) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var p = start
        while p < bytes.count {
            let c = bytes[p]
            if c == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes {
                if c == UInt8(ascii: "\n") { break }
                if let index = candidates.firstIndex(of: c) { counts[index] += 1 }
            }
            p += 1
        }
        if p == bytes.count { limit?.isReached = true }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        return counts[best] > 0 ? candidates[best] : UInt8(ascii: ",")
    }

    /// Header names made unique (`name`, `name_2`) and never empty (`column_3`). Linear: each
    /// name remembers the next suffix to try, so 20,000 equal names do not rescan each other.
    static func uniqueNames(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        var nextSuffix: [String: Int] = [:]
        seen.reserveCapacity(names.count)
        return names.enumerated().map { index, raw in
            var name = raw
            if name.isEmpty { name = "column_\(index + 1)" }
            var candidate = name
            if seen.contains(candidate) {
                var n = nextSuffix[name] ?? 2
                repeat { candidate = "\(name)_\(n)"; n += 1 } while seen.contains(candidate)
                nextSuffix[name] = n
            }
            seen.insert(candidate)
            return candidate
        }
    }

    /// How many rows type inference reads at most (and at most 4 MB of them).
    static let sampleRows = 20_000

    /// The type of each column from the first rows (up to 20,000 or 4 MB): the narrowest of
    /// Bool, Int, Float, Date and String that reads every non-empty value exactly. Codes with
    /// a leading zero (`007`, `01001`) and integers a Float would round are not numbers.
    /// Also the sample's average record length, to size the columns, and each column's average
    /// field length, to size the text a column keeps.
    static func inferTypes(_ scanner: inout RecordScanner, from start: Int, columns: Int, names: [String],
                           forced: [String: DataType]) -> CSVSample {
        var couldBeInt = [Bool](repeating: true, count: columns)
        var couldBeFloat = couldBeInt, couldBeDate = couldBeInt, couldBeBool = couldBeInt
        var sawValue = [Bool](repeating: false, count: columns)
        var fieldBytes = [Int](repeating: 0, count: columns)
        let fields = FieldCollector()
        var p = start
        var rows = 0
        while p < scanner.count && rows < sampleRows && p - start < 4 << 20 {
            guard let end = try? scanner.scanRecord(at: p, into: fields) else { break }
            p = end
            guard fields.count == columns else { continue }
            rows += 1
            for c in 0..<fields.count {
                let field = fields[c]
                guard field.length > 0 else { continue }
                sawValue[c] = true
                fieldBytes[c] += field.length
                let pointer = scanner.base + field.start
                if couldBeInt[c] && FieldParsers.int(pointer, field.length) == nil { couldBeInt[c] = false }
                if couldBeFloat[c] && FieldParsers.inferredFloat(pointer, field.length) == nil { couldBeFloat[c] = false }
                if couldBeDate[c] && FieldParsers.date(pointer, field.length) == nil { couldBeDate[c] = false }
                if couldBeBool[c] && FieldParsers.bool(pointer, field.length) == nil { couldBeBool[c] = false }
            }
        }
        let types = (0..<columns).map { c -> DataType in
            if let type = forced[names[c]] { return type }
            guard sawValue[c] else { return .string }
            if couldBeBool[c] { return .bool }
            if couldBeInt[c] { return .int }
            if couldBeFloat[c] { return .float }
            if couldBeDate[c] { return .date }
            return .string
        }
        return CSVSample(types: types, averageRecordBytes: rows > 0 ? max(1, (p - start) / rows) : nil,
                         averageFieldBytes: fieldBytes.map { rows > 0 ? $0 / rows + 1 : 0 })
    }
}

/// What a sample of the first records says about the columns.
struct CSVSample {
    var types: [DataType]
    var averageRecordBytes: Int?
    /// Each column's average field length in bytes (rounded up), or 0 when nothing was read.
    var averageFieldBytes: [Int]
}
