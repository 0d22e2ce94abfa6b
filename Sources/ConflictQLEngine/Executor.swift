// Runs planned plans over the symbol table: each stage takes a whole table and gives a whole
// table, computing only the columns the planner kept. Expressions are evaluated by
// `Evaluator` a column at a time.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

package struct Executor {
    let catalog: Catalog
    let context: EvaluationContext
    /// Set by `explain analyze`: each node's rows and time are recorded in it, in `explain`'s order.
    var profile: Profile? = nil
    /// Set when an empty result's hint may follow: where the rows ran out (EmptyResultHints).
    package var emptying: EmptyingRecord? = nil

    package var evaluator: Evaluator { Evaluator(context: context) }

    package func run(_ physical: PhysicalPlan) throws -> Table {
        let plan = physical.logical
        var table: Table
        switch physical.input {
        case .table(let name):
            guard let found = catalog.table(named: name) else {
                throw Diagnostic(.tableNoLongerDefined(name), at: plan.stages.first?.range)
            }
            // A prepared query runs again later: the table must still be what was checked.
            guard found.schema.fits(plan.sourceSchema) else {
                throw Diagnostic(.tableChangedSinceCheck(name),
                                       at: plan.stages.first?.range)
            }
            table = found
        case .subquery(let inner):
            let node = profile?.open()
            let started = monotonicNow()
            table = try run(inner)
            if let profile, let node { profile.close(node, rows: table.rowCount, since: started) }
        case .catalogListing:
            table = catalog.listing()
        }
        if let profile {
            switch physical.input {
            case .table, .catalogListing: profile.close(profile.open(), rows: table.rowCount, since: nil)
            case .subquery: break
            }
        }
        for stage in physical.stages {
            try context.checkCancelled(stage.range)
            // A join's right side and a union's inputs run inside the stage, their nodes
            // after its own: their time is part of the stage's.
            let node = profile?.open()
            let started = monotonicNow()
            let input = table
            table = try run(stage, on: table)
            if let emptying, table.rowCount == 0, input.rowCount > 0 { emptying.note(stage.range, input: input) }
            if let profile, let node { profile.close(node, rows: table.rowCount, since: started) }
            try context.checkCancelled(stage.range)
        }
        return table
    }

    /// Runs one planned stage over its input.
    func run(_ planned: PhysicalStage, on table: Table) throws -> Table {
        try run(planned.stage, on: table, schema: planned.schema, needed: planned.needed, right: planned.right,
                unionInputs: planned.unionInputs, range: planned.range)
    }

    /// Runs one stage; `needed` are the output columns later stages read.
    func run(_ stage: PlanStage, on table: Table, schema: Schema, needed: Set<Int>, right rightPlan: PhysicalPlan?,
             unionInputs: [PhysicalPlan]?, range: SourceRange) throws -> Table {
        switch stage {
        case .filter(let condition):
            return try filter(table, condition, needed)

        case .project(let columns):
            // Columns no later stage reads are not computed (nor can they fail).
            let computed = try columns.enumerated().map { index, column in
                needed.contains(index) ? try evaluator.column(column.expression, table)
                    : Column(type: column.expression.type, storage: .null, validity: nil, count: table.rowCount)
            }
            return Table(schema: schema, columns: computed, rowCount: table.rowCount)

        case .summarize(let keys, let aggregates, let outputs):
            let keyColumns = try keys.map { try evaluator.column($0.expression, table) }
            let grouping = Grouping(keys: keyColumns, rowCount: table.rowCount)
            // With keys and no rows there are no groups; without keys there is always one.
            let groups = keys.isEmpty ? grouping : (table.rowCount == 0 ? Grouping(empty: ()) : grouping)
            let aggregator = Aggregator(grouping: groups)
            var intermediate = keyColumns.map { $0.gather(groups.firstRow) }
            for call in aggregates {
                let input = try call.argument.map { try evaluator.aggregateInput($0, table) }
                intermediate.append(try aggregator.compute(call, input: input))
            }
            let fields = keys.map { Field($0.name, $0.expression.type) } + aggregates.map { Field("", $0.type) }
            let grouped = Table(schema: Schema(fields), columns: intermediate, rowCount: groups.groupCount)
            let computed = try outputs.map { try evaluator.column($0.expression, grouped) }
            return Table(schema: schema, columns: computed, rowCount: grouped.rowCount)

        case .sort(let keys):
            return table.gather(try sortedIndices(table, keys), keeping: needed)

        case .take(let count):
            let n = try rowLimit(count)
            return n >= table.rowCount ? table : table.gather((0..<Int32(n)).map { $0 }, keeping: needed)

        case .top(let count, let keys):
            let n = try rowLimit(count)
            let order = try sortedIndices(table, keys, first: n)
            return table.gather(order, keeping: needed)

        case .distinct(let indices):
            let grouping = Grouping(keys: indices.map { table.columns[$0] }, rowCount: table.rowCount)
            let firsts = table.rowCount == 0 ? [] : grouping.firstRow
            return Table(schema: schema, columns: indices.map { table.columns[$0].gather(firsts) }, rowCount: firsts.count)

        case .count:
            return Table(schema: schema, columns: [Column(type: .int, storage: .int([Int64(table.rowCount)]), validity: nil, count: 1)],
                         rowCount: 1)

        case .join(let kind, _, let leftKeys, let rightKeys, let rightColumns, let residual):
            let right = try run(rightPlan!)
            if residual != nil || kind == .semi || kind == .anti {
                return try conditionJoin(kind, table, right, leftKeys, rightKeys, rightColumns, residual, schema, range)
            }
            return try join(kind, table, right, leftKeys, rightKeys, rightColumns, schema, needed, range)

        case .expand(let expression, let replacing):
            return try expand(table, expression, replacing, schema)

        case .extend(let chain):
            return try extend(table, chain, schema, needed, range)

        case .union(let inputs):
            return try union(table, inputs, unionInputs!, schema, needed, range)

        case .window(let window):
            return try self.window(table, window, schema, needed, range)

        case .unpivot(let kept, let columns, let names):
            return try unpivot(table, kept, columns, names, schema, needed, range)

        case .fill(let fill):
            return try self.fill(table, fill, needed: needed, range)
        }
    }

    func rowLimit(_ expression: BoundExpression) throws -> Int {
        let empty = Table(schema: Schema([]), columns: [], rowCount: 1)
        guard case .int(let n) = try evaluator.column(expression, empty).value(at: 0) else {
            throw Diagnostic(.rowCountNull, at: expression.range)
        }
        guard n >= 0 else { throw Diagnostic(.rowCountBelowZero(n), at: expression.range) }
        return Int(clamping: n)
    }

    func filter(_ table: Table, _ condition: BoundExpression, _ needed: Set<Int>) throws -> Table {
        if let rows = rangeFilterRows(table, condition) {
            return rows.count == table.rowCount ? table : table.gather(rows, keeping: needed)
        }
        let mask = try evaluator.evaluate(condition, table)
        switch mask {
        case .scalar(let v):
            if case .bool(true) = v { return table }
            return table.gather([], keeping: needed)
        case .column(let column):
            guard case .bool(let values) = column.storage else { return table.gather([], keeping: needed) }
            var indices: [Int32] = []
            indices.reserveCapacity(values.count / 4)
            if column.validity == nil {
                values.withUnsafeBufferPointer { values in
                    for i in 0..<values.count where values[i] { indices.append(Int32(i)) }
                }
            } else {
                for i in 0..<values.count where values[i] && !column.isNull(i) { indices.append(Int32(i)) }
            }
            if indices.count == table.rowCount { return table }
            return table.gather(indices, keeping: needed)
        }
    }

    /// Row order for `sort` and `top`: keys in turn, nulls last, ties in input order. With
    /// `first`, only that many leading rows are wanted: for a few of many rows (`top 10` of a
    /// million), one pass keeps the best so far instead of sorting everything.
    func sortedIndices(_ table: Table, _ keys: [SortSpec], first: Int? = nil) throws -> [Int32] {
        if first == 0 || table.rowCount == 0 { return [] }
        // A few of many rows: strings are compared where they meet, not all ranked first.
        let fewOfMany = first.map { $0 <= 1000 && table.rowCount > $0 * 16 } ?? false
        let columns = try sortKeyColumns(table, keys, comparingStrings: fewOfMany)
        return try sortedIndices(columns, keys.map(\.descending), count: table.rowCount, first: first, range: keys[0].expression.range)
    }

    /// The keys of `keys` over `table`, ready to order rows by.
    func sortKeyColumns(_ table: Table, _ keys: [SortSpec], comparingStrings: Bool = false) throws -> [SortKeyColumn] {
        try keys.map {
            SortKeyColumn(try evaluator.column($0.expression, table), cancellation: context.cancellation, comparingStrings: comparingStrings)
        }
    }

    /// Row order by keys already evaluated (`sortKeyColumns`), for `count` rows.
    func sortedIndices(_ columns: [SortKeyColumn], _ descending: [Bool], count: Int, first: Int?, range: SourceRange) throws -> [Int32] {
        if first == 0 || count == 0 { return [] }
        // On Ctrl-C the comparisons stop mattering, so the sort ends at once; the stage
        // then reports the cancellation. (Counted only on this thread: the top-N's pieces
        // check the cancellation themselves.)
        var comparisons = 0
        var cancelled = false
        let cancellation = context.cancellation
        func ordered(_ a: Int32, _ b: Int32) -> Bool {
            for (column, desc) in zip(columns, descending) {
                let a = Int(a), b = Int(b)
                var order = column.compare(a, b)
                // Descending flips values, but nulls stay last.
                if desc && !column.column.isNull(a) && !column.column.isNull(b) { order = -order }
                if order != 0 { return order < 0 }
            }
            return a < b
        }
        func precedes(_ a: Int32, _ b: Int32) -> Bool {
            comparisons &+= 1
            if comparisons & 0xFFFF == 0, cancellation?.isCancelled == true { cancelled = true }
            if cancelled { return false }
            return ordered(a, b)
        }
        if let first, first <= 1000, count > first * 16 {
            // The best `first` rows of each piece of the rows, on the cores, then the best of
            // those: the order is total (ties by row), so this is the sequential answer.
            let words = columns[0].rejectionWords(descending: descending[0]) ?? RejectionWords(words: [], codes: nil)
            let bests = mapPieces(of: count, minimumPiece: 131_072) { rows in
                Self.best(first, of: rows, words: words, cancellation: cancellation, ordered)
            }
            if cancelled || cancellation?.isCancelled == true { return [] }
            return Array(bests.joined().sorted(by: precedes).prefix(first))
        }
        if let sorted = try radixOrder(columns, descending, count: count, range: range) {
            return first.map { Array(sorted.prefix($0)) } ?? sorted
        }
        var indices = (0..<Int32(count)).map { $0 }
        indices.sort(by: precedes)
        return first.map { Array(indices.prefix($0)) } ?? indices
    }

    /// The best `first` rows of `rows` by `ordered`, in order; a row enters by binary insertion
    /// after its first key's word (TopN.swift) says it may.
    static func best(_ first: Int, of rows: Range<Int>, words: RejectionWords, cancellation: Cancellation?,
                     _ ordered: (Int32, Int32) -> Bool) -> [Int32] {
        var best: [Int32] = []
        best.reserveCapacity(first + 1)
        for row in Int32(rows.lowerBound)..<Int32(rows.upperBound) {
            if row & 0xFFFF == 0, cancellation?.isCancelled == true { return [] }
            if best.count == first {
                // Worse on the first key than the last of the best: out.
                if !words.isEmpty && words[Int(row)] > words[Int(best[first - 1])] { continue }
                if !ordered(row, best[first - 1]) { continue }
            }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if ordered(best[mid], row) { low = mid + 1 } else { high = mid }
            }
            best.insert(row, at: low)
            if best.count > first { best.removeLast() }
        }
        return best
    }

    /// The most rows a join may make: past it, the keys almost surely do not identify rows.
    static let maximumJoinRows = 200_000_000

    func join(_ kind: JoinKind, _ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
              _ rightColumns: [Int], _ schema: Schema, _ needed: Set<Int>, _ range: SourceRange) throws -> Table {
        let (leftRows, rightRows) = try joinRowPairs(kind, left, right, leftKeys, rightKeys, rightColumns: rightColumns,
                                                     context: context, at: range)
        // Columns no later stage reads are not gathered (a self-join read two of 19).
        func gathered(_ column: Column, _ rows: [Int32], _ index: Int) -> Column {
            needed.contains(index) ? column.gather(rows) : Column(type: column.type, storage: .null, validity: nil, count: rows.count)
        }
        let columns = left.columns.enumerated().map { gathered($1, leftRows, $0) }
            + rightColumns.enumerated().map { gathered(right.columns[$1], rightRows, left.columns.count + $0) }
        return Table(schema: schema, columns: columns, rowCount: leftRows.count)
    }

    func expand(_ table: Table, _ expression: BoundExpression, _ replacing: Int?, _ schema: Schema) throws -> Table {
        let list = try evaluator.column(expression, table)
        guard case .list(let offsets, let values) = list.storage else {
            return Table(schema: schema, columns: schema.fields.map { Column(type: $0.type, storage: .null, validity: nil, count: 0) }, rowCount: 0)
        }
        var rows: [Int32] = [], elements: [Int32] = []
        let total = try expandedRowCount(list, offsets, values, table, replacing: replacing, at: expression.range)
        rows.reserveCapacity(total)
        elements.reserveCapacity(total)
        for row in 0..<table.rowCount where !list.isNull(row) {
            try context.checkCancelled(expression.range)
            if rows.count > Executor.maximumJoinRows {
                throw Diagnostic(.expandTooLarge(Executor.maximumJoinRows), at: expression.range)
            }
            for e in offsets[row]..<offsets[row + 1] {
                rows.append(Int32(row))
                elements.append(e)
            }
        }
        // The list column being replaced is not gathered: each row would carry its whole list.
        var columns = table.columns.enumerated().map { index, column in
            index == replacing ? Column(type: column.type, storage: .null, validity: nil, count: rows.count) : column.gather(rows)
        }
        let expanded = values.gather(elements)
        if let replacing { columns[replacing] = expanded } else { columns.append(expanded) }
        return Table(schema: schema, columns: columns, rowCount: rows.count)
    }

    package init(catalog: Catalog, context: EvaluationContext, profile: Profile? = nil) {
        self.catalog = catalog
        self.context = context
        self.profile = profile
    }
}
