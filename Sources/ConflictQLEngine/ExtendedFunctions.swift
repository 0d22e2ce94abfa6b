// The functions of the analyst's extension, each over a whole column: conditionals (each
// value computed only on the rows that choose it), dates that move and bins, and text
// functions, computed once per distinct string of a dictionary and spread to the rows by
// code. Part of the evaluator.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    /// Dates: every date of the calendar we print is between the years 1 and 9999.
    static let dayRange = Int(DateValue(year: 1, month: 1, day: 1)!.days)...Int(DateValue(year: 9999, month: 12, day: 31)!.days)

    // MARK: Conditionals

    /// `if(c, a, b)` and `case(c1, v1, ..., [else])`: each value over the rows whose first
    /// true condition is its own (for `if`, false or null chooses the else value).
    func conditional(_ function: ScalarFunction, _ arguments: [BoundExpression], _ expression: BoundExpression,
                     _ table: Table) throws -> Operand {
        let count = table.rowCount
        let pairs = function == .if ? 1 : arguments.count / 2
        let otherwise: BoundExpression? = function == .if ? arguments[2] : (arguments.count % 2 == 1 ? arguments.last : nil)
        var open: [Int32]? = nil      // nil: every row
        var parts: [(rows: [Int32]?, column: Column)] = []
        for pair in 0..<pairs {
            let condition = arguments[2 * pair], value = arguments[2 * pair + 1]
            let decided: Column
            if let rows = open {
                if rows.isEmpty { break }
                decided = try column(condition, table, rows: rows)
            } else {
                let operand = try evaluate(condition, table)
                if case .scalar(let v) = operand {
                    // A constant condition: every open row goes one way.
                    if case .bool(true) = v { return try finish(parts + [(nil, materialize(try evaluate(value, table), value.type, count))], count, expression) }
                    continue
                }
                decided = materialize(operand, .bool, count)
            }
            // Rows where the condition holds take this value; the others stay open.
            var chosen: [Int32] = [], rest: [Int32] = []
            if case .bool(let flags) = decided.storage {
                for i in 0..<decided.count {
                    let row = open.map { $0[i] } ?? Int32(i)
                    if flags[i] && !decided.isNull(i) { chosen.append(row) } else { rest.append(row) }
                }
            } else {
                rest = open ?? (0..<Int32(count)).map { $0 }
            }
            if !chosen.isEmpty { parts.append((chosen, try column(value, table, rows: chosen))) }
            open = rest
        }
        if let otherwise, open?.isEmpty != true {
            if let rows = open { parts.append((rows, try column(otherwise, table, rows: rows))) }
            else { parts.append((nil, materialize(try evaluate(otherwise, table), otherwise.type, count))) }
        }
        return try finish(parts, count, expression)
    }

    /// The parts, each on its rows, as one column: appended, then put in row order.
    private func finish(_ parts: [(rows: [Int32]?, column: Column)], _ count: Int, _ expression: BoundExpression) throws -> Operand {
        if parts.count == 1, parts[0].rows == nil {
            let only = parts[0].column
            if only.type == expression.type { return .column(only) }
            return .column(Column.concatenate([(only, count)], type: expression.type))
        }
        let joined = Column.concatenate(parts.map { ($0.column, $0.column.count) }, type: expression.type)
        var position = [Int32](repeating: -1, count: count)
        var offset: Int32 = 0
        for part in parts {
            if let rows = part.rows {
                for (i, row) in rows.enumerated() { position[Int(row)] = offset + Int32(i) }
            } else {
                for row in 0..<count { position[row] = offset + Int32(row) }
            }
            offset += Int32(part.column.count)
        }
        return .column(joined.gather(position))
    }

    // MARK: The others

    func callExtended(_ function: ScalarFunction, _ arguments: [BoundExpression], _ columns: [Column],
                      _ operands: [Operand], _ expression: BoundExpression, _ count: Int) throws -> Column {
        let range = expression.range
        func nulls() -> Column { Column(type: expression.type, storage: .null, validity: nil, count: count) }
        func scalar(_ index: Int) -> Value? {
            if case .scalar(let v) = operands[index] { return v }
            return nil
        }
        switch function {
        case .add_days, .add_months, .add_years:
            guard case .date(let days, let precision) = columns[0].storage, case .int(let amounts) = columns[1].storage else { return nulls() }
            var result = [Int32](repeating: 0, count: count), bits = Bitmap(count: count, allValid: true)
            for row in 0..<count {
                if columns[0].isNull(row) || columns[1].isNull(row) { bits[row] = false; continue }
                let needed: DatePrecision = function == .add_days ? .day : function == .add_months ? .month : .year
                // Days added to a date known to the month are unknown days: null, not a guess.
                if precision[row] < needed { bits[row] = false; continue }
                guard let moved = Evaluator.shift(Int(days[row]), by: amounts[row], function) else {
                    let unit = function == .add_days ? "days" : function == .add_months ? "months" : "years"
                    throw Diagnostic.error("\(DateValue(days: days[row], precision: precision[row])) + \(amounts[row]) \(unit) is outside the years 1 to 9999", at: range)
                }
                result[row] = Int32(moved)
            }
            return Column(type: .date, storage: .date(days: result, precision: precision), validity: bits, count: count)

        case .days_between:
            guard case .date(let a, let pa) = columns[0].storage, case .date(let b, let pb) = columns[1].storage else { return nulls() }
            var result = [Int64](repeating: 0, count: count), bits = Bitmap(count: count, allValid: true)
            for row in 0..<count {
                if columns[0].isNull(row) || columns[1].isNull(row) || pa[row] < .day || pb[row] < .day { bits[row] = false; continue }
                result[row] = Int64(b[row]) - Int64(a[row])
            }
            return Column(type: .int, storage: .int(result), validity: bits, count: count)

        case .to_week, .week:
            guard case .date(let days, let precision) = columns[0].storage else { return nulls() }
            var weeks = [Int32](repeating: 0, count: count), numbers = [Int64](repeating: 0, count: count)
            var bits = Bitmap(count: count, allValid: true)
            for row in 0..<count {
                if columns[0].isNull(row) || precision[row] < .day { bits[row] = false; continue }
                let monday = Evaluator.monday(Int(days[row]))
                weeks[row] = Int32(max(Evaluator.dayRange.lowerBound, monday))
                // The ISO week belongs to the year of its Thursday.
                let (year, _, _) = DateValue.civil(fromDays: monday + 3)
                numbers[row] = Int64((monday + 3 - DateValue.daysFromCivil(year: year, month: 1, day: 1)) / 7 + 1)
            }
            if function == .week { return Column(type: .int, storage: .int(numbers), validity: bits, count: count) }
            return Column(type: .date, storage: .date(days: weeks, precision: [DatePrecision](repeating: .day, count: count)), validity: bits, count: count)

        case .bin:
            return try bin(arguments, columns, expression, count)

        case .split, .replace, .trim, .substring, .extract:
            guard case .string(let codes, let dictionary) = columns[0].storage else { return nulls() }
            let rest = (1..<arguments.count).map(scalar)
            if rest.contains(where: { $0 == nil }) {
                // Per-row arguments: row by row.
                var builder = ColumnBuilder(type: expression.type, capacity: count)
                for row in 0..<count {
                    try context.poll(row, range)
                    let values = columns.map { $0.value(at: row) }
                    builder.append(values.contains(where: \.isNull) ? .null : try text(function, values, range))
                }
                return builder.finish()
            }
            let arguments = rest.map { $0! }
            if arguments.contains(where: \.isNull) { return nulls() }
            // A pattern is compiled once for the column, not once per string.
            var compiled: Pattern? = nil
            if function == .extract, case .string(let text) = arguments[0] { compiled = try? Pattern(text) }
            // Once per distinct string, then spread to the rows by code.
            var perEntry = ColumnBuilder(type: expression.type, capacity: dictionary.count)
            for index in 0..<dictionary.count {
                try context.poll(index, range)
                perEntry.append(try text(function, [.string(dictionary[index])] + arguments, range, pattern: compiled))
            }
            let spread = perEntry.finish().gather(codes)
            return Column(type: spread.type, storage: spread.storage, validity: Bitmap.and(spread.validity, columns[0].validity), count: count)

        case .group_of, .groups_of, .is_joint, .groups_on:
            return try actorFunction(function, columns, expression, count)

        case .concat:
            var builder = ColumnBuilder(type: .string, capacity: count)
            for row in 0..<count {
                try context.poll(row, range)
                let values = columns.map { $0.value(at: row) }
                builder.append(values.contains(where: \.isNull) ? .null : .string(values.map { if case .string(let s) = $0 { return s }; return $0.description }.joined()))
            }
            return builder.finish()

        default:
            return nulls()
        }
    }

    /// A day number moved by `amount` days, months or years; month ends clamp.
    static func shift(_ days: Int, by amount: Int64, _ function: ScalarFunction) -> Int? {
        guard abs(amount) < 10_000 * 366 else { return nil }
        let amount = Int(amount)
        var result: Int
        switch function {
        case .add_days: result = days + amount
        default:
            let (y, m, d) = DateValue.civil(fromDays: days)
            let months = y * 12 + (m - 1) + (function == .add_months ? amount : amount * 12)
            let year = months >= 0 ? months / 12 : (months - 11) / 12
            let month = months - year * 12 + 1
            guard (1...9999).contains(year) else { return nil }
            result = DateValue.daysFromCivil(year: year, month: month, day: min(d, DateValue.daysInMonth(year: year, month: month)))
        }
        return dayRange.contains(result) ? result : nil
    }

    /// The Monday of the ISO week of a day number (1970-01-01 was a Thursday).
    static func monday(_ days: Int) -> Int {
        let weekday = ((days + 3) % 7 + 7) % 7   // 0 is Monday
        return days - weekday
    }

    /// One text function on one row's values (none null).
    func text(_ function: ScalarFunction, _ values: [Value], _ range: SourceRange, pattern compiled: Pattern? = nil) throws -> Value {
        guard case .string(let s) = values[0] else { return .null }
        switch function {
        case .split:
            guard case .string(let separator) = values[1], !separator.isEmpty else { return .null }
            return .list(s.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
        case .replace:
            guard case .string(let old) = values[1], case .string(let new) = values[2], !old.isEmpty else { return .null }
            return .string(s.replacing(old, with: new))
        case .trim:
            return .string(s.trimmingCharacters(in: " \t\r\n"))
        case .substring:
            guard case .int(let start) = values[1] else { return .null }
            guard start >= 1 else { throw Diagnostic.error("substring starts at 1 or later, found \(start)", at: range) }
            var length = Int64.max
            if values.count > 2 {
                guard case .int(let n) = values[2] else { return .null }
                guard n >= 0 else { throw Diagnostic.error("substring needs a length of 0 or more, found \(n)", at: range) }
                length = n
            }
            let characters = s.dropFirst(Int(clamping: start - 1))
            return .string(String(characters.prefix(Int(clamping: length))))
        case .extract:
            guard case .string(let patternText) = values[1], let pattern = compiled ?? (try? Pattern(patternText)) else { return .null }
            var group = pattern.groupCount >= 1 ? 1 : 0
            if values.count > 2, case .int(let g) = values[2] { group = Int(clamping: g) }
            let bytes = Array(s.utf8)
            guard let found = bytes.withUnsafeBufferPointer({ pattern.match($0) }), group < found.count, let span = found[group] else { return .null }
            return .string(String(decoding: bytes[span], as: UTF8.self))
        default:
            return .null
        }
    }

    /// `bin(x, size)` for numbers (down to a multiple of size) and `bin(d, n, unit)` for dates.
    func bin(_ arguments: [BoundExpression], _ columns: [Column], _ expression: BoundExpression, _ count: Int) throws -> Column {
        let range = expression.range
        if case .date(let days, let precision) = columns[0].storage {
            guard case .constant(.int(let n64)) = arguments[1].kind, case .constant(.string(let unitName)) = arguments[2].kind,
                  let unit = DurationUnit(rawValue: unitName) else { return Column(type: .date, storage: .null, validity: nil, count: count) }
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
                    let weeks = (Evaluator.monday(day) - 4) / 7
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
                result[row] = Int32(max(Evaluator.dayRange.lowerBound, start))
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
                if overflow { throw Diagnostic.error("integer overflow: the bin of \(x[row]) is below the smallest Int", at: range) }
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
            return Column(type: expression.type, storage: .null, validity: nil, count: count)
        }
    }
}
