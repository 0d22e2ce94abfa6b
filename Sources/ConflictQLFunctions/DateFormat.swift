// The formats of `parse_date`: strptime's directives for what conflict data writes (%Y, %m,
// %d, %b, %B, %%), every other character matched as written. A format is read once, when
// the query is checked, so a bad directive is an error before any row; a date is as
// precise as its format (no %d: a month, no %m either: a year).

import ConflictQLCore

package struct DateFormat: Sendable {
    package struct FormatError: Error { package let message: String }

    enum Piece: Sendable, Equatable {
        case year, month, day, monthName, literal(UInt8)
    }

    let pieces: [Piece]
    let precision: DatePrecision

    package var hasMonthName: Bool { pieces.contains(.monthName) }

    package init(_ text: String) throws(FormatError) {
        var pieces: [Piece] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "%") else { pieces.append(.literal(bytes[i])); i += 1; continue }
            guard i + 1 < bytes.count else { throw FormatError(message: "the format ends in a lone '%'") }
            switch bytes[i + 1] {
            case UInt8(ascii: "Y"): pieces.append(.year)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "d"), UInt8(ascii: "e"): pieces.append(.day)
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "h"): pieces.append(.monthName)
            case UInt8(ascii: "%"): pieces.append(.literal(UInt8(ascii: "%")))
            default:
                let directive = String(decoding: bytes[i...(i + 1)], as: UTF8.self)
                throw FormatError(message: "'\(directive)' is not a date directive")
            }
            i += 2
        }
        let fields = pieces.filter { $0 != .monthName && { if case .literal = $0 { return false } else { return true } }($0) }
        guard pieces.contains(.year) else { throw FormatError(message: "the format has no year (%Y)") }
        guard Set(fields.map { "\($0)" }).count == fields.count, pieces.filter({ $0 == .monthName || $0 == .month }).count <= 1 else {
            throw FormatError(message: "a part of the date appears twice")
        }
        let hasMonth = pieces.contains(.month) || pieces.contains(.monthName)
        if pieces.contains(.day) && !hasMonth { throw FormatError(message: "the format has a day (%d) but no month") }
        self.pieces = pieces
        self.precision = pieces.contains(.day) ? .day : hasMonth ? .month : .year
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                             "october", "november", "december"]

    /// The text as a date of this format, or nil when it is not one (or no such day exists).
    package func parse(_ text: String) -> DateValue? {
        let bytes = Array(text.utf8)
        var i = 0, year = 0, month = 1, day = 1
        func number(_ most: Int) -> Int? {
            var value = 0, digits = 0
            while digits < most, i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                value = value * 10 + Int(bytes[i] - 48)
                i += 1
                digits += 1
            }
            return digits == 0 ? nil : value
        }
        for piece in pieces {
            switch piece {
            case .literal(let byte):
                guard i < bytes.count, bytes[i] == byte else { return nil }
                i += 1
            case .year:
                guard let v = number(4) else { return nil }
                year = v
            case .month:
                guard let v = number(2) else { return nil }
                month = v
            case .day:
                guard let v = number(2) else { return nil }
                day = v
            case .monthName:
                var end = i
                while end < bytes.count, (bytes[end] | 0x20) >= 97, (bytes[end] | 0x20) <= 122 { end += 1 }
                let word = String(decoding: bytes[i..<end], as: UTF8.self).lowercased()
                guard word.count >= 3, let found = Self.monthNames.firstIndex(where: { $0 == word || ($0.hasPrefix(word) && word.count == 3) })
                else { return nil }
                month = found + 1
                i = end
            }
        }
        guard i == bytes.count, (1...9999).contains(year), (1...12).contains(month),
              (1...DateValue.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        return DateValue(year: year, month: month, day: day, precision: precision)
    }
}
