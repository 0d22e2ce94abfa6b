// The JSON loader's columns as they are read: each value a span of the text (12 bytes: its
// kind, where it starts, how long it is), typed and converted once the whole column is known
// (JSONColumns.swift). A record whose values are all scalars (strings with any escape but
// `\u`) is read by one scan of its bytes (`scanFlatRecord`); anything else in it (a nested
// array or object, a `\u` escape, a syntax error) is left to JSONParser, whose values are kept
// as nodes beside the spans, so that a value reads as it always did and an error says what
// it always said.
//
// Before this, every value was a node (a String per string and per number, an array per
// record, a Dictionary lookup per key): the 1M-event file of 545 MiB loaded in 23 s with a
// peak of 2.6 GB.

import CCSVScan
import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One column's values, in row order.
struct JSONCells {
    enum Kind: UInt8 {
        case null, `false`, `true`
        /// A number as spelt: `length` bytes from `start`; an integer has no fraction or exponent.
        case integer, decimal
        /// A string: its `length` bytes from `start + 1` (`start` is its quote), with escapes
        /// (checked, none of them `\u`) when `escaped`.
        case string, escaped
        /// A value parsed by JSONParser: `nodes[start]`.
        case node

        var isString: Bool { self == .string || self == .escaped }
    }

    /// Each value's kind (the top byte) and its start (the text's offset, or an index of `nodes`).
    private(set) var spans: [UInt64] = []
    private(set) var lengths: [UInt32] = []
    /// The row of each value, once a row has gone without this key (nil while none has).
    private(set) var rows: [Int]?
    private(set) var nodes: [JSONNode] = []
    /// Where each node began in the text (for messages about it).
    private(set) var nodeOffsets: [Int] = []

    /// A column whose key first appears in row `firstRow`.
    init(firstRow: Int) { rows = firstRow > 0 ? [] : nil }

    var count: Int { spans.count }
    var lastRow: Int? { spans.isEmpty ? nil : rows?.last ?? spans.count - 1 }
    func row(_ i: Int) -> Int { rows?[i] ?? i }
    func kind(_ i: Int) -> Kind { Kind(rawValue: UInt8(truncatingIfNeeded: spans[i] >> 56))! }
    func start(_ i: Int) -> Int { Int(truncatingIfNeeded: spans[i] & 0x00FF_FFFF_FFFF_FFFF) }
    func length(_ i: Int) -> Int { Int(lengths[i]) }
    /// Where the value begins in the text.
    func offset(_ i: Int) -> Int { kind(i) == .node ? nodeOffsets[start(i)] : start(i) }
    var hasNodes: Bool { !nodes.isEmpty }

    /// The first value of a row at or after `row` (`count` when none).
    func firstCell(atOrAfter row: Int) -> Int {
        guard let rows else { return min(row, spans.count) }
        var low = 0, high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle] < row { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Adds the value of `row` (a repeated key in one record: the last value counts).
    mutating func add(_ kind: Kind, start: Int, length: Int, row: Int) {
        let span = UInt64(kind.rawValue) << 56 | UInt64(start)
        if lastRow == row {
            spans[spans.count - 1] = span
            lengths[lengths.count - 1] = UInt32(length)
            return
        }
        if rows == nil && row != spans.count { rows = Array(0..<spans.count) }
        spans.append(span)
        lengths.append(UInt32(length))
        rows?.append(row)
    }

    mutating func add(_ node: JSONNode, offset: Int, row: Int) {
        add(.node, start: nodes.count, length: 0, row: row)
        nodes.append(node)
        nodeOffsets.append(offset)
    }

    /// The text of escaped string `i` (`base` is the text's start) made plain at the start of
    /// `scratch`, which grows as it needs: how many bytes it is.
    func plainText(_ i: Int, _ base: UnsafePointer<UInt8>, into scratch: inout [UInt8]) -> Int {
        if length(i) > scratch.count { scratch = [UInt8](repeating: 0, count: max(length(i), scratch.count * 2)) }
        return scratch.withUnsafeMutableBufferPointer { unescapeJSON(base + start(i) + 1, length(i), into: $0.baseAddress!) }
    }

    /// The value as a node, as JSONParser would have made it.
    func node(_ i: Int, in text: UnsafeBufferPointer<UInt8>) -> JSONNode {
        switch kind(i) {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .integer, .decimal:
            return .number(String(decoding: UnsafeBufferPointer(rebasing: text[start(i)..<(start(i) + length(i))]), as: UTF8.self))
        case .string: return .string(String(decoding: UnsafeBufferPointer(rebasing: text[(start(i) + 1)..<(start(i) + 1 + length(i))]), as: UTF8.self))
        case .escaped:
            var plain: [UInt8] = []
            let count = plainText(i, text.baseAddress!, into: &plain)
            return .string(String(decoding: plain[..<count], as: UTF8.self))
        case .node: return nodes[start(i)]
        }
    }
}

extension JSONRecordReader {
    /// Reads the object at the parser as a record when it is flat (every value a scalar, no
    /// string with a `\u` escape) and well formed; false, with nothing read, otherwise.
    mutating func scanFlatRecord() -> Bool {
        guard options.jsonScansFlatRecords else { return false }
        let text = parser.bytes
        let n = text.count
        var i = parser.position
        @inline(__always) func skipSpace() {
            while i < n {
                let c = text[i]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
                i += 1
            }
        }
        @inline(__always) func isDigit(_ at: Int) -> Bool { at < n && text[at] &- UInt8(ascii: "0") < 10 }
        /// The end of the string whose quote is at `open`, if it is UTF-8 and its escapes are
        /// JSON's (`\u` aside, which JSONParser reads), and whether it has any.
        @inline(__always) func stringEnd(_ open: Int) -> (end: Int, escaped: Bool)? {
            var j = open + 1
            var escaped = false
            let raw = UnsafeRawPointer(text.baseAddress!)
            while j < n {
                // Eight plain bytes at a time: none a quote, a backslash or past ASCII.
                while j + 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    let quotes = w ^ 0x2222_2222_2222_2222, backslashes = w ^ 0x5C5C_5C5C_5C5C_5C5C
                    let zeros = ((quotes &- 0x0101_0101_0101_0101) & ~quotes) | ((backslashes &- 0x0101_0101_0101_0101) & ~backslashes)
                    guard (zeros | w) & 0x8080_8080_8080_8080 == 0 else { break }
                    j += 8
                }
                guard j < n else { break }
                let c = text[j]
                if c == UInt8(ascii: "\"") { return (j, escaped) }
                if c == UInt8(ascii: "\\") {
                    guard j + 1 < n else { return nil }
                    switch text[j + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "n"), UInt8(ascii: "t"),
                         UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "f"):
                        escaped = true
                        j += 2
                        continue
                    default: return nil
                    }
                }
                if c < 0x80 { j += 1; continue }
                guard let length = utf8SequenceLength(text, at: j) else { return nil }
                j += length
            }
            return nil
        }
        guard i < n, text[i] == UInt8(ascii: "{") else { return false }
        i += 1
        pending.removeAll(keepingCapacity: true)
        pendingNames.removeAll(keepingCapacity: true)
        skipSpace()
        if i < n && text[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            var k = 0
            while true {
                guard i < n, text[i] == UInt8(ascii: "\""), let (keyEnd, keyEscaped) = stringEnd(i), !keyEscaped,
                      keyEnd - i - 1 <= 1 << 20 else { return false }
                guard let column = column(keyBytes: UnsafeBufferPointer(rebasing: text[(i + 1)..<keyEnd]), at: k) else { return false }
                i = keyEnd + 1
                skipSpace()
                guard i < n, text[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipSpace()
                guard i < n else { return false }
                let start = i
                switch text[i] {
                case UInt8(ascii: "\""):
                    guard let (end, escaped) = stringEnd(i), end - i - 1 <= Int(UInt32.max) else { return false }
                    i = end + 1
                    pending.append((column, escaped ? .escaped : .string, start, end - start - 1))
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let word: StaticString = text[i] == UInt8(ascii: "t") ? "true" : text[i] == UInt8(ascii: "f") ? "false" : "null"
                    guard i + word.utf8CodeUnitCount <= n,
                          UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
                            .elementsEqual(UnsafeBufferPointer(rebasing: text[i..<(i + word.utf8CodeUnitCount)])) else { return false }
                    i += word.utf8CodeUnitCount
                    pending.append((column, text[start] == UInt8(ascii: "t") ? .true : text[start] == UInt8(ascii: "f") ? .false : .null, start, 0))
                default:
                    // JSON's number grammar, exactly (JSONParser.parseNumber).
                    var integer = true
                    if text[i] == UInt8(ascii: "-") { i += 1 }
                    guard isDigit(i) else { return false }
                    if text[i] == UInt8(ascii: "0") {
                        i += 1
                        if isDigit(i) { return false }
                    } else {
                        while isDigit(i) { i += 1 }
                    }
                    if i < n && text[i] == UInt8(ascii: ".") {
                        integer = false
                        i += 1
                        guard isDigit(i) else { return false }
                        while isDigit(i) { i += 1 }
                    }
                    if i < n && (text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E")) {
                        integer = false
                        i += 1
                        if i < n && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) { i += 1 }
                        guard isDigit(i) else { return false }
                        while isDigit(i) { i += 1 }
                    }
                    guard i - start <= Int(UInt32.max) else { return false }
                    pending.append((column, integer ? .integer : .decimal, start, i - start))
                }
                skipSpace()
                guard i < n else { return false }
                if text[i] == UInt8(ascii: ",") { i += 1; skipSpace(); k += 1; continue }
                guard text[i] == UInt8(ascii: "}") else { return false }
                i += 1
                break
            }
        }
        // The record is whole: its new keys become columns (in the order of their indices).
        for name in pendingNames { _ = newColumn(name) }
        for k in pending.indices {
            let value = pending[k]
            cells[value.column].add(value.kind, start: value.start, length: value.length, row: rows)
        }
        parser.position = i
        return true
    }

    /// The column of the `k`th key of a record: first the column the `k`th key of the last
    /// record named (records mostly list their keys in one order), then by name. A key not
    /// seen before gets the index its column will have, made only once the record is whole
    /// (a record the scan gives up on, which a lenient load may skip, adds no column). Nil
    /// when there can be no more columns (JSONParser's path then says so).
    mutating func column(keyBytes: UnsafeBufferPointer<UInt8>, at k: Int) -> Int? {
        if k < keyOrder.count, keyOrder[k] < names.count {
            let guess = keyOrder[k]
            let from = keyStarts[guess], to = keyStarts[guess + 1]
            if to - from == keyBytes.count
                && keyText.withUnsafeBufferPointer({ memcmp($0.baseAddress! + from, keyBytes.baseAddress!, keyBytes.count) == 0 }) {
                return guess
            }
        }
        let name = String(decoding: keyBytes, as: UTF8.self)
        let column: Int
        if let known = index[name] {
            column = known
        } else if let new = pendingNames.firstIndex(of: name) {
            column = names.count + new
        } else {
            guard names.count + pendingNames.count < LoadLimits.maximumColumns else { return nil }
            column = names.count + pendingNames.count
            pendingNames.append(name)
        }
        if k < keyOrder.count { keyOrder[k] = column } else { keyOrder.append(column) }
        return column
    }

    /// A column for a key first met in the current row.
    mutating func newColumn(_ name: String) -> Int {
        let column = names.count
        index[name] = column
        names.append(name)
        keyText.append(contentsOf: name.utf8)
        keyStarts.append(keyText.count)
        cells.append(JSONCells(firstRow: rows))
        return column
    }
}

/// The text of a string whose escapes were checked (`stringEnd` in `scanFlatRecord`: no `\u`),
/// `length` bytes at `p` without its quotes, made plain into `out` (room for `length`);
/// returns how many bytes it wrote.
func unescapeJSON(_ p: UnsafePointer<UInt8>, _ length: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
    var i = 0, o = 0
    while i < length {
        let c = p[i]
        if c != UInt8(ascii: "\\") { out[o] = c; o += 1; i += 1; continue }
        let e = p[i + 1]
        switch e {
        case UInt8(ascii: "n"): out[o] = 0x0A
        case UInt8(ascii: "t"): out[o] = 0x09
        case UInt8(ascii: "r"): out[o] = 0x0D
        case UInt8(ascii: "b"): out[o] = 0x08
        case UInt8(ascii: "f"): out[o] = 0x0C
        default: out[o] = e  // " \ /
        }
        o += 1
        i += 2
    }
    return o
}
