// Checking `pivot`: `pivot year in (2019, 2020) sum(fatalities) by country` is the summarize
// `summarize `2019` = sum(fatalities where year == 2019), `2020` = ... by country`: each
// value's column is the aggregate over the rows with that value (count() counts them). The values are written in the query, so the columns are known before any row is
// read, as every name is.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

extension Checker {
    mutating func checkPivot(_ key: Expression, _ values: [Expression], _ aggregate: Expression, _ keys: [NamedExpression],
                             _ schema: Schema, _ stage: Stage) throws -> (PlanStage, Schema) {
        let boundKey = try bind(key, schema, .row)
        var names: [String] = []
        var items: [NamedExpression] = []
        for value in values {
            // A column's name here is not a value: the columns must be known before the rows.
            guard let bound = try? bind(value, Schema([]), .scalar), case .constant(let constant) = bound.kind, !constant.isNull else {
                throw Diagnostic(.pivotValueNull, at: value.range,
                                       help: "for example: pivot year in (2019, 2020) sum(fatalities)")
            }
            guard DataType.common(boundKey.type, constant.type) != nil else {
                throw Diagnostic(.cannotCompare(boundKey.type, constant.type), at: value.range,
                                       help: "the pivot's column holds \(boundKey.type) values; write the values so (numbers without quotes, dates as @2020-01)")
            }
            let name: String
            if case .string(let s) = constant { name = s } else { name = constant.description }
            if names.contains(name) { throw Diagnostic(.listedTwice(name), at: value.range) }
            names.append(name)
            let condition = Expression(kind: .binary(.equal, key, value, operatorRange: value.range), range: value.range)
            items.append(NamedExpression(name: Identifier(name: name, range: value.range),
                                         expression: try filtered(aggregate, by: condition)))
        }
        if let clash = keys.first(where: { item in names.contains(item.name?.name ?? defaultName(item.expression)) }) {
            throw Diagnostic(.groupNamedAsPivotValue(clash.name?.name ?? defaultName(clash.expression)), at: clash.expression.range,
                                   help: "name it otherwise: by NAME = ...")
        }
        return try checkSummarize(items, keys, schema, stage)
    }

    /// `aggregate` with every aggregate call in it restricted to the rows where `condition`
    /// holds. An expression without an aggregate is an error: a pivot's cells aggregate.
    func filtered(_ expression: Expression, by condition: Expression) throws -> Expression {
        var found = false
        func rewrite(_ e: Expression) -> Expression {
            switch e.kind {
            case .call(let name, let arguments, let distinct, let filter) where AggregateFunction.named(name.name) != nil:
                // The aggregate's own `where`, and the value's condition.
                found = true
                let both = filter.map { Expression(kind: .binary(.and, condition, $0, operatorRange: name.range), range: $0.range) } ?? condition
                return Expression(kind: .call(name: name, arguments: arguments, distinct: distinct, filter: both), range: e.range)
            case .binary(let op, let a, let b, let range):
                return Expression(kind: .binary(op, rewrite(a), rewrite(b), operatorRange: range), range: e.range)
            case .unary(let op, let a):
                return Expression(kind: .unary(op, rewrite(a)), range: e.range)
            case .call(let name, let arguments, let distinct, let filter):
                return Expression(kind: .call(name: name, arguments: arguments.map(rewrite), distinct: distinct, filter: filter), range: e.range)
            default:
                return e
            }
        }
        let result = rewrite(expression)
        guard found else {
            throw Diagnostic(.pivotNeedsAggregate, at: expression.range,
                                   help: "for example: pivot year in (2019, 2020) sum(fatalities) by country")
        }
        return result
    }
}

extension Checker {
    /// `unpivot a, b into name, value`: the other columns kept, then the two new ones.
    func checkUnpivot(_ columns: [Identifier], _ name: Identifier, _ value: Identifier, _ schema: Schema) throws -> (PlanStage, Schema) {
        var indices: [Int] = []
        var type = DataType.null
        for column in columns {
            let index = try resolveColumn(column.name, column.range, schema)
            if indices.contains(index) { throw Diagnostic(.listedTwice(column.name), at: column.range) }
            guard let common = DataType.common(type, schema.fields[index].type) else {
                throw Diagnostic(.unpivotTypes(column.name, schema.fields[index].type, type),
                                       at: column.range, help: "convert first: extend \(column.name) = string(\(column.name))")
            }
            type = common
            indices.append(index)
        }
        let kept = schema.fields.indices.filter { !indices.contains($0) }
        var fields = kept.map { schema.fields[$0] }
        for new in [name, value] where fields.contains(where: { $0.name == new.name }) || name.name == value.name && new == value {
            throw Diagnostic(.alreadyAColumn(new.name), at: new.range, help: "name the new columns otherwise")
        }
        fields += [Field(name.name, .string), Field(value.name, type)]
        return (.unpivot(kept: kept, columns: indices, names: indices.map { schema.fields[$0].name }), Schema(fields))
    }
}
