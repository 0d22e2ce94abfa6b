// A scalar function's call over a table: the lazy ones (if, case, coalesce) by the rows
// that choose each value, the others by their descriptor's kernel over the arguments'
// whole columns (ConflictQLFunctions). Part of the evaluator.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    // MARK: Functions

    func call(_ function: ScalarFunction, _ arguments: [BoundExpression], _ expression: BoundExpression,
              _ table: Table) throws -> Operand {
        let kernel: @Sendable (KernelCall) throws -> Column
        switch function.evaluation {
        case .coalesce: return try coalesce(arguments, expression, table)
        case .conditional: return try conditional(function, arguments, expression, table)
        case .columns(let columnKernel): kernel = columnKernel
        }
        if function == .groups_of, case .list(let fields) = arguments[0].kind,
           fields.allSatisfy({ $0.type == .string || $0.type == .null }), table.rowCount != 1 {
            return try groupsOfFields(fields, arguments.count > 1 ? arguments[1] : nil, expression, table)
        }
        let operands = try arguments.map { try evaluate($0, table) }
        // Scalar arguments: compute over one row, from the values already computed. (Not by
        // evaluating the arguments again over a table of no columns: an argument that reads a
        // column can still be a single value, `false and x > 1`.)
        if operands.allSatisfy({ if case .scalar = $0 { return true } else { return false } }), table.rowCount != 1 {
            let one = Table(schema: Schema([]), columns: [], rowCount: 1)
            let values = zip(arguments, operands).map { argument, operand -> BoundExpression in
                guard case .scalar(let value) = operand else { return argument }
                return BoundExpression(.constant(value), argument.type, argument.range)
            }
            let result = try call(function, values, expression, one)
            if case .column(let c) = result { return .scalar(c.value(at: 0)) }
            return result
        }
        let count = table.rowCount
        let columns = zip(operands, arguments).map { materialize($0, $1.type, count) }
        let scalars = operands.map { operand -> Value? in if case .scalar(let v) = operand { return v } else { return nil } }
        let context = self.context
        return .column(try kernel(KernelCall(function: function, columns: columns, scalars: scalars, rowCount: count,
                                             resultType: expression.type, range: expression.range,
                                             cancelled: { try context.checkCancelled($0) })))
    }
}
