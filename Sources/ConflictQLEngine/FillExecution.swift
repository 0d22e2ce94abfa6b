// Running `fill` (Semantics/Fill.swift): the steps of the series from the smallest to the
// largest value of the column over all groups (or `from`/`to`), a row for each step a group
// lacks, and the output in series order within each group (groups in order of first
// appearance, a group's rows with a null in the column last). The number of steps is
// counted, and refused past the row limit, before a row is made.
//
// A step is k times the step from the start, never the previous step plus one: `1 month`
// from 2020-01-31 is 2020-02-29, then 2020-03-31, as `+ N months` clamps month ends. A value
// between two steps (a day under `step 1 week`) is an error, not a row beside the series.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    /// `needed`: the output columns later stages read; the others are not gathered.
    func fill(_ table: Table, _ plan: FillPlan, needed: Set<Int>, _ range: SourceRange) throws -> Table {
        let rowCount = table.rowCount
        let series = table.columns[plan.column]
        let name = table.schema.fields[plan.column].name
        let isDate = series.type == .date
        let positions = seriesPositions(series)
        let steps = try fillSteps(plan, series, positions, name: name, range)

        // The rows of each group, in group order.
        let grouping = Grouping(keys: plan.keys.map { table.columns[$0] }, rowCount: rowCount)
        let groupCount = plan.keys.isEmpty ? 1 : grouping.groupCount
        let total = steps.count.multipliedReportingOverflow(by: groupCount)
        let what = "this 'fill' of \(steps.count) steps" + (groupCount > 1 ? " for each of \(groupCount) groups" : "")
        let bytesPerRow = table.columns.reduce(0) { $0 + $1.bytesPerGatheredRow } + 8
        try ResultSize.check(rows: total.overflow ? Int.max : total.partialValue, bytesPerRow: bytesPerRow, what: what,
                             at: range, help: "step further, or bring 'from' and 'to' closer")
        var rowsOfGroup = [[Int32]](repeating: [], count: groupCount)
        for row in 0..<rowCount { rowsOfGroup[plan.keys.isEmpty ? 0 : Int(grouping.groupOfRow[row])].append(Int32(row)) }

        // Each group's rows and missing steps, merged in series order.
        var order: [Int32] = []
        order.reserveCapacity(rowCount)
        var addedValues: [Int64] = [], addedGroupRow: [Int32] = []
        func add(_ value: Int64, _ group: Int) {
            order.append(Int32(rowCount + addedValues.count))
            addedValues.append(value)
            addedGroupRow.append(rowsOfGroup[group].first ?? 0)
        }
        for group in 0..<groupCount {
            if !plan.keys.isEmpty && rowsOfGroup[group].isEmpty { continue }
            var present: [(value: Int64, row: Int32)] = []
            var nulls: [Int32] = []
            present.reserveCapacity(rowsOfGroup[group].count)
            for row in rowsOfGroup[group] {
                if series.isNull(Int(row)) { nulls.append(row) } else { present.append((positions[Int(row)], row)) }
            }
            // Rows often arrive in order (after a summarize by date): then no sort at all.
            if zip(present, present.dropFirst()).contains(where: { $0.value > $1.value }) {
                present.sort { $0.value != $1.value ? $0.value < $1.value : $0.row < $1.row }
            }
            var k = 0
            for (value, row) in present {
                try evaluator.context.poll(Int(row), range)
                // Rows before 'from' or after 'to' are kept as they are; within, a value is a step.
                if steps.count > 0, value > steps.end {
                    while k < steps.count { add(steps.value(k)!, group); k += 1 }
                } else if steps.count > 0, value >= steps.start {
                    while k < steps.count, steps.value(k)! < value { add(steps.value(k)!, group); k += 1 }
                    if k < steps.count, steps.value(k)! == value {
                        k += 1
                    } else if k == 0 || steps.value(k - 1)! != value {   // not a second row of the step before
                        let shown = isDate ? Value.date(DateValue(days: Int32(value), precision: steps.precision)).description : String(value)
                        throw Diagnostic(.fillValueOffSteps(name, shown, steps.described, steps.describe(0)),
                                               at: range, help: "put the values in steps first: \(steps.bucketing(name))")
                    }
                }
                order.append(row)
            }
            while k < steps.count { add(steps.value(k)!, group); k += 1 }
            order += nulls
        }

        // The added rows: their step, their group's keys, the `with` values, null elsewhere.
        let added = addedValues.count
        let one = Table(schema: Schema([]), columns: [], rowCount: 1)
        var columns: [Column] = []
        for (index, column) in table.columns.enumerated() {
            guard needed.contains(index) else {
                columns.append(Column(type: column.type, storage: .null, validity: nil, count: order.count))
                continue
            }
            var addedColumn: Column? = nil
            if index == plan.column {
                var builder = ColumnBuilder(type: column.type, capacity: added)
                for value in addedValues {
                    builder.append(isDate ? .date(DateValue(days: Int32(value), precision: steps.precision)) : .int(value))
                }
                addedColumn = builder.finish()
            } else if plan.keys.contains(index) {
                addedColumn = column.gather(addedGroupRow)
            } else if let item = plan.values.first(where: { $0.column == index }) {
                let value = try evaluator.column(item.expression, one).value(at: 0)
                var builder = ColumnBuilder(type: column.type, capacity: added)
                for _ in 0..<added { builder.append(value) }
                addedColumn = builder.finish()
            }
            columns.append(Column.concatenate([(column, rowCount), (addedColumn, added)], type: column.type).gather(order))
        }
        return Table(schema: table.schema, columns: columns, rowCount: order.count)
    }

    /// Each row's value as a position on the series: the Int, or the day number (read from
    /// the typed storage; a null row's position is meaningless, see `isNull`).
    func seriesPositions(_ column: Column) -> [Int64] {
        switch column.storage {
        case .int(let values): return values
        case .date(let days, _): return days.map(Int64.init)
        default: return [Int64](repeating: 0, count: column.count)
        }
    }

    /// The steps of the series: from `from` or the smallest value to `to` or the largest,
    /// with the dates' precision checked against the step.
    func fillSteps(_ plan: FillPlan, _ series: Column, _ positions: [Int64], name: String, _ range: SourceRange) throws -> FillSeries {
        let one = Table(schema: Schema([]), columns: [], rowCount: 1)
        func bound(_ expression: BoundExpression?, _ word: String) throws -> Value? {
            guard let expression else { return nil }
            let value = try evaluator.column(expression, one).value(at: 0)
            if value.isNull { throw Diagnostic(.fillBoundNull(word), at: expression.range) }
            return value
        }
        let from = try bound(plan.from, "from"), to = try bound(plan.to, "to")
        var lowRow = -1, highRow = -1
        var seen: UInt8 = 0   // the precisions present, one bit each
        let precisionOf: [DatePrecision]? = { if case .date(_, let p) = series.storage { return p }; return nil }()
        for row in 0..<series.count where !series.isNull(row) {
            if let precisionOf { seen |= 1 << precisionOf[row].rawValue }
            if lowRow < 0 || positions[row] < positions[lowRow] { lowRow = row }
            if highRow < 0 || positions[row] > positions[highRow] { highRow = row }
        }
        let low = lowRow < 0 ? nil : series.value(at: lowRow), high = highRow < 0 ? nil : series.value(at: highRow)
        var precisions = Set([DatePrecision.year, .month, .day].filter { seen & (1 << $0.rawValue) != 0 })
        for case .date(let date)? in [from, to] { precisions.insert(date.precision) }
        if precisions.count > 1 {
            let names = precisions.sorted().map { "\($0)" }.joined(separator: " and ")
            let what = from == nil && to == nil ? "'\(name)' mixes" : "'\(name)' and the bounds of 'fill' mix"
            throw Diagnostic(.fillMixedPrecisions(what, names), at: range,
                                   help: "put them in one precision first: to_month(\(name)), to_year(\(name))")
        }
        guard let start = from ?? low, let end = to ?? high else { return FillSeries.empty }
        if valueLess(end, start) {
            throw Diagnostic(.fillSeriesBackwards(end.parameterText, start.parameterText), at: range,
                                   help: "'from' is the first step and 'to' the last")
        }
        switch (plan.step, start, end) {
        case (.number(let expression), .int(let first), .int(let last)):
            guard case .int(let step) = try evaluator.column(expression, one).value(at: 0) else {
                throw Diagnostic(.fillStepNull, at: expression.range)
            }
            guard step >= 1 else { throw Diagnostic(.stepBelowOne(step), at: expression.range) }
            // The span of two Int64s can be 2^64 - 1: counted unsigned, so it neither traps nor wraps.
            let intervals = UInt64(bitPattern: last &- first) / UInt64(step)
            let count = intervals >= UInt64(Int.max) ? Int.max : Int(intervals) + 1
            return FillSeries(start: first, end: last, count: count, precision: .day, unit: nil, amount: step)
        case (.duration(let amount, let unit), .date(let first), .date(let last)):
            let needed: DatePrecision = unit == .year ? .year : unit == .month ? .month : .day
            if first.precision < needed {
                throw Diagnostic(.fillPrecisionCannotStep(name, first.precision, unit.rawValue), at: plan.stepRange,
                                       help: first.precision == .month ? "step by months or years, or fill a column of days, such as to_week(DATE)"
                                           : "step by years, or fill a column of months or days, such as to_month(DATE)")
            }
            var series = FillSeries(start: Int64(first.days), end: Int64(last.days), count: 0, precision: first.precision, unit: unit, amount: amount)
            let span = Int64(last.days) - Int64(first.days)
            switch unit {
            case .day, .week:
                let (width, overflow) = amount.multipliedReportingOverflow(by: unit == .week ? 7 : 1)
                series.count = overflow ? 1 : Int(span / width) + 1
            case .month, .year:
                let (a, b) = (first.parts, last.parts)
                let months = Int64((b.year - a.year) * 12 + (b.month - a.month))
                let (width, overflow) = amount.multipliedReportingOverflow(by: unit == .year ? 12 : 1)
                series.count = overflow ? 1 : Int(months / width) + 1
                // A clamped month end can put the last step past the end: take it back.
                while series.count > 1, let value = series.value(series.count - 1), value > Int64(last.days) { series.count -= 1 }
            }
            return series
        default:
            return FillSeries.empty
        }
    }

    func valueLess(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.date(let x), .date(let y)): return x.days < y.days
        default: return false
        }
    }
}

/// The steps of a filled series as positions (Ints, or day numbers for dates).
struct FillSeries {
    var start: Int64
    /// The end of the range: `to`, or the largest value (the last step is at most this).
    var end: Int64
    var count: Int
    var precision: DatePrecision
    /// nil for an Int series.
    var unit: DurationUnit?
    var amount: Int64

    static let empty = FillSeries(start: 0, end: 0, count: 0, precision: .day, unit: nil, amount: 1)

    /// Step `k` (below `count`): k times the step from the start (nil past the calendar).
    func value(_ k: Int) -> Int64? {
        // An Int step lies between start and end, so it fits even where k times the step
        // alone does not (from -9e18 to 9e18 by 9e18): wrapping arithmetic is exact here.
        if unit == nil { return start &+ Int64(k) &* amount }
        let (distance, overflow) = Int64(k).multipliedReportingOverflow(by: amount)
        guard !overflow else { return nil }
        switch unit {
        case nil:
            return nil
        case .day?, .week?:
            let (days, over) = distance.multipliedReportingOverflow(by: unit == .week ? 7 : 1)
            return over ? nil : start + days
        case .month?:
            return DateArithmetic.shift(Int(start), by: distance, .month).map(Int64.init)
        case .year?:
            return DateArithmetic.shift(Int(start), by: distance, .year).map(Int64.init)
        }
    }

    /// How to put a column's values on steps like these.
    func bucketing(_ name: String) -> String {
        switch unit {
        case nil: return "bin(\(name), \(amount))"
        case .day?, .week?: return amount == 1 && unit == .week ? "to_week(\(name))" : "bin(\(name), \(described))"
        case .month?: return amount == 1 ? "to_month(\(name))" : "to_month(\(name)), and 'from' on a step"
        case .year?: return amount == 1 ? "to_year(\(name))" : "to_year(\(name)), and 'from' on a step"
        }
    }

    /// `1 week`, `10`: the step as written.
    var described: String {
        guard let unit else { return String(amount) }
        return "\(amount) \(unit.rawValue)\(amount == 1 ? "" : "s")"
    }

    func describe(_ k: Int) -> String {
        guard let value = value(k) else { return "?" }
        return unit == nil ? String(value) : DateValue(days: Int32(value), precision: precision).description
    }
}
