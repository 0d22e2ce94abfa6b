// The session's side of empty-result hints (Engine/EmptyResultHints.swift): after a query
// whose result is empty, the notes that say why, for the caller to show under the result.

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
    /// Notes on why `result` of `plan` is empty; nothing when it has rows. A note with no
    /// stage to point at (a table read alone) points at the statement.
    func emptyResultHints(_ plan: Plan, result: Table, statement: SourceRange) -> [Diagnostic] {
        if result.rowCount > 1 { return [] }
        let executor = Executor(catalog: symbols, context: EvaluationContext(variables: symbols.values, cancellation: cancellation))
        return executor.emptyResultHints(PhysicalPlan(plan), result: result, source: currentSource).map { hint in
            var hint = hint
            if hint.range == nil { hint.range = statement }
            return hint
        }
    }
}
