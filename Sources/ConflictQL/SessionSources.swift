// The session's side of provenance (Engine/Lineage.swift): which tables name their sources
// row by row, which were loaded from files and when, and what a `let` table's rows came
// from. A result carries its provenance in `Table.provenance`; the table format shows it.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Session {
    func withProvenance(_ table: Table, of physical: PhysicalPlan, _ executor: Executor) -> Table {
        guard showsSources else { return table }
        let tables = LineageTables(
            tracked: { [symbols] name in symbols.description(of: name) != "bound by let" },
            bound: boundSources, files: loadedFiles)
        var table = table
        table.provenance = executor.provenance(of: physical, result: table, tables: tables)
        return table
    }

    /// A table loaded from files: its line under results that read it.
    func recordLoad(_ name: String, files: String) {
        loadedFiles[name] = "\(files) (loaded \(Session.wallClockText()))"
        boundSources[name] = nil
        fileReferences[name] = nil
    }

    /// A `let` table: its rows' sources, for the results that read it.
    func recordBinding(_ name: String, _ provenance: Provenance?) {
        loadedFiles[name] = nil
        fileReferences[name] = nil
        boundSources[name] = provenance?.sources ?? []
        if let files = provenance?.files, !files.isEmpty { loadedFiles[name] = files.joined(separator: "; ") }
    }

    /// Now, in UTC to the minute: `2026-11-29 10:12 UTC`. `SOURCE_DATE_EPOCH` (the
    /// reproducible-builds convention) fixes it, for expected outputs that do not change.
    static func wallClockText() -> String {
        var seconds = time(nil)
        if let fixed = getenv("SOURCE_DATE_EPOCH"), let value = Int(String(cString: fixed)) { seconds = time_t(value) }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }
}
