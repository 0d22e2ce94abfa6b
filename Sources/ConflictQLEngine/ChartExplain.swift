// `explain` of a query that ends in `chart`: the plan's table with one more node, the chart,
// which is drawn from the query's rows after it runs and so reads every column it is given.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    /// `table` (an explain table: plan, columns, needed, rows[, ms]) with the chart's node last.
    package func withChartNode(_ table: Table, _ chart: ChartSpec) -> Table {
        guard table.rowCount > 0 else { return table }
        // The top-level node the chart follows: the last one not nested under a join or union.
        let top = (0..<table.rowCount).last { row in
            if case .string(let label) = table.columns[0].value(at: row) { return !label.hasPrefix(" ") }
            return false
        } ?? table.rowCount - 1
        var node = table.row(top)
        node[0] = .string(chart.label)
        // The chart reads all the columns the last stage made; it keeps the row count, and
        // its drawing is not timed with the query.
        if node.count > 2 { node[2] = node[1] }
        if node.count > 4 { node[4] = .null }
        return Table(schema: table.schema, rows: table.rows + [node])
    }
}
