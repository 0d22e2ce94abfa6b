// What the checker produces: every name resolved to a column index or a binding, every
// expression typed. The evaluator runs plans and never looks at names again.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

/// A checked expression: what the evaluator runs. Its parts are the engine's own; a program
/// that embeds the library reads a plan's expressions as `PlanExpression` values.
public final class BoundExpression: @unchecked Sendable {
    package indirect enum Kind {
        case constant(Value)
        case column(Int)
        /// A scalar `let` binding, read when the statement runs.
        case variable(String)
        case unary(UnaryOperator, BoundExpression)
        case binary(BinaryOperator, BoundExpression, BoundExpression)
        case function(ScalarFunction, [BoundExpression])
        case inList(BoundExpression, [BoundExpression], negated: Bool)
        case isNull(BoundExpression, negated: Bool)
        case list([BoundExpression])
        /// An Int widened to Float where Int and Float meet.
        case toFloat(BoundExpression)
    }

    package let kind: Kind
    public let type: DataType
    /// Where the expression (for operators: the operator) is, for runtime errors.
    package let range: SourceRange
    /// For a Date: the precisions its values may have (Core/Foundation/DatePrecisions.swift).
    package let datePrecisions: DatePrecisions

    package init(_ kind: Kind, _ type: DataType, _ range: SourceRange, datePrecisions: DatePrecisions = .any) {
        self.kind = kind
        self.type = type
        self.range = range
        self.datePrecisions = datePrecisions
    }
}

package struct AggregateCall {
    package var function: AggregateFunction
    package var argument: BoundExpression?
    package var distinct: Bool
    package var type: DataType
    package var range: SourceRange
    /// percentile's p, from 0 to 100 (median is 50).
    package var percentile: Double = 50
}

package struct SortSpec {
    package var expression: BoundExpression
    package var descending: Bool
}

package indirect enum PlanSource {
    /// A table of the catalog (embedded, loaded or bound by `let`), read when the plan runs.
    case table(String)
    case plan(Plan)
    /// The `tables` listing of the catalog.
    case catalogListing
}

package enum PlanStage {
    case filter(BoundExpression)
    case project([(name: String, expression: BoundExpression)])
    /// Groups by `keys`, computes `aggregates`, then evaluates `outputs` over the table of
    /// keys followed by aggregates.
    case summarize(keys: [(name: String, expression: BoundExpression)], aggregates: [AggregateCall],
                   outputs: [(name: String, expression: BoundExpression)])
    case sort([SortSpec])
    case take(BoundExpression)
    case top(BoundExpression, [SortSpec])
    case distinct([Int])
    case count
    /// Output: every left column, then the right columns listed in `rightColumns`, named as
    /// in the plan's schema (none for `semi` and `anti`). `residual`, when present, is the
    /// rest of an `on CONDITION` beyond its equality keys, over the left columns then all the
    /// right ones: a pair of rows matches when the keys are equal and it is true.
    case join(JoinKind, right: Plan, leftKeys: [Int], rightKeys: [Int], rightColumns: [Int], residual: BoundExpression?)
    /// One row per element of the list `expression`; the element goes to column `replacing`
    /// (the list column itself) or, when nil, to a new last column.
    case expand(BoundExpression, replacing: Int?)
    /// A run of `extend` stages (Semantics/ExtendChain.swift).
    case extend(ExtendChain)
    /// The input's rows, then each input's (Semantics/Union.swift).
    case union(UnionInputs)
    /// Columns computed over groups of rows in an order (Semantics/Window.swift).
    case window(WindowPlan)
    /// One row per row and listed column: the kept columns, then the column's name and value.
    case unpivot(kept: [Int], columns: [Int], names: [String])
    /// Rows added for the steps of a series that no row holds (Semantics/Fill.swift).
    case fill(FillPlan)
}

/// A checked pipeline, the logical plan: its source, then its stages with their output
/// columns. Its parts are the engine's own; `plan(_:)` gives the plan as the executor will run
/// it, as public values to walk.
public final class Plan: @unchecked Sendable {
    package let source: PlanSource
    package let stages: [(stage: PlanStage, schema: Schema, range: SourceRange)]
    package let sourceSchema: Schema

    package init(source: PlanSource, sourceSchema: Schema, stages: [(stage: PlanStage, schema: Schema, range: SourceRange)]) {
        self.source = source
        self.sourceSchema = sourceSchema
        self.stages = stages
    }

    /// The result's columns and their types.
    public var schema: Schema { stages.last?.schema ?? sourceSchema }
}

/// A checked statement, ready to run.
public enum CheckedStatement {
    case query(Plan)
    case scalar(BoundExpression)
    case bindTable(String, Plan)
    case bindScalar(String, BoundExpression)
    case describe(String)
    /// A query ending in `chart`: the plan below it, and the chart drawn from its rows.
    case chart(Plan, ChartSpec)
    /// `chart` is shown as the last node when the query ends in one.
    case explain(Plan, analyze: Bool, chart: ChartSpec?)
    /// The SQL of a query for a dialect;
    /// a chart is drawn by conflictql from the rows of that SQL.
    case explainSQL(Plan, dialect: SQLDialect, chart: ChartSpec?)
    /// One file, or (a pattern, several paths) many as one table.
    case load(paths: [String], name: String, options: LoadOptions)

    /// The plan of the rows the statement makes or shows: a query's, a table `let` binds, the
    /// rows a chart draws, the query `explain` shows; nil for the others.
    public var plan: Plan? {
        switch self {
        case .query(let plan), .bindTable(_, let plan), .chart(let plan, _), .explain(let plan, _, _), .explainSQL(let plan, _, _):
            return plan
        case .scalar, .bindScalar, .describe, .load:
            return nil
        }
    }
}

extension BoundExpression {
    /// The input columns the expression reads.
    package func referencedColumns(into set: inout Set<Int>) {
        switch kind {
        case .column(let index): set.insert(index)
        case .constant, .variable: break
        case .toFloat(let e), .unary(_, let e), .isNull(let e, _): e.referencedColumns(into: &set)
        case .binary(_, let a, let b): a.referencedColumns(into: &set); b.referencedColumns(into: &set)
        case .function(_, let arguments), .list(let arguments): for a in arguments { a.referencedColumns(into: &set) }
        case .inList(let e, let items, _): e.referencedColumns(into: &set); for i in items { i.referencedColumns(into: &set) }
        }
    }
}
