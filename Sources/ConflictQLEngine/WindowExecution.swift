// Running `window`: rows are grouped by the keys and put in order once (a permutation, the
// groups contiguous, ties in input order); each call is one pass along it, a column at a
// time; aggregates are computed per group and spread back; the outputs are then evaluated
// over the input and the calls, and every row stays where it was. Only the outputs a later
// stage reads are computed, with the calls they read (`window ... l = list(v) | count` makes
// no list); a call whose result is a list spread over its group is counted first (rows times
// the list's length), and refused past the value limit before anything is stored.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    func window(_ table: Table, _ plan: WindowPlan, _ schema: Schema, _ needed: Set<Int>? = nil, _ range: SourceRange) throws -> Table {
        let count = table.rowCount
        let outputs = plan.neededOutputs(needed)
        let used = plan.calls(readBy: outputs, inputWidth: table.columns.count)
        /// A call no needed output reads: a column of nulls of the right length.
        func unused(_ call: WindowCall) -> Column { Column(type: call.type, storage: .null, validity: nil, count: count) }
        if used.isEmpty { return try windowOutputs(table, plan, schema, plan.calls.map(unused), outputs: outputs) }
        let keyColumns = try plan.keys.map { try evaluator.column($0, table) }
        let grouping = Grouping(keys: keyColumns, rowCount: count)
        let groupOf = grouping.groupOfRow
        // Without an order there are only aggregates over groups: no permutation is needed.
        if plan.order.isEmpty {
            return try windowOutputs(table, plan, schema, try plan.calls.enumerated().map { index, call in
                used.contains(index) ? try windowColumn(call, table, grouping, [], [], []) : unused(call)
            }, outputs: outputs)
        }
        // The rows in order: by group, then the window's order, then as they came. Sorted by
        // the order once, then grouped by a stable counting pass (no comparison of groups).
        // The order's keys are evaluated once: the sort and the ties of rank read them.
        let orderKeys = try sortKeyColumns(table, plan.order)
        var order = try sortedIndices(orderKeys, plan.order.map(\.descending), count: count, first: nil, range: range)
        if grouping.groupCount > 1 {
            var next = [Int](repeating: 0, count: grouping.groupCount + 1)
            for g in groupOf { next[Int(g) + 1] += 1 }
            for g in 0..<grouping.groupCount { next[g + 1] += next[g] }
            var grouped = [Int32](repeating: 0, count: count)
            for row in order {
                let g = Int(groupOf[Int(row)])
                grouped[next[g]] = row
                next[g] += 1
            }
            order = grouped
        }
        // Along the order: where each group starts, and whether a row ties with the one before.
        var starts = [Bool](repeating: false, count: count)
        for p in 0..<count { starts[p] = p == 0 || groupOf[Int(order[p])] != groupOf[Int(order[p - 1])] }
        var ties = [Bool](repeating: false, count: count)
        if plan.calls.contains(where: { if case .window(let f) = $0.function { return f.readsTies }; return false }) {
            for p in 1..<max(1, count) where !starts[p] {
                ties[p] = orderKeys.allSatisfy { $0.compare(Int(order[p]), Int(order[p - 1])) == 0 }
            }
        }
        var computed: [Column] = []
        for (index, call) in plan.calls.enumerated() {
            try context.checkCancelled(call.range)
            computed.append(used.contains(index) ? try windowColumn(call, table, grouping, order, starts, ties) : unused(call))
        }
        return try windowOutputs(table, plan, schema, computed, outputs: outputs)
    }

    /// The outputs `outputs` over the input and the calls' columns, each in its target
    /// column; the other outputs' columns are nulls of the right length (no one reads them).
    func windowOutputs(_ table: Table, _ plan: WindowPlan, _ schema: Schema, _ computed: [Column],
                       outputs: [(target: Int, expression: BoundExpression)]) throws -> Table {
        let count = table.rowCount
        let intermediate = Table(schema: Schema(table.schema.fields + plan.calls.map { Field("", $0.type) }),
                                 columns: table.columns + computed, rowCount: count)
        var columns = table.columns
        for output in plan.outputs {
            let placeholder = Column(type: schema.fields[output.target].type, storage: .null, validity: nil, count: count)
            if output.target < columns.count { columns[output.target] = placeholder } else { columns.append(placeholder) }
        }
        for (target, expression) in outputs {
            columns[target] = try evaluator.column(expression, intermediate)
        }
        return Table(schema: schema, columns: columns, rowCount: count)
    }

    /// One call's column, in the rows' own places.
    func windowColumn(_ call: WindowCall, _ table: Table, _ grouping: Grouping, _ order: [Int32],
                      _ starts: [Bool], _ ties: [Bool]) throws -> Column {
        let count = table.rowCount
        let input = try call.argument.map { try evaluator.column($0, table) }
        switch call.function {
        case .aggregate(let aggregate):
            let argument = try aggregate.argument.map { try evaluator.aggregateInput($0, table) }
            // first, last and list read the group in the window's order, when it has one.
            let aggregator = Aggregator(grouping: grouping, order: order.isEmpty ? nil : order)
            let perGroup = try aggregator.compute(aggregate, input: argument)
            try checkSpreadList(perGroup, grouping, call)
            return perGroup.gather(grouping.groupOfRow)
        case .window(let function):
            return try function.kernel(WindowKernelCall(function: function, input: input, order: order, starts: starts, ties: ties,
                                                        offset: call.offset, type: call.type, range: call.range, rowCount: count))
        }
    }

    /// A list per group, copied to each of the group's rows, stores the group's size times
    /// the list's length values: a group of 60,000 rows and its list of 60,000 make 3.6
    /// billion. Counted (checked arithmetic) and refused as `expand` is, before any is stored.
    func checkSpreadList(_ perGroup: Column, _ grouping: Grouping, _ call: WindowCall) throws {
        guard case .list(let offsets, let values) = perGroup.storage else { return }
        var size = [Int](repeating: 0, count: grouping.groupCount)
        for g in grouping.groupOfRow { size[Int(g)] += 1 }
        var total = 0, overflow = false
        for g in 0..<grouping.groupCount where !perGroup.isNull(g) {
            let (product, o1) = size[g].multipliedReportingOverflow(by: Int(offsets[g + 1] - offsets[g]))
            let (sum, o2) = total.addingReportingOverflow(product)
            total = sum
            if o1 || o2 { overflow = true; break }
        }
        let help = "a list over a window is copied to every row of its group; summarize ... by the keys, or filter first"
        if overflow {
            throw Diagnostic(.windowListTooLarge,
                                   at: call.range, help: help)
        }
        try ResultSize.check(rows: total, bytesPerRow: values.bytesPerGatheredRow + 4, what: "this window's list", unit: "values",
                             at: call.range, help: help)
    }
}
