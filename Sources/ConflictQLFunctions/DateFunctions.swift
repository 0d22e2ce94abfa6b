// The date functions. A date keeps its precision (a day, a month or a year), and a
// function that needs more than the date has gives null, never an invented day: day() of
// a month is null, a month added to a year is null. SQL dates do not keep precision; what
// depends on it compiles when the checker knows the precision of every value of the
// argument (Core/Foundation/DatePrecisions.swift): a column of days, `to_month(d)`. Each
// check says the precisions of the dates it gives, and each `sql:` asks `call.needing`.
// Weeks are ISO weeks from Monday in every dialect (date_trunc('week'), Spark's trunc
// 'WEEK', BigQuery's ISOWEEK).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension ScalarFunction {
    static let dates: [ScalarFunction] = [
        year, month, day, quarter, weekday, to_month, to_year, to_week, week,
        add_days, add_months, add_years, days_between, from_unixtime, parse_date,
    ]

    public static let year = datePart("year", .year, meaning: "the year of a date", example: "year(@2013-04-01)") { $0.year }
    public static let month = datePart("month", .month, meaning: "the month, 1 to 12; null when the date is known only to the year",
                                       example: "month(@2013-04)") { $0.month }
    public static let day = datePart("day", .day, meaning: "the day of the month; null when the date is known only to the month or year",
                                     example: "day(@2013-04-01)") { $0.day }
    public static let quarter = datePart("quarter", .month, meaning: "the quarter, 1 to 4 (January to March is 1); null when the date is known only to the year",
                                         example: "quarter(@2013-08)") { ($0.month - 1) / 3 + 1 }
    public static let weekday = datePart("weekday", .day, meaning: "the ISO day of the week, Monday 1 to Sunday 7; null for a date not known to the day",
                                         example: "weekday(@2013-01-11)") { parts in
        let days = DateValue.daysFromCivil(year: parts.year, month: parts.month, day: parts.day)
        return DateArithmetic.weekday(days)
    }

    public static let to_month = dateCut("to_month", .month, meaning: "the date cut to its month (2020-03); null for a date known only to the year",
                                         example: "to_month(@2020-03-15)")
    public static let to_year = dateCut("to_year", .year, meaning: "the date cut to its year", example: "to_year(@2020-03-15)")

    public static let to_week = ScalarFunction(
        "to_week", family: .dates, signature: "to_week(DATE) -> Date",
        meaning: "the Monday of the date's ISO week; null for a date not known to the day", example: "to_week(@2021-01-03)",
        arity: 1...1, usage: "to_week(DATE)",
        forms: [CallForm([.of(.date)], .date)],
        check: { call in try call.expect(0, .date, "a date"); call.resultDatePrecisions = .only(.day); return .date },
        evaluation: .columns { call in try isoWeek(call, number: false) },
        sql: { call throws(SQLError) in
            try call.needing(.day) { () throws(SQLError) in call.dialect.truncate(try call.argument(0, as: .date), to: .week) }
        })

    public static let week = ScalarFunction(
        "week", family: .dates, signature: "week(DATE) -> Int",
        meaning: "the ISO week number, 1 to 53 (the week belongs to the year of its Thursday)", example: "week(@2021-01-03)",
        arity: 1...1, usage: "week(DATE)",
        forms: [CallForm([.of(.date)], .int)],
        check: { call in try call.expect(0, .date, "a date"); return .int },
        evaluation: .columns { call in try isoWeek(call, number: true) },
        sql: { call throws(SQLError) in
            try call.needing(.day) { () throws(SQLError) in try call.dialect.datePart(.week, of: try call.argument(0, as: .date)) }
        })

    public static let add_days = dateShift("add_days", unit: "days", needs: .day,
                                           signature: "add_days(DATE, N) -> Date, also DATE + N days",
                                           meaning: "the date N days later (N may be negative); null for a date not known to the day",
                                           example: "@2015-06-20 + 30 days")
    public static let add_months = dateShift("add_months", unit: "months", needs: .month,
                                             signature: "add_months(DATE, N) -> Date, also DATE + N months",
                                             meaning: "N months later; the day is clamped at the month's end (Jan 31 + 1 month is Feb 28 or 29); null for a date known only to the year",
                                             example: "@2020-01-31 + 1 month")
    public static let add_years = dateShift("add_years", unit: "years", needs: .year,
                                            signature: "add_years(DATE, N) -> Date, also DATE + N years",
                                            meaning: "N years later, keeping the date's precision; Feb 29 becomes Feb 28",
                                            example: "@2020-02-29 + 1 year")

    public static let days_between = ScalarFunction(
        "days_between", family: .dates, signature: "days_between(FROM, TO) -> Int, also TO - FROM",
        meaning: "the days from one date to another; null unless both are known to the day", example: "@2015-07-20 - @2015-06-20",
        arity: 2...2, usage: "days_between(FROM, TO)",
        forms: [CallForm([.of(.date), .of(.date)], .int)],
        check: { call in
            try call.expect(0, .date, "a date")
            try call.expect(1, .date, "a date")
            return .int
        },
        evaluation: .columns { call in
            let columns = call.columns, count = call.rowCount
            guard case .date(let a, let pa) = columns[0].storage, case .date(let b, let pb) = columns[1].storage else { return call.nulls() }
            var result = [Int64](repeating: 0, count: count), bits = Bitmap(count: count, allValid: true)
            for row in 0..<count {
                if columns[0].isNull(row) || columns[1].isNull(row) || pa[row] < .day || pb[row] < .day { bits[row] = false; continue }
                result[row] = Int64(b[row]) - Int64(a[row])
            }
            return Column(type: .int, storage: .int(result), validity: bits, count: count)
        },
        sql: { call throws(SQLError) in
            try call.needing(.day, of: [0, 1]) { () throws(SQLError) in
                let from = try call.argument(0, as: .date), to = try call.argument(1, as: .date)
                switch call.dialect {
                case .duckdb, .postgres: return "CAST((\(to) - \(from)) AS BIGINT)"
                case .spark: return "CAST(datediff(\(to), \(from)) AS BIGINT)"
                case .bigquery: return "DATE_DIFF(\(to), \(from), DAY)"
                }
            }
        })

    /// ACLED's `timestamp` column: seconds since 1970-01-01 UTC, as the day they fall on.
    public static let from_unixtime = ScalarFunction(
        "from_unixtime", family: .dates, signature: "from_unixtime(SECONDS) -> Date",
        meaning: "the UTC day of a Unix time, seconds since 1970-01-01 (ACLED's timestamp column); an error outside the years 1 to 9999",
        example: "from_unixtime(1618241234)",
        arity: 1...1, usage: "from_unixtime(SECONDS)", mayFail: true,
        forms: [CallForm([.of(.int)], .date)],
        check: { call in try call.expect(0, .int, "a whole number of seconds"); call.resultDatePrecisions = .only(.day); return .date },
        evaluation: .columns { call in
            let input = call.columns[0], count = call.rowCount
            guard case .int(let seconds) = input.storage else { return call.nulls() }
            var days = [Int32](repeating: 0, count: count)
            for row in 0..<count where !input.isNull(row) {
                let (day, _) = seconds[row].quotientAndRemainder(dividingBy: 86_400)
                let floored = seconds[row] < 0 && seconds[row] % 86_400 != 0 ? day - 1 : day
                guard DateArithmetic.dayRange.contains(Int(floored)) else {
                    throw Diagnostic(.unixTimeOutOfRange(seconds[row]), at: call.range)
                }
                days[row] = Int32(floored)
            }
            return Column(type: .date, storage: .date(days: days, precision: [DatePrecision](repeating: .day, count: count)),
                          validity: input.validity, count: count)
        },
        sql: { call throws(SQLError) in
            let seconds = try call.argument(0, as: .int), float = try call.dialect.typeName(.float)
            let days = "CAST(floor(CAST(\(seconds) AS \(float)) / 86400) AS \(call.dialect == .bigquery ? "INT64" : "INTEGER"))"
            switch call.dialect {
            case .duckdb, .postgres: return "(DATE '1970-01-01' + \(days))"
            case .spark: return "date_add(DATE '1970-01-01', \(days))"
            case .bigquery: return "DATE_ADD(DATE '1970-01-01', INTERVAL \(days) DAY)"
            }
        })

    /// Text dates in other layouts: `parse_date("12/03/2020", "%d/%m/%Y")`.
    public static let parse_date = ScalarFunction(
        "parse_date", family: .dates, signature: "parse_date(TEXT, FORMAT) -> Date",
        meaning: "text read as a date in a strptime-style FORMAT: %Y year, %m month, %d day, %b or %B month name, %% a percent sign; the date is as precise as the format (no %d: a month); an error for text not in the format",
        example: "parse_date(\"12/03/2020\", \"%d/%m/%Y\")",
        arity: 2...2, usage: "parse_date(TEXT, \"%d/%m/%Y\")", mayFail: true,
        forms: [],
        check: { call in
            try call.expect(0, .string, "text")
            guard case .string(let text)? = call.constants[1] else {
                if call.constants[1] == .null { return .date }
                throw call.error(.formatNotConstant, at: 1,
                                 help: "for example: parse_date(date_text, \"%d/%m/%Y\")")
            }
            do { call.resultDatePrecisions = .only(try DateFormat(text).precision) } catch let error as DateFormat.FormatError {
                throw call.error(.invalidDateFormat(error.message), at: 1,
                                 help: "directives are %Y, %m, %d, %b, %B and %%")
            }
            return .date
        },
        evaluation: .columns { call in
            guard case .string(let formatText)? = call.scalars[1], let format = try? DateFormat(formatText) else { return call.nulls() }
            return try overStrings(call) { text, _ in
                guard let date = format.parse(text) else {
                    throw Diagnostic(.notADateInFormat(text.prefix(40), formatText), at: call.range,
                                           help: "clean the column first, or keep only the rows that match: where TEXT matches r\"...\"")
                }
                return .date(date)
            }
        },
        sql: { call throws(SQLError) in
            guard case .string(let formatText)? = call.constants[1], let format = try? DateFormat(formatText) else {
                return "CAST(NULL AS DATE)"
            }
            let text = try call.argument(0, as: .string), quoted = call.dialect.string(formatText)
            switch call.dialect {
            case .duckdb: return "CAST(strptime(\(text), \(quoted)) AS DATE)"
            case .bigquery:
                if format.hasMonthName { throw call.refuse("parse_date() with a month name (BigQuery reads names by its locale)") }
                return "PARSE_DATE(\(quoted), \(text))"
            case .postgres, .spark:
                throw call.refuse("parse_date() (its date formats accept other text than ConflictQL's)")
            }
        })

    // MARK: Families of alike functions

    /// A part of a date as an Int, null where the date is less precise than `needs`.
    static func datePart(_ name: String, _ needs: DatePrecision, meaning: String, example: String,
                         _ part: @escaping @Sendable ((year: Int, month: Int, day: Int)) -> Int) -> ScalarFunction {
        ScalarFunction(
            name, family: .dates, signature: "\(name)(DATE) -> Int", meaning: meaning, example: example,
            arity: 1...1, usage: "\(name)(DATE)",
            forms: [CallForm([.of(.date)], .int)],
            check: { call in try call.expect(0, .date, "a date"); return .int },
            evaluation: .columns { call in
                let input = call.columns[0], count = call.rowCount
                guard case .date(let days, let precision) = input.storage else { return call.nulls() }
                var result = [Int64](repeating: 0, count: count)
                var bits = Bitmap(count: count, allValid: true)
                for row in 0..<count {
                    if input.isNull(row) || precision[row] < needs { bits[row] = false; continue }
                    let (y, m, d) = DateValue.civil(fromDays: Int(days[row]))
                    result[row] = Int64(part((y, m, d)))
                }
                return Column(type: .int, storage: .int(result), validity: bits, count: count)
            },
            sql: { call throws(SQLError) in
                try call.needing(needs) { () throws(SQLError) in
                    try call.dialect.datePart(DateSQLPart(rawValue: name)!, of: try call.argument(0, as: .date))
                }
            })
    }

    /// A date cut to its month or year.
    static func dateCut(_ name: String, _ target: DatePrecision, meaning: String, example: String) -> ScalarFunction {
        ScalarFunction(
            name, family: .dates, signature: "\(name)(DATE) -> Date", meaning: meaning, example: example,
            arity: 1...1, usage: "\(name)(DATE)",
            forms: [CallForm([.of(.date)], .date)],
            check: { call in try call.expect(0, .date, "a date"); call.resultDatePrecisions = .only(target); return .date },
            evaluation: .columns { call in
                let input = call.columns[0], count = call.rowCount
                guard case .date(let days, let precision) = input.storage else { return call.nulls() }
                var newDays = [Int32](repeating: 0, count: count)
                var newPrecision = [DatePrecision](repeating: target, count: count)
                var bits = input.validity ?? Bitmap(count: count, allValid: true)
                for row in 0..<count {
                    // A date less precise than asked (a year, cut to a month) has no such month: null.
                    if precision[row] < target { bits[row] = false; newPrecision[row] = precision[row]; continue }
                    let (y, m, _) = DateValue.civil(fromDays: Int(days[row]))
                    newDays[row] = Int32(DateValue.daysFromCivil(year: y, month: target == .month ? m : 1, day: 1))
                }
                return Column(type: .date, storage: .date(days: newDays, precision: newPrecision), validity: bits, count: count)
            },
            sql: { call throws(SQLError) in
                try call.needing(target) { () throws(SQLError) in
                    call.dialect.truncate(try call.argument(0, as: .date), to: target == .year ? .year : .month)
                }
            })
    }

    /// A date moved by N days, months or years (month ends clamp).
    static func dateShift(_ name: String, unit: String, needs: DatePrecision, signature: String, meaning: String,
                          example: String) -> ScalarFunction {
        ScalarFunction(
            name, family: .dates, signature: signature, meaning: meaning, example: example,
            arity: 2...2, usage: "\(name)(DATE, N)", mayFail: true,
            forms: [CallForm([.of(.date), .of(.int)], .date)],
            check: { call in
                try call.expect(0, .date, "a date")
                try call.expect(1, .int, "a whole number")
                call.resultDatePrecisions = shifted(call.datePrecisions[0], needs: needs)
                return .date
            },
            evaluation: .columns { call in
                let columns = call.columns, count = call.rowCount
                guard case .date(let days, let precision) = columns[0].storage, case .int(let amounts) = columns[1].storage else { return call.nulls() }
                var result = [Int32](repeating: 0, count: count), bits = Bitmap(count: count, allValid: true)
                for row in 0..<count {
                    if columns[0].isNull(row) || columns[1].isNull(row) { bits[row] = false; continue }
                    // Days added to a date known to the month are unknown days: null, not a guess.
                    if precision[row] < needs { bits[row] = false; continue }
                    guard let moved = DateArithmetic.shift(Int(days[row]), by: amounts[row], needs) else {
                        throw Diagnostic(.dateSumOutOfRange(DateValue(days: days[row], precision: precision[row]), amounts[row], unit),
                                               at: call.range)
                    }
                    result[row] = Int32(moved)
                }
                return Column(type: .date, storage: .date(days: result, precision: precision), validity: bits, count: count)
            },
            sql: { call throws(SQLError) in
                try call.needing(needs) { () throws(SQLError) in
                    let date = try call.argument(0, as: .date), amount = try call.argument(1, as: .int)
                    return call.dialect.shift(date, by: amount, unit == "days" ? .day : unit == "months" ? .month : .year)
                }
            })
    }

    /// The precisions of dates moved by a function that needs `needs`: the dates known less
    /// well become null, the rest keep their precision.
    package static func shifted(_ input: DatePrecisions, needs: DatePrecision) -> DatePrecisions {
        input.noneKnown(to: needs) ? .only(needs) : DatePrecisions(max(input.coarsest, needs), input.finest)
    }

    /// The ISO week of each day: its Monday, or its number.
    static func isoWeek(_ call: KernelCall, number: Bool) throws -> Column {
        let input = call.columns[0], count = call.rowCount
        guard case .date(let days, let precision) = input.storage else { return call.nulls() }
        var weeks = [Int32](repeating: 0, count: count), numbers = [Int64](repeating: 0, count: count)
        var bits = Bitmap(count: count, allValid: true)
        for row in 0..<count {
            if input.isNull(row) || precision[row] < .day { bits[row] = false; continue }
            let monday = DateArithmetic.monday(Int(days[row]))
            weeks[row] = Int32(max(DateArithmetic.dayRange.lowerBound, monday))
            // The ISO week belongs to the year of its Thursday.
            let (year, _, _) = DateValue.civil(fromDays: monday + 3)
            numbers[row] = Int64((monday + 3 - DateValue.daysFromCivil(year: year, month: 1, day: 1)) / 7 + 1)
        }
        if number { return Column(type: .int, storage: .int(numbers), validity: bits, count: count) }
        return Column(type: .date, storage: .date(days: weeks, precision: [DatePrecision](repeating: .day, count: count)), validity: bits, count: count)
    }
}

/// Day numbers moved and placed in weeks, shared by the date functions, `bin` and `fill`.
package enum DateArithmetic {
    /// Every date of the calendar we print is between the years 1 and 9999.
    package static let dayRange = Int(DateValue(year: 1, month: 1, day: 1)!.days)...Int(DateValue(year: 9999, month: 12, day: 31)!.days)

    /// A day number moved by `amount` days (`unit` .day), months (.month) or years (.year);
    /// month ends clamp. Nil outside the years 1 to 9999.
    package static func shift(_ days: Int, by amount: Int64, _ unit: DatePrecision) -> Int? {
        guard abs(amount) < 10_000 * 366 else { return nil }
        let amount = Int(amount)
        var result: Int
        switch unit {
        case .day: result = days + amount
        case .month, .year:
            let (y, m, d) = DateValue.civil(fromDays: days)
            let months = y * 12 + (m - 1) + (unit == .month ? amount : amount * 12)
            let year = months >= 0 ? months / 12 : (months - 11) / 12
            let month = months - year * 12 + 1
            guard (1...9999).contains(year) else { return nil }
            result = DateValue.daysFromCivil(year: year, month: month, day: min(d, DateValue.daysInMonth(year: year, month: month)))
        }
        return dayRange.contains(result) ? result : nil
    }

    /// The Monday of the ISO week of a day number (1970-01-01 was a Thursday).
    package static func monday(_ days: Int) -> Int {
        days - (weekday(days) - 1)
    }

    /// The ISO day of the week of a day number: Monday 1 to Sunday 7.
    package static func weekday(_ days: Int) -> Int {
        ((days + 3) % 7 + 7) % 7 + 1
    }
}

/// The parts of a date that SQL extracts as numbers.
package enum DateSQLPart: String {
    case year, month, day, quarter, weekday, week
}

/// A calendar unit that SQL truncates a date to.
package enum DateSQLUnit {
    case year, month, week
}

/// Dates in each dialect's SQL: the first day of a period, a part as an Int, a date moved.
/// Each gives a DATE (never a timestamp) and means what the function means here, on days.
extension SQLDialect {
    /// The first day of `date`'s year, month or ISO week (a Monday).
    package func truncate(_ date: String, to unit: DateSQLUnit) -> String {
        switch (self, unit) {
        case (.duckdb, _), (.postgres, _):
            return "CAST(date_trunc('\(unit)', \(date)) AS DATE)"
        case (.spark, .week): return "trunc(\(date), 'WEEK')"
        case (.spark, _): return "trunc(\(date), '\(unit == .year ? "YEAR" : "MONTH")')"
        case (.bigquery, .week): return "DATE_TRUNC(\(date), ISOWEEK)"
        case (.bigquery, _): return "DATE_TRUNC(\(date), \(unit == .year ? "YEAR" : "MONTH"))"
        }
    }

    /// `date` as the table prints a date of `precision`: `2013`, `2011-10`, `2020-01-05`, the
    /// year in four digits (SQL's own date formats differ on years before 1000).
    package func dateText(_ date: String, _ precision: DatePrecision) throws(SQLError) -> String {
        let text = try typeName(.string)
        func padded(_ part: DateSQLPart, _ width: Int) throws(SQLError) -> String {
            "lpad(CAST(\(try datePart(part, of: date)) AS \(text)), \(width), '0')"
        }
        var parts = [try padded(.year, 4)]
        if precision >= .month { parts.append(try padded(.month, 2)) }
        if precision >= .day { parts.append(try padded(.day, 2)) }
        return "(" + parts.joined(separator: " || '-' || ") + ")"
    }

    /// A part of `date` as an Int: the ISO week number, the ISO weekday (Monday 1).
    package func datePart(_ part: DateSQLPart, of date: String) throws(SQLError) -> String {
        let sql: String
        switch (self, part) {
        case (_, .year), (_, .month), (_, .day), (_, .quarter): sql = "EXTRACT(\(part.rawValue.uppercased()) FROM \(date))"
        case (.duckdb, .weekday), (.postgres, .weekday): sql = "EXTRACT(ISODOW FROM \(date))"
        case (.spark, .weekday): sql = "(weekday(\(date)) + 1)"
        case (.bigquery, .weekday): sql = "(MOD(EXTRACT(DAYOFWEEK FROM \(date)) + 5, 7) + 1)"
        case (.duckdb, .week), (.postgres, .week): sql = "EXTRACT(WEEK FROM \(date))"
        case (.spark, .week): sql = "weekofyear(\(date))"
        case (.bigquery, .week): sql = "EXTRACT(ISOWEEK FROM \(date))"
        }
        return "CAST(\(sql) AS \(try typeName(.int)))"
    }

    /// `date` moved by `amount` (an Int) days, months or years; a month end clamps (Jan 31 +
    /// 1 month is Feb 28 or 29) in every dialect, as here.
    package func shift(_ date: String, by amount: String, _ unit: DatePrecision) -> String {
        switch (self, unit) {
        case (.duckdb, .day), (.postgres, .day): return "(\(date) + CAST(\(amount) AS INTEGER))"
        case (.duckdb, .month): return "CAST(\(date) + to_months(CAST(\(amount) AS INTEGER)) AS DATE)"
        case (.duckdb, .year): return "CAST(\(date) + to_years(CAST(\(amount) AS INTEGER)) AS DATE)"
        case (.postgres, .month): return "CAST(\(date) + make_interval(months => CAST(\(amount) AS INTEGER)) AS DATE)"
        case (.postgres, .year): return "CAST(\(date) + make_interval(years => CAST(\(amount) AS INTEGER)) AS DATE)"
        case (.spark, .day): return "date_add(\(date), CAST(\(amount) AS INT))"
        case (.spark, .month): return "add_months(\(date), CAST(\(amount) AS INT))"
        case (.spark, .year): return "add_months(\(date), CAST(\(amount) AS INT) * 12)"
        case (.bigquery, .day): return "DATE_ADD(\(date), INTERVAL \(amount) DAY)"
        case (.bigquery, .month): return "DATE_ADD(\(date), INTERVAL \(amount) MONTH)"
        case (.bigquery, .year): return "DATE_ADD(\(date), INTERVAL \(amount) YEAR)"
        }
    }

    /// Days since 1970-01-01 of `date`, as an Int, and the date of such a number.
    package func epochDay(_ date: String) -> String {
        switch self {
        case .duckdb, .postgres: return "CAST((\(date) - DATE '1970-01-01') AS BIGINT)"
        case .spark: return "CAST(datediff(\(date), DATE '1970-01-01') AS BIGINT)"
        case .bigquery: return "DATE_DIFF(\(date), DATE '1970-01-01', DAY)"
        }
    }

    package func dateOfEpochDay(_ days: String) -> String { shift("DATE '1970-01-01'", by: days, .day) }

    /// The first day of a year and month given as Ints.
    package func makeDate(year: String, month: String) -> String {
        switch self {
        case .duckdb, .postgres, .spark: return "make_date(CAST(\(year) AS INTEGER), CAST(\(month) AS INTEGER), 1)"
        case .bigquery: return "DATE(\(year), \(month), 1)"
        }
    }

    /// `x` divided by a positive `n`, a whole number (for an `x` that `n` divides, or one
    /// not negative: the dialects round other quotients differently).
    package func integerDivision(_ x: String, _ n: Int64) -> String {
        switch self {
        case .duckdb: return "(\(x) // \(n))"
        case .postgres: return "(\(x) / \(n))"
        case .spark: return "(\(x) div \(n))"
        case .bigquery: return "DIV(\(x), \(n))"
        }
    }

    /// `x` modulo a positive `n`, from 0 to n - 1 also for a negative `x`.
    package func floorModulo(_ x: String, _ n: Int64) -> String {
        switch self {
        case .bigquery: return "MOD(MOD(\(x), \(n)) + \(n), \(n))"
        default: return "(((\(x) % \(n)) + \(n)) % \(n))"
        }
    }
}
