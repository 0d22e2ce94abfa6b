// The planned query as public values: a tree of nodes an embedding program can walk instead
// of parsing `explain` text, and which `explain` prints. A plan is a pipeline: its source,
// then its stages in the order they run, each reading the one before; a node that reads more
// than that (a join's right side, a union's inputs, a parenthesised source's pipeline) holds
// those plans as its children. Each node says what it does (one operation per kind of stage,
// expressions as typed trees), its output's columns, and what the planner made of it.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics

/// A planned pipeline: where its rows come from, then its stages.
public struct QueryPlan: Sendable, Equatable {
    /// A `.scan`, `.tables` or `.subquery` node.
    public let source: PlanNode
    /// The stages in the order they run, each reading the one before.
    public let stages: [PlanNode]

    /// The result's columns.
    public var schema: Schema { stages.last?.schema ?? source.schema }

    /// Every node of the plan and of the plans under it, in `explain`'s order (a node, then
    /// its children one level deeper), with its depth (0 for this plan's own nodes).
    public var nodes: [(depth: Int, node: PlanNode)] {
        var result: [(depth: Int, node: PlanNode)] = []
        func add(_ plan: QueryPlan, _ depth: Int) {
            for node in [plan.source] + plan.stages {
                result.append((depth, node))
                for child in node.children { add(child, depth + 1) }
            }
        }
        add(self, 0)
        return result
    }
}

/// One node of a plan.
public struct PlanNode: Sendable, Equatable {
    public let operation: PlanOperation
    /// The node's output columns and their types (for a source: the table's).
    public let schema: Schema
    /// What the planner made of the node: how it runs it, if not as written, and the output
    /// columns it does not compute because no later node reads them.
    public let rewrites: [Rewrite]
    /// Where the stage is written; nil for a source.
    public let range: SourceRange?
    /// The plans the node reads besides its input: a join's right side, a union's inputs
    /// (in order), a parenthesised source's pipeline. Empty for the others.
    public let children: [QueryPlan]

    /// How many of its output columns are computed (later nodes read them).
    public var neededColumns: Int {
        schema.fields.count - rewrites.reduce(0) { count, rewrite in
            if case .prunedColumns(let names) = rewrite { return count + names.count }
            return count
        }
    }
}

/// What the planner did to a node.
public enum Rewrite: Sendable, Equatable {
    /// `sort by K | take N` run as one `top N by K`: the best N rows are kept as they come,
    /// and the rest never sorted.
    case topN
    /// A `where` written after a join, run before it: it reads only left columns and can
    /// neither fail nor cost much, so the join sees fewer rows and the answer is the same.
    case filterPushedBelowJoin
    /// The node's output columns (by name) that no later node reads: not computed, left
    /// empty (for a source: not read).
    case prunedColumns([String])

    /// What `explain` adds to the node's text, in brackets; nil for what its columns show.
    public var note: String? {
        switch self {
        case .topN: return "as top-N"
        case .filterPushedBelowJoin: return "pushed below the join"
        case .prunedColumns: return nil
        }
    }
}

/// What one node does; one case per kind of node.
public enum PlanOperation: Sendable, Equatable {
    /// Reads a table of the session (embedded, loaded or bound by `let`).
    case scan(table: String)
    /// Reads the listing of the session's tables (`tables`).
    case tables
    /// Reads the result of a parenthesised pipeline: the node's one child.
    case subquery
    /// `where`: keeps the rows for which `condition` is true.
    case filter(condition: PlanExpression)
    /// `select`: the columns it keeps or computes.
    case project(columns: [PlanColumn])
    /// `extend` (a run of them is one node): the columns it adds or replaces, in the order it
    /// assigns them (each over the columns as the assignments before it left them).
    case extend(columns: [PlanColumn])
    /// Groups by `keys` and computes `aggregates`, the output columns after the keys (their
    /// expressions hold `.aggregate` calls and read the keys as columns).
    case summarize(keys: [PlanColumn], aggregates: [PlanColumn])
    case sort(keys: [PlanSortKey])
    case take(count: PlanExpression)
    /// The first `count` rows by `keys`, without sorting the rest (what the planner makes of
    /// `sort | take`).
    case top(count: PlanExpression, keys: [PlanSortKey])
    case distinct(columns: [String])
    case count
    /// A hash join on equal keys (left and right column names), and `condition`, the rest of
    /// an `on CONDITION` checked on the pairs the keys make (on every pair when there are
    /// no keys), over the left's columns then the right's (`left.NAME`, `right.NAME`). The
    /// right side is the node's one child.
    case join(kind: JoinKind, leftKeys: [String], rightKeys: [String], condition: PlanExpression?)
    /// One row per element of the list `list`, the element in the output column `column`.
    case expand(list: PlanExpression, column: String)
    /// The input's rows, then those of each child (`inputs`: their tables' names), columns
    /// matched by name; `sourceColumn` holds each row's input name.
    case union(inputs: [String], sourceColumn: String?)
    /// One row per row and listed column: the column's name in `name`, its value in `value`.
    case unpivot(columns: [String], name: String, value: String)
    /// Columns computed over groups (`keys`) in an order; their expressions hold `.window`
    /// and `.aggregate` calls.
    case window(keys: [PlanExpression], order: [PlanSortKey], columns: [PlanColumn])
    /// Rows added for the missing steps of `column` (per group of `keys`), from `from` to
    /// `to` when given, with `values` in the added rows' other columns.
    case fill(column: String, keys: [String], step: PlanFillStep, from: PlanExpression?, to: PlanExpression?,
              values: [PlanColumn])
}

/// A column a node computes: its output name and its expression.
public struct PlanColumn: Sendable, Equatable {
    public let name: String
    public let expression: PlanExpression

    public init(name: String, expression: PlanExpression) {
        self.name = name
        self.expression = expression
    }
}

public struct PlanSortKey: Sendable, Equatable {
    public let expression: PlanExpression
    public let descending: Bool

    public init(expression: PlanExpression, descending: Bool) {
        self.expression = expression
        self.descending = descending
    }
}

/// The distance between two rows of a filled series.
public enum PlanFillStep: Sendable, Equatable {
    /// An Int column's step.
    case number(PlanExpression)
    /// A Date column's: `n` days, weeks, months or years.
    case duration(Int64, DurationUnit)
}

extension PhysicalPlan {
    /// The plan as public values.
    package var tree: QueryPlan {
        let logical = self.logical
        func pruned(_ schema: Schema, _ needed: Set<Int>) -> [Rewrite] {
            let names = schema.fields.indices.filter { !needed.contains($0) }.map { schema.fields[$0].name }
            return names.isEmpty ? [] : [.prunedColumns(names)]
        }
        let source: PlanNode
        switch input {
        case .table(let name):
            source = PlanNode(operation: .scan(table: name), schema: logical.sourceSchema,
                              rewrites: pruned(logical.sourceSchema, sourceNeeded), range: nil, children: [])
        case .catalogListing:
            source = PlanNode(operation: .tables, schema: logical.sourceSchema,
                              rewrites: pruned(logical.sourceSchema, sourceNeeded), range: nil, children: [])
        case .subquery(let inner):
            source = PlanNode(operation: .subquery, schema: logical.sourceSchema,
                              rewrites: pruned(logical.sourceSchema, sourceNeeded), range: nil, children: [inner.tree])
        }
        var input = logical.sourceSchema
        var stages: [PlanNode] = []
        for stage in self.stages {
            var children = stage.right.map { [$0.tree] } ?? []
            children += (stage.unionInputs ?? []).map(\.tree)
            stages.append(PlanNode(operation: stage.operation(input: input), schema: stage.schema,
                                   rewrites: (stage.rewrite.map { [$0] } ?? []) + pruned(stage.schema, stage.needed),
                                   range: stage.range, children: children))
            input = stage.schema
        }
        return QueryPlan(source: source, stages: stages)
    }
}

extension PhysicalStage {
    /// What the stage does, over its input's columns `input`.
    func operation(input: Schema) -> PlanOperation {
        let lower = ExpressionLowering(input)
        func columns(_ items: [(name: String, expression: BoundExpression)], _ lower: ExpressionLowering) -> [PlanColumn] {
            items.map { PlanColumn(name: $0.name, expression: lower($0.expression)) }
        }
        switch stage {
        case .filter(let condition): return .filter(condition: lower(condition))
        case .project(let items): return .project(columns: columns(items, lower))
        case .extend(let chain):
            // Every step's columns by their place in the chain's output (a replaced column keeps its name).
            let over = ExpressionLowering(schema)
            return .extend(columns: chain.steps.flatMap { step in
                step.map { PlanColumn(name: schema.fields[$0.target].name, expression: over($0.expression)) }
            })
        case .summarize(let keys, let aggregates, let outputs):
            // The outputs read the keys, then the aggregates, as columns.
            var standIns: [Int: PlanExpression] = [:]
            for (index, call) in aggregates.enumerated() { standIns[keys.count + index] = lower.aggregate(call) }
            let grouped = ExpressionLowering(names: keys.map(\.name), standIns: standIns)
            return .summarize(keys: columns(keys, lower), aggregates: columns(Array(outputs.dropFirst(keys.count)), grouped))
        case .sort(let specs): return .sort(keys: lower.sortKeys(specs))
        case .take(let count): return .take(count: lower(count))
        case .top(let count, let specs): return .top(count: lower(count), keys: lower.sortKeys(specs))
        case .distinct(let indices): return .distinct(columns: indices.map { input.fields[$0].name })
        case .count: return .count
        case .join(let kind, let right, let leftKeys, let rightKeys, _, let residual):
            let pair = ExpressionLowering(names: input.fields.map { "left." + $0.name } + right.schema.fields.map { "right." + $0.name })
            return .join(kind: kind, leftKeys: leftKeys.map { input.fields[$0].name },
                         rightKeys: rightKeys.map { right.schema.fields[$0].name }, condition: residual.map(pair.callAsFunction))
        case .expand(let list, let replacing):
            return .expand(list: lower(list), column: schema.fields[replacing ?? schema.fields.count - 1].name)
        case .union(let inputs):
            return .union(inputs: Array(inputs.labels.dropFirst()), sourceColumn: inputs.hasSourceColumn ? schema.fields[0].name : nil)
        case .unpivot(_, _, let names):
            return .unpivot(columns: names, name: schema.fields[schema.fields.count - 2].name,
                            value: schema.fields[schema.fields.count - 1].name)
        case .window(let window):
            // The outputs read the input's columns, then the calls, as columns.
            var standIns: [Int: PlanExpression] = [:]
            for (index, call) in window.calls.enumerated() {
                switch call.function {
                case .window(let function):
                    standIns[input.fields.count + index] = PlanExpression(
                        .window(function, argument: call.argument.map(lower.callAsFunction), offset: call.offset),
                        type: call.type, range: call.argument.map { call.range.union($0.extent) } ?? call.range)
                case .aggregate(let aggregate):
                    standIns[input.fields.count + index] = lower.aggregate(aggregate)
                }
            }
            let over = ExpressionLowering(input, standIns: standIns)
            return .window(keys: window.keys.map(lower.callAsFunction), order: lower.sortKeys(window.order),
                           columns: window.outputs.map { PlanColumn(name: schema.fields[$0.target].name, expression: over($0.expression)) })
        case .fill(let fill):
            let step: PlanFillStep
            switch fill.step {
            case .number(let n): step = .number(lower(n))
            case .duration(let n, let unit): step = .duration(n, unit)
            }
            return .fill(column: input.fields[fill.column].name, keys: fill.keys.map { input.fields[$0].name }, step: step,
                         from: fill.from.map(lower.callAsFunction), to: fill.to.map(lower.callAsFunction),
                         values: fill.values.map { PlanColumn(name: input.fields[$0.column].name, expression: lower($0.expression)) })
        }
    }
}

extension PlanOperation {
    /// Every expression the node holds, in the order written (a join's condition, a sort's
    /// keys, each column's expression, ...).
    public var expressions: [PlanExpression] {
        switch self {
        case .scan, .tables, .subquery, .distinct, .count, .union, .unpivot: return []
        case .filter(let condition): return [condition]
        case .project(let columns), .extend(let columns): return columns.map(\.expression)
        case .summarize(let keys, let aggregates): return (keys + aggregates).map(\.expression)
        case .sort(let keys): return keys.map(\.expression)
        case .take(let count): return [count]
        case .top(let count, let keys): return keys.map(\.expression) + [count]
        case .join(_, _, _, let condition): return condition.map { [$0] } ?? []
        case .expand(let list, _): return [list]
        case .window(let keys, let order, let columns): return keys + order.map(\.expression) + columns.map(\.expression)
        case .fill(_, _, let step, let from, let to, let values):
            var all: [PlanExpression] = []
            if case .number(let n) = step { all.append(n) }
            return all + [from, to].compactMap { $0 } + values.map(\.expression)
        }
    }
}
