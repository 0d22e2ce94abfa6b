// Which rows of the briefing made a result: the plan runs again with, beside each row, the
// set of `source` values behind it (a 64-bit mask over the sources met, no column added).
// `where`, `sort`, `take` and `top` keep their rows' sets; `extend`, `select` and `window`
// pass them along; `summarize`, `distinct` and `count` merge the sets of each group's rows;
// a join unions both sides' sets, a union keeps each input's. Stages that make rows of
// several (`expand`, `unpivot`, `fill`) give every output row all of their input's sources.
// Only queries that read a table with a `source` column run again, and only while the tables
// they read are small; a larger query is given every source its tables hold (a superset).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// The sources a query may name, as bits.
final class SourceLabels {
    var labels: [String] = []
    var bits: [String: Int] = [:]
    var overflowed = false

    func bit(_ label: String) -> UInt64 {
        if let bit = bits[label] { return 1 << UInt64(bit) }
        guard labels.count < 64 else {
            overflowed = true
            return 0
        }
        bits[label] = labels.count
        labels.append(label)
        return 1 << UInt64(labels.count - 1)
    }

    func names(_ mask: UInt64) -> [String] {
        labels.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { labels[$0] }.sorted()
    }
}

/// What the executor needs to know of the session's tables to trace sources.
package struct LineageTables {
    /// Tables whose rows name their source in a `source` column (the briefing's).
    var tracked: (String) -> Bool
    /// Sources of a `let` table as a whole, by name.
    var bound: [String: [String]]
    /// A file-loaded table's line (`PATH (loaded ...)`), by name.
    var files: [String: String]
    /// Past this many rows in the tables a query reads, sources are not traced row by row.
    var rowLimit = 100_000

    package init(tracked: @escaping (String) -> Bool, bound: [String: [String]], files: [String: String]) {
        self.tracked = tracked
        self.bound = bound
        self.files = files
    }
}

/// A table traced: the rows, each row's sources, and for a plan without merging stages, each
/// row's row in the one table it came from, with which source column each column passes on.
struct TracedTable {
    var table: Table
    var masks: [UInt64]
    var origin: (table: String, rows: [Int32], columns: [Int?])?
}

extension Executor {
    /// The provenance of a query's result; nil when it read nothing that has one.
    package func provenance(of physical: PhysicalPlan, result: Table, tables: LineageTables) -> Provenance? {
        var read: [String] = []
        physical.logical.tablesRead(into: &read)
        let files = Array(Set(read.compactMap { tables.files[$0] })).sorted()
        let labels = SourceLabels()
        var provenance = Provenance(files: files)
        let tracked = read.filter { tables.tracked($0) && tables.files[$0] == nil && tables.bound[$0] == nil }
        let bound = read.compactMap { tables.bound[$0] }.flatMap { $0 }
        if !tracked.isEmpty || !bound.isEmpty {
            let rows = read.reduce(0) { $0 + (catalog.table(named: $1)?.rowCount ?? 0) }
            if rows <= tables.rowLimit, let traced = try? trace(physical, tables, labels), !labels.overflowed {
                provenance.sources = labels.names(traced.masks.reduce(0, |))
                provenance.qualifiers = qualifiers(traced, result: result)
            } else {
                // Too large to trace again cheaply: every source the tables read hold.
                var all = Set(bound)
                for name in tracked {
                    if let column = catalog.table(named: name)?.column(named: "source") { all.formUnion(distinctStrings(column)) }
                }
                provenance.sources = all.sorted()
            }
        }
        return provenance.isEmpty ? nil : provenance
    }

    func distinctStrings(_ column: Column) -> [String] {
        var seen = Set<String>()
        for row in 0..<column.count where !column.isNull(row) {
            if case .string(let s) = column.value(at: row) { seen.insert(s) }
        }
        return Array(seen)
    }

    /// The plan run again with each row's sources.
    func trace(_ physical: PhysicalPlan, _ tables: LineageTables, _ labels: SourceLabels) throws -> TracedTable {
        var traced: TracedTable
        switch physical.input {
        case .table(let name):
            guard let table = catalog.table(named: name) else { throw Diagnostic.error("table '\(name)' is no longer defined", at: nil) }
            var masks = [UInt64](repeating: 0, count: table.rowCount)
            if let sources = tables.bound[name] {
                let mask = sources.reduce(UInt64(0)) { $0 | labels.bit($1) }
                masks = [UInt64](repeating: mask, count: table.rowCount)
            } else if tables.files[name] == nil, tables.tracked(name), let column = table.column(named: "source") {
                for row in 0..<table.rowCount where !column.isNull(row) {
                    if case .string(let s) = column.value(at: row) { masks[row] = labels.bit(s) }
                }
            }
            traced = TracedTable(table: table, masks: masks,
                                 origin: (name, (0..<Int32(table.rowCount)).map { $0 }, Array(0..<table.columns.count)))
        case .subquery(let inner):
            traced = try trace(inner, tables, labels)
        case .catalogListing:
            let table = catalog.listing()
            traced = TracedTable(table: table, masks: [UInt64](repeating: 0, count: table.rowCount), origin: nil)
        }
        for stage in physical.stages {
            try context.checkCancelled(stage.range)
            traced = try trace(stage, traced, tables: tables, labels: labels)
        }
        return traced
    }

    func trace(_ planned: PhysicalStage, _ input: TracedTable, tables: LineageTables, labels: SourceLabels) throws -> TracedTable {
        let (stage, schema, range, needed) = (planned.stage, planned.schema, planned.range, planned.needed)
        let table = input.table
        func kept(_ rows: [Int32]) -> TracedTable {
            TracedTable(table: table.gather(rows, keeping: needed), masks: rows.map { input.masks[Int($0)] },
                        origin: input.origin.map { origin in (origin.table, rows.map { origin.rows[Int($0)] }, origin.columns) })
        }
        func merged(_ output: Table, groupOfRow: [Int32], groups: Int) -> TracedTable {
            var masks = [UInt64](repeating: 0, count: groups)
            for (row, group) in groupOfRow.enumerated() where group >= 0 && Int(group) < groups { masks[Int(group)] |= input.masks[row] }
            return TracedTable(table: output, masks: masks, origin: nil)
        }
        let run = { try self.run(planned, on: table) }
        switch stage {
        case .filter(let condition):
            let mask = try evaluator.evaluate(condition, table)
            var rows: [Int32] = []
            switch mask {
            case .scalar(let value): if value == .bool(true) { rows = (0..<Int32(table.rowCount)).map { $0 } }
            case .column(let column):
                if case .bool(let values) = column.storage {
                    for i in 0..<values.count where values[i] && !column.isNull(i) { rows.append(Int32(i)) }
                }
            }
            return kept(rows)
        case .sort(let keys):
            return kept(try sortedIndices(table, keys))
        case .take(let count):
            return kept((0..<Int32(min(try rowLimit(count), table.rowCount))).map { $0 })
        case .top(let count, let keys):
            return kept(try sortedIndices(table, keys, first: try rowLimit(count)))
        case .project(let columns):
            let output = try run()
            let passed = columns.map { column -> Int? in
                if case .column(let i) = column.expression.kind { return input.origin?.columns[i] }
                return nil
            }
            return TracedTable(table: output, masks: input.masks, origin: input.origin.map { ($0.table, $0.rows, passed) })
        case .extend, .window:
            let output = try run()
            // New columns come last; the input's keep their places, unless an extend assigns
            // one again (it then holds a computed value, no longer the table's figure).
            var passed = input.origin.map { $0.columns + Array(repeating: nil, count: max(0, output.columns.count - $0.columns.count)) }
            if case .extend(let chain) = stage {
                for step in chain.steps { for assignment in step where assignment.target < (passed?.count ?? 0) { passed![assignment.target] = nil } }
            } else if Array(output.schema.names.prefix(table.columns.count)) != table.schema.names {
                passed = passed.map { Array(repeating: nil, count: $0.count) }
            }
            return TracedTable(table: output, masks: input.masks, origin: input.origin.map { ($0.table, $0.rows, passed!) })
        case .summarize(let keys, _, _):
            let output = try run()
            if keys.isEmpty { return merged(output, groupOfRow: [Int32](repeating: 0, count: table.rowCount), groups: output.rowCount) }
            let grouping = Grouping(keys: try keys.map { try evaluator.column($0.expression, table) }, rowCount: table.rowCount)
            return merged(output, groupOfRow: table.rowCount == 0 ? [] : grouping.groupOfRow, groups: output.rowCount)
        case .distinct(let indices):
            let output = try run()
            let grouping = Grouping(keys: indices.map { table.columns[$0] }, rowCount: table.rowCount)
            return merged(output, groupOfRow: table.rowCount == 0 ? [] : grouping.groupOfRow, groups: output.rowCount)
        case .count:
            return merged(try run(), groupOfRow: [Int32](repeating: 0, count: table.rowCount), groups: 1)
        case .join(let kind, _, let leftKeys, let rightKeys, let rightColumns, let residual):
            let right = try trace(planned.right!, tables, labels)
            if kind == .semi {
                // A kept row owes its place to the right rows it matched: their sources too.
                let (lefts, rights) = try conditionJoinPairs(.inner, table, right.table, leftKeys, rightKeys, rightColumns, residual, range)
                var masks = [UInt64](repeating: 0, count: table.rowCount), kept = [Bool](repeating: false, count: table.rowCount)
                for (l, r) in zip(lefts, rights) { masks[Int(l)] |= input.masks[Int(l)] | right.masks[Int(r)]; kept[Int(l)] = true }
                let rows = (0..<Int32(table.rowCount)).filter { kept[Int($0)] }
                return TracedTable(table: Table(schema: schema, columns: table.columns.map { $0.gather(rows) }, rowCount: rows.count),
                                   masks: rows.map { masks[Int($0)] }, origin: nil)
            }
            // An anti join's rows come from the left alone (right row -1).
            let (leftRows, rightRows) = residual != nil || kind == .semi || kind == .anti
                ? try conditionJoinPairs(kind, table, right.table, leftKeys, rightKeys, rightColumns, residual, range)
                : try joinRowPairs(kind, table, right.table, leftKeys, rightKeys, rightColumns: rightColumns, context: context, at: range)
            let columns = table.columns.map { $0.gather(leftRows) } + rightColumns.map { right.table.columns[$0].gather(rightRows) }
            let masks = zip(leftRows, rightRows).map { l, r in input.masks[Int(l)] | (r >= 0 ? right.masks[Int(r)] : 0) }
            return TracedTable(table: Table(schema: schema, columns: columns, rowCount: leftRows.count), masks: masks, origin: nil)
        case .union:
            let output = try run()
            var masks = input.masks
            for inner in planned.unionInputs ?? [] { masks += try trace(inner, tables, labels).masks }
            guard masks.count == output.rowCount else { return spread(output, input) }
            return TracedTable(table: output, masks: masks, origin: nil)
        case .expand, .unpivot, .fill:
            return spread(try run(), input)
        }
    }

    /// Every output row given all the input's sources: for stages whose rows come from several.
    func spread(_ output: Table, _ input: TracedTable) -> TracedTable {
        let all = input.masks.reduce(0, |)
        return TracedTable(table: output, masks: [UInt64](repeating: all, count: output.rowCount), origin: nil)
    }

    /// Each figure of the result shown without its qualifier: `personnel` without
    /// `personnel_qualifier`, `value` without `qualifier`, row by row.
    func qualifiers(_ traced: TracedTable, result: Table) -> [Int: [String?]] {
        guard let origin = traced.origin, origin.rows.count == result.rowCount,
              let source = catalog.table(named: origin.table) else { return [:] }
        let shownSourceColumns = Set(origin.columns.compactMap { $0 })
        var qualifiers: [Int: [String?]] = [:]
        for (index, sourceColumn) in origin.columns.enumerated() where index < result.columns.count {
            guard let sourceColumn else { continue }
            let name = source.schema.names[sourceColumn]
            let qualifierName = name == "value" ? "qualifier" : name + "_qualifier"
            guard let qualifierIndex = source.schema.index(of: qualifierName), !shownSourceColumns.contains(qualifierIndex) else { continue }
            let column = source.columns[qualifierIndex]
            let values = origin.rows.map { row -> String? in
                if case .string(let s) = column.value(at: Int(row)) { return s }
                return nil
            }
            if values.contains(where: { $0 != nil }) { qualifiers[index] = values }
        }
        return qualifiers
    }
}

extension Plan {
    /// The names of the tables a plan reads, its joins' and unions' included.
    package func tablesRead(into names: inout [String]) {
        switch source {
        case .table(let name): if !names.contains(name) { names.append(name) }
        case .plan(let inner): inner.tablesRead(into: &names)
        case .catalogListing: break
        }
        for (stage, _, _) in stages {
            if case .join(_, let right, _, _, _, _) = stage { right.tablesRead(into: &names) }
            if case .union(let inputs) = stage { inputs.plans.forEach { $0.tablesRead(into: &names) } }
        }
    }
}
