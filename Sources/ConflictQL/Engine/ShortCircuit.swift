// Short-circuit evaluation in vector form. `x != 0 and y / x > 1` must guard its right side as
// it would in any language: the right operand of `and` / `or`, and each later argument of
// `coalesce`, is evaluated only on the rows the operands before it leave open, gathered into
// a smaller table (only the columns it reads), and the answers are scattered back. Rows that
// are already decided are never computed, so they can neither fail nor cost time.

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
            let open = openRows(decided) { values, row in values[row] != decidingValue }
            if open.count == table.rowCount {
                let b = try evaluate(right, table)
                return try binary(op, a, b, left.type, right.type, expression, table.rowCount)
            }
            if open.isEmpty { return .column(decided) }
            let rightOnOpen = try column(right, table, rows: open)
            return .column(logic(op, boolColumn(a, table.rowCount), scatter(rightOnOpen, open, table.rowCount)))
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
            let stillNull = openRows(part) { _, _ in false }
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

    /// The rows of a Bool (or any) column that are null or for which `isOpen` holds.
    func openRows(_ column: Column, _ isOpen: ([Bool], Int) -> Bool) -> [Int32] {
        var rows: [Int32] = []
        if case .bool(let values) = column.storage {
            for row in 0..<column.count where column.isNull(row) || isOpen(values, row) { rows.append(Int32(row)) }
        } else {
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
