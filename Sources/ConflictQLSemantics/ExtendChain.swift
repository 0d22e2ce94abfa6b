// `extend` stages in a row are checked and kept as one plan stage, a chain of steps, so that
// a script of thousands of extends costs memory and time in proportion to its length: a
// plan stage per extend listing every column would cost their product (8,000 extends of a
// new column each took 4.5 GB).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

/// The steps of a run of `extend` stages. Each step's assignments are evaluated over the
/// table as the step before left it, then stored in column `target` (a new last column when
/// `target` is the width so far). A class, so that checking adds a step in place.
package final class ExtendChain: @unchecked Sendable {
    package var steps: [[(target: Int, expression: BoundExpression)]] = []

    /// Which assignments of each step must be computed (`computed[step][assignment]`: its
    /// column is read later) and the columns the chain reads from its input, given what
    /// later stages read of its output. One flag per assignment, not a set per step, so a
    /// long chain over a wide table stays linear.
    package func needed(downstream: Set<Int>) -> (computed: [[Bool]], input: Set<Int>) {
        var computed = [[Bool]](repeating: [], count: steps.count)
        var wanted = downstream
        for i in steps.indices.reversed() {
            computed[i] = steps[i].map { wanted.contains($0.target) }
            let used = zip(steps[i], computed[i]).filter(\.1).map(\.0)
            for assignment in used { wanted.remove(assignment.target) }
            for assignment in used { assignment.expression.referencedColumns(into: &wanted) }
        }
        return (computed, wanted)
    }
}


extension Checker {
    /// Checks one `extend` against `schema` and adds it to `stages`: as a step of the last
    /// stage when that is an extend chain, otherwise as a new chain. `schema` is updated in
    /// place (the chain's stored schema is let go first so the fields are not copied).
    mutating func appendExtend(_ items: [NamedExpression], _ range: SourceRange,
                               to stages: inout [(stage: PlanStage, schema: Schema, range: SourceRange)],
                               schema: inout Schema) throws {
        let columns = try bindNamed(items, schema, .row)
        let chain: ExtendChain
        if let last = stages.last, case .extend(let previous) = last.stage {
            chain = previous
            stages[stages.count - 1].schema = Schema([])
        } else {
            chain = ExtendChain()
            stages.append((.extend(chain), Schema([]), range))
            // The new chain's schema is a new copy of the fields.
            try countPlanColumns(schema.fields.count, at: range)
        }
        // Names to columns: a scan for a few items, a dictionary (built once) for many.
        var positions: [String: Int]? = nil
        if columns.count > 8 {
            positions = [:]
            for (index, field) in schema.fields.enumerated() where positions![field.name] == nil { positions![field.name] = index }
        }
        var step: [(target: Int, expression: BoundExpression)] = []
        var assigned: [Int: Int] = [:]
        for (index, column) in columns.enumerated() {
            let target = (positions.map { $0[column.name] } ?? schema.fields.firstIndex { $0.name == column.name }) ?? schema.fields.count
            if target == schema.fields.count {
                guard target < maximumColumns else {
                    throw Diagnostic(.tableColumnLimit(maximumColumns), at: items[index].expression.range)
                }
                positions?[column.name] = target
                try countPlanColumns(1, at: items[index].expression.range)
                schema.fields.append(Field(column.name, column.expression.type, datePrecisions: column.expression.datePrecisions))
            } else {
                schema.fields[target] = Field(column.name, column.expression.type, datePrecisions: column.expression.datePrecisions)
            }
            // Within one extend the last assignment to a name wins.
            if let earlier = assigned[target] {
                step[earlier].expression = column.expression
            } else {
                assigned[target] = step.count
                step.append((target, column.expression))
            }
        }
        chain.steps.append(step)
        stages[stages.count - 1].schema = schema
    }
}
