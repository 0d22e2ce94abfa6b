// Which columns each stage's output must really carry. A `where` or `sort` over a wide table
// would otherwise copy every column of the rows it keeps, even when the next stage reads two
// of them (`events | where country == "Mali" | count` reads none): columns no later stage
// reads are left empty instead (null placeholders of the right length).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics

extension Plan {
    /// For each stage, the columns of its output that later stages read (the last stage's
    /// output is the result: all of it).
    package func neededColumns() -> [Set<Int>] { pruning().stages }

    /// The columns of the source the first stage reads, and `neededColumns`, when the
    /// result's columns `result` are read (all of them when nil; a `union` reads only those
    /// its later stages need of each input).
    func pruning(result: Set<Int>? = nil) -> (source: Set<Int>, stages: [Set<Int>]) {
        var needs = [Set<Int>](repeating: [], count: stages.count)
        guard !stages.isEmpty else { return (result ?? Set(0..<sourceSchema.fields.count), []) }
        var downstream = result ?? Set(0..<stages[stages.count - 1].schema.fields.count)
        for i in stride(from: stages.count - 1, through: 0, by: -1) {
            needs[i] = downstream
            let inputWidth = i == 0 ? sourceSchema.fields.count : stages[i - 1].schema.fields.count
            var input = Set<Int>()
            switch stages[i].stage {
            case .filter(let condition):
                var read = Set<Int>()
                condition.referencedColumns(into: &read)
                input = downstream.adding(read)
            case .sort(let keys), .top(_, let keys):
                var read = Set<Int>()
                for key in keys { key.expression.referencedColumns(into: &read) }
                input = downstream.adding(read)
            case .take:
                input = downstream
            case .project(let columns):
                for (index, column) in columns.enumerated() where downstream.contains(index) {
                    column.expression.referencedColumns(into: &input)
                }
            case .summarize(let keys, let aggregates, _):
                for key in keys { key.expression.referencedColumns(into: &input) }
                for call in aggregates { call.argument?.referencedColumns(into: &input) }
            case .distinct(let indices):
                input = Set(indices)
            case .count:
                input = []
            case .join(_, _, let leftKeys, _, _, let residual):
                input = downstream.filter { $0 < inputWidth }.union(leftKeys)
                // The condition's left columns (it reads the pair: left, then right).
                var read = Set<Int>()
                residual?.referencedColumns(into: &read)
                input.formUnion(read.filter { $0 < inputWidth })
            case .extend(let chain):
                input = chain.needed(downstream: downstream).input
            case .union(let inputs):
                input = inputs.needed(downstream, of: 0)
            case .window(let window):
                // The input's columns that pass through, and what the outputs later stages
                // read need: an output no one reads is not computed, nor are its calls.
                let replaced = Set(window.outputs.map(\.target))
                input = downstream.filter { $0 < inputWidth && !replaced.contains($0) }
                window.referencedColumns(into: &input, inputWidth: inputWidth, needed: downstream)
            case .unpivot(let kept, let columns, _):
                // The kept columns later stages read, and every unpivoted one if the values are read.
                input = Set(kept.enumerated().filter { downstream.contains($0.offset) }.map(\.element))
                if downstream.contains(kept.count + 1) { input.formUnion(columns) }
            case .fill(let fill):
                // Every column passes through; the series column and the keys are read.
                input = downstream.union([fill.column] + fill.keys)
            case .expand(let expression, let replacing):
                input = downstream.filter { $0 < inputWidth && $0 != replacing }
                expression.referencedColumns(into: &input)
            }
            downstream = input
        }
        return (downstream, needs)
    }
}

extension WindowPlan {
    /// The outputs whose columns are `needed` (all when nil).
    package func neededOutputs(_ needed: Set<Int>?) -> [(target: Int, expression: BoundExpression)] {
        guard let needed else { return outputs }
        return outputs.filter { needed.contains($0.target) }
    }

    /// The calls the outputs in `outputs` read (an output reads call `k` as the column
    /// `inputWidth + k`, after the input's).
    package func calls(readBy outputs: [(target: Int, expression: BoundExpression)], inputWidth: Int) -> Set<Int> {
        var read = Set<Int>()
        for output in outputs { output.expression.referencedColumns(into: &read) }
        return Set(read.filter { $0 >= inputWidth }.map { $0 - inputWidth })
    }

    /// The input columns the window reads for the output columns `needed`: the outputs'
    /// own reads, and for the calls they read, the calls' arguments, the keys and the order.
    func referencedColumns(into set: inout Set<Int>, inputWidth: Int, needed: Set<Int>? = nil) {
        let outputs = neededOutputs(needed)
        let used = calls(readBy: outputs, inputWidth: inputWidth)
        if !used.isEmpty {
            for key in keys { key.referencedColumns(into: &set) }
            for spec in order { spec.expression.referencedColumns(into: &set) }
        }
        for (index, call) in calls.enumerated() where used.contains(index) {
            call.argument?.referencedColumns(into: &set)
            if case .aggregate(let aggregate) = call.function { aggregate.argument?.referencedColumns(into: &set) }
        }
        var read = Set<Int>()
        for output in outputs { output.expression.referencedColumns(into: &read) }
        set.formUnion(read.filter { $0 < inputWidth })
    }
}

extension UnionInputs {
    /// The columns of input `input` (0: the stage's own) that the needed output columns read.
    func needed(_ downstream: Set<Int>, of input: Int) -> Set<Int> {
        let offset = hasSourceColumn ? 1 : 0
        var read = Set<Int>()
        for k in downstream where k >= offset {
            if let column = columns[input][k - offset] { read.insert(column) }
        }
        return read
    }
}

extension Set where Element == Int {
    /// The union, sharing this set's storage when `other` adds nothing: a stage that
    /// keeps every column (`where`, `sort`) then costs no copy of a wide table's set.
    func adding(_ other: Set<Int>) -> Set<Int> {
        other.isSubset(of: self) ? self : union(other)
    }
}

extension Table {
    /// The rows at `indices` of the `needed` columns; the others become empty placeholders.
    package func gather(_ indices: [Int32], keeping needed: Set<Int>) -> Table {
        let columns = self.columns.enumerated().map { index, column in
            needed.contains(index) ? column.gather(indices)
                : Column(type: column.type, storage: .null, validity: nil, count: indices.count)
        }
        return Table(schema: schema, columns: columns, rowCount: indices.count)
    }
}
