// `fill` as SQL: the series' steps generated from its bounds (generate_series, range,
// sequence, GENERATE_ARRAY), one added row for each step a group lacks, and the rows in the
// engine's order (FillExecution.swift): groups in order of first appearance, a group's rows in
// series order, nulls last. A step is k times the step from the start, as here, so month ends
// clamp alike (`shift`). What ConflictQL reports as an error (a value between two steps, a
// series that ends before it starts, a null bound or step) fails in SQL too; what depends on
// precisions the checker cannot vouch for (a column that may mix them) is refused.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension SQLCompiler {
    mutating func fill(_ plan: FillPlan, from input: String, schema: Schema, output: Schema, range: SourceRange,
                       ctes: inout [String]) throws(SQLError) -> String {
        let field = schema.fields[plan.column]
        let column = dialect.quote(field.name)
        let constants = expressions(Schema([]))
        let dialect = self.dialect
        let q = { (name: String) in dialect.quote(SQLCompiler.internalName(name)) }
        let (lo, hi, n, k, v, first, bad) = (q("lo"), q("hi"), q("n"), q("k"), q("v"), q("first"), q("bad"))

        // The number of steps from lo to hi, and step k, as SQL over lo, hi and k.
        let count: String, step: String, stepCheck: String
        let tooLong = SQLError(.fillStepTooLong, range: plan.stepRange)
        switch plan.step {
        case .number(let expression):
            let size = try constants.compile(expression)
            count = "(\(integerQuotient("(\(hi) - \(lo))", size)) + 1)"
            step = "(\(lo) + \(k) * \(size))"
            stepCheck = "(\(size) IS NULL OR \(size) < 1)"
        case .duration(let amount, let unit):
            let precisions = output.fields[plan.column].datePrecisions
            guard precisions.coarsest == precisions.finest else {
                throw SQLError(.notExpressible("'fill' over dates of \(precisions) precision (it fails here when they mix, "
                                                   + "and SQL dates do not keep a precision)", in: dialect), range: range)
            }
            let needed: DatePrecision = unit == .year ? .year : unit == .month ? .month : .day
            guard precisions.allKnown(to: needed) else {
                throw SQLError(.notExpressible("'fill' of dates of \(precisions.coarsest) precision by \(unit.rawValue)s (an error here)",
                                               in: dialect), range: range)
            }
            switch unit {
            case .day, .week:
                let (width, overflow) = amount.multipliedReportingOverflow(by: unit == .week ? 7 : 1)
                guard !overflow else { throw tooLong }
                let days = "(\(dialect.epochDay(hi)) - \(dialect.epochDay(lo)))"
                count = "(\(integerQuotient(days, String(width))) + 1)"
                step = dialect.shift(lo, by: "\(k) * \(width)", .day)
            case .month, .year:
                let (width, overflow) = amount.multipliedReportingOverflow(by: unit == .year ? 12 : 1)
                guard !overflow else { throw tooLong }
                let months = "((\(try dialect.datePart(.year, of: hi)) - \(try dialect.datePart(.year, of: lo))) * 12 + "
                    + "\(try dialect.datePart(.month, of: hi)) - \(try dialect.datePart(.month, of: lo)))"
                count = "(\(integerQuotient(months, String(width))) + 1)"
                step = dialect.shift(lo, by: "\(k) * \(width)", .month)
            }
            stepCheck = "FALSE"
        }

        // The bounds: `from` and `to`, or the smallest and largest value of the column.
        let bounds = name()
        let low = try plan.from.map { (e) throws(SQLError) in try constants.compile(e) } ?? "\(q("min"))"
        let high = try plan.to.map { (e) throws(SQLError) in try constants.compile(e) } ?? "\(q("max"))"
        let nullBound = [plan.from.map { _ in "\(low) IS NULL" }, plan.to.map { _ in "\(high) IS NULL" }].compactMap { $0 }
        let extremes = "SELECT MIN(\(column)) AS \(q("min")), MAX(\(column)) AS \(q("max")) FROM \(input)"
        ctes.append("\(bounds) AS (SELECT \(lo), \(hi), "
                    + "CASE WHEN \(lo) IS NULL OR \(hi) IS NULL OR \(hi) < \(lo) THEN NULL ELSE \(count) END AS \(n), "
                    + "(\((nullBound + ["\(hi) < \(lo)", stepCheck]).joined(separator: " OR "))) AS \(bad) "
                    + "FROM (SELECT \(low) AS \(lo), \(high) AS \(hi) FROM (\(extremes)) AS \(q("m"))) AS \(q("b")))")

        // The steps: k from 0 to n - 1, each at most hi (a clamped month end can pass it).
        let numbers = name(), steps = name()
        let carried = "\(lo), \(hi), \(n)"
        switch dialect {
        case .duckdb:
            ctes.append("\(numbers) AS (SELECT UNNEST(range(0, \(n))) AS \(k), \(carried) FROM \(bounds))")
        case .postgres:
            ctes.append("\(numbers) AS (SELECT generate_series(0, \(n) - 1) AS \(k), \(carried) FROM \(bounds))")
        case .spark:
            let sequence = "sequence(CAST(0 AS BIGINT), GREATEST(\(n) - 1, 0))"
            ctes.append("\(numbers) AS (SELECT explode(\(sequence)) AS \(k), \(carried) FROM \(bounds))")
        case .bigquery:
            ctes.append("\(numbers) AS (SELECT \(k), \(carried) FROM \(bounds) CROSS JOIN UNNEST(GENERATE_ARRAY(0, \(n) - 1)) AS \(k))")
        }
        let stepValues = "SELECT \(step) AS \(v), \(hi) FROM \(numbers) WHERE \(k) < \(n)"
        ctes.append("\(steps) AS (SELECT \(v) FROM (\(stepValues)) AS \(q("t")) WHERE \(v) <= \(hi))")

        // The groups, each with its first row; without keys, one group even over no rows.
        let keys = plan.keys.map { dialect.quote(schema.names[$0]) }
        let groups = name()
        if keys.isEmpty {
            ctes.append("\(groups) AS (SELECT 0 AS \(first))")
        } else {
            let list = keys.joined(separator: ", ")
            ctes.append("\(groups) AS (SELECT \(list), MIN(\(row)) AS \(first) FROM \(input) GROUP BY \(list))")
        }
        func sameGroup(_ a: String, _ b: String) -> String {
            keys.isEmpty ? "TRUE" : keys.map { dialect.sameValue("\(a).\($0)", "\(b).\($0)") }.joined(separator: " AND ")
        }

        // Present rows with their group's first row; added rows for the steps a group lacks.
        var present = schema.names.map { "i." + dialect.quote($0) }
        present += ["g.\(first)", "i.\(row)"]
        var added: [String] = []
        for (index, f) in schema.fields.enumerated() {
            if index == plan.column {
                added.append(named("s.\(v)", f.name))
            } else if plan.keys.contains(index) {
                added.append("g.\(dialect.quote(f.name))")
            } else if let item = plan.values.first(where: { $0.column == index }) {
                let sql = try constants.compile(item.expression)
                let same = item.expression.type == f.type || f.type == .null
                let typed = same ? sql : "CAST(\(item.expression.type == .null ? "NULL" : sql) AS \(try dialect.typeName(f.type)))"
                added.append(named(typed, f.name))
            } else {
                added.append(named(f.type == .null ? "NULL" : "CAST(NULL AS \(try dialect.typeName(f.type)))", f.name))
            }
        }
        added += ["g.\(first)", "CAST(NULL AS \(try dialect.typeName(.int))) AS \(row)"]
        let lacking = "NOT EXISTS (SELECT 1 FROM \(input) AS i WHERE \(sameGroup("i", "g")) AND i.\(column) = s.\(v))"
        let rows = name()
        ctes.append("\(rows) AS (SELECT \(present.joined(separator: ", ")) "
                    + "FROM \(input) AS i JOIN \(groups) AS g ON \(sameGroup("i", "g")) "
                    + "UNION ALL SELECT \(added.joined(separator: ", ")) "
                    + "FROM \(groups) AS g CROSS JOIN \(steps) AS s WHERE \(lacking))")

        // A value between lo and hi that is not a step is an error here, as a bad bound is.
        let checked = name()
        let offStep = "SELECT 1 FROM \(input) AS i CROSS JOIN \(bounds) AS b WHERE i.\(column) >= b.\(lo) AND i.\(column) <= b.\(hi) "
            + "AND NOT EXISTS (SELECT 1 FROM \(steps) AS s WHERE s.\(v) = i.\(column))"
        ctes.append("\(checked) AS (SELECT (\(bad) OR EXISTS (\(offStep))) AS \(bad) FROM \(bounds))")
        let names = schema.names.map(dialect.quote)
        let order = "ORDER BY \(first), \(dialect.bytewise(column, field.type)) ASC NULLS LAST, \(row) ASC NULLS LAST"
        let failure = dialect.failIf("c.\(bad)", "fill: a value between two steps of the series, a null bound or step, "
                                     + "or a series that ends before it starts")
        let items = names + ["ROW_NUMBER() OVER (\(order)) AS \(row)"]
        return "SELECT \(items.joined(separator: ", ")) FROM \(rows) CROSS JOIN \(checked) AS c WHERE \(failure)"
    }

    /// `x` divided by `y`, both whole, `x` not negative.
    func integerQuotient(_ x: String, _ y: String) -> String {
        switch dialect {
        case .duckdb: return "(\(x) // \(y))"
        case .postgres: return "(\(x) / \(y))"
        case .spark: return "(\(x) div \(y))"
        case .bigquery: return "DIV(\(x), \(y))"
        }
    }
}

extension SQLDialect {
    /// Whether `a` and `b` are the same value, two nulls being the same (a group key).
    package func sameValue(_ a: String, _ b: String) -> String {
        switch self {
        case .spark: return "(\(a) <=> \(b))"
        case .duckdb, .postgres, .bigquery: return "(\(a) IS NOT DISTINCT FROM \(b))"
        }
    }

    /// TRUE, or an error saying `message` where `condition` (which must read a column: a
    /// constant one is folded by PostgreSQL while planning) holds.
    package func failIf(_ condition: String, _ message: String) -> String {
        switch self {
        case .duckdb: return "(CASE WHEN \(condition) THEN error(\(string(message))) ELSE TRUE END)"
        case .spark: return "(CASE WHEN \(condition) THEN raise_error(\(string(message))) ELSE TRUE END)"
        case .bigquery: return "(CASE WHEN \(condition) THEN ERROR(\(string(message))) ELSE TRUE END)"
        case .postgres:
            // No function raises an error in PostgreSQL's SQL: a text that is not a Boolean does.
            return "(CASE WHEN \(condition) THEN CAST(CAST(\(condition) AS TEXT) || \(string(": " + message)) AS BOOLEAN) ELSE TRUE END)"
        }
    }
}
