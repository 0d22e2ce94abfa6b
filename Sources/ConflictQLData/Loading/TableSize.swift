// The limits a loaded table must keep ("Limits" in the documentation catalogue's
// Contributors.md): at most `maximumColumns` columns, and for a reader that holds every value
// before typing them (JSON), the memory for a value in every cell, checked before it is
// allocated.

import ConflictQLCore
import ConflictQLSyntax

/// Refuses a table of more than `maximumColumns` columns, or whose `columns` x `rows` values
/// of `bytesPerValue` bytes cannot be allocated now.
func checkTableSize(columns: Int, rows: Int, bytesPerValue: Int, path: String) throws(LoadError) {
    if columns > maximumColumns {
        throw LoadError(.fileHasTooManyColumns(columns, maximumColumns), path: path)
    }
    let (cells, overflow) = columns.multipliedReportingOverflow(by: rows)
    let (bytes, overflow2) = cells.multipliedReportingOverflow(by: bytesPerValue)
    if overflow || overflow2 || !memoryAvailable(bytes) {
        throw LoadError(.recordsTooLargeForMemory(columns, rows), path: path)
    }
}
