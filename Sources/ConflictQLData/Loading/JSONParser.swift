// Reading JSON text into values that keep what the file said: numbers keep their spelling
// (typing is decided later, over a whole column, so `007`-like codes and integers too large
// for a Float are never rounded on the way in), strings must be UTF-8, escapes must be valid.
// The loader (JSONLoader.swift) turns these values into typed columns.

import ConflictQLCore
import ConflictQLSyntax

/// A JSON value as written. Objects keep their key order.
indirect enum JSONNode {
    case null
    case bool(Bool)
    /// A number, as spelt in the file (it matched JSON's number grammar).
    case number(String)
    case string(String)
    case array([JSONNode])
    /// Each value with where it starts in the file, for messages about it.
    case object([JSONField])
}

struct JSONField {
    var key: String
    var value: JSONNode
    var offset: Int
}

struct JSONProblem: Error {
    package var message: String
    var offset: Int
    /// What is not UTF-8 text (`a string`), when that is the problem: the message then says
    /// what encoding the bytes look like (DataFile.notUTF8Error).
    var notUTF8: String? = nil
}

struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    static let maximumDepth = 200

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A byte-order mark at the very start is not data.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipSpace() {
        while position < bytes.count {
            let c = bytes[position]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            position += 1
        }
    }

    /// value = object | array | string | number | "true" | "false" | "null"
    mutating func parseValue(depth: Int) throws(JSONProblem) -> JSONNode {
        guard depth < JSONParser.maximumDepth else {
            throw JSONProblem(message: "nested deeper than \(JSONParser.maximumDepth) levels", offset: position)
        }
        skipSpace()
        guard let c = peek() else { throw JSONProblem(message: "unexpected end of file", offset: position) }
        switch c {
        case UInt8(ascii: "{"):
            position += 1
            var fields: [JSONField] = []
            skipSpace()
            if peek() == UInt8(ascii: "}") { position += 1; return .object(fields) }
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw JSONProblem(message: "expected a key in quotes", offset: position) }
                let key = try parseString(what: "a key")
                skipSpace()
                guard peek() == UInt8(ascii: ":") else { throw JSONProblem(message: "expected ':' after a key", offset: position) }
                position += 1
                skipSpace()
                let offset = position
                fields.append(JSONField(key: key, value: try parseValue(depth: depth + 1), offset: offset))
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                if peek() == UInt8(ascii: "}") { position += 1; return .object(fields) }
                throw JSONProblem(message: "expected ',' or '}' in an object", offset: position)
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONNode] = []
            skipSpace()
            if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
                throw JSONProblem(message: "expected ',' or ']' in an array", offset: position)
            }
        case UInt8(ascii: "\""):
            return .string(try parseString(what: "a string"))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try parseNumber())
        }
    }

    /// An object (a record); `expected` says what else was found.
    mutating func parseObject(expected: String) throws(JSONProblem) -> [JSONField] {
        skipSpace()
        let offset = position
        guard case .object(let fields) = try parseValue(depth: 0) else { throw JSONProblem(message: expected, offset: offset) }
        return fields
    }

    mutating func literal(_ word: StaticString) throws(JSONProblem) {
        let start = position
        for i in 0..<word.utf8CodeUnitCount {
            guard peek() == word.utf8Start[i] else { throw JSONProblem(message: "invalid value", offset: start) }
            position += 1
        }
    }

    /// number = [ "-" ] ( "0" | digit1-9 { digit } ) [ "." digit { digit } ] [ ( "e" | "E" ) [ "+" | "-" ] digit { digit } ]
    /// Strictly JSON's grammar: `007`, `+1`, `.5` and `1.` are errors, not numbers read some way.
    mutating func parseNumber() throws(JSONProblem) -> String {
        let start = position
        func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        func bad() -> JSONProblem {
            JSONProblem(message: isDigit(bytes[start]) || bytes[start] == UInt8(ascii: "-") ? "invalid number" : "invalid value",
                        offset: start)
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard isDigit(peek()) else { throw bad() }
        if peek() == UInt8(ascii: "0") {
            position += 1
            if isDigit(peek()) { throw JSONProblem(message: "invalid number (JSON numbers have no leading zeros)", offset: start) }
        } else {
            while isDigit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard isDigit(peek()) else { throw bad() }
            while isDigit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard isDigit(peek()) else { throw bad() }
            while isDigit(peek()) { position += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A quoted string with JSON's escapes. Its bytes must be UTF-8 and its `\u` escapes whole
    /// characters: anything else is an error at the offending byte, never a replacement.
    mutating func parseString(what: String) throws(JSONProblem) -> String {
        let open = position
        position += 1
        var out: [UInt8] = []
        while true {
            // A run of plain ASCII bytes is copied at once.
            let runStart = position
            while position < bytes.count {
                let c = bytes[position]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c >= 0x80 { break }
                position += 1
            }
            if position > runStart {
                // A string's size comes from the file: asked for before it is copied.
                guard reserveChecked(&out, adding: position - runStart) else { throw notEnoughMemory(open, out.count + position - runStart) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            }
            guard let c = peek() else { throw JSONProblem(message: "unterminated string", offset: open) }
            if c == UInt8(ascii: "\"") { position += 1; break }
            if c >= 0x80 {
                guard let length = utf8SequenceLength(bytes, at: position) else {
                    throw JSONProblem(message: "\(what) is not UTF-8 text (save the file as UTF-8)", offset: position, notUTF8: what)
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<(position + length)]))
                position += length
                continue
            }
            // A backslash.
            let escape = position
            position += 1
            guard let e = peek() else { throw JSONProblem(message: "unterminated string", offset: open) }
            position += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard let code = hex4(at: position) else { throw JSONProblem(message: "invalid \\u escape", offset: escape) }
                position += 4
                var value = code
                if (0xD800...0xDBFF).contains(code) {
                    // A high surrogate must be followed by its low half.
                    guard position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u"),
                          let low = hex4(at: position + 2), (0xDC00...0xDFFF).contains(low) else {
                        throw JSONProblem(message: "a \\u escape is half of a surrogate pair", offset: escape)
                    }
                    value = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    position += 6
                }
                guard let scalar = Unicode.Scalar(value) else {
                    throw JSONProblem(message: "a \\u escape is half of a surrogate pair", offset: escape)
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw JSONProblem(message: "invalid escape '\\\(Unicode.Scalar(e))' in a string", offset: escape)
            }
        }
        // The String is a second copy of the bytes.
        if out.count >= 64 << 20 && !(fitsAvailableMemory(out.count) && memoryAvailable(out.count)) { throw notEnoughMemory(open, out.count) }
        return String(decoding: out, as: UTF8.self)
    }

    func notEnoughMemory(_ offset: Int, _ bytes: Int) -> JSONProblem {
        JSONProblem(message: "this string is \(megabytes(bytes)), and there is not enough memory for it", offset: offset)
    }

    /// Four hex digits at `offset`, or nil.
    func hex4(at offset: Int) -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for i in offset..<(offset + 4) {
            let c = bytes[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

/// The length of the well-formed UTF-8 sequence at `i` (Unicode's table 3-7: no overlong
/// forms, no surrogates, nothing above U+10FFFF), or nil.
func utf8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
    let lead = bytes[i]
    func continuation(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
        i + k < bytes.count && range.contains(bytes[i + k])
    }
    switch lead {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: return continuation(1) ? 2 : nil
    case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
    case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
    case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
    case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
    case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
    case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
    default: return nil
    }
}
