// The scalar functions (year, month, day, to_month, lower, upper, len, round, abs, coalesce,
// int, float, string), each over a whole column. Part of the evaluator.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    // MARK: Functions

    func call(_ function: ScalarFunction, _ arguments: [BoundExpression], _ expression: BoundExpression,
              _ table: Table) throws -> Operand {
        if function == .coalesce { return try coalesce(arguments, expression, table) }
        if function == .if || function == .case { return try conditional(function, arguments, expression, table) }
        if function == .groups_of, case .list(let fields) = arguments[0].kind,
           fields.allSatisfy({ $0.type == .string || $0.type == .null }), table.rowCount != 1 {
            return try groupsOfFields(fields, arguments.count > 1 ? arguments[1] : nil, expression, table)
        }
        let operands = try arguments.map { try evaluate($0, table) }
        // Scalar arguments: compute over one row, from the values already computed. (Not by
        // evaluating the arguments again over a table of no columns: an argument that reads a
        // column can still be a single value, `false and x > 1`.)
        if operands.allSatisfy({ if case .scalar = $0 { return true } else { return false } }), table.rowCount != 1 {
            let one = Table(schema: Schema([]), columns: [], rowCount: 1)
            let values = zip(arguments, operands).map { argument, operand -> BoundExpression in
                guard case .scalar(let value) = operand else { return argument }
                return BoundExpression(.constant(value), argument.type, argument.range)
            }
            let result = try call(function, values, expression, one)
            if case .column(let c) = result { return .scalar(c.value(at: 0)) }
            return result
        }
        let count = table.rowCount
        let columns = zip(operands, arguments).map { materialize($0, $1.type, count) }
        let input = columns.first
        switch function {
        case .year, .month, .day:
            guard let input, case .date(let days, let precision) = input.storage else { return .column(Column(type: .int, storage: .null, validity: nil, count: count)) }
            var result = [Int64](repeating: 0, count: count)
            var bits = Bitmap(count: count, allValid: true)
            let needed: DatePrecision = function == .year ? .year : function == .month ? .month : .day
            for row in 0..<count {
                // A month-precise date has no day: day() is null, not an invented 1.
                if input.isNull(row) || precision[row] < needed { bits[row] = false; continue }
                let (y, m, d) = DateValue.civil(fromDays: Int(days[row]))
                result[row] = Int64(function == .year ? y : function == .month ? m : d)
            }
            return .column(Column(type: .int, storage: .int(result), validity: bits, count: count))
        case .to_month, .to_year:
            guard let input, case .date(let days, let precision) = input.storage else { return .column(Column(type: .date, storage: .null, validity: nil, count: count)) }
            let target: DatePrecision = function == .to_month ? .month : .year
            var newDays = [Int32](repeating: 0, count: count)
            var newPrecision = [DatePrecision](repeating: target, count: count)
            var bits = input.validity ?? Bitmap(count: count, allValid: true)
            for row in 0..<count {
                // A date less precise than asked (a year, cut to a month) has no such month: null.
                if precision[row] < target { bits[row] = false; newPrecision[row] = precision[row]; continue }
                let (y, m, _) = DateValue.civil(fromDays: Int(days[row]))
                newDays[row] = Int32(DateValue.daysFromCivil(year: y, month: target == .month ? m : 1, day: 1))
            }
            return .column(Column(type: .date, storage: .date(days: newDays, precision: newPrecision), validity: bits, count: count))
        case .lower, .upper:
            guard let input, case .string(let codes, let dictionary) = input.storage else { return .column(Column(type: .string, storage: .null, validity: nil, count: count)) }
            let mapped = dictionary.values.map { function == .lower ? $0.lowercased() : $0.uppercased() }
            return .column(recode(codes, mapped, input.validity))
        case .len:
            guard let input else { return .scalar(.null) }
            switch input.storage {
            case .string(let codes, let dictionary):
                let lengths = dictionary.values.map { Int64($0.count) }
                return .column(Column(type: .int, storage: .int(codes.map { lengths[Int($0)] }), validity: input.validity, count: count))
            case .list(let offsets, _):
                let lengths = (0..<count).map { Int64(offsets[$0 + 1] - offsets[$0]) }
                return .column(Column(type: .int, storage: .int(lengths), validity: input.validity, count: count))
            default:
                return .column(Column(type: .int, storage: .null, validity: nil, count: count))
            }
        case .round:
            guard let input else { return .scalar(.null) }
            var digits: Int64 = 0
            if arguments.count == 2, case .constant(.int(let d)) = arguments[1].kind { digits = d }
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
                return .column(Column(type: .float, storage: .float(result), validity: input.validity, count: count))
            case .int(let values):
                if digits >= 0 { return .column(input) }
                if digits < -18 {
                    return .column(Column(type: .int, storage: .int([Int64](repeating: 0, count: count)), validity: input.validity, count: count))
                }
                var unit: Int64 = 1
                for _ in 0..<(-digits) { unit *= 10 }
                var result = [Int64](repeating: 0, count: count)
                for row in 0..<count where !input.isNull(row) {
                    let v = values[row]
                    let remainder = v % unit
                    var base = v - remainder
                    if abs(remainder) * 2 >= unit {
                        let (next, overflow) = base.addingReportingOverflow(v < 0 ? -unit : unit)
                        if overflow { throw Diagnostic.error("integer overflow in round", at: expression.range) }
                        base = next
                    }
                    result[row] = base
                }
                return .column(Column(type: .int, storage: .int(result), validity: input.validity, count: count))
            default:
                return .column(Column(type: expression.type, storage: .null, validity: nil, count: count))
            }
        case .abs:
            guard let input else { return .scalar(.null) }
            switch input.storage {
            case .int(let values):
                var result = [Int64](repeating: 0, count: count)
                for row in 0..<count where !input.isNull(row) {
                    if values[row] == .min {
                        throw Diagnostic.error("integer overflow: abs(\(values[row])) does not fit in 64 bits", at: expression.range)
                    }
                    result[row] = Swift.abs(values[row])
                }
                return .column(Column(type: .int, storage: .int(result), validity: input.validity, count: count))
            case .float(let values):
                return .column(Column(type: .float, storage: .float(values.map { Swift.abs($0) }), validity: input.validity, count: count))
            default:
                return .column(Column(type: expression.type, storage: .null, validity: nil, count: count))
            }
        case .int, .float, .string:
            // Row by row: conversions are for small results and odd columns, not hot paths.
            var builder = ColumnBuilder(type: expression.type, capacity: count)
            for row in 0..<count {
                try context.poll(row, expression.range)
                builder.append(try convert(input?.value(at: row) ?? .null, to: function, expression))
            }
            return .column(builder.finish())
        case .coalesce:
            return try coalesce(arguments, expression, table)
        default:
            return .column(try callExtended(function, arguments, columns, operands, expression, count))
        }
    }

    /// One conversion. A Float that is not finite or out of Int's range, and text that is not
    /// a number, are errors: a wrong number is worse than no number.
    func convert(_ value: Value, to function: ScalarFunction, _ expression: BoundExpression) throws -> Value {
        if value.isNull { return .null }
        switch (function, value) {
        case (.string, _):
            return .string(value.description)
        case (.int, .int), (.float, .float):
            return value
        case (.int, .bool(let b)):
            return .int(b ? 1 : 0)
        case (.float, .bool(let b)):
            return .float(b ? 1 : 0)
        case (.float, .int(let v)):
            return .float(Double(v))
        case (.int, .float(let d)):
            guard d.isFinite, d > -9_223_372_036_854_775_809.0, d < 9_223_372_036_854_775_808.0 else {
                throw Diagnostic.error("int(\(formatFloat(d))) does not fit in a 64-bit integer", at: expression.range)
            }
            return .int(Int64(d.rounded(.towardZero)))
        case (.int, .string(let s)):
            // Asked for explicitly, "007" is 7 (inference keeps such codes as text).
            var text = s.trimmingCharacters(in: " \t")
            let sign = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.removeFirst()) : ""
            while text.count > 1 && text.hasPrefix("0") { text.removeFirst() }
            text = sign + text
            if let v = text.withUTF8({ $0.isEmpty ? nil : FieldParsers.int($0.baseAddress!, $0.count) }) { return .int(v) }
            throw Diagnostic.error("int(\"\(s.prefix(40))\"): not a whole number", at: expression.range,
                                   help: "coalesce over a condition, or clean the column first")
        case (.float, .string(let s)):
            var text = s.trimmingCharacters(in: " \t")
            if let v = text.withUTF8({ $0.isEmpty ? nil : FieldParsers.float($0.baseAddress!, $0.count) }) { return .float(v) }
            throw Diagnostic.error("float(\"\(s.prefix(40))\"): not a number", at: expression.range)
        default:
            return .null
        }
    }

    /// A string column from codes into a mapped dictionary whose entries may now repeat.
    func recode(_ codes: [Int32], _ mapped: [String], _ validity: Bitmap?) -> Column {
        var lookup: [String: Int32] = [:]
        var unique: [String] = []
        let remap = mapped.map { s -> Int32 in
            if let code = lookup[s] { return code }
            let code = Int32(unique.count)
            unique.append(s)
            lookup[s] = code
            return code
        }
        return Column(type: .string, storage: .string(codes: codes.map { remap[Int($0)] }, dictionary: StringDictionary(unique)),
                      validity: validity, count: codes.count)
    }
}
