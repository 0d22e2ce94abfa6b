// Checking `fill`: a series without gaps. `summarize events = count() by week = to_week(date)
// | fill week step 1 week with events = 0` adds a row for every week from the first to the
// last that no row holds, with `events` 0 and the other columns null; `by country` does it
// for each country over the same range. A Date column steps by a duration, an Int one by a
// number; what can be checked before running (types, names, a step of 0) is checked here,
// what depends on the rows (precisions, values off the steps, the size) in FillExecution.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

/// The distance between two rows of a filled series.
package enum FillStep {
    /// An Int column: the step, evaluated once (a literal or a `let` value).
    case number(BoundExpression)
    /// A Date column: `n` days, weeks, months or years.
    case duration(Int64, DurationUnit)
}

/// A checked `fill`: the input's columns stay as they are; rows are added.
package struct FillPlan {
    package var column: Int
    package var keys: [Int]
    package var step: FillStep
    package var stepRange: SourceRange
    package var from: BoundExpression?
    package var to: BoundExpression?
    /// The added rows' value for each of these columns (the others are null, bar the keys).
    package var values: [(column: Int, expression: BoundExpression)]
}

extension Checker {
    mutating func checkFill(_ fill: FillSyntax, _ schema: Schema) throws -> (PlanStage, Schema) {
        let column = try resolveColumn(fill.column.name, fill.column.range, schema)
        let type = schema.fields[column].type
        let name = schema.fields[column].name
        guard type == .date || type == .int else {
            throw Diagnostic(.fillColumnType(name, type), at: fill.column.range,
                                   help: type == .float ? "make it whole first: extend \(name) = int(\(name)), or bucket it: bin(x, 10)"
                                       : "fill a column of dates (to_month(date), to_week(date)) or of whole numbers (bin(x, 10))")
        }
        var keys: [Int] = []
        for key in fill.keys {
            let index = try resolveColumn(key.name, key.range, schema)
            if index == column {
                throw Diagnostic(.fillKeyIsFilled(key.name), at: key.range)
            }
            if keys.contains(index) { throw Diagnostic(.namedTwiceAfterBy(key.name), at: key.range) }
            if case .list = schema.fields[index].type {
                throw Diagnostic(.groupByList, at: key.range, help: "use 'expand' first")
            }
            keys.append(index)
        }
        let step = try checkFillStep(fill.step, type: type, name: name)
        func bound(_ expression: Expression?, _ word: String) throws -> BoundExpression? {
            guard let expression else { return nil }
            let value = try bindFillValue(expression, schema, what: "'\(word)'")
            guard value.type == type || value.type == .null else {
                throw Diagnostic(.fillBoundType(word, type == .date ? "a Date" : "an Int", name, value.type), at: expression.range,
                                       help: type == .date ? "for example: \(word) @2020-01" : "for example: \(word) 0")
            }
            return value
        }
        let from = try bound(fill.from, "from"), to = try bound(fill.to, "to")
        var values: [(column: Int, expression: BoundExpression)] = []
        for item in fill.values {
            guard let target = item.name else { continue }   // the parser requires NAME =
            let index = try resolveColumn(target.name, target.range, schema)
            if index == column {
                throw Diagnostic(.fillValueOfFilledColumn(target.name), at: target.range)
            }
            if keys.contains(index) {
                throw Diagnostic(.fillValueOfGroup(target.name), at: target.range)
            }
            if values.contains(where: { $0.column == index }) {
                throw Diagnostic(.givenTwiceAfterWith(target.name), at: target.range)
            }
            let value = try bindFillValue(item.expression, schema, what: "the value of '\(target.name)'")
            let columnType = schema.fields[index].type
            let fits = value.type == columnType || value.type == .null || (value.type == .int && columnType == .float)
            guard fits else {
                throw Diagnostic(.fillValueType(target.name, columnType, value.type), at: item.expression.range)
            }
            values.append((index, value.type == .int && columnType == .float ? BoundExpression(.toFloat(value), .float, value.range) : value))
        }
        let plan = FillPlan(column: column, keys: keys, step: step, stepRange: fill.step.range, from: from, to: to, values: values)
        // The added rows hold the series' steps (as precise as its dates, or the run fails)
        // and the values given; a date given may be of another precision.
        var filled = schema
        for bound in [from, to].compactMap({ $0 }) where bound.type == .date {
            filled.fields[column].datePrecisions = filled.fields[column].datePrecisions.merged(with: bound.datePrecisions)
        }
        for (index, value) in values where value.type == .date {
            filled.fields[index].datePrecisions = filled.fields[index].datePrecisions.merged(with: value.datePrecisions)
        }
        return (.fill(plan), filled)
    }

    /// `step 1 week` for a Date column, `step 10` for an Int one.
    func checkFillStep(_ step: Expression, type: DataType, name: String) throws -> FillStep {
        if case .duration(let n, let unit) = step.kind {
            guard type == .date else {
                throw Diagnostic(.fillIntByDuration(name), at: step.range, help: "for example: step 10")
            }
            guard n >= 1 else { throw Diagnostic(.stepBelowOne(n), at: step.range) }
            return .duration(n, unit)
        }
        let bound = try bindFillValue(step, Schema([]), what: "the step")
        guard type == .int else {
            throw Diagnostic(.fillDateByNumber(name), at: step.range,
                                   help: "for example: step 1 day, step 1 week, step 1 month, step 1 year")
        }
        guard bound.type == .int else {
            throw Diagnostic(.fillStepType(bound.type), at: step.range, help: "for example: step 10")
        }
        if case .constant(.int(let n)) = bound.kind, n < 1 {
            throw Diagnostic(.stepBelowOne(n), at: step.range)
        }
        return .number(bound)
    }

    /// A value of `fill` (its step, bounds, the added rows' values): one value, not per row.
    func bindFillValue(_ expression: Expression, _ schema: Schema, what: String) throws -> BoundExpression {
        do {
            return try bind(expression, Schema([]), .scalar)
        } catch let diagnostic as Diagnostic {
            // Say why a column is refused rather than that it is unknown.
            if (try? bind(expression, schema, .row)) != nil {
                throw Diagnostic(.fillValueReadsColumn(what), at: expression.range,
                                       help: "write a constant or a $value, for example: with events = 0")
            }
            throw diagnostic
        }
    }
}
