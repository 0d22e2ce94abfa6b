// Dates with a precision. The briefing says "October 2011" and "2013", not a day, so a date
// is a day number (days since 1970-01-01, the first day of the period it names) plus how
// precisely it is known. `2011-10` prints as `2011-10`, never as an invented `2011-10-01`.

public enum DatePrecision: UInt8, Sendable, Comparable {
    case year = 0, month = 1, day = 2

    public static func < (a: DatePrecision, b: DatePrecision) -> Bool { a.rawValue < b.rawValue }
}

public struct DateValue: Sendable, Hashable, CustomStringConvertible {
    /// Days since 1970-01-01 of the first day of the period.
    public var days: Int32
    public var precision: DatePrecision

    public init(days: Int32, precision: DatePrecision) {
        self.days = days
        self.precision = precision
    }

    /// A date from its parts, or nil when they are not a real date (month 13, 31 April).
    public init?(year: Int, month: Int = 1, day: Int = 1, precision: DatePrecision = .day) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= DateValue.daysInMonth(year: year, month: month) else { return nil }
        self.days = Int32(DateValue.daysFromCivil(year: year, month: month, day: day))
        self.precision = precision
    }

    public var parts: (year: Int, month: Int, day: Int) { DateValue.civil(fromDays: Int(days)) }

    public var description: String {
        let (y, m, d) = parts
        let year = String(y).leftPadded(to: 4)
        switch precision {
        case .year: return year
        case .month: return "\(year)-\(String(m).leftPadded(to: 2))"
        case .day: return "\(year)-\(String(m).leftPadded(to: 2))-\(String(d).leftPadded(to: 2))"
        }
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    package static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses `2013-04-01`, `2011-10` or `2013` (the text after `@` in a literal).
    public static func parseISO(_ text: Substring) -> DateValue? {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count), fields[0].count == 4,
              fields.dropFirst().allSatisfy({ $0.count == 2 }),
              fields.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(fields[0]) else { return nil }
        let month = fields.count > 1 ? Int(fields[1]) ?? 0 : 1
        let day = fields.count > 2 ? Int(fields[2]) ?? 0 : 1
        let precision: DatePrecision = fields.count == 1 ? .year : fields.count == 2 ? .month : .day
        return DateValue(year: year, month: month, day: day, precision: precision)
    }
}

extension String {
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
