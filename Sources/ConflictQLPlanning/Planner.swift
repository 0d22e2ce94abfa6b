// The planning pass between checking and running: the checker's logical plan becomes a
// physical plan that records what the planner decided, once, so the executor only carries
// it out (and a prepared query runs many times without planning again). It rewrites
// `sort by K | take N` into `top N by K` (the same rows in the same order: both break ties
// by input order, so only the best N are kept instead of sorting everything), and decides
// which columns each stage computes (column pruning, ColumnPruning.swift), for the plan and
// every plan nested in it (a parenthesised source, a join's right side).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics

/// A checked plan with the planner's decisions; `PhysicalPlan(plan)` is this layer's entry.
package final class PhysicalPlan: @unchecked Sendable {
    package let logical: Plan
    /// The source's columns the first stage reads.
    package let sourceNeeded: Set<Int>
    /// For each stage, the columns of its output that later stages read.
    package let needed: [Set<Int>]
    /// The planned parenthesised source, for a `.plan` source.
    package let inner: PhysicalPlan?
    /// The planned right side of each join, by stage index.
    package let rights: [Int: PhysicalPlan]
    /// The planned inputs of each union, by stage index.
    package let unions: [Int: [PhysicalPlan]]
    /// What the planner changed, by stage index, for `explain`.
    package let rewrites: [Int: String]

    /// `result`: the columns of the plan's result that are read (nil: all).
    package init(_ checked: Plan, result: Set<Int>? = nil) {
        let (logical, rewrites) = PhysicalPlan.rewrite(checked)
        self.logical = logical
        self.rewrites = rewrites
        (sourceNeeded, needed) = logical.pruning(result: result)
        if case .plan(let inner) = logical.source { self.inner = PhysicalPlan(inner) } else { self.inner = nil }
        var rights: [Int: PhysicalPlan] = [:]
        var unions: [Int: [PhysicalPlan]] = [:]
        for (index, stage) in logical.stages.enumerated() {
            if case .join(_, let right, _, _, _, _) = stage.stage { rights[index] = PhysicalPlan(right) }
            if case .union(let inputs) = stage.stage {
                let read = needed[index]
                unions[index] = inputs.plans.enumerated().map { i, plan in
                    PhysicalPlan(plan, result: inputs.needed(read, of: i + 1))
                }
            }
        }
        self.rights = rights
        self.unions = unions
    }

    /// `sort by K | take N` as `top N by K`; a `where` right after a join that reads only
    /// left columns and can neither fail nor cost much, before the join (the left rows keep
    /// their order and a left join keeps its unmatched rows, so the answer is the same, and
    /// the join sees fewer rows).
    static func rewrite(_ plan: Plan) -> (Plan, [Int: String]) {
        var stages: [(stage: PlanStage, schema: Schema, range: SourceRange)] = []
        var rewrites: [Int: String] = [:]
        var index = 0
        while index < plan.stages.count {
            let current = plan.stages[index]
            if index + 1 < plan.stages.count, case .join = current.stage,
               case .filter(let condition) = plan.stages[index + 1].stage, condition.isCheapAndInfallible {
                let leftWidth = index == 0 ? plan.sourceSchema.fields.count : plan.stages[index - 1].schema.fields.count
                var read = Set<Int>()
                condition.referencedColumns(into: &read)
                if read.allSatisfy({ $0 < leftWidth }) {
                    let input = index == 0 ? plan.sourceSchema : plan.stages[index - 1].schema
                    rewrites[stages.count] = "pushed below the join"
                    stages.append((plan.stages[index + 1].stage, input, plan.stages[index + 1].range))
                    stages.append(current)
                    index += 2
                    continue
                }
            }
            if index + 1 < plan.stages.count, case .sort(let keys) = current.stage,
               case .take(let count) = plan.stages[index + 1].stage {
                rewrites[stages.count] = "as top-N"
                stages.append((.top(count, keys), plan.stages[index + 1].schema, current.range.union(plan.stages[index + 1].range)))
                index += 2
                continue
            }
            stages.append(current)
            index += 1
        }
        if rewrites.isEmpty { return (plan, [:]) }
        return (Plan(source: plan.source, sourceSchema: plan.sourceSchema, stages: stages), rewrites)
    }
}
