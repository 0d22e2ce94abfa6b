// Joins on a condition (`on left.actor1 startswith right.abbrev`), and `semi` and `anti`
// joins. The candidate pairs come from the hash join on the condition's equality keys
// (ResultSize.swift), or, with no keys, from every left row against every right row, a
// block of pairs at a time; the rest of the condition is evaluated over each block, column
// at a time, on the columns it reads. Pairs that pass are kept in left-row order, so
// every kind keeps the left rows' order as the equality join does.

extension Executor {
    /// Pairs tested at once: the columns the condition reads are gathered for this many.
    static let conditionBlock = 65_536

    func conditionJoin(_ kind: JoinKind, _ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
                       _ rightColumns: [Int], _ residual: BoundExpression?, _ schema: Schema,
                       _ range: SourceRange) throws -> Table {
        let (matchedLeft, matchedRight) = try matchingPairs(left, right, leftKeys, rightKeys, rightColumns, residual, range)
        switch kind {
        case .inner:
            return pairs(left, right, matchedLeft, matchedRight, rightColumns, schema)
        case .left:
            // Each left row: its matches, or one row with nulls on the right.
            var lefts: [Int32] = [], rights: [Int32] = []
            lefts.reserveCapacity(max(left.rowCount, matchedLeft.count))
            rights.reserveCapacity(lefts.capacity)
            var next = 0
            for row in 0..<Int32(left.rowCount) {
                if next < matchedLeft.count, matchedLeft[next] == row {
                    while next < matchedLeft.count, matchedLeft[next] == row {
                        lefts.append(row); rights.append(matchedRight[next]); next += 1
                    }
                } else {
                    lefts.append(row); rights.append(-1)
                }
            }
            return pairs(left, right, lefts, rights, rightColumns, schema)
        case .semi, .anti:
            var matched = [Bool](repeating: false, count: left.rowCount)
            for row in matchedLeft { matched[Int(row)] = true }
            let rows = (0..<Int32(left.rowCount)).filter { matched[Int($0)] == (kind == .semi) }
            return Table(schema: schema, columns: left.columns.map { $0.gather(rows) }, rowCount: rows.count)
        }
    }

    private func pairs(_ left: Table, _ right: Table, _ lefts: [Int32], _ rights: [Int32], _ rightColumns: [Int],
                       _ schema: Schema) -> Table {
        let columns = left.columns.map { $0.gather(lefts) } + rightColumns.map { right.columns[$0].gather(rights) }
        return Table(schema: schema, columns: columns, rowCount: lefts.count)
    }

    /// The pairs (left row, right row) whose keys are equal and for which `residual` is true,
    /// ordered by left row, then right row.
    private func matchingPairs(_ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
                               _ rightColumns: [Int], _ residual: BoundExpression?,
                               _ range: SourceRange) throws -> (left: [Int32], right: [Int32]) {
        var keptLeft: [Int32] = [], keptRight: [Int32] = []
        if !leftKeys.isEmpty {
            let (lefts, rights) = try joinRowPairs(.inner, left, right, leftKeys, rightKeys, rightColumns: rightColumns,
                                                   context: context, at: range)
            guard let residual else { return (lefts, rights) }
            var start = 0
            while start < lefts.count {
                let end = min(start + Executor.conditionBlock, lefts.count)
                try keep(Array(lefts[start..<end]), Array(rights[start..<end]), residual, left, right, &keptLeft, &keptRight)
                start = end
            }
            return (keptLeft, keptRight)
        }
        // No equality to hash on: every left row against every right row, refused past the
        // join limit before any is tested.
        let (candidates, overflow) = left.rowCount.multipliedReportingOverflow(by: right.rowCount)
        if overflow || candidates > Executor.maximumJoinRows {
            throw Diagnostic.error("this join compares every left row with every right row: \(left.rowCount) × \(right.rowCount) pairs, more than \(Executor.maximumJoinRows)",
                                   at: range, help: "add an equality such as left.A == right.B to the condition (it is then a hash join), or filter both sides first")
        }
        guard right.rowCount > 0 else { return ([], []) }
        let leftRowsPerBlock = max(1, Executor.conditionBlock / right.rowCount)
        var row = 0
        while row < left.rowCount {
            try context.checkCancelled(range)
            let end = min(row + leftRowsPerBlock, left.rowCount)
            var lefts: [Int32] = [], rights: [Int32] = []
            lefts.reserveCapacity((end - row) * right.rowCount)
            rights.reserveCapacity(lefts.capacity)
            for l in row..<end {
                for r in 0..<right.rowCount { lefts.append(Int32(l)); rights.append(Int32(r)) }
            }
            if let residual {
                try keep(lefts, rights, residual, left, right, &keptLeft, &keptRight)
            } else {
                keptLeft += lefts; keptRight += rights
            }
            if keptLeft.count > Executor.maximumJoinRows {
                throw Diagnostic.error("this join would make more than \(Executor.maximumJoinRows) rows", at: range,
                                       help: "make the condition narrower, or filter both sides first")
            }
            row = end
        }
        return (keptLeft, keptRight)
    }

    /// Appends the pairs of the block for which `residual` is true (null is not).
    private func keep(_ lefts: [Int32], _ rights: [Int32], _ residual: BoundExpression, _ left: Table, _ right: Table,
                      _ keptLeft: inout [Int32], _ keptRight: inout [Int32]) throws {
        var read = Set<Int>()
        residual.referencedColumns(into: &read)
        let width = left.columns.count
        let columns = (0..<(width + right.columns.count)).map { index -> Column in
            let column = index < width ? left.columns[index] : right.columns[index - width]
            guard read.contains(index) else { return Column(type: column.type, storage: .null, validity: nil, count: lefts.count) }
            return column.gather(index < width ? lefts : rights)
        }
        let block = Table(schema: Schema(left.schema.fields + right.schema.fields), columns: columns, rowCount: lefts.count)
        switch try evaluator.evaluate(residual, block) {
        case .scalar(let value):
            if case .bool(true) = value { keptLeft += lefts; keptRight += rights }
        case .column(let mask):
            guard case .bool(let values) = mask.storage else { return }
            for i in 0..<values.count where values[i] && !mask.isNull(i) {
                keptLeft.append(lefts[i]); keptRight.append(rights[i])
            }
        }
        if keptLeft.count > Executor.maximumJoinRows {
            throw Diagnostic.error("this join would make more than \(Executor.maximumJoinRows) rows", at: residual.range,
                                   help: "make the condition narrower, or filter both sides first")
        }
    }
}
