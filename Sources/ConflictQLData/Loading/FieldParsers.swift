// Reading typed values straight from the bytes of a field, without making a String: the
// loaders call these millions of times. Each returns nil when the bytes are not a value of
// that type, which is how type inference decides.

import ConflictQLCore
import ConflictQLSyntax

package enum FieldParsers {
    /// An optional sign and decimal digits that fit in Int64. A leading zero is allowed only
    /// for "0" itself, so codes such as "0123" stay text.
    @inline(__always)
    package static func int(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard count > 0 else { return nil }
        let (negative, start) = sign(p)
        var i = start
        guard count > i else { return nil }
        if p[i] == UInt8(ascii: "0") && count - i > 1 { return nil }
        guard count - i <= 19 else { return nil }
        var value: Int64 = 0
        while i < count {
            let digit = p[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            if o1 || o2 { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// Whether the number part starts with a zero followed by a digit (`007`, `-01001`): an
    /// identifier-like code, which inference keeps as text (`0`, `0.5` and `-0.5` are numbers).
    @inline(__always)
    static func hasLeadingZero(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count > 0 else { return false }
        let start = sign(p).start
        return count > start + 1 && p[start] == UInt8(ascii: "0") && p[start + 1] &- UInt8(ascii: "0") < 10
    }

    /// A number that inference may read as a Float: not a code with a leading zero, and not an
    /// integer that a Float would round (9007199254740993); those stay exact as text.
    @inline(__always)
    static func inferredFloat(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        if let value = plainDecimal(p, count) { return value }
        guard count > 0, !hasLeadingZero(p, count) else { return nil }
        var isInteger = true
        for i in sign(p).start..<count where p[i] &- UInt8(ascii: "0") >= 10 { isInteger = false; break }
        if isInteger {
            guard let v = int(p, count), isExactAsFloat(v) else { return nil }
            return Double(v)
        }
        return float(p, count)
    }

    /// The common decimal, `-12.345`, in one pass: an optional '-', digits (no leading zero
    /// before another digit), '.', digits, at most 15 digits in all. The mantissa and the
    /// power of ten are then exact and their quotient correctly rounded, which is what
    /// `float` computes for it; nil for anything else, which the general paths read.
    @inline(__always)
    static func plainDecimal(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        guard count >= 3 && count <= 17 else { return nil }
        let negative = p[0] == UInt8(ascii: "-")
        var i = negative ? 1 : 0
        let integerStart = i
        var mantissa: UInt64 = 0
        while i < count, case let digit = p[i] &- UInt8(ascii: "0"), digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        let integerDigits = i - integerStart
        guard integerDigits > 0, i < count, p[i] == UInt8(ascii: "."),
              integerDigits == 1 || p[integerStart] != UInt8(ascii: "0") else { return nil }
        i += 1
        let fractionStart = i
        while i < count, case let digit = p[i] &- UInt8(ascii: "0"), digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        let fractionDigits = i - fractionStart
        guard i == count, fractionDigits > 0, integerDigits + fractionDigits <= 15 else { return nil }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    /// A leading '-' or '+': whether the number is negative, and where its digits start.
    @inline(__always)
    static func sign(_ p: UnsafePointer<UInt8>) -> (negative: Bool, start: Int) {
        if p[0] == UInt8(ascii: "-") { return (true, 1) }
        if p[0] == UInt8(ascii: "+") { return (false, 1) }
        return (false, 0)
    }

    static let powersOfTen: [Double] = (0...22).map { pow10($0) }

    /// A decimal number: digits with an optional '.', fraction and exponent. Exact for the
    /// usual case (at most 15 significant digits, small exponent): the integer mantissa divided
    /// by an exact power of ten is correctly rounded. Otherwise the standard library parses it.
    @inline(__always)
    package static func float(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        guard count > 0 else { return nil }
        let (negative, start) = sign(p)
        var i = start
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var fractionDigits = 0
        var seenDot = false
        var exponent = 0
        var sawExponent = false
        while i < count {
            let c = p[i]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c - UInt8(ascii: "0"))
                    if mantissa > 0 { significant += 1 }
                    if seenDot { fractionDigits += 1 }
                } else if !seenDot {
                    exponent += 1
                }
                digits += 1
            } else if c == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                sawExponent = true
                break
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if sawExponent {
            i += 1
            var exponentNegative = false
            if i < count && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count else { return nil }
            var value = 0
            while i < count {
                let digit = p[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                if value < 100_000 { value = value * 10 + Int(digit) }
                i += 1
            }
            exponent += exponentNegative ? -value : value
        }
        let scale = exponent - fractionDigits
        if significant <= 15 && scale >= -22 && scale <= 22 {
            var result = Double(mantissa)
            result = scale < 0 ? result / powersOfTen[-scale] : result * powersOfTen[scale]
            return negative ? -result : result
        }
        // The rare long or extreme number: let the standard library round it.
        let text = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    @inline(__always)
    static func bool(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool? {
        func lower(_ c: UInt8) -> UInt8 { c | 0x20 }
        if count == 4 && lower(p[0]) == UInt8(ascii: "t") && lower(p[1]) == UInt8(ascii: "r")
            && lower(p[2]) == UInt8(ascii: "u") && lower(p[3]) == UInt8(ascii: "e") { return true }
        if count == 5 && lower(p[0]) == UInt8(ascii: "f") && lower(p[1]) == UInt8(ascii: "a")
            && lower(p[2]) == UInt8(ascii: "l") && lower(p[3]) == UInt8(ascii: "s") && lower(p[4]) == UInt8(ascii: "e") { return false }
        return nil
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]

    /// ISO `2020-07-31` (day precision), or ACLED's `31 December 2020`.
    @inline(__always)
    package static func date(_ p: UnsafePointer<UInt8>, _ count: Int) -> DateValue? {
        if count == 10 && p[4] == UInt8(ascii: "-") && p[7] == UInt8(ascii: "-") {
            guard let year = digits(p, 0, 4), let month = digits(p, 5, 2), let day = digits(p, 8, 2) else { return nil }
            return DateValue(year: year, month: month, day: day)
        }
        // `31 December 2020`, `1 March 2013`
        guard count >= 10 && count <= 17 else { return nil }
        var i = 0
        var day = 0
        while i < count && i < 2, let d = Optional(p[i] &- UInt8(ascii: "0")), d < 10 { day = day * 10 + Int(d); i += 1 }
        guard i > 0, i < count, p[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        let monthStart = i
        while i < count && p[i] != UInt8(ascii: " ") { i += 1 }
        guard i < count, i - monthStart >= 3 else { return nil }
        let name = String(decoding: UnsafeBufferPointer(start: p + monthStart, count: i - monthStart), as: UTF8.self).lowercased()
        guard let month = monthNames.firstIndex(of: name) else { return nil }
        i += 1
        guard count - i == 4, let year = digits(p, i, 4) else { return nil }
        return DateValue(year: year, month: month + 1, day: day)
    }

    /// A value of a Float column: also `inf`, `-inf` and `nan`, as the language writes them,
    /// so its own output loads back. Inference keeps to `float`: a column of the word `nan` is
    /// text unless it is declared Float.
    @inline(__always)
    static func floatOrNonFinite(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        if let value = float(p, count) { return value }
        switch String(decoding: UnsafeBufferPointer(start: p, count: min(count, 4)), as: UTF8.self) {
        case "inf" where count == 3: return .infinity
        case "-inf" where count == 4: return -.infinity
        case "nan" where count == 3: return .nan
        default: return nil
        }
    }

    /// A value of a Date column: also ISO `2011-10` and `2013`, the month and year dates the
    /// language writes, so its own output loads back. Inference keeps to `date`: a column of
    /// `2013`s is a column of years, not of dates, unless it is declared Date.
    @inline(__always)
    static func dateOfAnyPrecision(_ p: UnsafePointer<UInt8>, _ count: Int) -> DateValue? {
        if count == 4, let year = digits(p, 0, 4) { return DateValue(year: year, precision: .year) }
        if count == 7 && p[4] == UInt8(ascii: "-"), let year = digits(p, 0, 4), let month = digits(p, 5, 2) {
            return DateValue(year: year, month: month, precision: .month)
        }
        return date(p, count)
    }

    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ start: Int, _ length: Int) -> Int? {
        var value = 0
        for i in start..<(start + length) {
            let d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }
}
