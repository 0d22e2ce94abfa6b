// Numbers and conversions. Integer overflow and a value that does not convert are errors
// at the call, never a wrong number: int(1e30) and int("x") fail, abs of the smallest Int
// fails. `bin` rounds numbers down to a multiple, and dates down to a calendar step.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension ScalarFunction {
    static let numbers: [ScalarFunction] = [round, abs, int, float, string, bin]

    public static let round = ScalarFunction(
        "round", family: .numbers, signature: "round(X[, DIGITS])",
        meaning: "half away from zero, to DIGITS after the point (negative: tens, hundreds)", example: "round(118 / 4.0, 1)",
        arity: 1...2, usage: "round(NUMBER) or round(NUMBER, DIGITS)", mayFail: true,
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0)], $0) } + CallForm.each(CallForm.numberTypes) { CallForm([.of($0), .digits], $0) },
        check: { call in
            try call.expect(0, "a number") { $0.isNumeric }
            if call.count == 2 {
                try call.expect(1, .int, "a whole number of digits")
                _ = try call.constant(1, .roundDigitsNotConstant)
            }
            return call.types[0] == .null ? .float : call.types[0]
        },
        evaluation: .columns { call in
            let input = call.columns[0], count = call.rowCount
            var digits: Int64 = 0
            if call.scalars.count > 1, case .int(let d)? = call.scalars[1] { digits = d }
            switch input.storage {
            case .float(let values):
                let clamped = Int(max(-308, min(308, digits)))
                let scale = pow10(clamped)
                let result = values.map { v -> Double in
                    guard v.isFinite else { return v }
                    let scaled = v * scale
                    guard scaled.isFinite else { return v }
                    return (scaled.rounded(.toNearestOrAwayFromZero)) / scale
                }
                return Column(type: .float, storage: .float(result), validity: input.validity, count: count)
            case .int(let values):
                if digits >= 0 { return input }
                if digits < -18 {
                    return Column(type: .int, storage: .int([Int64](repeating: 0, count: count)), validity: input.validity, count: count)
                }
                var unit: Int64 = 1
                for _ in 0..<(-digits) { unit *= 10 }
                var result = [Int64](repeating: 0, count: count)
                for row in 0..<count where !input.isNull(row) {
                    let v = values[row]
                    let remainder = v % unit
                    var base = v - remainder
                    if Swift.abs(remainder) * 2 >= unit {
                        let (next, overflow) = base.addingReportingOverflow(v < 0 ? -unit : unit)
                        if overflow { throw Diagnostic(.roundOverflow, at: call.range) }
                        base = next
                    }
                    result[row] = base
                }
                return Column(type: .int, storage: .int(result), validity: input.validity, count: count)
            default:
                return call.nulls()
            }
        },
        sql: { call throws(SQLError) in
            let first = try call.argument(0, as: .float)
            if call.types[0] == .int {
                guard call.count == 2, case .int(let digits)? = call.constants[1], digits < 0 else { return first }
                // To tens, hundreds, ...: half away from zero, as here; past 18 digits, 0.
                if digits < -18 { return "(\(first) * 0)" }
                switch call.dialect {
                case .postgres: return "CAST(round(CAST(\(first) AS NUMERIC), \(digits)) AS BIGINT)"
                case .duckdb: return "CAST(round(CAST(\(first) AS DECIMAL(38, 0)), \(digits)) AS BIGINT)"
                case .spark, .bigquery: throw call.refuse("round() of an Int to negative digits")
                }
            }
            let digits = call.count > 1 ? try call.argument(1, as: .float) : "0"
            if call.dialect == .postgres {
                return "CAST(round(CAST(\(first) AS NUMERIC), \(digits)) AS DOUBLE PRECISION)"
            }
            return "round(\(first), \(digits))"
        })

    public static let abs = ScalarFunction(
        "abs", family: .numbers, signature: "abs(X)", meaning: "the absolute value", example: "abs(-5)",
        arity: 1...1, usage: "abs(NUMBER)", mayFail: true,
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0)], $0) },
        check: { call in
            try call.expect(0, "a number") { $0.isNumeric }
            return call.types[0] == .null ? .int : call.types[0]
        },
        evaluation: .columns { call in
            let input = call.columns[0], count = call.rowCount
            switch input.storage {
            case .int(let values):
                var result = [Int64](repeating: 0, count: count)
                for row in 0..<count where !input.isNull(row) {
                    if values[row] == .min {
                        throw Diagnostic(.absOverflow(values[row]), at: call.range)
                    }
                    result[row] = Swift.abs(values[row])
                }
                return Column(type: .int, storage: .int(result), validity: input.validity, count: count)
            case .float(let values):
                return Column(type: .float, storage: .float(values.map { Swift.abs($0) }), validity: input.validity, count: count)
            default:
                return call.nulls()
            }
        },
        sql: { call throws(SQLError) in "abs(\(try call.argument(0, as: .float)))" })

    public static let int = ScalarFunction(
        "int", family: .numbers, signature: "int(X) -> Int",
        meaning: "a number toward zero, a whole-number text, or a Bool as 1 or 0; an error otherwise", example: "int(\"42\") + int(3.9)",
        arity: 1...1, usage: "int(VALUE)", mayFail: true,
        forms: CallForm.each([.int, .float, .bool]) { CallForm([.of($0)], .int) },
        check: { call in
            try call.expect(0, "a number, a string or a bool") { $0.isNumeric || $0 == .string || $0 == .bool }
            return .int
        },
        evaluation: .columns { call in try convertRows(call) },
        sql: { call throws(SQLError) in
            let first = try call.argument(0, as: .string)
            switch call.types[0] {
            // Spark's trunc is of dates only; its cast of a DOUBLE truncates toward zero.
            case .float where call.dialect == .spark: return "CAST(\(first) AS BIGINT)"
            case .float: return "CAST(trunc(\(first)) AS \(try call.dialect.typeName(.int)))"
            case .bool: return "(CASE WHEN \(first) THEN 1 WHEN NOT \(first) THEN 0 END)"
            default: return "CAST(\(first) AS \(try call.dialect.typeName(.int)))"
            }
        })

    public static let float = ScalarFunction(
        "float", family: .numbers, signature: "float(X) -> Float", meaning: "a number, a numeric text, or a Bool as a Float",
        example: "float(3)", arity: 1...1, usage: "float(VALUE)", mayFail: true,
        forms: CallForm.each([.int, .float, .bool]) { CallForm([.of($0)], .float) },
        check: { call in
            try call.expect(0, "a number, a string or a bool") { $0.isNumeric || $0 == .string || $0 == .bool }
            return .float
        },
        evaluation: .columns { call in try convertRows(call) },
        sql: { call throws(SQLError) in
            let first = try call.argument(0, as: .string)
            if call.types[0] == .bool { return "(CASE WHEN \(first) THEN 1.0 WHEN NOT \(first) THEN 0.0 END)" }
            return "CAST(\(first) AS \(try call.dialect.typeName(.float)))"
        })

    public static let string = ScalarFunction(
        "string", family: .numbers, signature: "string(X) -> String", meaning: "any value as text, as the table prints it",
        example: "string(@2011-10)", arity: 1...1, usage: "string(VALUE)",
        forms: CallForm.each(CallForm.valueTypes) { CallForm([.of($0)], .string) },
        check: { _ in .string },
        evaluation: .columns { call in try convertRows(call) },
        sql: { call throws(SQLError) in
            let first = try call.argument(0, as: .string)
            switch call.types[0] {
            case .int, .string, .null: return "CAST(\(first) AS \(try call.dialect.typeName(.string)))"
            case .bool: return "(CASE WHEN \(first) THEN 'true' WHEN NOT \(first) THEN 'false' END)"
            case .date:
                // Printed to its precision, which must be one for every value.
                let precisions = call.datePrecisions[0]
                guard precisions.coarsest == precisions.finest else {
                    throw call.refuse("string() of dates known to \(precisions) precision "
                                      + "(each is printed to its own, and SQL dates do not keep one)")
                }
                return try call.dialect.dateText(first, precisions.finest)
            default: throw call.refuse("string() of a \(call.types[0]) (SQL prints it differently)")
            }
        })

    public static let bin = ScalarFunction(
        "bin", family: .numbers, signature: "bin(NUMBER, SIZE) or bin(DATE, N days|weeks|months|years)",
        meaning: "rounded down to a multiple of SIZE: for histograms and time buckets (week bins start on Mondays)",
        example: "bin(@2020-05-17, 3 months)", arity: 2...2, usage: "bin(NUMBER, SIZE) or bin(DATE, 1 week)", mayFail: true, takesDurations: true,
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0), .size($0)], $0) } + [CallForm([.of(.date), .duration], .date)],
        check: { call in
            // A duration makes it a bin of dates, also of a null.
            if call.types[0] == .date || (call.types[0] == .null && call.durations[1] != nil) {
                guard let (n, unit) = call.durations[1] else {
                    throw call.error(.binOfDateNeedsDuration, at: 1,
                                     help: "for example: bin(event_date, 1 week), bin(event_date, 3 months)")
                }
                guard n >= 1 else { throw call.error(.binSizeBelowOne, at: 1) }
                call.appended.append((.string(unit.rawValue), .string))
                call.resultDatePrecisions = .only(binPrecision(unit))
                return .date
            }
            guard call.types[0].isNumeric || call.types[0] == .null else {
                throw call.error(.binNeeds(call.types[0]), at: 0)
            }
            if call.durations[1] != nil {
                throw call.error(.binOfNumberTakesNumber, at: 1)
            }
            guard call.types[1].isNumeric, let size = call.constants[1] else {
                throw call.error(.binSizeNotConstant, at: 1)
            }
            switch size {
            case .int(let n) where n > 0: break
            case .float(let x) where x > 0 && x.isFinite: break
            default: throw call.error(.binSizeNotPositive, at: 1)
            }
            let type = try call.common([0, 1])
            return type == .null ? .int : type
        },
        evaluation: .columns { call in try binColumn(call) },
        sql: { call throws(SQLError) in
            if call.types[0] == .date || call.count == 3 { return try binDateSQL(call) }
            let x = try call.argument(0, as: call.resultType), size = try call.argument(1)
            if call.resultType == .int { return "(\(x) - (((\(x) % \(size)) + \(size)) % \(size)))" }
            return "(floor(\(x) / \(size)) * \(size))"
        })

    /// The precision a bin of dates needs and gives: days for days and weeks.
    static func binPrecision(_ unit: DurationUnit) -> DatePrecision {
        unit == .month ? .month : unit == .year ? .year : .day
    }

    /// `bin(d, N unit)` in SQL, by the same arithmetic as the kernel: days and weeks counted
    /// from 1970-01-01 and from Monday 1970-01-05, months from January of the year 0.
    static func binDateSQL(_ call: SQLFunctionCall) throws(SQLError) -> String {
        guard call.count == 3, case .int(let n)? = call.constants[1], case .string(let unitName)? = call.constants[2],
              let unit = DurationUnit(rawValue: unitName) else { return "CAST(NULL AS DATE)" }
        let dialect = call.dialect
        return try call.needing(binPrecision(unit)) { () throws(SQLError) in
            let date = try call.argument(0, as: .date)
            switch unit {
            case .day:
                if n == 1 { return date }
                let days = dialect.epochDay(date)
                return dialect.dateOfEpochDay("(\(days) - \(dialect.floorModulo(days, n)))")
            case .week:
                let monday = dialect.truncate(date, to: .week)
                if n == 1 { return monday }
                // Whole weeks since Monday 1970-01-05 (the difference is a multiple of 7).
                let weeks = dialect.integerDivision("(\(dialect.epochDay(monday)) - 4)", 7)
                return dialect.dateOfEpochDay("(4 + 7 * (\(weeks) - \(dialect.floorModulo(weeks, n))))")
            case .month:
                if n == 1 { return dialect.truncate(date, to: .month) }
                let months = "(\(try dialect.datePart(.year, of: date)) * 12 + \(try dialect.datePart(.month, of: date)) - 1)"
                let binned = "(\(months) - \(dialect.floorModulo(months, n)))"
                return dialect.makeDate(year: dialect.integerDivision(binned, 12), month: "(\(dialect.floorModulo(binned, 12)) + 1)")
            case .year:
                if n == 1 { return dialect.truncate(date, to: .year) }
                // Not GREATEST, which passes over a null in most dialects.
                let year = try dialect.datePart(.year, of: date), binned = "(\(year) - \(dialect.floorModulo(year, n)))"
                return dialect.makeDate(year: "(CASE WHEN \(binned) < 1 THEN 1 ELSE \(binned) END)", month: "1")
            }
        }
    }

    // MARK: Kernels

    /// int, float and string, row by row: conversions are for small results and odd columns.
    static func convertRows(_ call: KernelCall) throws -> Column {
        var builder = ColumnBuilder(type: call.resultType, capacity: call.rowCount)
        for row in 0..<call.rowCount {
            try call.poll(row)
            builder.append(try convert(call.columns[0].value(at: row), to: call.function, call.range))
        }
        return builder.finish()
    }

    /// One conversion. A Float that is not finite or out of Int's range, and text that is not
    /// a number, are errors: a wrong number is worse than no number.
    static func convert(_ value: Value, to function: ScalarFunction, _ range: SourceRange) throws -> Value {
        if value.isNull { return .null }
        if function == .string { return .string(value.description) }
        switch (function == .int, value) {
        case (true, .int), (false, .float):
            return value
        case (true, .bool(let b)):
            return .int(b ? 1 : 0)
        case (false, .bool(let b)):
            return .float(b ? 1 : 0)
        case (false, .int(let v)):
            return .float(Double(v))
        case (true, .float(let d)):
            guard d.isFinite, d > -9_223_372_036_854_775_809.0, d < 9_223_372_036_854_775_808.0 else {
                throw Diagnostic(.intOfFloatOverflow(formatFloat(d)), at: range)
            }
            return .int(Int64(d.rounded(.towardZero)))
        case (true, .string(let s)):
            // Asked for explicitly, "007" is 7 (inference keeps such codes as text).
            var text = s.trimmingCharacters(in: " \t")
            let sign = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.removeFirst()) : ""
            while text.count > 1 && text.hasPrefix("0") { text.removeFirst() }
            text = sign + text
            if let v = text.withUTF8({ $0.isEmpty ? nil : FieldParsers.int($0.baseAddress!, $0.count) }) { return .int(v) }
            throw Diagnostic(.notAWholeNumber(s.prefix(40)), at: range,
                                   help: "coalesce over a condition, or clean the column first")
        case (false, .string(let s)):
            var text = s.trimmingCharacters(in: " \t")
            if let v = text.withUTF8({ $0.isEmpty ? nil : FieldParsers.float($0.baseAddress!, $0.count) }) { return .float(v) }
            throw Diagnostic(.notANumber(s.prefix(40)), at: range)
        default:
            return .null
        }
    }

    /// `bin(x, size)` for numbers (down to a multiple of size) and `bin(d, n, unit)` for dates.
    static func binColumn(_ call: KernelCall) throws -> Column {
        let columns = call.columns, count = call.rowCount, range = call.range
        if case .date(let days, let precision) = columns[0].storage {
            guard call.scalars.count == 3, case .int(let n64)? = call.scalars[1], case .string(let unitName)? = call.scalars[2],
                  let unit = DurationUnit(rawValue: unitName) else { return call.nulls() }
            let n = Int(clamping: n64)
            let needed: DatePrecision = unit == .month ? .month : unit == .year ? .year : .day
            var result = [Int32](repeating: 0, count: count), bits = Bitmap(count: count, allValid: true)
            for row in 0..<count {
                if columns[0].isNull(row) || precision[row] < needed { bits[row] = false; continue }
                let day = Int(days[row])
                var start: Int
                switch unit {
                case .day: start = day - ((day % n) + n) % n
                case .week:
                    // Weeks counted from Monday 1970-01-05, so every bin starts on a Monday.
                    let weeks = (DateArithmetic.monday(day) - 4) / 7
                    start = 4 + 7 * (weeks - ((weeks % n) + n) % n)
                case .month:
                    let (y, m, _) = DateValue.civil(fromDays: day)
                    let months = y * 12 + m - 1
                    let binned = months - months % n
                    start = DateValue.daysFromCivil(year: binned / 12, month: binned % 12 + 1, day: 1)
                case .year:
                    let (y, _, _) = DateValue.civil(fromDays: day)
                    start = DateValue.daysFromCivil(year: max(1, y - y % n), month: 1, day: 1)
                }
                result[row] = Int32(max(DateArithmetic.dayRange.lowerBound, start))
            }
            let outputPrecision: DatePrecision = unit == .month ? .month : unit == .year ? .year : .day
            return Column(type: .date, storage: .date(days: result, precision: [DatePrecision](repeating: outputPrecision, count: count)),
                          validity: bits, count: count)
        }
        let validity = Bitmap.and(columns[0].validity, columns[1].validity)
        switch (columns[0].storage, columns[1].storage) {
        case (.int(let x), .int(let size)):
            var result = [Int64](repeating: 0, count: count)
            for row in 0..<count where validity?[row] ?? true {
                var remainder = x[row] % size[row]
                if remainder < 0 { remainder += size[row] }
                let (start, overflow) = x[row].subtractingReportingOverflow(remainder)
                if overflow { throw Diagnostic(.binBelowSmallestInt(x[row]), at: range) }
                result[row] = start
            }
            return Column(type: .int, storage: .int(result), validity: validity, count: count)
        case (.float(let x), .float(let size)):
            var result = [Double](repeating: 0, count: count)
            for row in 0..<count where validity?[row] ?? true {
                result[row] = (x[row] / size[row]).rounded(.down) * size[row]
            }
            return Column(type: .float, storage: .float(result), validity: validity, count: count)
        default:
            return call.nulls()
        }
    }
}
