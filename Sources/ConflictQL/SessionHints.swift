// The session's side of empty-result hints (Engine/EmptyResultHints.swift): after a query
// whose result is empty, the notes that say why, for the caller to show under the result.
// A hint costs at most a small part of its query: it starts from where the run itself saw the
// rows run out (EmptyingRecord), works on samples, and stops at a time budget of a quarter of
// the query's time (at least 25 ms), giving no hint rather than a late one. Session.run
// computes it before it hands over the result, so its time is its query's.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

extension Session {
    /// The time a hint may take after a query that took `seconds`.
    static func hintBudget(after seconds: Double) -> Double { max(0.025, seconds / 4) }

    /// Notes on why `result` of `plan` is empty; nothing when it has rows. A note with no
    /// stage to point at (a table read alone) points at the statement.
    func emptyResultHints(_ plan: Plan, result: Table, statement: SourceRange, record: EmptyingRecord? = nil,
                          budget: Double = 0.025) -> [Diagnostic] {
        if result.rowCount > 1 { return [] }
        let executor = Executor(catalog: symbols, context: EvaluationContext(variables: symbols.values,
                                                                             cancellation: Cancellation(within: budget, of: cancellation)))
        return executor.emptyResultHints(PhysicalPlan(plan), result: result, source: currentSource, record: record).map { hint in
            var hint = hint
            if hint.range == nil { hint.range = statement }
            return hint
        }
    }

    /// At most this many rows of the emptying stage's input are fetched from an engine for a
    /// remote query's hint: its suggestions come from them.
    static let remoteHintRows = 10_000

    /// Notes on why a remote query's `result` is empty, found by asking the engine: how many
    /// rows each prefix of the pipeline keeps (one COUNT each, stopping at the first that
    /// keeps none), then that stage's input, at most `remoteHintRows` rows, explained here
    /// as a local one is. The budget is at least a second (a round trip each), and a query
    /// still running at its end is cancelled on the engine: no hint rather than a late one.
    func remoteEmptyResultHints(_ plan: Plan, _ connection: RemoteConnection, result: Table, statement: SourceRange,
                                budget: Double) -> [Diagnostic] {
        guard result.rowCount == 0, case .table(let name) = plan.source else { return [] }
        let within = Cancellation(within: max(1, budget), of: cancellation)
        func rows(_ stages: Int, limit: Int) throws -> Table {
            let prefix = Plan(source: plan.source, sourceSchema: plan.sourceSchema, stages: Array(plan.stages.prefix(stages)))
            let sql = try remoteSQL(of: prefix, connection, at: statement)
            return try connection.engine.table(of: sql, schema: prefix.schema, fetching: .first(limit, countingTheRest: false),
                                               cancellation: within)
        }
        func count(_ stages: Int) throws -> Int64 {
            let prefix = Plan(source: plan.source, sourceSchema: plan.sourceSchema, stages: Array(plan.stages.prefix(stages)))
            let sql = try remoteSQL(of: prefix, connection, at: statement)
            return try connection.engine.count(of: sql, cancellation: within)
        }
        do {
            if try count(0) == 0 { return [Diagnostic(.remoteTableHasNoRows(name, engine: connection.engine.display), at: statement)] }
            for index in plan.stages.indices where try count(index + 1) == 0 {
                let input = try rows(index, limit: Session.remoteHintRows)
                let executor = Executor(catalog: symbols, context: EvaluationContext(variables: symbols.values, cancellation: within))
                return executor.explainEmptyStage(plan.stages[index].stage, input: input, range: plan.stages[index].range, source: currentSource)
            }
        } catch {
            return []
        }
        return []
    }
}
