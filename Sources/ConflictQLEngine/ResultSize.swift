// Guards that fire before a join or an `expand` spends memory: the result's rows are counted
// from the inputs first (checked arithmetic), then refused past the row limit or when the
// memory they need cannot be had. Without them Swift's arrays abort the process when an
// allocation fails ("failed to allocate"), and the row guard fired only after 1.6 GB.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Column {
    /// About how many bytes one row of this column takes once gathered (lists by their
    /// average length), with its share of the null bitmap.
    var bytesPerGatheredRow: Int {
        switch storage {
        case .int, .float: return 8
        case .bool: return 1
        case .date: return 5
        case .string: return 4
        case .list(_, let values):
            let perRow = count == 0 ? 0 : (values.count + count - 1) / count
            return 8 + perRow.multipliedReportingOverflow(by: values.bytesPerGatheredRow + 4).partialValue
        case .null: return 0
        }
    }
}

enum ResultSize {
    /// A constant list made into a column is stored once per row: refuse it when that is
    /// more values than a result may have rows, or more memory than can be had.
    static func checkRepeated(_ operand: Operand, rows: Int, at range: SourceRange) throws {
        guard case .scalar(.list(let elements)) = operand, elements.count > 1 else { return }
        let (values, overflow) = rows.multipliedReportingOverflow(by: elements.count)
        if overflow || values > Executor.maximumJoinRows {
            throw Diagnostic(.listOnEveryRowTooLarge(elements.count, rows, limit: Executor.maximumJoinRows), at: range,
                             help: "filter the rows first")
        }
        try check(rows: values, bytesPerRow: 16, what: "this list on every row", unit: "values", at: range,
                  help: "filter the rows first")
    }

    /// Refuses a result of `rows` rows over the row limit, or whose `bytesPerRow` bytes a
    /// row cannot be allocated now. The memory is asked of the system once and given back,
    /// untouched (so it costs nothing):
    /// under a limit (`ulimit -v`) or past what the machine has, the request fails, and
    /// the statement fails with it instead of the process.
    static func check(rows: Int, bytesPerRow: Int, what: String, unit: String = "rows", at range: SourceRange,
                      help: String? = nil) throws {
        if rows > Executor.maximumJoinRows {
            throw Diagnostic(.moreRowsThanLimit(what, rows, unit, Executor.maximumJoinRows), at: range, help: help)
        }
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: max(1, bytesPerRow))
        if bytes == 0 && !overflow { return }
        guard !overflow, canAllocate(bytes) else {
            let size = overflow ? "more than can be counted" : "about \(megabytes(bytes)) MB"
            throw Diagnostic(.notEnoughMemory(what, rows, unit, size),
                                   at: range, help: help)
        }
    }

    static func canAllocate(_ bytes: Int) -> Bool { memoryAvailable(bytes) }

    static func megabytes(_ bytes: Int) -> Int { (bytes + (1 << 20) - 1) >> 20 }
}

/// The row pairs of a join: for each left row in order, its matching right rows in order
/// (a left join keeps an unmatched left row once, with -1 for the right). Matches are
/// counted before any pair is stored, so the guards see the result's size first.
func joinRowPairs(_ kind: JoinKind, _ left: Table, _ right: Table, _ leftKeys: [Int], _ rightKeys: [Int],
                  rightColumns: [Int], context: EvaluationContext, at range: SourceRange) throws -> (left: [Int32], right: [Int32]) {
    let matches = try equalityJoinMatches(left, right, leftKeys, rightKeys, context: context, at: range)
    var total = 0
    for row in 0..<left.rowCount {
        let n = matches.matchCount(row)
        total += n == 0 && kind == .left ? 1 : n  // at most left × right rows: no overflow
    }
    let bytesPerRow = 8 + left.columns.reduce(0) { $0 + $1.bytesPerGatheredRow }
        + rightColumns.reduce(0) { $0 + right.columns[$1].bytesPerGatheredRow }
    try ResultSize.check(rows: total, bytesPerRow: bytesPerRow, what: "this join", at: range,
                         help: "join on columns that identify rows, or filter both sides first")
    // Written through plain buffers: a slice of the bucket per row retained and released
    // the array each time (a sixth of a join's time). Not zeroed first: every place is
    // written once.
    var written = 0
    var rightRows: [Int32] = []
    let leftRows = try [Int32](unsafeUninitializedCapacity: total) { leftRows, leftCount in
        rightRows = try [Int32](unsafeUninitializedCapacity: total) { rightRows, rightCount in
            try matches.bucketOfLeftRow.withUnsafeBufferPointer { bucketOfLeftRow in
                try matches.starts.withUnsafeBufferPointer { starts in
                    try matches.rows.withUnsafeBufferPointer { rows in
                        for row in 0..<left.rowCount {
                            let b = Int(bucketOfLeftRow[row])
                            // Every 1,024 rows, and every row with many matches (a join on a constant key).
                            if row & 0x3FF == 0 || (b >= 0 && starts[b + 1] - starts[b] > 1024) { try context.checkCancelled(range) }
                            if b < 0 {
                                if kind == .left { leftRows[written] = Int32(row); rightRows[written] = -1; written += 1 }
                                continue
                            }
                            for k in Int(starts[b])..<Int(starts[b + 1]) {
                                leftRows[written] = Int32(row)
                                rightRows[written] = rows[k]
                                written += 1
                            }
                        }
                    }
                }
            }
            rightCount = written
        }
        leftCount = written
    }
    return (leftRows, rightRows)
}

/// The rows `expand` makes: the lengths of the non-null lists, added with a check, then
/// the guards, before anything is stored.
func expandedRowCount(_ list: Column, _ offsets: [Int32], _ values: Column, _ table: Table, replacing: Int?,
                      at range: SourceRange) throws -> Int {
    let kept = table.columns.indices.filter { $0 != replacing }
    let bytesPerRow = kept.reduce(8 + values.bytesPerGatheredRow) { $0 + table.columns[$1].bytesPerGatheredRow }
    var total = 0
    for row in 0..<list.count where !list.isNull(row) {
        total += Int(offsets[row + 1] - offsets[row])  // at most the elements stored: no overflow
    }
    try ResultSize.check(rows: total, bytesPerRow: bytesPerRow, what: "'expand'", at: range)
    return total
}
