// Running `unpivot`: each input row becomes one row per listed column, in row order and then
// column order (as DuckDB's UNPIVOT): the kept columns gathered, the names one dictionary
// code per column, the values the columns end to end, gathered into that order.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    func unpivot(_ table: Table, _ kept: [Int], _ columns: [Int], _ names: [String], _ schema: Schema,
                 _ needed: Set<Int>, _ range: SourceRange) throws -> Table {
        let rows = table.rowCount, k = columns.count
        let (total, overflow) = rows.multipliedReportingOverflow(by: k)
        guard !overflow, total <= Executor.maximumJoinRows else {
            throw Diagnostic(.unpivotTooLarge(Executor.maximumJoinRows), at: range)
        }
        var source = [Int32](repeating: 0, count: total)   // the input row of each output row
        var codes = [Int32](repeating: 0, count: total)    // which listed column
        var position = [Int32](repeating: 0, count: total) // in the columns end to end
        for row in 0..<rows {
            try context.poll(row, range)
            for c in 0..<k {
                let out = row * k + c
                source[out] = Int32(row)
                codes[out] = Int32(c)
                position[out] = Int32(c * rows + row)
            }
        }
        var output: [Column] = kept.enumerated().map { index, column in
            needed.contains(index) ? table.columns[column].gather(source)
                : Column(type: table.columns[column].type, storage: .null, validity: nil, count: total)
        }
        output.append(Column(type: .string, storage: .string(codes: StringCodes(codes).narrowed(entries: names.count),
            dictionary: StringDictionary(names)), validity: nil, count: total))
        let valueType = schema.fields[schema.fields.count - 1].type
        if needed.contains(kept.count + 1) {
            let joined = Column.concatenate(columns.map { (table.columns[$0], rows) }, type: valueType)
            output.append(joined.gather(position))
        } else {
            output.append(Column(type: valueType, storage: .null, validity: nil, count: total))
        }
        return Table(schema: schema, columns: output, rowCount: total)
    }
}
