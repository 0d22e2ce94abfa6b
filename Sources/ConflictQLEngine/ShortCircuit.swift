// Short-circuit evaluation in vector form. `x != 0 and y / x > 1` must guard its right side as
// it would in any language: the right operand of `and` / `or`, and each later argument of
// `coalesce`, is evaluated only on the rows the operands before it leave open, gathered into
// a smaller table (only the columns it reads), and the answers are scattered back. Rows that
// are already decided are never computed, so they can neither fail nor cost time.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    /// `left and right` / `left or right`, evaluating `right` only where `left` does not decide.
    func shortCircuit(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression,
                      _ expression: BoundExpression, _ table: Table) throws -> Operand {
        let decidingValue = op == .or
        let a = try evaluate(left, table)
        switch a {
        case .scalar(let v):
            if case .bool(let b) = v, b == decidingValue { return .scalar(.bool(b)) }
            let b = try evaluate(right, table)
            return try binary(op, a, b, left.type, right.type, expression, table.rowCount)
        case .column(let decided):
            // A right side that cannot fail and costs little (comparisons of columns and
            // constants) is cheaper to compute on every row, a column at a time, than to
            // gather: the answer is the same, since it cannot fail on the decided rows.
            if right.isCheapAndInfallible {
                let b = try evaluate(right, table)
                return try binary(op, a, b, left.type, right.type, expression, table.rowCount)
            }
            let open = openRows(decided, deciding: decidingValue)
            if open.count == table.rowCount {
                let b = try evaluate(right, table)
                return try binary(op, a, b, left.type, right.type, expression, table.rowCount)
            }
            if open.isEmpty { return .column(decided) }
            let rightOnOpen = try column(right, table, rows: open)
            return .column(combine(op, decided, rightOnOpen, open))
        }
    }

    /// `coalesce(a, b, ...)`: each argument is evaluated only on the rows still null.
    func coalesce(_ arguments: [BoundExpression], _ expression: BoundExpression, _ table: Table) throws -> Operand {
        let count = table.rowCount
        var open: [Int32]? = nil   // nil: every row
        var parts: [(rows: [Int32]?, column: Column)] = []
        for argument in arguments {
            let part: Column
            if let rows = open {
                part = try column(argument, table, rows: rows)
            } else {
                let operand = try evaluate(argument, table)
                if case .scalar(let v) = operand, parts.isEmpty {
                    // A constant first argument that is not null decides every row.
                    if !v.isNull { return .scalar(v) }
                    continue
                }
                part = materialize(operand, argument.type, count)
            }
            parts.append((open, part))
            let stillNull = openRows(part, deciding: nil)
            if stillNull.isEmpty { break }
            open = open.map { rows in stillNull.map { rows[Int($0)] } } ?? stillNull
        }
        if parts.count == 1, parts[0].rows == nil, parts[0].column.type == expression.type { return .column(parts[0].column) }
        // Each row takes the first part that has a value for it.
        var chosen = [Value](repeating: .null, count: count)
        for (rows, part) in parts.reversed() {
            for i in 0..<part.count where !part.isNull(i) {
                try context.poll(i, expression.range)
                chosen[rows.map { Int($0[i]) } ?? i] = part.value(at: i)
            }
        }
        var builder = ColumnBuilder(type: expression.type, capacity: count)
        for (row, value) in chosen.enumerated() {
            try context.poll(row, expression.range)
            builder.append(value)
        }
        return .column(builder.finish())
    }

    /// `left op right` where `right` was computed on the `open` rows only: the decided rows
    /// keep the deciding value (false for `and`, true for `or`), each open row combines the
    /// two by three-valued logic. One pass over the open rows, none over the others.
    func combine(_ op: BinaryOperator, _ left: Column, _ right: Column, _ open: [Int32]) -> Column {
        let n = left.count
        let deciding = op == .or
        guard case .bool = left.storage else {
            return logic(op, left, scatter(right, open, n))
        }
        var result = [Bool](repeating: deciding, count: n)
        var validity: Bitmap? = nil
        let rightValues: [Bool]
        if case .bool(let values) = right.storage { rightValues = values } else { rightValues = [] }
        for (k, row32) in open.enumerated() {
            let row = Int(row32)
            let rightNull = rightValues.isEmpty || right.isNull(k)
            let rightValue = rightNull ? false : rightValues[k]
            if !left.isNull(row) {
                // Left is open, so it is the non-deciding value: the answer is the right side.
                result[row] = rightValue
                if rightNull { if validity == nil { validity = Bitmap(count: n, allValid: true) }; validity![row] = false }
            } else if !rightNull && rightValue == deciding {
                result[row] = deciding
            } else {
                if validity == nil { validity = Bitmap(count: n, allValid: true) }
                validity![row] = false
            }
        }
        return Column(type: .bool, storage: .bool(result), validity: validity, count: n)
    }

    /// The rows still open: null ones, and, for a Bool column with a `deciding` value, those
    /// whose value is not it.
    func openRows(_ column: Column, deciding: Bool?) -> [Int32] {
        var rows: [Int32] = []
        if let deciding, case .bool(let values) = column.storage {
            values.withUnsafeBufferPointer { values in
                if column.validity == nil {
                    for row in 0..<values.count where values[row] != deciding { rows.append(Int32(row)) }
                } else {
                    for row in 0..<values.count where values[row] != deciding || column.isNull(row) { rows.append(Int32(row)) }
                }
            }
        } else if column.validity != nil || column.storage.isNull {
            for row in 0..<column.count where column.isNull(row) { rows.append(Int32(row)) }
        }
        return rows
    }

    /// `expression` over the given rows of `table` only: a column as long as `rows`.
    func column(_ expression: BoundExpression, _ table: Table, rows: [Int32]) throws -> Column {
        var read = Set<Int>()
        expression.referencedColumns(into: &read)
        let subset = table.gather(rows, keeping: read)
        return materialize(try evaluate(expression, subset), expression.type, rows.count)
    }

    /// A column computed on `rows` placed back among `count` rows; the other rows are null.
    func scatter(_ part: Column, _ rows: [Int32], _ count: Int) -> Column {
        var positions = [Int32](repeating: -1, count: count)
        for (i, row) in rows.enumerated() { positions[Int(row)] = Int32(i) }
        return part.gather(positions)
    }
}

extension Column.Storage {
    var isNull: Bool { if case .null = self { return true } else { return false } }
}
