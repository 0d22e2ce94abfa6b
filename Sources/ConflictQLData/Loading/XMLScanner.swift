// A small streaming XML scanner for the parts of an Excel workbook (Workbook.swift): it reads
// a piece of bytes and reports start tags, end tags and text, stopping before a tag or an
// entity the piece cuts in two, so that the next piece carries on from there. No tree is
// built: a sheet of a million rows is read in pieces of a megabyte whatever its size.
//
// Why our own: the workbook's XML is machine-written and plain (no DTD, no custom entities,
// namespaces only as prefixes), and a package's DOM of a sheet would take many times the
// sheet's size; a SAX package would add a C library to CI for the few dozen lines below.
// A DOCTYPE is skipped, never expanded, so no entity can blow up.

import ConflictQLCore
import ConflictQLSyntax

/// What the scanner found; ranges index the piece given to `scan`.
enum XMLEvent {
    /// `<name attributes>` or `<name attributes/>` (`empty`): `name` without its prefix.
    case start(name: Range<Int>, attributes: Range<Int>, empty: Bool)
    case end(name: Range<Int>)
    /// Text between tags, entities not yet decoded (`XMLText.append`); CDATA is `raw`.
    case text(Range<Int>, raw: Bool)
}

/// What the scanner reports events to: a sheet's reader, specialised so that each event is
/// a direct call (a closure per event cost a third of a sheet's load).
protocol XMLHandler {
    mutating func handle(_ event: XMLEvent, _ bytes: UnsafeBufferPointer<UInt8>) throws(LoadError)
}

/// A closure as a handler, for the small parts (the workbook, its relationships, the styles).
struct XMLClosureHandler: XMLHandler {
    let body: (XMLEvent, UnsafeBufferPointer<UInt8>) throws(LoadError) -> Void
    func handle(_ event: XMLEvent, _ bytes: UnsafeBufferPointer<UInt8>) throws(LoadError) { try body(event, bytes) }
}

enum XMLScanner {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool,
                     _ handle: (XMLEvent, UnsafeBufferPointer<UInt8>) throws(LoadError) -> Void) throws(LoadError) -> Int {
        try withoutActuallyEscaping(handle) { (escapable) throws(LoadError) -> Int in
            var handler = XMLClosureHandler(body: escapable)
            return try scan(bytes, final: final, into: &handler)
        }
    }

    /// Reports every whole event of `bytes` and returns how many bytes they took: the rest
    /// (a tag or an entity cut by the end of the piece) is for the next call, joined to
    /// what follows. With `final`, what is left is an error.
    @inline(__always)
    static func scan<Handler: XMLHandler>(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool,
                                          into handler: inout Handler) throws(LoadError) -> Int {
        func handle(_ event: XMLEvent, _ bytes: UnsafeBufferPointer<UInt8>) throws(LoadError) { try handler.handle(event, bytes) }
        let count = bytes.count
        var i = 0
        while i < count {
            if bytes[i] != UInt8(ascii: "<") {
                // Text up to the next tag; at the end of the piece, up to an entity it cuts.
                var end = i
                while end < count && bytes[end] != UInt8(ascii: "<") { end += 1 }
                if end == count && !final {
                    // An entity or an `_x000D_` escape may be cut: keep the last bytes back.
                    var hold = end
                    var back = end
                    while back > i && end - back < 12 {
                        back -= 1
                        if bytes[back] == UInt8(ascii: "&") || bytes[back] == UInt8(ascii: "_") { hold = back }
                    }
                    end = hold
                    if end == i { return i }
                }
                try handle(.text(i..<end, raw: false), bytes)
                i = end
                continue
            }
            // A tag: find its end, skipping quoted attribute values.
            guard i + 1 < count else { return i }
            let next = bytes[i + 1]
            if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                guard let (end, cdata) = special(bytes, at: i) else { return i }
                if let cdata { try handle(.text(cdata, raw: true), bytes) }
                i = end
                continue
            }
            var j = i + 1
            var quote: UInt8 = 0
            while j < count {
                let c = bytes[j]
                if quote != 0 {
                    if c == quote { quote = 0 }
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: ">") {
                    break
                }
                j += 1
            }
            guard j < count else { return i }
            let closing = next == UInt8(ascii: "/")
            var nameStart = closing ? i + 2 : i + 1
            var nameEnd = nameStart
            while nameEnd < j && !isSpace(bytes[nameEnd]) && bytes[nameEnd] != UInt8(ascii: "/") {
                if bytes[nameEnd] == UInt8(ascii: ":") { nameStart = nameEnd + 1 }
                nameEnd += 1
            }
            let empty = !closing && bytes[j - 1] == UInt8(ascii: "/")
            if closing {
                try handle(.end(name: nameStart..<nameEnd), bytes)
            } else {
                try handle(.start(name: nameStart..<nameEnd, attributes: nameEnd..<(empty ? j - 1 : j), empty: empty), bytes)
            }
            i = j + 1
        }
        return i
    }

    /// `<?...?>`, `<!--...-->`, `<![CDATA[...]]>` or `<!DOCTYPE ...>`: where it ends, and
    /// the CDATA's text; nil when the piece cuts it.
    private static func special(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, Range<Int>?)? {
        func find(_ terminator: [UInt8], from start: Int) -> Int? {
            var k = start
            while k + terminator.count <= bytes.count {
                if bytes[k] == terminator[0] && (1..<terminator.count).allSatisfy({ bytes[k + $0] == terminator[$0] }) { return k }
                k += 1
            }
            return nil
        }
        func startsWith(_ text: String) -> Bool {
            let prefix = Array(text.utf8)
            return i + prefix.count <= bytes.count && prefix.indices.allSatisfy { bytes[i + $0] == prefix[$0] }
        }
        if startsWith("<![CDATA[") {
            guard let end = find(Array("]]>".utf8), from: i + 9) else { return nil }
            return (end + 3, (i + 9)..<end)
        }
        if startsWith("<!--") {
            guard let end = find(Array("-->".utf8), from: i + 4) else { return nil }
            return (end + 3, nil)
        }
        if startsWith("<?") {
            guard let end = find(Array("?>".utf8), from: i + 2) else { return nil }
            return (end + 2, nil)
        }
        // A DOCTYPE, with an internal subset in brackets perhaps: skipped whole.
        var depth = 0
        var k = i + 2
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "[") { depth += 1 }
            if bytes[k] == UInt8(ascii: "]") { depth -= 1 }
            if bytes[k] == UInt8(ascii: ">") && depth <= 0 { return (k + 1, nil) }
            k += 1
        }
        return nil
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// Whether `range` of `bytes` spells `name`.
    @inline(__always)
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let spelled = name.utf8Start
        for k in 0..<range.count where bytes[range.lowerBound + k] != spelled[k] { return false }
        return true
    }

    /// Calls `each` with the local name and the value (entities not decoded) of every
    /// attribute, in one pass: a cell's `r`, `t` and `s` cost one walk, not three.
    @inline(__always)
    static func forEachAttribute(in attributes: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>,
                                 _ each: (Range<Int>, Range<Int>) throws(LoadError) -> Void) throws(LoadError) {
        var i = attributes.lowerBound
        let end = attributes.upperBound
        while i < end {
            while i < end && isSpace(bytes[i]) { i += 1 }
            var localStart = i
            while i < end && bytes[i] != UInt8(ascii: "=") && !isSpace(bytes[i]) {
                if bytes[i] == UInt8(ascii: ":") { localStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < end && (isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "=")) { i += 1 }
            guard i < end, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { return }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end && bytes[i] != quote { i += 1 }
            try each(localStart..<nameEnd, valueStart..<min(i, end))
            i += 1
        }
    }

    /// The value of the attribute `name` (its local name, or `r:id` whole) among
    /// `attributes`, entities not decoded; nil when it is not there.
    static func attribute(_ name: StaticString, in attributes: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var i = attributes.lowerBound
        let end = attributes.upperBound
        while i < end {
            while i < end && isSpace(bytes[i]) { i += 1 }
            var localStart = i
            let qualifiedStart = i
            while i < end && bytes[i] != UInt8(ascii: "=") && !isSpace(bytes[i]) {
                if bytes[i] == UInt8(ascii: ":") { localStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < end && (isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "=")) { i += 1 }
            guard i < end, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { return nil }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end && bytes[i] != quote { i += 1 }
            let value = valueStart..<min(i, end)
            i += 1
            if matches(bytes, localStart..<nameEnd, name) || matches(bytes, qualifiedStart..<nameEnd, name) { return value }
        }
        return nil
    }

    /// An attribute's value as a non-negative integer (`s="12"`), read from its bytes.
    @inline(__always)
    static func attributeInt(_ name: StaticString, in attributes: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let range = attribute(name, in: attributes, of: bytes) else { return nil }
        return integer(bytes, range)
    }

    /// Decimal digits, with spaces around, as an Int; nil for anything else.
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        var digits = 0
        for k in range {
            let c = bytes[k]
            if isSpace(c) { if digits > 0 { break } else { continue } }
            let digit = c &- UInt8(ascii: "0")
            guard digit < 10, digits < 18 else { return nil }
            value = value * 10 + Int(digit)
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// An attribute's value as a String, entities decoded.
    static func attributeText(_ name: StaticString, in attributes: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range = attribute(name, in: attributes, of: bytes) else { return nil }
        var decoded: [UInt8] = []
        XMLText.append(bytes, range, raw: false, to: &decoded)
        return String(decoding: decoded, as: UTF8.self)
    }
}

enum XMLText {
    /// Appends text with its entities decoded (`&amp;`, `&#233;`, `&#xE9;`), and the
    /// `_x000D_` escapes Office writes for control characters.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, raw: Bool, to out: inout [UInt8]) {
        // Most text has neither: copied whole.
        if !bytes[range].contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "_") }) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
            return
        }
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "&") && !raw, let (scalar, length) = entity(bytes, i, end) {
                appendScalar(scalar, to: &out)
                i += length
            } else if c == UInt8(ascii: "_"), let scalar = officeEscape(bytes, i, end) {
                appendScalar(scalar, to: &out)
                i += 7
            } else {
                out.append(c)
                i += 1
            }
        }
    }

    private static func entity(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (Unicode.Scalar, Int)? {
        var semicolon = i + 1
        while semicolon < end && semicolon - i < 12 && bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < end, bytes[semicolon] == UInt8(ascii: ";") else { return nil }
        let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<semicolon]), as: UTF8.self)
        let length = semicolon - i + 1
        switch body {
        case "amp": return ("&", length)
        case "lt": return ("<", length)
        case "gt": return (">", length)
        case "quot": return ("\"", length)
        case "apos": return ("'", length)
        default:
            guard body.hasPrefix("#") else { return nil }
            let hex = body.hasPrefix("#x") || body.hasPrefix("#X")
            guard let code = UInt32(body.dropFirst(hex ? 2 : 1),
                radix: hex ? 16 : 10), let scalar = Unicode.Scalar(code) else { return nil }
            return (scalar, length)
        }
    }

    /// `_xHHHH_`: a UTF-16 code unit Office escaped (a control character, or `_x005F_` for `_`).
    private static func officeEscape(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Unicode.Scalar? {
        guard i + 7 <= end, bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_") else { return nil }
        var code: UInt32 = 0
        for k in 2..<6 {
            guard let digit = hexDigit(bytes[i + k]) else { return nil }
            code = code << 4 | digit
        }
        return Unicode.Scalar(code)
    }

    private static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func appendScalar(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        out.append(contentsOf: UTF8.encode(scalar)!)
    }
}
