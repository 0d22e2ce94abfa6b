// Runs a chain of `extend` steps (Semantics/ExtendChain.swift) over a table: one column
// array updated in place, so each step costs what its own expressions cost.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    func extend(_ table: Table, _ chain: ExtendChain, _ schema: Schema, _ needed: Set<Int>, _ range: SourceRange) throws -> Table {
        let computed = chain.needed(downstream: needed).computed
        // Only counts are checked when a table is made; names are not read by expressions.
        var current = table
        for (index, step) in chain.steps.enumerated() {
            if index & 0xFF == 0 { try context.checkCancelled(range) }
            // Columns no later stage reads are not computed (nor can they fail).
            let values = try zip(step, computed[index]).map { assignment, isRead in
                isRead ? try evaluator.column(assignment.expression, current)
                    : Column(type: assignment.expression.type, storage: .null, validity: nil, count: table.rowCount)
            }
            // Changed in place: `current` holds the only reference to its arrays.
            for (assignment, column) in zip(step, values) {
                if assignment.target == current.columns.count {
                    current.columns.append(column)
                    current.schema.fields.append(Field("", column.type))
                } else {
                    current.columns[assignment.target] = column
                }
            }
        }
        return Table(schema: schema, columns: current.columns, rowCount: table.rowCount)
    }
}
