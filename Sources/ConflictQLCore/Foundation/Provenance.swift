// Where a result came from: the `source` values of the briefing's rows that made it, the
// files it read (with their load times), and, for a figure shown without its qualifier
// column, each row's qualifier ("over" 13000). Worked out by Engine/Lineage.swift; shown
// under a table by the table format.

public struct Provenance: Sendable, Equatable {
    /// The distinct `source` values of the rows that made the result, in order.
    public var sources: [String] = []
    /// The files the result read: `PATH (loaded 2026-11-29 10:12 UTC)`.
    public var files: [String] = []
    /// For result columns that are figures with a qualifier the result does not show, each
    /// row's qualifier (nil where there is none), by column index.
    public var qualifiers: [Int: [String?]] = [:]

    public init(sources: [String] = [], files: [String] = [], qualifiers: [Int: [String?]] = [:]) {
        self.sources = sources
        self.files = files
        self.qualifiers = qualifiers
    }

    public var isEmpty: Bool { sources.isEmpty && files.isEmpty && qualifiers.isEmpty }

    /// The lines shown under a table: `sources: CFR, HRW` and `file: PATH (loaded ...)`.
    public var lines: [String] {
        var lines: [String] = []
        if !sources.isEmpty { lines.append("source\(sources.count == 1 ? "" : "s"): " + sources.joined(separator: ", ")) }
        for file in files { lines.append("file: " + file) }
        return lines
    }
}
