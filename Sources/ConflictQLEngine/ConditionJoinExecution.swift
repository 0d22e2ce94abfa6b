// Joins on a condition (`on left.actor1 startswith right.abbrev`), and `semi` and `anti`
// joins. The candidate pairs come from the hash join on the condition's equality keys
// (ResultSize.swift), or, with no keys, from every left row against every right row, a
// block of pairs at a time; the rest of the condition is evaluated over each block, column
// at a time, on the columns it reads. Pairs that pass are kept in left-row order, so
// every kind keeps the left rows' order as the equality join does. A part of the condition
// that reads one side only and cannot fail (`groups_of(left.actor1, ...)`) is computed once
// per row of that side, not once per pair.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    /// Pairs tested at once: the columns the condition reads are gathered for this many.
    static let conditionBlock = 65_536

    func conditionJoin(_ kind: JoinKind, _ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
                       _ rightColumns: [Int], _ residual: BoundExpression?, _ schema: Schema,
                       _ range: SourceRange) throws -> Table {
        let (lefts, rights) = try conditionJoinPairs(kind, left, right, leftKeys, rightKeys, rightColumns, residual, range)
        return pairs(left, right, lefts, rights, rightColumns, schema)
    }

    /// The rows of the join's result as (left row, right row) pairs, right -1 where a left
    /// row has no match (`left`) or for every row (`semi`, `anti`: left rows alone).
    func conditionJoinPairs(_ kind: JoinKind, _ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
                            _ rightColumns: [Int], _ residual: BoundExpression?,
                            _ range: SourceRange) throws -> (left: [Int32], right: [Int32]) {
        // The condition over the sides with their one-side parts computed (the output keeps
        // the sides' own columns).
        var (testedLeft, testedRight, condition) = (left, right, residual)
        if let residual { (testedLeft, testedRight, condition) = try hoistOneSideParts(residual, left, right) }
        let (matchedLeft, matchedRight) = try matchingPairs(testedLeft, testedRight, leftKeys, rightKeys, rightColumns, condition, range)
        switch kind {
        case .inner:
            return (matchedLeft, matchedRight)
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
            return (lefts, rights)
        case .semi, .anti:
            var matched = [Bool](repeating: false, count: left.rowCount)
            for row in matchedLeft { matched[Int(row)] = true }
            let rows = (0..<Int32(left.rowCount)).filter { matched[Int($0)] == (kind == .semi) }
            return (rows, [Int32](repeating: -1, count: rows.count))
        }
    }

    /// The sides with a column for each part of `residual` that reads one side only, is more
    /// than a column or a constant, and cannot fail; and `residual` reading those columns.
    /// Pair layout before: left columns, right columns; after: left, left parts, right, right parts.
    private func hoistOneSideParts(_ residual: BoundExpression, _ left: Table, _ right: Table) throws
        -> (Table, Table, BoundExpression) {
        let leftWidth = left.columns.count, rightWidth = right.columns.count
        var leftParts: [BoundExpression] = [], rightParts: [BoundExpression] = []
        // Collects the parts (`build` false), then rewrites with their final places.
        func walk(_ e: BoundExpression, build: Bool) -> BoundExpression {
            var read = Set<Int>()
            e.referencedColumns(into: &read)
            let isLeaf: Bool = { switch e.kind { case .column, .constant, .variable: return true; default: return false } }()
            if !isLeaf, !read.isEmpty, e.isInfallible, read.allSatisfy({ $0 < leftWidth }) || read.allSatisfy({ $0 >= leftWidth }) {
                let onLeft = read.allSatisfy { $0 < leftWidth }
                if !build {
                    if onLeft { leftParts.append(e) } else { rightParts.append(e) }
                    return e
                }
                let index = onLeft ? leftParts.firstIndex { $0 === e }! : rightParts.firstIndex { $0 === e }!
                let place = onLeft ? leftWidth + index : leftWidth + leftParts.count + rightWidth + index
                return BoundExpression(.column(place), e.type, e.range)
            }
            let r = { (x: BoundExpression) in walk(x, build: build) }
            switch e.kind {
            case .column(let i):
                return build && i >= leftWidth ? BoundExpression(.column(i + leftParts.count), e.type, e.range) : e
            case .constant, .variable: return e
            case .unary(let op, let a): return build ? BoundExpression(.unary(op, r(a)), e.type, e.range) : { _ = r(a); return e }()
            case .toFloat(let a): return build ? BoundExpression(.toFloat(r(a)), e.type, e.range) : { _ = r(a); return e }()
            case .isNull(let a, let negated): return build ? BoundExpression(.isNull(r(a), negated: negated), e.type, e.range) : { _ = r(a); return e }()
            case .binary(let op, let a, let b):
                let (x, y) = (r(a), r(b))
                return build ? BoundExpression(.binary(op, x, y), e.type, e.range) : e
            case .function(let f, let arguments):
                let mapped = arguments.map(r)
                return build ? BoundExpression(.function(f, mapped), e.type, e.range) : e
            case .list(let items):
                let mapped = items.map(r)
                return build ? BoundExpression(.list(mapped), e.type, e.range) : e
            case .inList(let a, let items, let negated):
                let (x, mapped) = (r(a), items.map(r))
                return build ? BoundExpression(.inList(x, mapped, negated: negated), e.type, e.range) : e
            }
        }
        _ = walk(residual, build: false)
        if leftParts.isEmpty && rightParts.isEmpty { return (left, right, residual) }
        let condition = walk(residual, build: true)
        func extended(_ table: Table, _ parts: [BoundExpression], offset: Int) throws -> Table {
            if parts.isEmpty { return table }
            let computed = try parts.map { part in try evaluator.column(part.mappingColumns { $0 - offset }, table) }
            let fields = table.schema.fields + parts.enumerated().map { Field("_part\($0.offset)", $0.element.type) }
            return Table(schema: Schema(fields), columns: table.columns + computed, rowCount: table.rowCount)
        }
        return (try extended(left, leftParts, offset: 0), try extended(right, rightParts, offset: leftWidth), condition)
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
        // What the condition reads, and the pair's schema: once for every block.
        let test = residual.map { PairTest(residual: $0, left: left, right: right) }
        if !leftKeys.isEmpty {
            let (lefts, rights) = try joinRowPairs(.inner, left, right, leftKeys, rightKeys, rightColumns: rightColumns,
                                                   context: context, at: range)
            guard let test else { return (lefts, rights) }
            var start = 0
            while start < lefts.count {
                let end = min(start + Executor.conditionBlock, lefts.count)
                try keep(Array(lefts[start..<end]), Array(rights[start..<end]), test, &keptLeft, &keptRight)
                start = end
            }
            return (keptLeft, keptRight)
        }
        // No equality to hash on: every left row against every right row, refused past the
        // join limit before any is tested.
        let (candidates, overflow) = left.rowCount.multipliedReportingOverflow(by: right.rowCount)
        if overflow || candidates > Executor.maximumJoinRows {
            throw Diagnostic(.joinPairsTooMany(left.rowCount, right.rowCount, Executor.maximumJoinRows),
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
            if let test {
                try keep(lefts, rights, test, &keptLeft, &keptRight)
            } else {
                keptLeft += lefts; keptRight += rights
            }
            if keptLeft.count > Executor.maximumJoinRows {
                throw Diagnostic(.joinTooLarge(Executor.maximumJoinRows), at: range,
                                       help: "make the condition narrower, or filter both sides first")
            }
            row = end
        }
        return (keptLeft, keptRight)
    }

    /// The rest of a join's condition, with what it reads: the same for every block of pairs.
    private struct PairTest {
        let residual: BoundExpression
        let left: Table
        let right: Table
        let read: Set<Int>
        let schema: Schema

        init(residual: BoundExpression, left: Table, right: Table) {
            var read = Set<Int>()
            residual.referencedColumns(into: &read)
            (self.residual, self.left, self.right, self.read) = (residual, left, right, read)
            schema = Schema(left.schema.fields + right.schema.fields)
        }
    }

    /// Appends the pairs of the block for which the condition is true (null is not).
    private func keep(_ lefts: [Int32], _ rights: [Int32], _ test: PairTest,
                      _ keptLeft: inout [Int32], _ keptRight: inout [Int32]) throws {
        let width = test.left.columns.count
        let columns = (0..<(width + test.right.columns.count)).map { index -> Column in
            let column = index < width ? test.left.columns[index] : test.right.columns[index - width]
            guard test.read.contains(index) else { return Column(type: column.type, storage: .null, validity: nil, count: lefts.count) }
            return column.gather(index < width ? lefts : rights)
        }
        let block = Table(schema: test.schema, columns: columns, rowCount: lefts.count)
        let residual = test.residual
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
            throw Diagnostic(.joinTooLarge(Executor.maximumJoinRows), at: residual.range,
                                   help: "make the condition narrower, or filter both sides first")
        }
    }
}

extension BoundExpression {
    /// The same expression reading column `f(i)` where it read column `i`.
    func mappingColumns(_ f: @escaping (Int) -> Int) -> BoundExpression {
        let r = { (e: BoundExpression) in e.mappingColumns(f) }
        switch kind {
        case .column(let i): return BoundExpression(.column(f(i)), type, range)
        case .constant, .variable: return self
        case .unary(let op, let a): return BoundExpression(.unary(op, r(a)), type, range)
        case .toFloat(let a): return BoundExpression(.toFloat(r(a)), type, range)
        case .isNull(let a, let negated): return BoundExpression(.isNull(r(a), negated: negated), type, range)
        case .binary(let op, let a, let b): return BoundExpression(.binary(op, r(a), r(b)), type, range)
        case .function(let function, let arguments): return BoundExpression(.function(function, arguments.map(r)), type, range)
        case .list(let items): return BoundExpression(.list(items.map(r)), type, range)
        case .inList(let a, let items, let negated): return BoundExpression(.inList(r(a), items.map(r), negated: negated), type, range)
        }
    }
}
