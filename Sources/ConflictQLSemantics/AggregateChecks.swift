// Checking aggregate calls for `summarize` and `window`: where an aggregate is allowed, the
// number of arguments, `distinct`, the first argument bound per row, then the aggregate's own
// check from its descriptor (argument types, percentile's constant p, the result's type), and
// the `where` filter, which becomes `if(condition, x, null)` so that every aggregate, the
// engine and SQL treat it alike. Part of the checker.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

extension Checker {
    func bindAggregate(_ function: AggregateFunction, _ name: Identifier, _ arguments: [Expression], _ distinct: Bool,
                       _ filter: Expression?, _ expression: Expression, _ schema: Schema, _ context: Context,
                       _ aggregates: inout AggregateCollector, _ sawAggregate: inout Bool) throws -> BoundExpression {
        guard context == .aggregate || context == .window else {
            throw Diagnostic(.aggregateOutsideSummarize(function.name), at: name.range,
                                   help: context == .scalar ? nil : "write: | summarize \(function.name)(...) [by COLUMN], or on every row: | window [by GROUP] NAME = \(function.name)(...)")
        }
        guard function.arity.contains(arguments.count) else {
            throw Diagnostic(AggregateCheck.arityMessage(function, found: arguments.count), at: expression.range,
                                   help: function.usage.map { "write: \($0)" })
        }
        if distinct && !function.allowsDistinct {
            throw Diagnostic(AggregateFunction.distinctIsOnlyAllowed, at: expression.range)
        }
        // The argument is evaluated per row of the input; aggregates inside it are errors.
        func row(_ e: Expression) throws -> BoundExpression {
            var inner = AggregateCollector(keyCount: 0, keys: [])
            var nested = false
            return try bind(e, schema, .row, aggregates: &inner, sawAggregate: &nested)
        }
        var argument = try arguments.first.map(row)
        if distinct && argument == nil {
            throw Diagnostic(.distinctNeedsColumn(function.name), at: expression.range)
        }
        let log = warnings
        var check = AggregateCheck(function: function, argumentType: argument?.type, arguments: arguments,
                                   argumentIsPlainName: arguments.first?.isPlainName ?? false, distinct: distinct,
                                   range: expression.range, warn: { log.items.append($0) })
        let type = try function.check(&check)
        if let filter {
            // `agg(x where c)` is `agg(if(c, x, null))`: rows where c is not true give null,
            // which every aggregate skips. `count(where c)` counts the rows where c holds.
            let condition = try row(filter)
            guard condition.type == .bool || condition.type == .null else {
                throw Diagnostic(.aggregateFilterNotCondition(function.name, condition.type), at: filter.range)
            }
            let value = argument ?? BoundExpression(.constant(.bool(true)), .bool, filter.range)
            argument = BoundExpression(.function(.if, [condition, value, BoundExpression(.constant(.null), .null, filter.range)]),
                                       value.type, filter.range, datePrecisions: value.datePrecisions)
        }
        // min, max, mode, first and last give one of their argument's dates.
        let datePrecisions = type == .date ? argument?.datePrecisions ?? .any : .any
        sawAggregate = true
        let call = AggregateCall(function: function, argument: argument, distinct: distinct, type: type, range: expression.range,
                                 percentile: check.percentile)
        if context == .window {
            aggregates.windowCalls.append(WindowCall(function: .aggregate(call), argument: nil, offset: 1, type: type, range: expression.range))
            return BoundExpression(.column(aggregates.keyCount + aggregates.windowCalls.count - 1), type, expression.range,
                                   datePrecisions: datePrecisions)
        }
        aggregates.calls.append(call)
        return BoundExpression(.column(aggregates.keyCount + aggregates.calls.count - 1), type, expression.range,
                               datePrecisions: datePrecisions)
    }
}
