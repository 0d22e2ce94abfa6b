// Text as it was saved: the encodings a load can read besides UTF-8 (`encoding =
// "windows-1252"`), the byte-order marks that decide one by themselves, and the guess that a
// UTF-8 error makes about what the bytes are instead.
//
// A file in another encoding is transcoded to UTF-8 once, after it is read and before it is
// parsed (TextTranscoding.swift), so the parsers only ever see UTF-8. Lines stay lines, and
// columns in messages count characters, so positions are those of the file as saved.

import ConflictQLCore
import ConflictQLSyntax

public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case latin1 = "latin-1"
    /// UTF-16 whose byte order the byte-order mark gives (little-endian without one).
    case utf16 = "utf-16"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"

    /// The names an `encoding` option takes (case does not matter).
    package static let names: [String: TextEncoding] = [
        "utf-8": .utf8, "utf8": .utf8,
        "windows-1252": .windows1252, "cp1252": .windows1252, "cp-1252": .windows1252,
        "latin-1": .latin1, "latin1": .latin1, "iso-8859-1": .latin1, "iso8859-1": .latin1,
        "utf-16": .utf16, "utf16": .utf16, "utf-16le": .utf16LE, "utf16le": .utf16LE, "utf-16be": .utf16BE, "utf16be": .utf16BE,
    ]

    /// The encoding a name stands for (`"Windows-1252"`, `"cp1252"`, `"ISO-8859-1"`), or nil.
    public init?(name: String) {
        guard let encoding = TextEncoding.names[name.lowercased()] else { return nil }
        self = encoding
    }

    /// The names listed in help, one per encoding.
    public static var listed: String { allCases.map(\.rawValue).joined(separator: ", ") + " (also iso-8859-1, cp1252)" }

    var isUTF16: Bool { self == .utf16 || self == .utf16LE || self == .utf16BE }
}

enum ByteOrderMark {
    case utf8, utf16LE, utf16BE

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { self = .utf8 }
        else if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { self = .utf16LE }
        else if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { self = .utf16BE }
        else { return nil }
    }

    var name: String {
        switch self {
        case .utf8: return "UTF-8 (EF BB BF)"
        case .utf16LE: return "UTF-16LE (FF FE)"
        case .utf16BE: return "UTF-16BE (FE FF)"
        }
    }
}

/// How a file's bytes are to be decoded, from the option and the byte-order mark.
enum Decoding: Equatable {
    /// As they are (UTF-8, checked as it is parsed).
    case utf8
    case singleByte(windows1252: Bool)
    /// UTF-16, after skipping `skip` bytes of byte-order mark.
    case utf16(bigEndian: Bool, skip: Int)

    /// A byte-order mark is unambiguous: UTF-16 with one loads with no option. A mark that
    /// contradicts the option is an error (the file is not what the load says).
    static func decide(_ option: TextEncoding?, _ bytes: UnsafeBufferPointer<UInt8>) -> Result<Decoding, EncodingMismatch> {
        let mark = ByteOrderMark(bytes)
        func contradiction(_ mark: ByteOrderMark) -> Result<Decoding, EncodingMismatch> {
            .failure(EncodingMismatch(message: "the file starts with the byte-order mark of \(mark.name), not \(option!.rawValue) as the load says"))
        }
        switch option {
        case nil:
            switch mark {
            case .utf16LE?: return .success(.utf16(bigEndian: false, skip: 2))
            case .utf16BE?: return .success(.utf16(bigEndian: true, skip: 2))
            default: return .success(.utf8)
            }
        case .utf8?:
            if let mark, mark != .utf8 { return contradiction(mark) }
            return .success(.utf8)
        case .windows1252?, .latin1?:
            if let mark { return contradiction(mark) }
            return .success(.singleByte(windows1252: option == .windows1252))
        case .utf16?:
            if mark == .utf8 { return contradiction(.utf8) }
            if let mark { return .success(.utf16(bigEndian: mark == .utf16BE, skip: 2)) }
            return .success(.utf16(bigEndian: UTF16Guess(bytes)?.bigEndian ?? false, skip: 0))
        case .utf16LE?, .utf16BE?:
            let bigEndian = option == .utf16BE
            if let mark, mark != (bigEndian ? .utf16BE : .utf16LE) { return contradiction(mark) }
            return .success(.utf16(bigEndian: bigEndian, skip: mark == nil ? 0 : 2))
        }
    }
}

struct EncodingMismatch: Error {
    package let message: String
}

/// UTF-16 text without a byte-order mark, told by its NUL bytes: text that is mostly ASCII
/// has a NUL in every other byte, at odd offsets (little-endian) or even ones (big-endian).
struct UTF16Guess {
    let bigEndian: Bool

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = min(bytes.count, 8192) & ~1
        guard count >= 2 else { return nil }
        var evenNULs = 0, oddNULs = 0
        for i in stride(from: 0, to: count, by: 2) {
            if bytes[i] == 0 { evenNULs += 1 }
            if bytes[i + 1] == 0 { oddNULs += 1 }
        }
        let pairs = count / 2
        // Most of one side NUL, almost none of the other.
        if oddNULs * 2 > pairs && evenNULs * 20 < pairs { bigEndian = false; return }
        if evenNULs * 2 > pairs && oddNULs * 20 < pairs { bigEndian = true; return }
        return nil
    }

    var option: String { bigEndian ? "utf-16be" : "utf-16le" }
}

enum EncodingGuess {
    /// What to say after "... is not UTF-8 text" for the bad byte at `offset`: the encoding
    /// the file looks like and the option that loads it, or how to fix the file.
    ///
    /// Windows-1252 (and Latin-1) text has lone bytes of 0x80 and above between ASCII ones
    /// (`caf\u{E9}`); UTF-8 never does, and its own faults keep its shape (a lead byte and
    /// continuation bytes), which gets no guess. The whole file is looked at: when it also holds
    /// well-formed UTF-8 sequences of two bytes or more, and not far fewer than bad bytes, it
    /// is a mix of encodings, and no option would load it right.
    static func hint(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> String {
        let fallback = " (save the file as UTF-8)"
        // The message points at the field; the bad byte is in it.
        var bad = max(0, offset)
        while bad < bytes.count && (bytes[bad] < 0x80 || utf8SequenceLength(bytes, at: bad) != nil) {
            bad += bytes[bad] < 0x80 ? 1 : utf8SequenceLength(bytes, at: bad)!
        }
        guard bad < bytes.count else { return fallback }
        var valid = 0, invalid = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 { i += 1; continue }
            if let length = utf8SequenceLength(bytes, at: i) {
                valid += 1
                i += length
            } else {
                invalid += 1
                i += 1
            }
        }
        if valid * 8 > invalid {
            return "; the file mixes UTF-8 with another encoding (\(valid) UTF-8 sequence\(valid == 1 ? "" : "s"), \(invalid) other byte\(invalid == 1 ? "" : "s")), so no single encoding reads it: save it as UTF-8"
        }
        // UTF-8 gone wrong (an overlong form, an encoded surrogate) is a lead byte followed by
        // continuation bytes; Windows-1252's letters are followed by ASCII or another letter.
        if bad + 1 < bytes.count && bytes[bad + 1] >= 0x80 && bytes[bad + 1] < 0xC0 { return fallback }
        let byte = bytes[bad]
        let character = windows1252Scalar(byte).map { escapingControlCharacters(String(Character($0))) } ?? "?"
        let hex = "0x" + String(byte, radix: 16, uppercase: true)
        return "; it looks like Windows-1252 (Latin-1) text, where \(hex) is '\(character)': load it with encoding = \"windows-1252\""
    }
}

/// Windows-1252's characters for bytes 0x80 to 0x9F; the five bytes it leaves undefined are
/// read as the C1 controls of the same number, as the WHATWG Encoding Standard reads them.
let windows1252High: [UInt32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
]

@inline(__always)
func windows1252Scalar(_ byte: UInt8) -> Unicode.Scalar? {
    Unicode.Scalar(byte >= 0x80 && byte < 0xA0 ? windows1252High[Int(byte - 0x80)] : UInt32(byte))
}
