// Running `union`: each input is run (only the columns later stages read), then every output
// column is its inputs' columns end to end (Foundation/ColumnConcatenation.swift), with the
// source column, when asked for, holding each row's input name.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    func union(_ table: Table, _ inputs: UnionInputs, _ planned: [PhysicalPlan], _ schema: Schema,
               _ needed: Set<Int>, _ range: SourceRange) throws -> Table {
        var tables = [table]
        for plan in planned {
            try context.checkCancelled(range)
            tables.append(try run(plan))
        }
        let total = tables.reduce(0) { $0 + $1.rowCount }
        guard total <= Int(Int32.max) else {
            throw Diagnostic(.unionTooLarge(total, Int32.max), at: range)
        }
        let offset = inputs.hasSourceColumn ? 1 : 0
        var columns: [Column] = []
        columns.reserveCapacity(schema.fields.count)
        if inputs.hasSourceColumn {
            columns.append(needed.contains(0) ? sourceColumn(inputs.labels, tables.map(\.rowCount)) : Column(type: .string, storage: .null, validity: nil, count: total))
        }
        for k in offset..<schema.fields.count {
            try context.checkCancelled(range)
            guard needed.contains(k) else {
                columns.append(Column(type: schema.fields[k].type, storage: .null, validity: nil, count: total))
                continue
            }
            let parts = tables.enumerated().map { i, input in
                (column: inputs.columns[i][k - offset].map { input.columns[$0] }, count: input.rowCount)
            }
            columns.append(Column.concatenate(parts, type: schema.fields[k].type))
        }
        return Table(schema: schema, columns: columns, rowCount: total)
    }

    /// Each row's input name: one dictionary entry per input.
    func sourceColumn(_ labels: [String], _ counts: [Int]) -> Column {
        var unique: [String] = []
        var codes: [Int32] = []
        codes.reserveCapacity(counts.reduce(0, +))
        for (label, count) in zip(labels, counts) {
            let code = unique.firstIndex(of: label) ?? { unique.append(label); return unique.count - 1 }()
            codes += repeatElement(Int32(code), count: count)
        }
        return Column(type: .string, storage: .string(codes: StringCodes(codes).narrowed(entries: unique.count),
            dictionary: StringDictionary(unique)),
                      validity: nil, count: codes.count)
    }
}
