// Checking `window`: columns computed over groups of rows in an order, keeping every row in
// its place. `window by country sort by month total = running_sum(deaths), share = deaths /
// sum(deaths)`. Inside, a name is a column of the row, an aggregate is over the row's group,
// and the window functions (running_sum, rank, prev, ...) read the rows before and after it
// in the order; those that depend on the order are an error without one.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

package struct WindowCall {
    package enum Function {
        case window(WindowFunction)
        /// An aggregate over the whole group.
        case aggregate(AggregateCall)
    }
    package var function: Function
    package var argument: BoundExpression?
    /// prev/next: how many rows away; moving_avg: how many rows.
    package var offset: Int
    package var type: DataType
    package var range: SourceRange
}

/// A checked `window`: the group keys, the order, the calls (columns input width + i), and
/// the outputs over the input and the calls, each stored in column `target`.
package struct WindowPlan {
    package var keys: [BoundExpression]
    package var order: [SortSpec]
    package var calls: [WindowCall]
    package var outputs: [(target: Int, expression: BoundExpression)]
}

extension Checker {
    mutating func checkWindow(_ keyItems: [NamedExpression], _ orderKeys: [SortKey], _ items: [NamedExpression],
                              _ schema: Schema, _ stage: Stage) throws -> (PlanStage, Schema) {
        let keys = try keyItems.map { item -> BoundExpression in
            let bound = try bind(item.expression, schema, .row)
            if case .list = bound.type {
                throw Diagnostic(.groupByList, at: item.expression.range, help: "use 'expand' first")
            }
            return bound
        }
        let order = try bindSortKeys(orderKeys, schema, defaultDescending: false)
        var collector = AggregateCollector(keyCount: schema.fields.count, keys: [])
        var fields = schema.fields
        var outputs: [(target: Int, expression: BoundExpression)] = []
        for item in items {
            var found = false
            let bound = try bind(item.expression, schema, .window, aggregates: &collector, sawAggregate: &found)
            let name = item.name?.name ?? defaultName(item.expression)
            let target = fields.firstIndex { $0.name == name } ?? fields.count
            if target == fields.count {
                fields.append(Field(name, bound.type, datePrecisions: bound.datePrecisions))
            } else {
                fields[target].type = bound.type
                fields[target].datePrecisions = bound.datePrecisions
            }
            outputs.append((target, bound))
        }
        if order.isEmpty, let needy = collector.windowCalls.first(where: { if case .window(let f) = $0.function { return f.needsOrder }; return false }),
           case .window(let function) = needy.function {
            throw Diagnostic(.windowNeedsOrder(function.name), at: needy.range,
                                   help: "write: window \(keyItems.isEmpty ? "" : "by ... ")sort by COLUMN \(items[0].name?.name ?? "x") = ...")
        }
        let plan = WindowPlan(keys: keys, order: order, calls: collector.windowCalls, outputs: outputs)
        return (.window(plan), Schema(fields))
    }

    /// A window function's call: only in `window`, its first argument per row, then the
    /// function's own check from its descriptor.
    func bindWindowFunction(_ function: WindowFunction, _ name: Identifier, _ arguments: [Expression], _ expression: Expression,
                            _ schema: Schema, _ context: Context, _ collector: inout AggregateCollector,
                            _ sawAggregate: inout Bool) throws -> BoundExpression {
        guard context == .window else {
            throw Diagnostic(.windowFunctionOutsideWindow(function.name), at: name.range,
                                   help: "write: | window [by GROUP] sort by ORDER NAME = \(function.name)(...)")
        }
        guard function.arity.contains(arguments.count) else {
            throw Diagnostic(WindowCheck.arityMessage(function, found: arguments.count), at: expression.range,
                                   help: "write: \(function.usage)")
        }
        let argument = try arguments.first.map { try bind($0, schema, .row) }
        var check = WindowCheck(function: function, argumentType: argument?.type, arguments: arguments, range: expression.range) { index, what in
            let bound = try bind(arguments[index], Schema([]), .scalar)
            guard case .constant(.int(let n)) = bound.kind, n >= 1, n <= 1_000_000 else {
                throw Diagnostic(.windowOffsetNotConstant(what), at: arguments[index].range)
            }
            return Int(n)
        }
        let type = try function.check(&check)
        sawAggregate = true
        collector.windowCalls.append(WindowCall(function: .window(function), argument: argument, offset: check.offset, type: type,
                                                range: expression.range))
        // prev and next give their argument's values.
        return BoundExpression(.column(collector.keyCount + collector.windowCalls.count - 1), type, expression.range,
                               datePrecisions: type == .date ? argument?.datePrecisions ?? .any : .any)
    }
}
