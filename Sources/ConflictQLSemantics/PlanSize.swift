// A bound on what checking may build. Each stage that changes the columns keeps its own
// schema in the plan, so a script's plans hold the sum of its stages' widths: a long
// script over a wide table could fill memory before anything runs. Past the bound the
// script is refused at the stage that passes it.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

extension Checker {
    /// The most column descriptions the plans of one check may hold (about 200 MB).
    static let maximumPlanColumns = 4_000_000

    /// Counts `count` more column descriptions, or refuses them past the bound.
    mutating func countPlanColumns(_ count: Int, at range: SourceRange) throws {
        planColumns += count
        if planColumns > Checker.maximumPlanColumns {
            throw Diagnostic(.scriptColumnLimit(Checker.maximumPlanColumns),
                                   at: range, help: "select the columns you need before a long pipeline, or split the script")
        }
    }

    /// Counts the schema of a stage that makes one of its own (a `where`, `sort`, `take` or
    /// `top` shares its input's).
    /// Also refuses a stage that makes more than `maximumColumns` columns (a join of two
    /// wide tables, a long `select`).
    mutating func countStage(_ stage: Stage, _ schema: Schema) throws {
        switch stage.kind {
        case .filter, .sort, .take, .top: return
        case .select, .extend, .summarize, .distinct, .count, .join, .expand, .union, .window, .pivot, .unpivot, .fill,
             .chart:
            if schema.fields.count > maximumColumns {
                throw Diagnostic(.stageColumnLimit(maximumColumns, schema.fields.count),
                                       at: stage.range)
            }
            try countPlanColumns(schema.fields.count, at: stage.range)
        }
    }
}
