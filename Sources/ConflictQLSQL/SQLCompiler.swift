// Checked pipelines as SQL: each stage becomes one common table expression (WITH _cq_s0 AS ...,
// _cq_s1 AS ...) over the one before, as PRQL compiles its pipelines. A hidden `_cq_row` column
// carries ConflictQL's row order through every stage (a filter keeps it, a sort renumbers
// it, a group takes its first row's), so `take` without `sort`, the order of groups and the
// final ORDER BY are the same as here, and results can be compared row for row.
//
// Tables: the briefing's and loaded ones are read by name, with the `_cq_row` column that
// `schemaScript` creates for them; `let` tables become views; `let` values are inlined.
// A remote engine's table is read through the SELECT its catalogue gave (`tableSources`:
// its columns cast to the types assumed here, and its `_cq_row`).
//
// Every name the SQL makes for itself (the row and part columns, window and unnest columns,
// the common table expressions, lambda parameters) begins with `_cq_`, and a user's column,
// table or view whose name begins so (in any case: DuckDB and BigQuery fold it) is refused.
// Otherwise `extend _cq_row = ...` reorders the rows, a column `w0` hides a window's result,
// and a view named `s2` is read as the query's own second step. Only the summary's `k0`,
// `a0` keep short names: the step that holds them holds no user column.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

package struct SQLCompiler {
    let dialect: SQLDialect
    package var values: [String: String] = [:]
    /// The tables the script can read at this statement (name, schema, description), for the
    /// `tables` listing and `describe`.
    package var catalog: [(name: String, schema: Schema, description: String)] = []
    /// The `let` tables made so far, as views that carry the order column.
    package var views: Set<String> = []
    /// For a table of a remote engine, the SELECT that reads it (ConflictQLRemote's catalogue).
    package var tableSources: [String: String] = [:]
    var cteCount = 0
    /// The stage each common table expression of the query being compiled came from, by its
    /// index in the list (a table's read has none): `steps` of the last `query`.
    var stepRanges: [Int: SourceRange] = [:]
    /// The last `query`'s common table expressions and where each came from.
    package private(set) var steps = SQLSteps(definitions: [], ranges: [])
    package static let rowColumn = internalName("row")
    static let reservedPrefix = "_cq_"

    /// A name in the SQL's own space, which no user name may enter.
    static func internalName(_ name: String) -> String { reservedPrefix + name }

    /// Refuses a user's name that is in the SQL's own space.
    package static func checkUserNames(_ names: [String], range: SourceRange?) throws(SQLError) {
        for name in names where name.lowercased().hasPrefix(reservedPrefix) {
            throw SQLError(.reservedSQLName(name, prefix: reservedPrefix), range: range)
        }
    }

    package init(dialect: SQLDialect) { self.dialect = dialect }

    /// The SQL of a whole query: its rows in ConflictQL's order, its columns by name.
    /// `castingOutputs` casts each output column to the SQL type of its ConflictQL type, so
    /// that a client reading the rows (ConflictQLRemote) meets only those types.
    package mutating func query(_ plan: Plan, castingOutputs: Bool = false) throws(SQLError) -> String {
        var ctes: [String] = []
        stepRanges = [:]
        let last = try compile(plan, into: &ctes)
        steps = SQLSteps(definitions: ctes, ranges: ctes.indices.map { stepRanges[$0] })
        let columns = try plan.schema.fields.map { (field) throws(SQLError) -> String in
            let name = dialect.quote(field.name)
            guard castingOutputs, field.type != .null else { return name }
            return "CAST(\(name) AS \(try dialect.typeName(field.type))) AS \(name)"
        }.joined(separator: ", ")
        return "WITH " + ctes.joined(separator: ",\n") + "\nSELECT \(columns.isEmpty ? "*" : columns) FROM \(last) ORDER BY \(row)"
    }

    var row: String { dialect.quote(SQLCompiler.rowColumn) }

    mutating func name() -> String {
        defer { cteCount += 1 }
        return SQLCompiler.internalName("s\(cteCount)")
    }

    /// Appends the CTEs of `plan` to `ctes`; returns the name of the last.
    mutating func compile(_ plan: Plan, into ctes: inout [String]) throws(SQLError) -> String {
        var current = name()
        try SQLCompiler.checkUserNames(plan.sourceSchema.names, range: nil)
        switch plan.source {
        case .table(let table):
            if let source = tableSources[table] {
                ctes.append("\(current) AS (\(source))")
                break
            }
            try SQLCompiler.checkUserNames([table], range: nil)
            let columns = plan.sourceSchema.names.map(dialect.quote)
            if views.contains(table) {
                // A `let` view keeps the order column of the query that made it.
                ctes.append("\(current) AS (SELECT \((columns + [row]).joined(separator: ", ")) FROM \(dialect.quote(table)))")
            } else {
                // A table's rows in the order the engine reads them: the file's, as stored.
                let numbered = columns + [named(dialect.rowNumber, SQLCompiler.rowColumn)]
                ctes.append("\(current) AS (SELECT \(numbered.joined(separator: ", ")) FROM \(dialect.quote(table)))")
            }
        case .plan(let inner):
            let innerName = try compile(inner, into: &ctes)
            ctes.append("\(current) AS (SELECT * FROM \(innerName))")
        case .catalogListing:
            // The tables are known when the SQL is written; only their rows are counted there.
            try SQLCompiler.checkUserNames(catalog.map(\.name), range: nil)
            let rows = catalog.enumerated().map { i, table in
                let items = [named(dialect.string(table.name), "name"),
                             named("(SELECT COUNT(*) FROM \(dialect.quote(table.name)))", "rows"),
                             named(String(table.schema.fields.count), "columns"), named(dialect.string(table.description), "description"),
                             named(String(i + 1), SQLCompiler.rowColumn)]
                return "SELECT \(items.joined(separator: ", "))"
            }
            let noText = "CAST(NULL AS \(try dialect.typeName(.string)))"
            let empty = "SELECT \(named(noText, "name")), 0 AS \(dialect.quote("rows")), 0 AS \(dialect.quote("columns")), "
                + "\(named(noText, "description")), 0 AS \(row) "
                + "FROM (SELECT 1 AS \(dialect.quote("_cq_x"))) AS \(dialect.quote("_cq_t")) WHERE FALSE"
            ctes.append("\(current) AS (\(rows.isEmpty ? empty : rows.joined(separator: " UNION ALL ")))")
        }
        var schema = plan.sourceSchema
        let needed = plan.neededColumns()
        for (index, (stage, output, range)) in plan.stages.enumerated() {
            try SQLCompiler.checkUserNames(output.names, range: range)
            let first = ctes.count
            let body = try compile(stage, from: current, input: schema, output: output, needed: needed[index], range: range, ctes: &ctes)
            let next = name()
            ctes.append("\(next) AS (\(body))")
            // This stage's steps, but not those of a pipeline it reads (a join's right side),
            // which have their own stages.
            for step in first..<ctes.count where stepRanges[step] == nil { stepRanges[step] = range }
            current = next
            schema = output
        }
        return current
    }

    func expressions(_ input: Schema, prefix: String = "") -> SQLExpressionCompiler {
        SQLExpressionCompiler(dialect: dialect, columns: input.names.map { prefix + dialect.quote($0) }, values: values)
    }

    func named(_ sql: String, _ name: String) -> String { "\(sql) AS \(dialect.quote(name))" }

    /// One stage over `input`; `needed` holds the output columns later stages read.
    mutating func compile(_ stage: PlanStage, from input: String, input schema: Schema, output: Schema, needed: Set<Int>,
                          range: SourceRange, ctes: inout [String]) throws(SQLError) -> String {
        let all = (schema.names + [SQLCompiler.rowColumn]).map(dialect.quote).joined(separator: ", ")
        let e = expressions(schema)
        switch stage {
        case .filter(let condition):
            // A condition that reads no column is a one-time filter in PostgreSQL, computed
            // once even over no rows, where ConflictQL computes nothing: tied to a row, it is
            // computed only where there are rows, as here.
            var read = Set<Int>()
            condition.referencedColumns(into: &read)
            let sql = try e.compile(condition)
            if read.isEmpty { return "SELECT \(all) FROM \(input) WHERE (CASE WHEN \(row) IS NOT NULL THEN \(sql) ELSE FALSE END)" }
            return "SELECT \(all) FROM \(input) WHERE \(sql)"

        case .extend(let chain):
            // One SELECT per step, each over the table as the step before left it.
            var names = schema.names
            var from = input
            var body = ""
            for (index, step) in chain.steps.enumerated() {
                let e = expressions(Schema(names.map { Field($0, .null) }))
                var items = names.map(dialect.quote)
                for assignment in step {
                    if assignment.target == names.count {
                        names.append(output.names[assignment.target])
                        items.append(named(try e.compile(assignment.expression), names[assignment.target]))
                    } else {
                        items[assignment.target] = named(try e.compile(assignment.expression), names[assignment.target])
                    }
                }
                body = "SELECT \((items + [row]).joined(separator: ", ")) FROM \(from)"
                if index < chain.steps.count - 1 {
                    from = name()
                    ctes.append("\(from) AS (\(body))")
                }
            }
            return body

        case .project(let columns):
            let items = try columns.map { (c) throws(SQLError) in named(try e.compile(c.expression), c.name) }
            return "SELECT \((items + [row]).joined(separator: ", ")) FROM \(input)"

        case .summarize(let keys, let aggregates, let outputs):
            // Keys and aggregates first (k0.., a0..), then the outputs computed over them.
            let keyItems = try keys.enumerated().map { (i, k) throws(SQLError) in named(try e.compile(k.expression), "k\(i)") }
            let aggregateItems = try aggregates.enumerated().map { (i, a) throws(SQLError) in named(try aggregateSQL(a, e, window: nil), "a\(i)") }
            let first = keys.isEmpty ? "0" : "MIN(\(row))"
            let groupBy = keys.isEmpty ? "" : " GROUP BY " + (1...keys.count).map(String.init).joined(separator: ", ")
            let grouped = name()
            ctes.append("\(grouped) AS (SELECT \((keyItems + aggregateItems + [named(first, SQLCompiler.rowColumn)]).joined(separator: ", ")) FROM \(input)\(groupBy))")
            let inner = SQLExpressionCompiler(dialect: dialect, columns: (0..<keys.count).map { dialect.quote("k\($0)") }
                                                + (0..<aggregates.count).map { dialect.quote("a\($0)") }, values: values)
            let items = try outputs.map { (o) throws(SQLError) in named(try inner.compile(o.expression), o.name) }
            return "SELECT \((items + [row]).joined(separator: ", ")) FROM \(grouped)"

        case .sort(let keys):
            let names = schema.names.map(dialect.quote).joined(separator: ", ")
            return "SELECT \(names)\(names.isEmpty ? "" : ", ")ROW_NUMBER() OVER (ORDER BY \(try order(keys, e))) AS \(row) FROM \(input)"

        case .take(let count):
            return try first(count, of: input, all)

        case .top(let count, let keys):
            let names = schema.names.map(dialect.quote).joined(separator: ", ")
            let sorted = name()
            ctes.append("\(sorted) AS (SELECT \(names)\(names.isEmpty ? "" : ", ")ROW_NUMBER() OVER (ORDER BY \(try order(keys, e))) AS \(row) FROM \(input))")
            return try first(count, of: sorted, all)

        case .distinct(let indices):
            let names = indices.map { dialect.quote(schema.names[$0]) }
            if names.isEmpty { return "SELECT MIN(\(row)) AS \(row) FROM \(input)" }
            return "SELECT \(names.joined(separator: ", ")), MIN(\(row)) AS \(row) FROM \(input) GROUP BY \(names.joined(separator: ", "))"

        case .count:
            return "SELECT COUNT(*) AS \(dialect.quote("count")), 0 AS \(row) FROM \(input)"

        case .join(let kind, let rightPlan, let leftKeys, let rightKeys, let rightColumns, let residual):
            let right = try compile(rightPlan, into: &ctes)
            let rightSchema = rightPlan.schema
            let leftItems = schema.names.map { "l." + dialect.quote($0) }
            let rightItems = rightColumns.enumerated().map { i, c in
                "r.\(dialect.quote(rightSchema.names[c])) AS \(dialect.quote(output.names[schema.names.count + i]))"
            }
            // Keys of different types meet as their common type (Int with Float, or a column of
            // nulls, which SQL would otherwise type as text).
            var on = try zip(leftKeys, rightKeys).map { (l, r) throws(SQLError) -> String in
                let left = "l.\(dialect.quote(schema.names[l]))", right = "r.\(dialect.quote(rightSchema.names[r]))"
                let (a, b) = (schema.fields[l].type, rightSchema.fields[r].type)
                guard a != b, let common = DataType.common(a, b), common != .null else { return "\(left) = \(right)" }
                let type = try dialect.typeName(common)
                return "CAST(\(left) AS \(type)) = CAST(\(right) AS \(type))"
            }
            if let residual {
                // The condition reads the pair: the left columns, then the right ones. Here it
                // is computed only for pairs whose keys match; an engine may compute it for any
                // pair, where it may fail (a division by a right column that is 0 elsewhere).
                let pair = SQLExpressionCompiler(dialect: dialect, columns: leftItems + rightSchema.names.map { "r." + dialect.quote($0) },
                                                 values: values)
                let condition = try pair.compile(residual)
                on.append(on.isEmpty ? "(\(condition))" : "(CASE WHEN \(on.joined(separator: " AND ")) THEN \(condition) ELSE FALSE END)")
            }
            let condition = on.isEmpty ? "TRUE" : on.joined(separator: " AND ")
            switch kind {
            case .semi, .anti:
                // Each left row once, in its order: EXISTS never repeats it.
                return "SELECT \((leftItems + ["l.\(row)"]).joined(separator: ", ")) FROM \(input) AS l WHERE \(kind == .anti ? "NOT " : "")EXISTS (SELECT 1 FROM \(right) AS r WHERE \(condition))"
            case .inner, .left:
                let ordered = "ROW_NUMBER() OVER (ORDER BY l.\(row), r.\(row)) AS \(row)"
                return "SELECT \((leftItems + rightItems + [ordered]).joined(separator: ", ")) FROM \(input) AS l \(kind == .left ? "LEFT JOIN" : "JOIN") \(right) AS r ON \(condition)"
            }

        case .window(let window):
            // The calls as window functions beside the input's columns, then the outputs over
            // both. As in the engine (WindowExecution.swift), only the outputs a later stage
            // reads and the calls they read: an unread call may fail on a row (moving_avg(1 /
            // x, 3)) where the engine, which does not compute it, answers. The other outputs
            // are typed nulls.
            let outputs = window.neededOutputs(needed)
            let used = window.calls(readBy: outputs, inputWidth: schema.fields.count)
            var calls: [String] = []
            for (i, call) in window.calls.enumerated() where used.contains(i) {
                calls.append(named(try windowCall(call, window, e), SQLCompiler.internalName("w\(i)")))
            }
            let computed = name()
            ctes.append("\(computed) AS (SELECT \((schema.names.map(dialect.quote) + calls + [row]).joined(separator: ", ")) FROM \(input))")
            let over = SQLExpressionCompiler(dialect: dialect, columns: schema.names.map(dialect.quote) + window.calls.indices.map { dialect.quote(SQLCompiler.internalName("w\($0)")) },
                                             values: values)
            var items = schema.names.map(dialect.quote)
            for (target, expression) in window.outputs {
                let type = output.fields[target].type
                let sql = outputs.contains { $0.target == target } ? try over.compile(expression)
                    : type == .null ? "NULL" : "CAST(NULL AS \(try dialect.typeName(type)))"
                let item = named(sql, output.names[target])
                if target < items.count { items[target] = item } else { items.append(item) }
            }
            return "SELECT \((items + [row]).joined(separator: ", ")) FROM \(computed)"

        case .fill(let plan):
            return try fill(plan, from: input, schema: schema, output: output, range: range, ctes: &ctes)

        case .unpivot(let kept, let columns, let names):
            // One SELECT per listed column, then rows numbered by input row, then column.
            let part = dialect.quote(SQLCompiler.internalName("part"))
            let valueType = output.fields[output.fields.count - 1].type
            let keptItems = kept.map { dialect.quote(schema.names[$0]) }
            let selects = try columns.enumerated().map { (c, column) throws(SQLError) -> String in
                let value = schema.fields[column].type == valueType ? dialect.quote(schema.names[column])
                    : "CAST(\(dialect.quote(schema.names[column])) AS \(try dialect.typeName(valueType)))"
                let items = keptItems + [named(dialect.string(names[c]), output.names[kept.count]), named(value, output.names[kept.count + 1]),
                                         "\(c) AS \(part)", row]
                return "SELECT \(items.joined(separator: ", ")) FROM \(input)"
            }
            let unpivoted = name()
            ctes.append("\(unpivoted) AS (\(selects.joined(separator: " UNION ALL ")))")
            return "SELECT \(output.names.map(dialect.quote).joined(separator: ", ")), ROW_NUMBER() OVER (ORDER BY \(row), \(part)) AS \(row) FROM \(unpivoted)"

        case .union(let inputs):
            // UNION ALL of every input's columns in the output's order (NULL where an input
            // lacks one), then rows numbered input by input, each in its own order.
            let part = dialect.quote(SQLCompiler.internalName("part"))
            let offset = inputs.hasSourceColumn ? 1 : 0
            var sources = [(input, schema)]
            for plan in inputs.plans { sources.append((try compile(plan, into: &ctes), plan.schema)) }
            var selects: [String] = []
            for (i, (from, inputSchema)) in sources.enumerated() {
                var items: [String] = []
                if inputs.hasSourceColumn { items.append(named(dialect.string(inputs.labels[i]), output.names[0])) }
                for k in offset..<output.fields.count {
                    let field = output.fields[k]
                    guard let column = inputs.columns[i][k - offset] else {
                        items.append(named("CAST(NULL AS \(try dialect.typeName(field.type)))", field.name))
                        continue
                    }
                    let sql = dialect.quote(inputSchema.names[column])
                    items.append(named(inputSchema.fields[column].type == field.type ? sql : "CAST(\(sql) AS \(try dialect.typeName(field.type)))", field.name))
                }
                selects.append("SELECT \((items + ["\(i) AS \(part)", row]).joined(separator: ", ")) FROM \(from)")
            }
            let appended = name()
            ctes.append("\(appended) AS (\(selects.joined(separator: " UNION ALL ")))")
            let names = output.names.map(dialect.quote).joined(separator: ", ")
            return "SELECT \(names)\(names.isEmpty ? "" : ", ")ROW_NUMBER() OVER (ORDER BY \(part), \(row)) AS \(row) FROM \(appended)"

        case .expand(let list, let replacing):
            let listSQL = try expressions(schema, prefix: "t.").compile(list)
            let element = dialect.quote(SQLCompiler.internalName("element")), position = dialect.quote(SQLCompiler.internalName("position"))
            // BigQuery names UNNEST's columns directly; the others through the alias u.
            let qualifier = dialect == .bigquery ? "" : "u."
            var items = schema.names.map { "t." + dialect.quote($0) }
            let elementItem = named(qualifier + element, replacing.map { schema.names[$0] } ?? output.names.last!)
            if let replacing { items[replacing] = elementItem } else { items.append(elementItem) }
            let ordered = "ROW_NUMBER() OVER (ORDER BY t.\(row), \(qualifier)\(position)) AS \(row)"
            let unnest: String
            switch dialect {
            case .postgres:
                unnest = "CROSS JOIN LATERAL UNNEST(\(listSQL)) WITH ORDINALITY AS u(\(element), \(position))"
            case .duckdb:
                unnest = "CROSS JOIN LATERAL (SELECT UNNEST(\(listSQL)) AS \(element), generate_subscripts(\(listSQL), 1) AS \(position)) AS u"
            case .spark:
                unnest = "LATERAL VIEW posexplode(\(listSQL)) u AS \(position), \(element)"
            case .bigquery:
                unnest = "CROSS JOIN UNNEST(\(listSQL)) AS \(element) WITH OFFSET AS \(position)"
            }
            return "SELECT \((items + [ordered]).joined(separator: ", ")) FROM \(input) AS t \(unnest)"
        }
    }

    /// One window call: `... OVER (PARTITION BY keys ORDER BY order, row)`, written by the
    /// window function's or the aggregate's descriptor.
    func windowCall(_ call: WindowCall, _ window: WindowPlan, _ e: SQLExpressionCompiler) throws(SQLError) -> String {
        let keys = try window.keys.map { (k) throws(SQLError) in try e.compile(k) }
        let partition = keys.isEmpty ? "" : "PARTITION BY " + keys.joined(separator: ", ")
        func over(_ ordered: Bool, withRow: Bool = true, frame: String = "") throws(SQLError) -> String {
            guard ordered else { return "OVER (\(partition))" }
            var orderSQL = try order(window.order, e)
            if !withRow { orderSQL = String(orderSQL.dropLast(", \(row)".count)) }
            return "OVER (\(partition)\(partition.isEmpty ? "" : " ")ORDER BY \(orderSQL)\(frame))"
        }
        switch call.function {
        case .window(let function):
            let argument = try call.argument.map { (a) throws(SQLError) in
                a.type == .null ? "CAST(NULL AS \(try dialect.typeName(call.type == .float ? .float : call.type)))" : try e.compile(a)
            } ?? "NULL"
            return try function.sql(SQLWindowCall(function: function, dialect: dialect, argument: argument, type: call.type,
                                                  offset: call.offset, range: call.range) { (withRow, frame) throws(SQLError) in
                try over(true, withRow: withRow, frame: frame)
            })
        case .aggregate(let aggregate):
            let clauses = SQLWindowClauses(partition: { () throws(SQLError) in try over(false) },
                                           wholeGroupInOrder: { () throws(SQLError) in
                                               try over(true, frame: " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING")
                                           })
            return try aggregateSQL(aggregate, e, window: clauses)
        }
    }

    /// ORDER BY keys as ConflictQL sorts: nulls last both ways, text by bytes, ties by row.
    func order(_ keys: [SortSpec], _ e: SQLExpressionCompiler) throws(SQLError) -> String {
        var items: [String] = []
        for key in keys {
            if case .list = key.expression.type { throw SQLError(.sortByListNotExpressible, range: key.expression.range) }
            items.append("\(dialect.bytewise(try e.compile(key.expression), key.expression.type)) \(key.descending ? "DESC" : "ASC") NULLS LAST")
        }
        return (items + [row]).joined(separator: ", ")
    }

    /// The first `count` rows of `input` in its order: `LIMIT n`, or for a `let` value in Spark
    /// and BigQuery (whose LIMIT takes a literal only), and a count past 2^31 - 1 in Spark, the
    /// rows numbered up to it.
    func first(_ count: BoundExpression, of input: String, _ all: String) throws(SQLError) -> String {
        let sql = try expressions(Schema([])).compile(count)
        // Spark's LIMIT is a 32-bit INT: a larger constant goes the way of a `let` value.
        if case .constant(.int(let n)) = count.kind, dialect != .spark || n <= Int64(Int32.max) {
            return "SELECT \(all) FROM \(input) ORDER BY \(row) LIMIT \(sql)"
        }
        if dialect == .duckdb || dialect == .postgres { return "SELECT \(all) FROM \(input) ORDER BY \(row) LIMIT (\(sql))" }
        let rank = dialect.quote(SQLCompiler.internalName("rank"))
        let numbered = "SELECT \(all), ROW_NUMBER() OVER (ORDER BY \(row)) AS \(rank) FROM \(input)"
        return "SELECT \(all) FROM (\(numbered)) AS \(dialect.quote(SQLCompiler.internalName("t"))) WHERE \(rank) <= \(sql)"
    }
}

/// A compiled query's common table expressions (`_cq_s0 AS (...)`, in the order the query's
/// `WITH` lists them) and the range of the stage each came from, so that an error an engine
/// raises can be shown at the stage whose SQL raised it: by the position it gives into the
/// SQL text, or, for an error raised while running (which carries none), by running the
/// steps one by one until one raises it (`probe`).
package struct SQLSteps: Sendable {
    package var definitions: [String]
    package var ranges: [SourceRange?]

    /// The step holding `position` (1-based, in characters as PostgreSQL counts them: code
    /// points) of the SQL `query` wrote, or nil when it is past the steps (the final SELECT).
    package func step(atCharacter position: Int) -> Int? {
        var end = "WITH ".unicodeScalars.count
        for (index, definition) in definitions.enumerated() {
            end += definition.unicodeScalars.count + ",\n".unicodeScalars.count
            if position <= end { return index }
        }
        return nil
    }

    /// A query that computes every column of every row of step `index` and answers one
    /// number: each dialect's whole-row reference keeps the engine from skipping the columns
    /// nothing reads. Spark refuses `COUNT(t.*)` and drops a test it knows to be true (`hash(*)
    /// IS NOT NULL`), so it takes the largest hash of the rows.
    package func probe(_ index: Int, dialect: SQLDialect) -> String {
        let name = String(definitions[index].prefix { $0 != " " })
        let answer = switch dialect {
        case .duckdb, .postgres: "COUNT(\(name).*) FROM \(name)"
        case .spark: "MAX(hash(*)) FROM \(name)"
        case .bigquery: "COUNT(TO_JSON_STRING(\(name))) FROM \(name)"
        }
        return "WITH " + definitions[...index].joined(separator: ",\n") + "\nSELECT " + answer
    }
}
