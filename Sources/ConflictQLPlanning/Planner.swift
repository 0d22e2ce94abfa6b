// The planning pass between checking and running: the checker's logical plan becomes a
// physical plan that records what the planner decided, once, so the executor only carries
// it out (and a prepared query runs many times without planning again). It rewrites
// `sort by K | take N` into `top N by K` (the same rows in the same order: both break ties
// by input order, so only the best N are kept instead of sorting everything), moves a cheap
// `where` on left columns below the join before it, and decides which columns each stage
// computes (column pruning, ColumnPruning.swift), for the plan and every plan nested in it
// (a parenthesised source, a join's right side, a union's inputs).
//
// The physical plan is a tree: a source, then stages, each stage holding the planned plans
// it reads besides its input (a join's right side, a union's inputs) and the rewrite that
// made it. `PhysicalPlan.tree` is the same tree as public values (PlanTree.swift), which
// `explain` prints and an embedding program walks; the executor runs this one.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics

/// Plans a checked query: the planner's public entry point. The result is the plan as the
/// executor will run it (rewrites made, unread columns pruned), as values to walk.
public func plan(_ query: Plan) -> QueryPlan {
    PhysicalPlan(query).tree
}

/// A checked plan with the planner's decisions; `PhysicalPlan(plan)` is this layer's entry.
package final class PhysicalPlan: @unchecked Sendable {
    /// Where the rows come from.
    package enum Input {
        /// A table of the catalog, read when the plan runs.
        case table(String)
        /// The `tables` listing of the catalog.
        case catalogListing
        /// A parenthesised pipeline, planned.
        case subquery(PhysicalPlan)
    }

    /// The checked plan after the rewrites (what SQL, lineage and the hints read).
    package let logical: Plan
    package let input: Input
    /// The source's columns the first stage reads.
    package let sourceNeeded: Set<Int>
    package let stages: [PhysicalStage]

    /// `result`: the columns of the plan's result that are read (nil: all).
    package init(_ checked: Plan, result: Set<Int>? = nil) {
        let (logical, rewrites) = PhysicalPlan.rewrite(checked)
        self.logical = logical
        let (sourceNeeded, needed) = logical.pruning(result: result)
        self.sourceNeeded = sourceNeeded
        switch logical.source {
        case .table(let name): input = .table(name)
        case .catalogListing: input = .catalogListing
        case .plan(let inner): input = .subquery(PhysicalPlan(inner))
        }
        stages = logical.stages.enumerated().map { index, stage in
            var right: PhysicalPlan? = nil
            var unionInputs: [PhysicalPlan]? = nil
            if case .join(_, let plan, _, _, _, _) = stage.stage { right = PhysicalPlan(plan) }
            if case .union(let inputs) = stage.stage {
                unionInputs = inputs.plans.enumerated().map { i, plan in
                    PhysicalPlan(plan, result: inputs.needed(needed[index], of: i + 1))
                }
            }
            return PhysicalStage(stage: stage.stage, schema: stage.schema, range: stage.range, needed: needed[index],
                                 rewrite: rewrites[index], right: right, unionInputs: unionInputs)
        }
    }

    /// `sort by K | take N` as `top N by K`; a `where` right after a join that reads only
    /// left columns and can neither fail nor cost much, before the join (the left rows keep
    /// their order and a left join keeps its unmatched rows, so the answer is the same, and
    /// the join sees fewer rows). The rewrites are keyed by the new stages' places.
    static func rewrite(_ plan: Plan) -> (Plan, [Int: Rewrite]) {
        var stages: [(stage: PlanStage, schema: Schema, range: SourceRange)] = []
        var rewrites: [Int: Rewrite] = [:]
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
                    rewrites[stages.count] = .filterPushedBelowJoin
                    stages.append((plan.stages[index + 1].stage, input, plan.stages[index + 1].range))
                    stages.append(current)
                    index += 2
                    continue
                }
            }
            if index + 1 < plan.stages.count, case .sort(let keys) = current.stage,
               case .take(let count) = plan.stages[index + 1].stage {
                rewrites[stages.count] = .topN
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

/// One stage as the executor runs it.
package struct PhysicalStage {
    package let stage: PlanStage
    /// Its output's columns.
    package let schema: Schema
    /// Where it is written (a top-N: the sort and the take).
    package let range: SourceRange
    /// The columns of its output that later stages read; the others are not computed.
    package let needed: Set<Int>
    /// What the planner made of the stage as written, if anything (pruning aside).
    package let rewrite: Rewrite?
    /// A join's right side, planned.
    package let right: PhysicalPlan?
    /// A union's inputs, planned (each computes only the columns the union's output needs).
    package let unionInputs: [PhysicalPlan]?
}
