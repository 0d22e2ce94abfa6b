// The planning pass between checking and running: the checker's logical plan becomes a
// physical plan that records what the planner decided, once, so the executor only carries
// it out (and a prepared query runs many times without planning again). Today it decides
// which columns each stage computes (column pruning, ColumnPruning.swift) for the plan and
// every plan nested in it (a parenthesised source, a join's right side).

/// A checked plan with the planner's decisions; `PhysicalPlan(plan)` is this layer's entry.
final class PhysicalPlan: @unchecked Sendable {
    let logical: Plan
    /// The source's columns the first stage reads.
    let sourceNeeded: Set<Int>
    /// For each stage, the columns of its output that later stages read.
    let needed: [Set<Int>]
    /// The planned parenthesised source, for a `.plan` source.
    let inner: PhysicalPlan?
    /// The planned right side of each join, by stage index.
    let rights: [Int: PhysicalPlan]

    init(_ logical: Plan) {
        self.logical = logical
        (sourceNeeded, needed) = logical.pruning()
        if case .plan(let inner) = logical.source { self.inner = PhysicalPlan(inner) } else { self.inner = nil }
        var rights: [Int: PhysicalPlan] = [:]
        for (index, stage) in logical.stages.enumerated() {
            if case .join(_, let right, _, _, _) = stage.stage { rights[index] = PhysicalPlan(right) }
        }
        self.rights = rights
    }
}
