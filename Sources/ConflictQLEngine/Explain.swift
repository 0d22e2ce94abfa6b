// `explain` and `explain analyze`: the planned query as a tree, one row per node (the source
// table, then each stage; a join's right side, a union's inputs and a parenthesised source
// nested under it), with each node's columns, how many of them later stages need (the rest
// are never computed), and its rows: estimated from the tables' sizes, or, with analyze,
// counted while it runs, with the time each stage took (as DuckDB's and PostgreSQL's EXPLAIN
// ANALYZE show). Both print the public plan (Planning/PlanTree.swift), the same values an
// embedding program walks; `analyze` adds what the executor measured of each node.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// A node's rows as far as the plan tells before running.
public enum RowEstimate: Sendable, Equatable, CustomStringConvertible {
    /// Known: a table, a count, a take of a known size.
    case exactly(Int)
    /// A bound: a filter or a group keeps at most its input's rows.
    case atMost(Int)
    /// Not known before running (a join, an expand).
    case unknown

    /// As `explain` shows it: "9", "≤ 9" or "?".
    public var description: String {
        switch self {
        case .exactly(let rows): return String(rows)
        case .atMost(let rows): return "≤ \(rows)"
        case .unknown: return "?"
        }
    }
}

/// One row of `explain`: a node of the plan, where it sits in the tree, how it is shown, and
/// its rows as estimated from the session's tables.
public struct ExplainedNode: Sendable, Equatable {
    /// 0 for the query's own pipeline; 1 and more for a join's right side, a union's inputs
    /// or a parenthesised source.
    public let depth: Int
    /// The node as written (a table's name, or the stage's text, shortened), with what the
    /// planner made of it in brackets ("as top-N", "pushed below the join").
    public let label: String
    public let estimatedRows: RowEstimate
    public let node: PlanNode

    /// What the node does.
    public var operation: PlanOperation { node.operation }
    /// The node's output columns and their types.
    public var schema: Schema { node.schema }
    /// How many columns the node makes, and how many of them later stages need (the others
    /// are not computed).
    public var columns: Int { node.schema.fields.count }
    public var neededColumns: Int { node.neededColumns }
}

/// What `explain analyze` records while a plan runs: each node's rows and time, in the
/// order of the plan's nodes (a node, then the nodes under it), as the executor reaches them.
package final class Profile {
    var measures: [(rows: Int?, seconds: Double?)] = []

    /// A node starts: its place.
    func open() -> Int {
        measures.append((nil, nil))
        return measures.count - 1
    }

    /// The node at `node` made `rows`, in the time since `started` (0 for a table as it is).
    func close(_ node: Int, rows: Int, since started: Double?) {
        measures[node] = (rows, started.map { monotonicNow() - $0 } ?? 0)
    }
}

/// The text of a stage as written, on one line, shortened, with `note` (what the planner made
/// of it, where that differs from what was written) in brackets.
func explainLabel(_ range: SourceRange, note: String?, in source: Source?) -> String {
    guard let source else { return "" }
    let words = source.text(of: range).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
    var text = words.joined(separator: " ")
    let note = note.map { " (\($0))" } ?? ""
    if text.count + note.count > 70 { text = String(text.prefix(69 - note.count)) + "…" }
    return text + note
}

extension Executor {
    /// The explain table of `plan`: its public tree's nodes, with their rows estimated from
    /// the tables' sizes, or (analyze) counted and timed while the plan runs.
    package func explain(_ plan: PhysicalPlan, analyze: Bool, source: Source?) throws -> Table {
        let nodes = explained(plan.tree, source: source)
        let tree = nodes.map { node in String(repeating: "  ", count: node.depth) + (node.depth > 0 ? "└ " : "") + node.label }
        var named: [(String, Column)] = [
            ("plan", Table(schema: Schema([Field("plan", .string)]), rows: tree.map { [.string($0)] }).columns[0]),
            ("columns", column(nodes.map { .int(Int64($0.columns)) }, .int)),
            ("needed", column(nodes.map { .int(Int64($0.neededColumns)) }, .int)),
        ]
        if analyze {
            let profile = Profile()
            _ = try Executor(catalog: catalog, context: context, profile: profile).run(plan)
            assert(profile.measures.count == nodes.count, "the run reaches every node of the tree once")
            let measures: [(rows: Int?, seconds: Double?)] = nodes.indices.map {
                $0 < profile.measures.count ? profile.measures[$0] : (nil, nil)
            }
            named.append(("rows", column(measures.map { $0.rows.map { .int(Int64($0)) } ?? .null }, .int)))
            named.append(("ms", column(measures.map { $0.seconds.map { .float(($0 * 10_000).rounded() / 10) } ?? .null }, .float)))
        } else {
            named.append(("rows", column(nodes.map { .string($0.estimatedRows.description) }, .string)))
        }
        return Table(named)
    }

    func column(_ values: [Value], _ type: DataType) -> Column {
        var builder = ColumnBuilder(type: type, capacity: values.count)
        for value in values { builder.append(value) }
        return builder.finish()
    }

    /// The nodes of `plan` in `explain`'s order, each with its rows estimated from the
    /// catalog's tables; `source` is the query's text, for the labels.
    package func explained(_ plan: QueryPlan, source: Source?) -> [ExplainedNode] {
        var nodes: [ExplainedNode] = []
        walk(plan, depth: 0, source: source, into: &nodes)
        return nodes
    }

    /// Adds the nodes of `plan` and returns its result's estimated rows.
    @discardableResult
    func walk(_ plan: QueryPlan, depth: Int, source: Source?, into nodes: inout [ExplainedNode]) -> RowEstimate {
        var rows: RowEstimate
        switch plan.source.operation {
        case .scan(let name):
            rows = catalog.table(named: name).map { .exactly($0.rowCount) } ?? .unknown
            nodes.append(ExplainedNode(depth: depth, label: name, estimatedRows: rows, node: plan.source))
        case .tables:
            rows = .exactly(catalog.names.count)
            nodes.append(ExplainedNode(depth: depth, label: "tables", estimatedRows: rows, node: plan.source))
        case .subquery, .filter, .project, .extend, .summarize, .sort, .take, .top, .distinct, .count, .join, .expand, .union,
             .unpivot, .window, .fill:
            // A source is a scan, the listing, or a parenthesised pipeline, its one child.
            let index = nodes.count
            nodes.append(ExplainedNode(depth: depth, label: "( … )", estimatedRows: .unknown, node: plan.source))
            rows = plan.source.children.map { walk($0, depth: depth + 1, source: source, into: &nodes) }.first ?? .unknown
            nodes[index] = ExplainedNode(depth: depth, label: "( … )", estimatedRows: rows, node: plan.source)
        }
        for node in plan.stages {
            let input = rows
            rows = Executor.estimate(node.operation, input: input)
            let notes = node.rewrites.compactMap(\.note)
            let label = explainLabel(node.range ?? SourceRange(start: 0, end: 0), note: notes.isEmpty ? nil : notes.joined(separator: ", "),
                                     in: source)
            let index = nodes.count
            nodes.append(ExplainedNode(depth: depth, label: label, estimatedRows: rows, node: node))
            let childRows = node.children.map { walk($0, depth: depth + 1, source: source, into: &nodes) }
            if case .union = node.operation {
                rows = childRows.reduce(input, +)
                nodes[index] = ExplainedNode(depth: depth, label: label, estimatedRows: rows, node: node)
            }
        }
        return rows
    }

    /// The rows a stage will make, as far as the plan tells before running: exact for a
    /// count or a take of a known size; a bound ("≤ 9") for a filter or a group.
    static func estimate(_ operation: PlanOperation, input: RowEstimate) -> RowEstimate {
        let rows: Int, exact: Bool
        switch input {
        case .exactly(let n): (rows, exact) = (n, true)
        case .atMost(let n): (rows, exact) = (n, false)
        case .unknown:
            if case .count = operation { return .exactly(1) }
            return .unknown
        }
        switch operation {
        case .filter, .distinct: return .atMost(rows)
        case .summarize(let keys, _): return keys.isEmpty ? .exactly(1) : .atMost(rows)
        case .project, .sort, .extend, .window: return input
        case .take(let count), .top(let count, _):
            if case .constant(.int(let n)) = count.kind, n >= 0 {
                let kept = min(Int(clamping: n), rows)
                return exact ? .exactly(kept) : .atMost(kept)
            }
            return .atMost(rows)
        case .count: return .exactly(1)
        case .unpivot(let columns, _, _):
            let (product, overflow) = rows.multipliedReportingOverflow(by: columns.count)
            return overflow ? .unknown : exact ? .exactly(product) : .atMost(product)
        case .join, .expand, .union, .fill, .scan, .tables, .subquery: return .unknown
        }
    }
}

extension RowEstimate {
    /// The rows of two inputs end to end.
    static func + (a: RowEstimate, b: RowEstimate) -> RowEstimate {
        switch (a, b) {
        case (.exactly(let x), .exactly(let y)): return .exactly(x + y)
        case (.exactly(let x), .atMost(let y)), (.atMost(let x), .exactly(let y)), (.atMost(let x), .atMost(let y)): return .atMost(x + y)
        default: return .unknown
        }
    }
}
