// Checking aggregate calls for `summarize` and `window`: arity, argument types, percentile's
// constant p, `distinct` (count and list only) and the `where` filter, which becomes
// `if(condition, x, null)` so that every aggregate, the engine and SQL treat it alike.
// Part of the checker.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

extension Checker {
    func bindAggregate(_ function: AggregateFunction, _ name: Identifier, _ arguments: [Expression], _ distinct: Bool,
                       _ filter: Expression?, _ expression: Expression, _ schema: Schema, _ context: Context,
                       _ aggregates: inout AggregateCollector, _ sawAggregate: inout Bool) throws -> BoundExpression {
        guard context == .aggregate || context == .window else {
            throw Diagnostic.error("aggregate '\(function.rawValue)' is only allowed in 'summarize' or 'window'", at: name.range,
                                   help: context == .scalar ? nil : "write: | summarize \(function.rawValue)(...) [by COLUMN], or on every row: | window [by GROUP] NAME = \(function.rawValue)(...)")
        }
        switch function {
        case .count:
            if arguments.count > 1 {
                throw Diagnostic.error("count takes at most one argument, found \(arguments.count)", at: expression.range)
            }
        case .percentile:
            if arguments.count != 2 {
                throw Diagnostic.error("percentile takes two arguments, found \(arguments.count)", at: expression.range,
                                       help: "write: percentile(X, P) with P from 0 to 100, for example percentile(fatalities, 90)")
            }
        default:
            if arguments.count != 1 {
                throw Diagnostic.error("\(function.rawValue) takes one argument, found \(arguments.count)", at: expression.range)
            }
        }
        if distinct && function != .count && function != .list {
            throw Diagnostic.error("'distinct' is only allowed in count(distinct ...) and list(distinct ...)", at: expression.range)
        }
        // The argument is evaluated per row of the input; aggregates inside it are errors.
        func row(_ e: Expression) throws -> BoundExpression {
            var inner = AggregateCollector(keyCount: 0, keys: [])
            var nested = false
            return try bind(e, schema, .row, aggregates: &inner, sawAggregate: &nested)
        }
        var argument = try arguments.first.map(row)
        if distinct && argument == nil {
            throw Diagnostic.error("\(function.rawValue)(distinct ...) needs a column", at: expression.range)
        }
        var percentile = 50.0
        if function == .percentile {
            percentile = try percentileValue(arguments[1])
            if percentile > 0 && percentile < 1 {
                let intended = (percentile * 100).rounded() == percentile * 100 ? "\(Int(percentile * 100))" : "\(percentile * 100)"
                warnings.items.append(Diagnostic(.warning, "percentile's p is a percentage: \(percentile) is the \(percentile)th percentile, near the smallest value",
                                                 at: arguments[1].range, help: "for the \(intended)th percentile, write \(intended)"))
            }
        }
        let type: DataType
        let argumentType = argument?.type ?? .null
        switch function {
        case .count:
            type = .int
            if argumentType == .bool, !distinct, let first = arguments.first, !first.isPlainName {
                warnings.items.append(Diagnostic(.warning, "count(...) of a condition counts the rows where it is true or false, not where it holds",
                                                 at: expression.range, help: "to count the rows where it holds, write countif(...) or count(where ...)"))
            }
        case .countif:
            guard argumentType == .bool || argumentType == .null else {
                throw argumentError(function, "a condition (Bool)", argumentType, arguments[0].range)
            }
            type = .int
        case .sum:
            guard argumentType.isNumeric else { throw argumentError(function, "a number", argumentType, arguments[0].range) }
            type = argumentType == .null ? .int : argumentType
        case .avg, .median, .stdev, .variance, .percentile:
            guard argumentType.isNumeric else { throw argumentError(function, "a number", argumentType, arguments[0].range) }
            type = .float
        case .min, .max, .mode:
            guard argumentType.isOrderable else { throw argumentError(function, "a value with an order", argumentType, arguments[0].range) }
            type = argumentType
        case .first, .last:
            type = argumentType
        case .list:
            if case .list = argumentType {
                throw Diagnostic.error("list cannot collect lists", at: arguments[0].range, help: "use 'expand' first")
            }
            type = .list(argumentType)
        }
        if let argument, case .list = argument.type, function == .count, distinct {
            throw Diagnostic.error("count(distinct ...) cannot compare lists", at: arguments[0].range, help: "use 'expand' first")
        }
        if let filter {
            // `agg(x where c)` is `agg(if(c, x, null))`: rows where c is not true give null,
            // which every aggregate skips. `count(where c)` counts the rows where c holds.
            let condition = try row(filter)
            guard condition.type == .bool || condition.type == .null else {
                throw Diagnostic.error("'where' in \(function.rawValue)(...) needs a condition (Bool), found \(condition.type)", at: filter.range)
            }
            let value = argument ?? BoundExpression(.constant(.bool(true)), .bool, filter.range)
            argument = BoundExpression(.function(.if, [condition, value, BoundExpression(.constant(.null), .null, filter.range)]),
                                       value.type, filter.range, datePrecisions: value.datePrecisions)
        }
        // min, max, mode, first and last give one of their argument's dates.
        let datePrecisions = type == .date ? argument?.datePrecisions ?? .any : .any
        sawAggregate = true
        let call = AggregateCall(function: function, argument: argument, distinct: distinct, type: type, range: expression.range,
                                 percentile: percentile)
        if context == .window {
            aggregates.windowCalls.append(WindowCall(function: .aggregate(call), argument: nil, offset: 1, type: type, range: expression.range))
            return BoundExpression(.column(aggregates.keyCount + aggregates.windowCalls.count - 1), type, expression.range,
                                   datePrecisions: datePrecisions)
        }
        aggregates.calls.append(call)
        return BoundExpression(.column(aggregates.keyCount + aggregates.calls.count - 1), type, expression.range,
                               datePrecisions: datePrecisions)
    }

    /// percentile's p: a constant number from 0 to 100, so that every group uses the same.
    func percentileValue(_ source: Expression) throws -> Double {
        var value: Double? = nil
        switch source.kind {
        case .literal(.int(let n)): value = Double(n)
        case .literal(.float(let x)): value = x
        case .unary(.negate, let inner):
            if case .literal(.int(let n)) = inner.kind { value = -Double(n) }
            if case .literal(.float(let x)) = inner.kind { value = -x }
        default: break
        }
        guard let value else {
            throw Diagnostic.error("percentile needs a constant number from 0 to 100 as its second argument", at: source.range,
                                   help: "write: percentile(X, 90) for the 90th percentile")
        }
        guard value >= 0 && value <= 100 else {
            throw Diagnostic.error("percentile needs p from 0 to 100, found \(source.kind.literalText ?? "\(value)")", at: source.range,
                                   help: "p is a percentage: write percentile(X, 90) for the 90th percentile")
        }
        return value
    }

    func argumentError(_ function: AggregateFunction, _ expected: String, _ found: DataType, _ range: SourceRange) -> Diagnostic {
        .error("\(function.rawValue) needs \(expected), found \(found)", at: range)
    }
}

private extension Expression.Kind {
    /// A number as written, for messages.
    var literalText: String? {
        switch self {
        case .literal(.int(let n)): return "\(n)"
        case .literal(.float(let x)): return "\(x)"
        case .unary(.negate, let inner): return inner.kind.literalText.map { "-" + $0 }
        default: return nil
        }
    }
}
