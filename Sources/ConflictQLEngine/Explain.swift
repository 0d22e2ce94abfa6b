// `explain` and `explain analyze`: the checked plan as a tree, one row per node (the source
// table, then each stage; a join's right side and a parenthesised source nested under it),
// with each node's columns, how many of them later stages need (the rest are never computed),
// and its rows: estimated from the tables' sizes, or, with analyze, counted while it runs,
// with the time each stage took (as DuckDB's and PostgreSQL's EXPLAIN ANALYZE show).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// What `explain analyze` records while a plan runs.
package final class Profile {
    package struct Node {
        package var depth: Int
        package var label: String
        package var columns: Int
        package var read: Int
        package var estimate: String
        var rows: Int?
        var seconds: Double?
    }

    let source: Source?
    package var nodes: [Node] = []
    var depth = 0

    init(source: Source?) { self.source = source }

    /// The text of a stage as written, on one line, shortened.
    func label(_ range: SourceRange, rewritten: String? = nil) -> String {
        guard let source else { return "" }
        let words = source.text(of: range).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        var text = words.joined(separator: " ")
        // What the planner made of it, where that differs from what was written.
        let note = rewritten.map { " (\($0))" } ?? ""
        if text.count + note.count > 70 { text = String(text.prefix(69 - note.count)) + "…" }
        return text + note
    }
}

extension Executor {
    /// The rows a node will make, as far as the plan tells before running: exact for a
    /// table, a count or a take of a known size; a bound ("≤ 9") for a filter or a group.
    static func estimate(_ stage: PlanStage, input: (rows: Int, exact: Bool)?) -> (rows: Int, exact: Bool)? {
        guard let input else {
            if case .count = stage { return (1, true) }
            return nil
        }
        switch stage {
        case .filter, .distinct: return (input.rows, false)
        case .summarize(let keys, _, _): return keys.isEmpty ? (1, true) : (input.rows, false)
        case .project, .sort, .extend, .window: return input
        case .take(let count), .top(let count, _):
            if case .constant(.int(let n)) = count.kind, n >= 0 { return (min(Int(clamping: n), input.rows), input.exact) }
            return (input.rows, false)
        case .count: return (1, true)
        case .unpivot(_, let columns, _):
            let (rows, overflow) = input.rows.multipliedReportingOverflow(by: columns.count)
            return overflow ? nil : (rows, input.exact)
        case .join, .expand, .union, .fill: return nil
        }
    }

    static func describe(_ estimate: (rows: Int, exact: Bool)?) -> String {
        guard let estimate else { return "?" }
        return estimate.exact ? String(estimate.rows) : "≤ \(estimate.rows)"
    }

    /// The explain table of `plan`, from the nodes recorded while it ran (analyze) or from
    /// the plan alone.
    package func explain(_ plan: PhysicalPlan, analyze: Bool, source: Source?) throws -> Table {
        let profile = try self.profile(plan, analyze: analyze, source: source)
        let tree = profile.nodes.map { node in String(repeating: "  ", count: node.depth) + (node.depth > 0 ? "└ " : "") + node.label }
        var named: [(String, Column)] = [
            ("plan", Table(schema: Schema([Field("plan", .string)]), rows: tree.map { [.string($0)] }).columns[0]),
            ("columns", column(profile.nodes.map { .int(Int64($0.columns)) }, .int)),
            ("needed", column(profile.nodes.map { .int(Int64($0.read)) }, .int)),
        ]
        if analyze {
            named.append(("rows", column(profile.nodes.map { $0.rows.map { .int(Int64($0)) } ?? .null }, .int)))
            named.append(("ms", column(profile.nodes.map { $0.seconds.map { .float(($0 * 10_000).rounded() / 10) } ?? .null }, .float)))
        } else {
            named.append(("rows", column(profile.nodes.map { .string($0.estimate) }, .string)))
        }
        return Table(named)
    }

    /// The nodes of `plan`: recorded while it runs (analyze), or from the plan alone.
    package func profile(_ plan: PhysicalPlan, analyze: Bool, source: Source?) throws -> Profile {
        let profile = Profile(source: source)
        let executor = Executor(catalog: catalog, context: context, profile: profile)
        if analyze {
            _ = try executor.run(plan)
        } else {
            executor.walk(plan)
        }
        return profile
    }

    func column(_ values: [Value], _ type: DataType) -> Column {
        var builder = ColumnBuilder(type: type, capacity: values.count)
        for value in values { builder.append(value) }
        return builder.finish()
    }

    /// Records the nodes of `plan` without running it (plain `explain`).
    @discardableResult
    func walk(_ physical: PhysicalPlan) -> (rows: Int, exact: Bool)? {
        guard let profile else { return nil }
        let plan = physical.logical
        var rows: (rows: Int, exact: Bool)?
        switch plan.source {
        case .table(let name):
            rows = catalog.table(named: name).map { ($0.rowCount, true) }
            profile.nodes.append(.init(depth: profile.depth, label: name, columns: plan.sourceSchema.fields.count,
                                       read: physical.sourceNeeded.count, estimate: Executor.describe(rows)))
        case .catalogListing:
            rows = (catalog.names.count, true)
            profile.nodes.append(.init(depth: profile.depth, label: "tables", columns: plan.sourceSchema.fields.count,
                                       read: physical.sourceNeeded.count, estimate: Executor.describe(rows)))
        case .plan:
            profile.nodes.append(.init(depth: profile.depth, label: "( … )", columns: plan.sourceSchema.fields.count,
                                       read: physical.sourceNeeded.count, estimate: "?"))
            let node = profile.nodes.count - 1
            profile.depth += 1
            rows = walk(physical.inner!)
            profile.depth -= 1
            profile.nodes[node].estimate = Executor.describe(rows)
        }
        let needed = physical.needed
        for (index, (stage, schema, range)) in plan.stages.enumerated() {
            let input = rows
            rows = Executor.estimate(stage, input: rows)
            profile.nodes.append(.init(depth: profile.depth, label: profile.label(range, rewritten: physical.rewrites[index]),
                                       columns: schema.fields.count, read: needed[index].count, estimate: Executor.describe(rows)))
            if let right = physical.rights[index] {
                profile.depth += 1
                walk(right)
                profile.depth -= 1
            }
            if let inputs = physical.unions[index] {
                let node = profile.nodes.count - 1
                profile.depth += 1
                var total = input
                for input in inputs {
                    let inputRows = walk(input)
                    if let sum = total, let more = inputRows { total = (sum.rows + more.rows, sum.exact && more.exact) } else { total = nil }
                }
                profile.depth -= 1
                rows = total
                profile.nodes[node].estimate = Executor.describe(rows)
            }
        }
        return rows
    }
}
