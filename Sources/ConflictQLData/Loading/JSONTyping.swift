// The typing rule of the JSON loader: the narrowest type that holds every value of a column
// exactly (lists by the same rule over their elements), the conversion of a value to it, and
// the JSON spelling of values that become text.

import ConflictQLCore
import ConflictQLSyntax

/// A JSON number read for typing.
enum JSONNumber {
    case int(Int64)
    case decimal(Double)
    /// An integer beyond Int64, or a number beyond Float's range: only its text is exact.
    case unrepresentable

    init(_ spelling: String) {
        var text = spelling
        self = text.withUTF8 { p in JSONNumber(p.baseAddress!, p.count) }
    }

    /// Whether a number is spelt without a fraction or an exponent.
    static func isInteger(_ spelling: String) -> Bool {
        !spelling.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// A number as spelt, `count` bytes at `p` (at least one).
    init(_ p: UnsafePointer<UInt8>, _ count: Int) {
        let spelling = UnsafeBufferPointer(start: p, count: count)
        let isInteger = !spelling.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        if isInteger {
            self = FieldParsers.int(p, count).map(JSONNumber.int) ?? .unrepresentable
        } else {
            self = FieldParsers.float(p, count).map(JSONNumber.decimal) ?? .unrepresentable
        }
    }
}

/// Whether a Float holds this integer exactly (every integer up to 2^53 does; larger ones
/// only sometimes).
func isExactAsFloat(_ v: Int64) -> Bool { Int64(exactly: Double(v)) == v }

enum JSONTyping {
    /// A column's type: lists when every value is an array, otherwise the scalar rule.
    static func columnType(_ nodes: some Collection<JSONNode>) -> DataType {
        var arrays = 0, others = 0
        for node in nodes {
            switch node {
            case .null: continue
            case .array: arrays += 1
            default: others += 1
            }
        }
        if arrays > 0 && others == 0 {
            let elements = nodes.lazy.flatMap { node -> [JSONNode] in if case .array(let items) = node { return items } else { return [] } }
            // Lists hold plain values; dates inside lists stay text.
            let element = scalarType(elements, readsDates: false)
            return .list(element)
        }
        return scalarType(nodes, readsDates: true)
    }

    /// The narrowest type that holds every value exactly; String when nothing narrower does.
    /// A column whose values are all strings (APIs such as ACLED's quote every number) is
    /// typed as a CSV column of those texts would be (`quotedType`).
    static func scalarType(_ nodes: some Sequence<JSONNode>, readsDates: Bool) -> DataType {
        var typing = JSONScalarTyping(readsDates: readsDates)
        for node in nodes { typing.add(node) }
        return typing.type
    }

    /// A value as `type`, or nil when it is not one (a value of a column whose type was given).
    static func value(_ node: JSONNode, as type: DataType) -> Value? {
        if case .null = node { return .null }
        switch type {
        case .string, .null:
            return .string(text(node))
        case .int:
            if case .number(let s) = node, case .int(let v) = JSONNumber(s) { return .int(v) }
            return quotedValue(node) { FieldParsers.int($0, $1).map(Value.int) }
        case .float:
            guard case .number(let s) = node else { return quotedValue(node) { FieldParsers.floatOrNonFinite($0, $1).map(Value.float) } }
            switch JSONNumber(s) {
            case .int(let v): return .float(Double(v))
            case .decimal(let d): return .float(d)
            case .unrepresentable: return nil
            }
        case .bool:
            if case .bool(let b) = node { return .bool(b) }
            return quotedValue(node) { FieldParsers.bool($0, $1).map(Value.bool) }
        case .date:
            return quotedValue(node) { (FieldParsers.dateOfAnyPrecision($0, $1) ?? midnightDate($0, $1)).map(Value.date) }
        case .list(let element):
            guard case .array(let items) = node else { return nil }
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items {
                guard let value = value(item, as: element) else { return nil }
                values.append(value)
            }
            return .list(values)
        }
    }

    /// A string read as another type, `"3"` as 3: nil when the node is no string or does not
    /// read as one; the empty string is null (as an empty CSV field is).
    static func quotedValue(_ node: JSONNode, _ read: (UnsafePointer<UInt8>, Int) -> Value?) -> Value? {
        guard case .string(var s) = node else { return nil }
        return s.withUTF8 { $0.isEmpty ? Value.null : read($0.baseAddress!, $0.count) }
    }

    /// A value as text: a string as it is, anything else as its JSON spelling.
    static func text(_ node: JSONNode) -> String {
        if case .string(let s) = node { return s }
        var out = ""
        write(node, to: &out)
        return out
    }

    /// Compact JSON.
    static func write(_ node: JSONNode, to out: inout String) {
        switch node {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let s): out += s
        case .string(let s): writeQuoted(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, field) in fields.enumerated() {
                if i > 0 { out += "," }
                writeQuoted(field.key, to: &out)
                out += ":"
                write(field.value, to: &out)
            }
            out += "}"
        }
    }

    static func writeQuoted(_ s: String, to out: inout String) { out += jsonQuoted(s) }
}

/// A day written as a date and time at midnight, `2010-05-13T00:00:00` (or with `Z`), as
/// APIs serialise dates (an example response of UCDP's gedevents shows `date_start` so): the
/// same day, nothing lost. Another time of day is not a date, and keeps its column text.
func midnightDate(_ p: UnsafePointer<UInt8>, _ count: Int) -> DateValue? {
    guard count == 19 || (count == 20 && p[19] == UInt8(ascii: "Z")), p[10] == UInt8(ascii: "T") else { return nil }
    let time = Array(UnsafeBufferPointer(start: p + 11, count: 8))
    guard time == Array("00:00:00".utf8) else { return nil }
    return FieldParsers.date(p, 10)
}

/// The scalar typing rule, a value at a time: the values kept as nodes (JSONParser) and as
/// spans of the text (JSONCells.swift) are typed by it alike.
struct JSONScalarTyping {
    let readsDates: Bool
    var bools = false, ints = false, decimals = false, strings = false, other = false
    var intsExact = true
    var quoted = QuotedTyping()

    init(readsDates: Bool) { self.readsDates = readsDates }

    mutating func add(_ node: JSONNode) {
        switch node {
        case .null: return
        case .bool: bools = true
        case .number(var spelling): spelling.withUTF8 { addNumber($0.baseAddress!, $0.count) }
        case .string(var s): s.withUTF8 { addString($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
        case .array, .object: other = true
        }
    }

    /// A number as spelt (it matched JSON's grammar: at least one byte).
    mutating func addNumber(_ p: UnsafePointer<UInt8>, _ count: Int) {
        switch JSONNumber(p, count) {
        case .int(let v): addInt(v)
        case .decimal: decimals = true
        case .unrepresentable: other = true
        }
    }

    /// A number spelt without a fraction or an exponent.
    mutating func addInteger(_ p: UnsafePointer<UInt8>, _ count: Int) {
        if let v = FieldParsers.int(p, count) { addInt(v) } else { other = true }
    }

    /// A number spelt with a fraction or an exponent.
    mutating func addDecimal(_ p: UnsafePointer<UInt8>, _ count: Int) {
        if FieldParsers.float(p, count) != nil { decimals = true } else { other = true }
    }

    @inline(__always)
    mutating func addInt(_ v: Int64) {
        ints = true
        if intsExact && !isExactAsFloat(v) { intsExact = false }
    }

    mutating func addString(_ p: UnsafePointer<UInt8>, _ count: Int) {
        strings = true
        if readsDates { quoted.add(p, count) }
    }

    /// Whether a string's text still matters to the type (it may yet read as a number, a
    /// Bool or a date).
    var readsQuoted: Bool { readsDates && quoted.isOpen }

    /// Takes in the typing of other values of the same column.
    mutating func merge(_ other: JSONScalarTyping) {
        bools = bools || other.bools
        ints = ints || other.ints
        decimals = decimals || other.decimals
        strings = strings || other.strings
        self.other = self.other || other.other
        intsExact = intsExact && other.intsExact
        quoted.merge(other.quoted)
    }

    var type: DataType {
        let kinds = [bools, ints || decimals, strings, other].filter { $0 }.count
        if kinds != 1 || other { return .string }
        if bools { return .bool }
        if strings { return readsDates ? quoted.type : .string }
        if decimals { return ints && !intsExact ? .string : .float }
        return .int
    }
}

/// The type of a column whose values are all strings, by the CSV loader's rule: Int when
/// every one reads as an integer (`"007"` does not: codes keep their zeros), Float when every
/// one reads as a number a Float holds exactly, Bool, Date (ISO, ACLED's `31 December 2020`,
/// or a date-time at midnight), otherwise String. Empty strings do not count (they load as
/// null) unless all are.
struct QuotedTyping {
    var ints = true, floats = true, bools = true, dates = true
    var nonEmpty = false

    mutating func add(_ string: String) {
        var s = string
        s.withUTF8 { p in if let base = p.baseAddress { add(base, p.count) } }
    }

    mutating func add(_ base: UnsafePointer<UInt8>, _ count: Int) {
        guard ints || floats || bools || dates, count > 0 else { return }
        nonEmpty = true
        if ints && FieldParsers.int(base, count) == nil { ints = false }
        if floats && FieldParsers.inferredFloat(base, count) == nil { floats = false }
        if bools && FieldParsers.bool(base, count) == nil { bools = false }
        if dates && FieldParsers.date(base, count) == nil && midnightDate(base, count) == nil { dates = false }
    }

    var isOpen: Bool { ints || floats || bools || dates }

    mutating func merge(_ other: QuotedTyping) {
        ints = ints && other.ints
        floats = floats && other.floats
        bools = bools && other.bools
        dates = dates && other.dates
        nonEmpty = nonEmpty || other.nonEmpty
    }

    var type: DataType {
        guard nonEmpty else { return .string }
        if ints { return .int }
        if floats { return .float }
        if bools { return .bool }
        if dates { return .date }
        return .string
    }
}
