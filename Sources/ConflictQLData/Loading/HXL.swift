// HXL hashtag rows (hxlstandard.org). Files from HDX carry, under the header, a row of tags
// such as `#event+code` or `#affected+killed`; read as data it would make every column text.
// The CSV loader takes that row off and keeps each column's tag as metadata (`describe`).
//
// A hashtag is `#` and a token, then any number of `+token` attributes, spaces allowed
// around the parts; a token is a letter, then letters, digits or `_` (libhxl's grammar).
// Tags are case-insensitive, so they are kept in one normal form: `#Adm1 +Name` is
// `#adm1+name`.

import ConflictQLCore
import ConflictQLSyntax

enum HXL {
    /// The hashtag in normal form, or nil when `bytes` do not read as one.
    static func hashtag(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var result: [UInt8] = []
        var i = 0
        func skipSpaces() { while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 } }
        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        /// A token after `#` or `+`, lower-cased into `result`.
        func token() -> Bool {
            guard i < bytes.count, isLetter(bytes[i]) else { return false }
            while i < bytes.count, isLetter(bytes[i]) || isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") {
                result.append(isLetter(bytes[i]) ? bytes[i] | 0x20 : bytes[i])
                i += 1
            }
            return true
        }
        skipSpaces()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "#") else { return nil }
        result.append(bytes[i])
        i += 1
        guard token() else { return nil }
        while true {
            skipSpaces()
            if i == bytes.count { return String(decoding: result, as: UTF8.self) }
            guard bytes[i] == UInt8(ascii: "+") else { return nil }
            result.append(bytes[i])
            i += 1
            skipSpaces()
            guard token() else { return nil }
        }
    }

    /// The row's tags, one per field (nil for an empty one), when every non-empty field is a
    /// hashtag and at least one is; nil otherwise.
    static func tags(of fields: FieldCollector, _ scanner: RecordScanner) -> [String?]? {
        var tags: [String?] = []
        tags.reserveCapacity(fields.count)
        var any = false
        for index in 0..<fields.count {
            let field = fields[index]
            if field.length == 0 { tags.append(nil); continue }
            let tag: String? = field.needsUnescape
                ? (scanner.unescaped(field) ?? []).withUnsafeBufferPointer { hashtag($0) }
                : hashtag(UnsafeBufferPointer(start: scanner.base + field.start, count: field.length))
            guard let tag else { return nil }
            tags.append(tag)
            any = true
        }
        return any ? tags : nil
    }

    /// For a row mostly of hashtags that is not a hashtag row (two or more, and more than
    /// half its non-empty fields, are tags): the first field that is not one, so a note can say why the row was
    /// loaded as data. A row with a hashtag or two among values (`#mali,1`) is plain data.
    static func firstNonTag(of fields: FieldCollector, _ scanner: RecordScanner) -> String? {
        var first: String? = nil
        var tagCount = 0, nonEmpty = 0
        for index in 0..<fields.count where fields[index].length > 0 {
            nonEmpty += 1
            let text = scanner.text(of: fields[index])
            if Array(text.utf8).withUnsafeBufferPointer({ hashtag($0) }) != nil { tagCount += 1 } else if first == nil { first = text }
        }
        return tagCount * 2 > nonEmpty && tagCount >= 2 ? first : nil
    }

    /// Whether a record might be a hashtag row: its first non-empty field starts with `#`.
    /// One byte is looked at for most records, so checking many costs little.
    static func mayBeTags(_ fields: FieldCollector, _ scanner: RecordScanner) -> Bool {
        for index in 0..<fields.count where fields[index].length > 0 {
            var p = fields[index].start
            let end = p + fields[index].length
            while p < end && (scanner.base[p] == 0x20 || scanner.base[p] == 0x09) { p += 1 }
            return p < end && scanner.base[p] == UInt8(ascii: "#")
        }
        return false
    }

    enum RowUnderHeader {
        /// An HXL row: its tags, and where the data starts.
        case tags([String?], end: Int)
        /// It starts like tags, but this field is not one: data, with a note.
        case partial(String)
        /// Tags, and so is the next line: a column of hashtags (`#mali`, `#sahel`) is data,
        /// since an HXL row is followed by data, never by more tags.
        case hashtagValues
        case none
    }

    /// What the line at `start` (the one under the header) is.
    static func rowUnderHeader(_ scanner: RecordScanner, at start: Int, columns: Int) -> RowUnderHeader {
        let row = FieldCollector()
        guard start < scanner.count, let end = try? scanner.scanRecord(at: start, into: row), row.count == columns,
              mayBeTags(row, scanner) else { return .none }
        guard let tags = tags(of: row, scanner) else { return firstNonTag(of: row, scanner).map(RowUnderHeader.partial) ?? .none }
        if end < scanner.count, let _ = try? scanner.scanRecord(at: end, into: row), row.count == columns,
           mayBeTags(row, scanner), self.tags(of: row, scanner) != nil {
            return .hashtagValues
        }
        return .tags(tags, end: end)
    }

    /// How many records after the header (and its HXL row) are looked at for a hashtag row in
    /// the wrong place: a title line above the header or a blank line above the tags puts it
    /// there, and it comes early.
    static let misplacedRowSearch = 1_000

    /// The offset of the first record among the first `misplacedRowSearch` from `start` that
    /// reads as a hashtag row of two tags or more with as many fields as the header, if any.
    static func misplacedRow(_ scanner: RecordScanner, from start: Int, columns: Int) -> Int? {
        let fields = FieldCollector()
        var p = start
        var records = 0
        while p < scanner.count && records < misplacedRowSearch {
            guard let end = try? scanner.scanRecord(at: p, into: fields) else { return nil }
            defer { p = end; records += 1 }
            // Two tags at least: a lone hashtag value (`#mali`) further down is only a value.
            if fields.count == columns && mayBeTags(fields, scanner),
               let tags = tags(of: fields, scanner), tags.count(where: { $0 != nil }) >= 2 { return p }
        }
        return nil
    }
}
