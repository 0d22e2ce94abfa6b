// The planned query as public values: what each node of the physical plan does, with its
// expressions as written and its output columns typed, in the order `explain` lists them
// (the source, a parenthesised source's nodes under it, then each stage, with a join's right
// side after the join). An embedding program reads these instead of parsing `explain` text.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics

/// What one node of a plan does. Expressions are given as written in the query (on one line).
public enum PlanOperation: Sendable, Equatable {
    /// Reads a table of the session (embedded, loaded or bound by `let`).
    case scan(table: String)
    /// Reads the listing of the session's tables (`tables`).
    case tables
    /// Reads the result of a parenthesised pipeline, whose nodes follow one level deeper.
    case subquery
    case filter(condition: String)
    /// `select`: the columns it keeps or computes, by output name.
    case project(columns: [String])
    /// `extend` (a run of them is one node): the columns it adds or replaces.
    case extend(columns: [String])
    /// Groups by `keys` (output names) and computes `aggregates` (output names).
    case summarize(keys: [String], aggregates: [String])
    case sort(keys: [PlanSortKey])
    case take(count: String)
    /// The first `count` rows by `keys`, without sorting the rest (also what the planner makes
    /// of `sort | take`).
    case top(count: String, keys: [PlanSortKey])
    case distinct(columns: [String])
    case count
    /// A hash join on equal keys (left and right column names), and `condition`, the rest of
    /// an `on CONDITION` checked on the pairs the keys make (on every pair when there are
    /// no keys); the right side's nodes follow one level deeper.
    case join(kind: JoinKind, leftKeys: [String], rightKeys: [String], condition: String?)
    /// One row per element of a list.
    case expand(expression: String)
    /// The input's rows, then those of each of `inputs` (table names), columns matched by
    /// name; `sourceColumn` holds each row's input name. The inputs' nodes follow one level deeper.
    case union(inputs: [String], sourceColumn: String?)
    /// One row per row and listed column: the column's name in `name`, its value in `value`.
    case unpivot(columns: [String], name: String, value: String)
    /// Columns computed over groups (`keys`, as written) in an order.
    case window(keys: [String], order: [PlanSortKey], columns: [String])
    /// Rows added for the missing steps of `column` (per group of `keys`), `step` as written.
    case fill(column: String, keys: [String], step: String)
}

public struct PlanSortKey: Sendable, Equatable {
    public let expression: String
    public let descending: Bool

    public init(expression: String, descending: Bool) {
        self.expression = expression
        self.descending = descending
    }
}

extension PhysicalPlan {
    /// Each node's depth, operation, output schema and what the planner made of it, in
    /// `explain`'s order.
    package func operations(in source: Source, depth: Int = 0) -> [(depth: Int, operation: PlanOperation, schema: Schema, rewrite: String?)] {
        let plan = logical
        var result: [(depth: Int, operation: PlanOperation, schema: Schema, rewrite: String?)] = []
        switch plan.source {
        case .table(let name): result.append((depth, .scan(table: name), plan.sourceSchema, nil))
        case .catalogListing: result.append((depth, .tables, plan.sourceSchema, nil))
        case .plan:
            result.append((depth, .subquery, plan.sourceSchema, nil))
            result += inner!.operations(in: source, depth: depth + 1)
        }
        func text(_ expression: BoundExpression) -> String {
            source.text(of: source.balanced(expression.extent)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        func keys(_ specs: [SortSpec]) -> [PlanSortKey] {
            specs.map { PlanSortKey(expression: text($0.expression), descending: $0.descending) }
        }
        var input = plan.sourceSchema
        for (index, (stage, schema, _)) in plan.stages.enumerated() {
            let operation: PlanOperation
            switch stage {
            case .filter(let condition): operation = .filter(condition: text(condition))
            case .project(let columns): operation = .project(columns: columns.map(\.name))
            case .extend(let chain):
                var names: [String] = []
                for step in chain.steps { for assignment in step where !names.contains(schema.fields[assignment.target].name) {
                    names.append(schema.fields[assignment.target].name)
                } }
                operation = .extend(columns: names)
            case .summarize(let groupKeys, _, let outputs):
                operation = .summarize(keys: groupKeys.map(\.name), aggregates: outputs.dropFirst(groupKeys.count).map(\.name))
            case .sort(let specs): operation = .sort(keys: keys(specs))
            case .take(let count): operation = .take(count: text(count))
            case .top(let count, let specs): operation = .top(count: text(count), keys: keys(specs))
            case .distinct(let columns): operation = .distinct(columns: columns.map { input.fields[$0].name })
            case .count: operation = .count
            case .join(let kind, let right, let leftKeys, let rightKeys, _, let residual):
                operation = .join(kind: kind, leftKeys: leftKeys.map { input.fields[$0].name },
                                  rightKeys: rightKeys.map { right.schema.fields[$0].name }, condition: residual.map(text))
            case .expand(let expression, _): operation = .expand(expression: text(expression))
            case .window(let window):
                operation = .window(keys: window.keys.map(text), order: keys(window.order),
                                    columns: window.outputs.map { schema.fields[$0.target].name })
            case .unpivot(_, _, let names):
                operation = .unpivot(columns: names, name: schema.fields[schema.fields.count - 2].name, value: schema.fields[schema.fields.count - 1].name)
            case .fill(let fill):
                operation = .fill(column: input.fields[fill.column].name, keys: fill.keys.map { input.fields[$0].name },
                                  step: source.text(of: fill.stepRange))
            case .union(let inputs):
                operation = .union(inputs: Array(inputs.labels.dropFirst()), sourceColumn: inputs.hasSourceColumn ? schema.fields[0].name : nil)
            }
            result.append((depth, operation, schema, rewrites[index]))
            if let right = rights[index] { result += right.operations(in: source, depth: depth + 1) }
            for input in unions[index] ?? [] { result += input.operations(in: source, depth: depth + 1) }
            input = schema
        }
        return result
    }
}

extension BoundExpression {
    /// The union of the ranges of the expression and everything in it: a binary operator's
    /// own range is only the operator (for its runtime errors), so this is what covers it as
    /// written, bar the parentheses around a part, which `Source.balanced` adds back.
    var extent: SourceRange {
        var range = self.range
        func add(_ e: BoundExpression) { range = range.union(e.extent) }
        switch kind {
        case .constant, .column, .variable: break
        case .unary(_, let operand), .toFloat(let operand), .isNull(let operand, _): add(operand)
        case .binary(_, let left, let right): add(left); add(right)
        case .function(_, let arguments), .list(let arguments): arguments.forEach(add)
        case .inList(let value, let items, _): add(value); items.forEach(add)
        }
        return range
    }
}

extension Source {
    /// `range` widened until its parentheses balance (outside string literals), so that
    /// `(a or b) and c`, whose parts know only `a or b`, reads back whole.
    func balanced(_ range: SourceRange) -> SourceRange {
        var start = max(0, min(range.start, bytes.count)), end = max(start, min(range.end, bytes.count))
        var depth = 0, lowest = 0, quote: UInt8? = nil
        for byte in bytes[start..<end] {
            if let q = quote { if byte == q { quote = nil }; continue }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1; lowest = min(lowest, depth)
            default: break
            }
        }
        // Unopened ')' inside: take in as many '(' before the range; unclosed '(': as many ')' after.
        var open = -lowest
        while open > 0, start > 0 {
            start -= 1
            if bytes[start] == UInt8(ascii: "(") { open -= 1 }
        }
        var close = depth - lowest
        while close > 0, end < bytes.count {
            if bytes[end] == UInt8(ascii: ")") { close -= 1 }
            end += 1
        }
        return SourceRange(start: start, end: end)
    }
}
