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
}
