// What a loaded table's shape says about how to count it, and the fold that makes ACLED's
// monadic layout count right. Runs after the reader, on the whole table (one file or many).
//
// ACLED's export tool can write one row per actor of an event (its "monadic" layout): the
// event's id (`event_id_cnty`), date and fatalities repeat on each row, so `count()` and
// `sum(fatalities)` count an event once per actor, silently. A load that finds an id repeated
// says so with the numbers and the two fixes; `layout = "events"` folds the rows back to one
// per event, the first row's values kept and the actors of all its rows collected in a list
// column `actors`. UCDP GED's fatality columns carry a trap of their own (three estimates,
// of which only `best` sums to a total), and its precision codes one more; a remark says so.

import ConflictQLCore
import ConflictQLSyntax

public enum TableLayout: String, Sendable, CaseIterable {
    /// As the file has it (the default).
    case rows
    /// One row per ACLED event (`event_id_cnty`), the actors of its rows as a list.
    case events
}

/// The column ACLED identifies an event by.
let acledEventID = "event_id_cnty"
/// The actor columns whose values the fold collects into `actors`, in this order.
let acledActorColumns = ["actor1", "actor2"]

/// Notes the table's layout in `report` and, for `layout = "events"`, folds it.
package func applyLayout(_ table: Table, _ layout: TableLayout?, report: inout LoadReport, path: String) throws(LoadError) -> Table {
    // The check's arrays (a few per row) go back once it is done, not into the peak.
    defer { if table.rowCount >= 100_000 { System.returnFreedMemory() } }
    noteUCDPEstimates(table, report: &report)
    guard let ids = table.column(named: acledEventID) else {
        if layout == .events {
            throw LoadError(.layoutNeedsEventID(acledEventID), path: path)
        }
        return table
    }
    // Most files repeat no id: that is made sure of first, without a number per row.
    if layout != .events {
        let started = monotonicNow()
        let mayRepeat = idsMayRepeat(ids)
        report.phases.append(("layout check", monotonicNow() - started))
        if !mayRepeat { return table }
    }
    let (eventOfRow, firstRows) = events(of: ids)
    let withID = eventOfRow.lazy.filter { $0 >= 0 }.count
    guard firstRows.count < withID else { return table }
    guard layout == .events else {
        report.layoutWarning = "\(grouped(withID)) rows but \(grouped(firstRows.count)) distinct events: this is ACLED's monadic layout, "
            + "one row per actor; count events with count(distinct \(acledEventID)), or load with (layout = \"events\")"
        return table
    }
    // The rows without an id stay rows of their own, in place after the events.
    let loose = (0..<table.rowCount).filter { eventOfRow[$0] < 0 }.map(Int32.init)
    var actors = [[String]](repeating: [], count: firstRows.count)
    let actorColumns = acledActorColumns.compactMap { table.column(named: $0) }
    for row in 0..<table.rowCount where eventOfRow[row] >= 0 {
        let event = Int(eventOfRow[row])
        for column in actorColumns where !column.isNull(row) {
            let name = column.value(at: row).description
            if !name.isEmpty && !actors[event].contains(name) { actors[event].append(name) }
        }
    }
    var list = ColumnBuilder(type: .list(.string), capacity: firstRows.count + loose.count)
    for names in actors { list.append(.list(names.map(Value.string))) }
    for row in loose {
        let names = actorColumns.compactMap { $0.isNull(Int(row)) ? nil : $0.value(at: Int(row)).description }
        list.append(.list(names.map(Value.string)))
    }
    let folded = table.gather(firstRows + loose)
    report.remarks.append("folded \(grouped(withID)) rows into \(grouped(firstRows.count)) events (layout = \"events\"); "
                          + "the actors of each event are in 'actors', its other values are its first row's")
    report.rows = folded.rowCount
    var fields = folded.schema.fields
    var columns = folded.columns
    let name = fields.contains { $0.name == "actors" } ? "actors_all" : "actors"
    fields.append(Field(name, .list(.string)))
    columns.append(list.finish())
    report.columns = fields.count
    return Table(schema: Schema(fields), columns: columns, rowCount: folded.rowCount)
}

/// Whether two rows may share an id: false is certain. A text column is read by its codes
/// (a code on two rows is a repeat) and then its dictionary's entries by their hashes.
func idsMayRepeat(_ ids: Column) -> Bool {
    guard case .string(let codes, let dictionary) = ids.storage else { return true }
    if case .sequence = codes.storage, ids.validity == nil { return dictionary.mayHoldEqualEntries() }
    var used = [UInt64](repeating: 0, count: (dictionary.count + 63) / 64)
    var repeated = false
    codes.forEachCode { row, code in
        guard !repeated, !ids.isNull(row) else { return }
        let bit: UInt64 = 1 << UInt64(code & 63)
        if used[Int(code) >> 6] & bit != 0 { repeated = true }
        used[Int(code) >> 6] |= bit
    }
    if repeated { return true }
    return dictionary.mayHoldEqualEntries(used: used)
}

/// UCDP GED's three fatality estimates: `best` sums to a total, `low` and `high` bound it.
/// Each row's event number (-1 for a row without an id) and each event's first row. A text id
/// column is read by its dictionary codes, equal entries found by their bytes in place, so
/// the check that runs on every load makes no String per row.
func events(of ids: Column) -> (eventOfRow: [Int32], firstRows: [Int32]) {
    var eventOfRow = [Int32](repeating: -1, count: ids.count)
    var firstRows: [Int32] = []
    if case .string(let codes, let dictionary) = ids.storage {
        let canonical = dictionary.isUnique ? nil : dictionary.firstEqualEntries()
        var eventOfEntry = [Int32](repeating: -1, count: dictionary.count)
        codes.forEachCode { row, code in
            guard !ids.isNull(row) else { return }
            let entry = canonical.map { Int($0[Int(code)]) } ?? Int(code)
            if eventOfEntry[entry] < 0 {
                eventOfEntry[entry] = Int32(firstRows.count)
                firstRows.append(Int32(row))
            }
            eventOfRow[row] = eventOfEntry[entry]
        }
        return (eventOfRow, firstRows)
    }
    var firstRow: [Value: Int32] = [:]
    for row in 0..<ids.count where !ids.isNull(row) {
        let id = ids.value(at: row)
        if let event = firstRow[id] { eventOfRow[row] = event; continue }
        firstRow[id] = Int32(firstRows.count)
        eventOfRow[row] = Int32(firstRows.count)
        firstRows.append(Int32(row))
    }
    return (eventOfRow, firstRows)
}

func noteUCDPEstimates(_ table: Table, report: inout LoadReport) {
    let names = Set(table.schema.fields.map(\.name))
    guard names.isSuperset(of: ["best", "low", "high"]) else { return }
    var remark = "UCDP GED's fatalities are three estimates: sum 'best' for a total; 'low' and 'high' bound it"
    if names.contains("where_prec") || names.contains("date_prec") {
        remark += "; 'where_prec' and 'date_prec' are precision codes (1 is exact), not quantities"
    }
    report.remarks.append(remark)
}

/// 6214 as `6,214`.
func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return out
}
