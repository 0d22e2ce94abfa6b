// Typing expressions: names to columns, bindings or keys; operators and functions to their
// result types, with the conversions Int-to-Float that mixing needs; aggregates collected for
// `summarize`. Part of the checker (Checker.swift holds statements, stages and joins).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

extension Checker {
    // MARK: Expressions

    func bind(_ expression: Expression, _ schema: Schema, _ context: Context) throws -> BoundExpression {
        var collector = AggregateCollector(keyCount: 0, keys: [])
        var found = false
        return try bind(expression, schema, context, aggregates: &collector, sawAggregate: &found)
    }

    func bind(_ expression: Expression, _ schema: Schema, _ context: Context,
              aggregates: inout AggregateCollector, sawAggregate: inout Bool) throws -> BoundExpression {
        let range = expression.range
        func recurse(_ e: Expression) throws -> BoundExpression {
            try bind(e, schema, context, aggregates: &aggregates, sawAggregate: &sawAggregate)
        }
        switch expression.kind {
        case .literal(let value):
            if case .date(let date) = value { return BoundExpression(.constant(value), .date, range, datePrecisions: .only(date.precision)) }
            return BoundExpression(.constant(value), value.type, range)

        case .name(let name):
            try checkJoinBareName(name, range)
            return try bindName(name, range, schema, context, aggregates)

        case .parameter(let name):
            return try bindParameter(name, range)

        case .qualified("this", let name):
            if joinSides != nil {
                throw Diagnostic(.thisInJoinCondition(name.name), at: range,
                                       help: "write left.\(name.name) or right.\(name.name)")
            }
            return try bindName(name.name, range, schema, context, aggregates, columnsOnly: true)

        case .qualified(let side, let name):
            if let bound = try bindJoinSide(side, name, range) { return bound }
            throw Diagnostic(.sideOutsideJoin(side, name.name), at: range,
                                   help: "write the column name alone")

        case .unary(let op, let operand):
            let bound = try recurse(operand)
            switch op {
            case .negate:
                guard bound.type.isNumeric else {
                    throw Diagnostic(.cannotNegate(bound.type), at: range)
                }
                return BoundExpression(.unary(.negate, bound), bound.type, range)
            case .not:
                guard bound.type == .bool || bound.type == .null else {
                    throw Diagnostic(.notNeedsCondition(bound.type), at: operand.range)
                }
                return BoundExpression(.unary(.not, bound), .bool, range)
            }

        case .duration:
            throw Diagnostic(.durationAlone, at: range,
                                   help: "for example: event_date + 30 days, bin(event_date, 1 week)")

        case .binary(let op, let l, let r, let operatorRange) where op == .add || op == .subtract:
            let left = try recurse(l)
            if case .duration(let n, let unit) = r.kind {
                return try bindDateShift(left, op == .add ? n : nil, n, unit, l, r, operatorRange, range)
            }
            let right = try recurse(r)
            if left.type == .date && right.type == .date && op == .subtract {
                // The days from the right date to the left one.
                return BoundExpression(.function(.days_between, [right, left]), .int, operatorRange)
            }
            return try bindBinary(op, left, right, l, r, operatorRange)

        case .binary(.matches, let l, let r, let operatorRange):
            let left = try recurse(l)
            let right = try recurse(r)
            _ = try binaryType(.matches, left, right, l, r, operatorRange)
            try checkPattern(right, r)
            return BoundExpression(.binary(.matches, left, right), .bool, operatorRange)

        case .binary(let op, let l, let r, let operatorRange):
            let left = try recurse(l)
            let right = try recurse(r)
            return try bindBinary(op, left, right, l, r, operatorRange)

        case .between(let value, let low, let high, let negated):
            // `x between a and b` is `x >= a and x <= b`.
            let lowTest = Expression(kind: .binary(.greaterEqual, value, low, operatorRange: low.range), range: range)
            let highTest = Expression(kind: .binary(.lessEqual, value, high, operatorRange: high.range), range: range)
            let both = Expression(kind: .binary(.and, lowTest, highTest, operatorRange: range), range: range)
            return try recurse(negated ? Expression(kind: .unary(.not, both), range: range) : both)

        case .isNull(let operand, let negated):
            return BoundExpression(.isNull(try recurse(operand), negated: negated), .bool, range)

        case .inList(let value, let items, let negated):
            let bound = try recurse(value)
            var boundItems: [BoundExpression] = []
            for item in items {
                let b = try recurse(item)
                guard DataType.common(bound.type, b.type) != nil else {
                    throw Diagnostic(.cannotCompareInList(bound.type, b.type), at: item.range)
                }
                boundItems.append(b)
            }
            return BoundExpression(.inList(bound, boundItems, negated: negated), .bool, range)

        case .list(let items):
            let bound = try items.map(recurse)
            var element = DataType.null
            for (item, source) in zip(bound, items) {
                guard let common = DataType.common(element, item.type) else {
                    throw Diagnostic(.listOfOneType(element, item.type), at: source.range)
                }
                if case .list = common { throw Diagnostic(.listsOfLists, at: source.range) }
                element = common
            }
            return BoundExpression(.list(bound), .list(element), range)

        case .subquery:
            throw Diagnostic(.pipelineAsValue, at: range,
                                   help: "bind it with 'let NAME = ...' and join it, or use it as a table")

        case .call(let name, let arguments, let distinct, let filter):
            let lowered = name.name.lowercased()
            if let filter, AggregateFunction.named(lowered) == nil {
                throw Diagnostic(.filterOutsideAggregate, at: filter.range,
                                       help: "filter the rows first: | where ... , or write if(CONDITION, VALUE, null)")
            }
            if let window = WindowFunction.named(lowered) {
                return try bindWindowFunction(window, name, arguments, expression, schema, context, &aggregates, &sawAggregate)
            }
            if let aggregate = AggregateFunction.named(lowered) {
                return try bindAggregate(aggregate, name, arguments, distinct, filter, expression, schema, context,
                                         &aggregates, &sawAggregate)
            }
            guard let function = ScalarFunction.named(lowered) else {
                let all = ScalarFunction.all.map(\.name) + AggregateFunction.all.map(\.name) + WindowFunction.all.map(\.name)
                let suggestion = closestName(to: name.name, in: all)
                throw Diagnostic(.unknownFunction(name.name), at: name.range,
                                       help: Habits.function(name.name) ?? suggestion.map { "did you mean '\($0)'?" }
                                           ?? "functions are: \(all.joined(separator: ", "))")
            }
            if distinct {
                throw Diagnostic(AggregateFunction.distinctIsOnlyAllowed, at: range)
            }
            // A duration argument (`bin(d, 1 week)`) is its count here; the check sees its unit.
            let bound = try arguments.map { argument in
                if function.takesDurations, case .duration(let n, _) = argument.kind { return BoundExpression(.constant(.int(n)), .int, argument.range) }
                return try recurse(argument)
            }
            return try bindFunction(function, bound, arguments, range)
        }
    }

    func bindBinary(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression,
                    _ l: Expression, _ r: Expression, _ operatorRange: SourceRange) throws -> BoundExpression {
        let type = try binaryType(op, left, right, l, r, operatorRange)
        var (a, b) = (left, right)
        // Mixed Int and Float compute in Float.
        if op.isArithmetic || op.isComparison, type != .string, left.type != right.type,
           DataType.common(left.type, right.type) == .float {
            a = left.type == .int ? .float(of: left) : left
            b = right.type == .int ? .float(of: right) : right
        }
        return BoundExpression(.binary(op, a, b), type, operatorRange)
    }

    /// A plain name: a column of the stage's input (or a grouping key), else a `let` value.
    /// A name that is both is an error, never a silent choice: a `let region` must not be
    /// shadowed unseen by a `region` column of a file loaded later. `this.region` says the
    /// column, `$region` the value. With `columnsOnly` (for `this.`), values are not looked at.
    func bindName(_ name: String, _ range: SourceRange, _ schema: Schema, _ context: Context,
                  _ aggregates: AggregateCollector, columnsOnly: Bool = false) throws -> BoundExpression {
        let scalar = columnsOnly ? nil : environment.scalarName(for: name)
        func ambiguous() -> Diagnostic {
            Diagnostic(.columnAndValue(name, scalar ?? name), at: range,
                   help: "write this.\(name) for the column, or $\(scalar ?? name) for the value")
        }
        if context == .aggregate {
            // Outside an aggregate call, only the grouping keys are single values per group.
            if let key = aggregates.keys.first(where: { $0.name == name }) ?? aggregates.keys.first(where: { $0.name.lowercased() == name.lowercased() }) {
                if scalar != nil { throw ambiguous() }
                return BoundExpression(.column(key.index), key.type, range, datePrecisions: key.datePrecisions)
            }
            if schema.index(of: name) != nil {
                if scalar != nil { throw ambiguous() }
                throw Diagnostic(.columnNotGrouped(name), at: range,
                                       help: "for example: sum(\(name)), or add 'by \(name)'")
            }
        } else if context == .row || context == .window, let index = schema.index(of: name) {
            if scalar != nil { throw ambiguous() }
            return BoundExpression(.column(index), schema.fields[index].type, range, datePrecisions: schema.fields[index].datePrecisions)
        }
        if columnsOnly {
            let suggestion = closestName(to: name, in: context == .aggregate ? aggregates.keys.map(\.name) : schema.names)
            throw Diagnostic(.unknownThisColumn(name), at: range,
                                   help: suggestion.map { "did you mean 'this.\($0)'?" } ?? (context == .scalar ? "'this' names the columns of a stage's input" : columnList(schema)))
        }
        if let scalar {
            return BoundExpression(.variable(scalar), environment.scalarType(scalar)!, range, datePrecisions: valuePrecisions(scalar))
        }
        if let table = environment.tableName(for: name) {
            throw Diagnostic(.tableNotValue(table), at: range,
                                   help: context == .scalar ? "start a pipeline with it: \(table) | ..." : "join it: | join \(table) on COLUMN")
        }
        let candidates = (context == .scalar ? [] : schema.names) + Array(environment.scalars.keys).sorted()
        let suggestion = closestName(to: name, in: candidates)
        let what = context == .scalar ? "name" : "column"
        throw Diagnostic(.unknownName(what, name), at: range,
                               help: suggestion.map { "did you mean '\($0)'?" } ?? (context == .scalar ? nil : columnList(schema)))
    }

    /// The precision of a `let` date whose value is computed already (or a parameter's).
    func valuePrecisions(_ name: String) -> DatePrecisions {
        if case .value(_, .date(let date)?)? = environment.symbol(name) { return .only(date.precision) }
        return .any
    }

    /// `$name`: a value bound by `let`, whatever the columns are called.
    func bindParameter(_ name: String, _ range: SourceRange) throws -> BoundExpression {
        if let scalar = environment.scalarName(for: name) {
            return BoundExpression(.variable(scalar), environment.scalarType(scalar)!, range, datePrecisions: valuePrecisions(scalar))
        }
        if let table = environment.tableName(for: name) {
            throw Diagnostic(.dollarNamesTable(name), at: range,
                                   help: "use the table as a pipeline: \(table) | ...")
        }
        let suggestion = closestName(to: name, in: environment.scalars.keys.sorted())
        throw Diagnostic(.unboundValue(name), at: range,
                               help: suggestion.map { "did you mean '$\($0)'?" } ?? "bind one first: let \(name) = ..., or run with --param \(name)=VALUE")
    }

    /// A call checked by its function's descriptor: the number of arguments, their types, and
    /// the result's type; Int arguments the descriptor widens become Floats.
    func bindFunction(_ function: ScalarFunction, _ arguments: [BoundExpression], _ sources: [Expression],
                      _ range: SourceRange) throws -> BoundExpression {
        var call = FunctionCheck(
            function: function, types: arguments.map(\.type),
            constants: arguments.map { if case .constant(let value) = $0.kind { return value } else { return nil } },
            ranges: sources.map(\.range),
            durations: sources.map { if case .duration(let n, let unit) = $0.kind { return (n, unit) } else { return nil } },
            range: range,
            datePrecisions: arguments.map(\.datePrecisions),
            patternCheck: { index in try checkPattern(arguments[index], sources[index]) })
        try call.arity()
        let type = try function.check(&call)
        var converted = arguments
        for index in call.widened { converted[index] = .float(of: arguments[index]) }
        for (value, valueType) in call.appended { converted.append(BoundExpression(.constant(value), valueType, range)) }
        return BoundExpression(.function(function, converted), type, range, datePrecisions: call.resultDatePrecisions)
    }

    func binaryType(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression,
                    _ l: Expression, _ r: Expression, _ operatorRange: SourceRange) throws -> DataType {
        let a = left.type, b = right.type
        func mismatch(_ help: String? = nil) -> Diagnostic {
            Diagnostic(.cannotApply(op.rawValue, a, b), at: operatorRange, help: help)
        }
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo:
            if a == .date || b == .date, op == .add || op == .subtract {
                throw mismatch("add or take a duration: event_date \(op.rawValue) 30 days (or weeks, months, years); date - date is the days between")
            }
            if op == .add, (a == .string || a == .null), (b == .string || b == .null), a != b || a == .string {
                return .string
            }
            guard a.isNumeric, b.isNumeric else {
                let help = (a == .string || b == .string) && op == .add ? "both sides of '+' must be strings to join text" : nil
                throw mismatch(help)
            }
            if op == .divide { return .float }
            if a == .null && b == .null { return .int }
            return DataType.common(a, b)!
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard let common = DataType.common(a, b) else {
                var help: String? = nil
                if (a == .date && b == .string) || (a == .string && b == .date) {
                    help = "write a date as @YYYY-MM-DD, @YYYY-MM or @YYYY"
                } else if (a == .string && b.isNumeric) || (b == .string && a.isNumeric) {
                    help = "numbers are written without quotes"
                }
                throw Diagnostic(.cannotCompareTypes(a, b), at: operatorRange, help: help)
            }
            if case .list = common, op != .equal && op != .notEqual {
                throw Diagnostic(.listsHaveNoOrder, at: operatorRange, help: "use 'has' to test membership")
            }
            return .bool
        case .and, .or:
            for (side, source) in [(left, l), (right, r)] where side.type != .bool && side.type != .null {
                throw Diagnostic(.logicalNeedsConditions(op.rawValue, side.type), at: source.range)
            }
            return .bool
        case .has:
            if case .list(let element) = a {
                guard DataType.common(element, b) != nil else {
                    throw Diagnostic(.cannotLookFor(b, a), at: operatorRange)
                }
                return .bool
            }
            guard (a == .string || a == .null) && (b == .string || b == .null) else {
                throw mismatch("'has' finds an element in a list or a whole word in a string")
            }
            return .bool
        case .equalIgnoringCase, .notEqualIgnoringCase:
            guard (a == .string || a == .null) && (b == .string || b == .null) else {
                throw mismatch("'\(op.rawValue)' compares text ignoring case; use '\(op == .equalIgnoringCase ? "==" : "!=")' for other values")
            }
            return .bool
        case .contains, .startswith, .endswith, .matches:
            guard (a == .string || a == .null) && (b == .string || b == .null) else {
                var help: String? = nil
                if case .list = a { help = "use 'has' to look for an element of a list" }
                throw mismatch(help)
            }
            return .bool
        }
    }
}

extension Expression {
    /// A column or binding named alone (`g5_member`), not computed.
    var isPlainName: Bool {
        switch kind {
        case .name, .qualified, .parameter: return true
        default: return false
        }
    }
}
