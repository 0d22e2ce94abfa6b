// `if` and `case` over a whole table: each value computed only on the rows whose condition
// chose it, the parts then put back in row order. Part of the evaluator.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    // MARK: Conditionals

    /// `if(c, a, b)` and `case(c1, v1, ..., [else])`: each value over the rows whose first
    /// true condition is its own (for `if`, false or null chooses the else value).
    func conditional(_ function: ScalarFunction, _ arguments: [BoundExpression], _ expression: BoundExpression,
                     _ table: Table) throws -> Operand {
        let count = table.rowCount
        let pairs = function == .if ? 1 : arguments.count / 2
        let otherwise: BoundExpression? = function == .if ? arguments[2] : (arguments.count % 2 == 1 ? arguments.last : nil)
        var open: [Int32]? = nil      // nil: every row
        var parts: [(rows: [Int32]?, column: Column)] = []
        for pair in 0..<pairs {
            let condition = arguments[2 * pair], value = arguments[2 * pair + 1]
            let decided: Column
            if let rows = open {
                if rows.isEmpty { break }
                decided = try column(condition, table, rows: rows)
            } else {
                let operand = try evaluate(condition, table)
                if case .scalar(let v) = operand {
                    // A constant condition: every open row goes one way.
                    if case .bool(true) = v { return try finish(parts + [(nil, materialize(try evaluate(value, table), value.type, count))], count, expression) }
                    continue
                }
                decided = materialize(operand, .bool, count)
            }
            // Rows where the condition holds take this value; the others stay open.
            var chosen: [Int32] = [], rest: [Int32] = []
            if case .bool(let flags) = decided.storage {
                for i in 0..<decided.count {
                    let row = open.map { $0[i] } ?? Int32(i)
                    if flags[i] && !decided.isNull(i) { chosen.append(row) } else { rest.append(row) }
                }
            } else {
                rest = open ?? (0..<Int32(count)).map { $0 }
            }
            if !chosen.isEmpty { parts.append((chosen, try column(value, table, rows: chosen))) }
            open = rest
        }
        if let otherwise, open?.isEmpty != true {
            if let rows = open { parts.append((rows, try column(otherwise, table, rows: rows))) }
            else { parts.append((nil, materialize(try evaluate(otherwise, table), otherwise.type, count))) }
        }
        return try finish(parts, count, expression)
    }

    /// The parts, each on its rows, as one column: appended, then put in row order.
    private func finish(_ parts: [(rows: [Int32]?, column: Column)], _ count: Int, _ expression: BoundExpression) throws -> Operand {
        if parts.count == 1, parts[0].rows == nil {
            let only = parts[0].column
            if only.type == expression.type { return .column(only) }
            return .column(Column.concatenate([(only, count)], type: expression.type))
        }
        let joined = Column.concatenate(parts.map { ($0.column, $0.column.count) }, type: expression.type)
        var position = [Int32](repeating: -1, count: count)
        var offset: Int32 = 0
        for part in parts {
            if let rows = part.rows {
                for (i, row) in rows.enumerated() { position[Int(row)] = offset + Int32(i) }
            } else {
                for row in 0..<count { position[row] = offset + Int32(row) }
            }
            offset += Int32(part.column.count)
        }
        return .column(joined.gather(position))
    }
}
