// What a load is told (`load "FILE" as NAME with (delimiter = ";", fatalities: Int)`) and
// what it reports back: rows, skipped rows, timings, or an error with file, line and column.

import ConflictQLCore
import ConflictQLSyntax

public struct LoadOptions: Sendable {
    public enum Format: String, Sendable { case csv, json, parquet, xlsx, dta }

    public var format: Format?
    /// nil: detected from the header line (comma, semicolon, tab or '|').
    public var delimiter: UInt8?
    public var header = true
    /// Skip rows that cannot be read, and report how many and where, instead of failing.
    public var lenient = false
    /// The file's text encoding; nil: UTF-8, or UTF-16 when a byte-order mark says so.
    public var encoding: TextEncoding?
    /// Columns whose type is given, not inferred.
    public var types: [String: DataType] = [:]
    /// JSON: the dotted path of the array of records inside an API response (`"response.items"`);
    /// nil: `data` (ACLED), `Result` (UCDP) or the one array of objects (JSONEnvelope.swift).
    public var records: String?
    /// How many threads may parse at once (nil: one per core).
    public var threads: Int?
    /// Loading several files (a pattern or a list): the name of the first column, which
    /// holds each row's file (nil: `file`).
    public var sourceColumn: String?
    /// The member of a zip to load (needed when it holds several CSV or JSON files).
    public var member: String?
    /// The sheet of an Excel workbook to load (nil: the first).
    public var sheet: SheetChoice?
    /// A Stata file's value labels: the labels' text in place of the codes (nil), the codes,
    /// or both (the text in a column `NAME_label` beside the codes).
    public var labels: StataLabels?
    /// `events`: fold ACLED's one-row-per-actor layout to one row per event (Layout.swift).
    public var layout: TableLayout?
    /// Set (Ctrl-C) to stop a load; it then fails with "cancelled".
    public var cancellation: Cancellation?
    /// A CSV file smaller than this is parsed as one chunk. The fuzzer lowers it so that
    /// small inputs exercise the splitting and stitching of chunks.
    var chunkingThreshold = 4 << 20
    /// How much of the text is read first, for the header and the type sample (made longer
    /// when that is not enough). The sample reads up to 4 MiB past the header: 5 MiB holds
    /// it with room for a long header or record (16 MiB, read before the parse can start, was
    /// 8 ms of the 15-17 of the 1M-event load's prelude). Tests make it tiny.
    var prefixBytes = 5 << 20
    /// The size of each parsing thread's window on the text. Tests make it tiny, to put the
    /// window's ends at every byte.
    var windowBytes = TextWindow.defaultCapacity
    /// Whether the JSON loader scans flat records straight into spans and builds the columns
    /// from them a block of records at a time (JSONCells.swift). Tests turn it off: every
    /// record is then parsed into nodes and each column typed and built whole from them, as
    /// before the scan, the oracle of the scan and of the build.
    var jsonScansFlatRecords = true
    /// The JSON loader's build splits the records into ranges, one a core at a time, from this
    /// many records, and goes through a range this many records at a time: tests make both tiny.
    var jsonRangeThreshold = 1 << 16
    var jsonBlockRows = 1024
    /// A JSON file of flat records is read in stretches on all cores from this size on, this
    /// many stretches (twice the cores when nil): tests make the threshold 0 and vary the count.
    var jsonStretchThreshold = 8 << 20
    var jsonStretches: Int? = nil
    /// Where the first of the chunks after the first begins (before moving on to a line
    /// start), in place of an even split: a test puts it at every byte.
    var splitAt: Int? = nil
    /// The memory a CSV load may take, in place of what the machine and
    /// CONFLICTQL_MEMORY_LIMIT allow (`memoryBudget()`): tests make it small.
    var memoryBudget: MemoryBudget? = nil
    /// How far inflating may run ahead of the parse of a compressed CSV, in place of two of
    /// its chunks: tests make it tiny, so that the two sides wait on each other all the time.
    var inflowLead: Int? = nil
    /// Told, when a compressed CSV parsed as it was inflated ends, the most text that was held
    /// in memory at once (inflated and not yet given back): tests check it is not the whole.
    var inflowEnded: (@Sendable (_ peakHeld: Int) -> Void)? = nil

    public init() {}
}

public struct LoadReport: Sendable {
    public var rows: Int
    public var columns: Int
    public var bytes: Int
    public var skippedRows: Int
    /// The first few skipped lines, with why.
    public var skipped: [(line: Int, problem: String)]
    public var seconds: Double
    /// Columns whose inferred type a value after the type sample changed.
    public var typeChanges: [TypeChange] = []
    /// How many files the table was loaded from.
    public var files = 1
    /// What the load noticed and did, for the summary: the columns whose types the files
    /// disagree on, each file's type changes.
    public var notes: [String] = []
    /// What the load found out about the file's shape, for the summary: which array of an
    /// API response held the records.
    public var remarks: [String] = []
    /// Said even when the summary is not shown: a response that counts more records than it
    /// holds (one page of several).
    public var incompleteNote: String?
    /// Said even when the summary is not shown: a table that counts each event several times
    /// (ACLED's monadic layout), with the numbers and the fix (Layout.swift).
    public var layoutWarning: String?
    /// The line of the HXL hashtag row taken off under the header (HXL.swift), if there was one.
    public var hashtagLine: Int? = nil
    /// The delimiter of a CSV file (given or detected); nil for JSON.
    public var csvDelimiter: UInt8? = nil
    /// A line further down that reads as HXL hashtags, and so as data: a note says so.
    public var misplacedHashtagLine: Int? = nil
    /// The line under the header when it starts like HXL hashtags but one of its fields is
    /// not one: it is data, and a note names the field.
    public var partialHashtags: (line: Int, field: String)? = nil
    /// How long each step of the load took, in order, for the benchmark to print: a CSV
    /// file's prelude (header, delimiter, type sample), parse and stitch (once more each when
    /// a column's type changed), then the check for ACLED's monadic layout.
    public var phases: [(name: String, seconds: Double)] = []
}

/// A column read as another type than the first rows suggested: Int widened to Float, or
/// any type become String, because of a value at `line`.
public struct TypeChange: Sendable, Equatable {
    public var column: String
    public var sampled: DataType
    public var loaded: DataType
    public var line: Int

    public init(column: String, sampled: DataType, loaded: DataType, line: Int) {
        self.column = column
        self.sampled = sampled
        self.loaded = loaded
        self.line = line
    }
}

/// A load that failed: the message names the file, and where known its line and column.
public struct LoadError: Error, Sendable, Equatable {
    /// What kind of failure, stable across wordings: `LoadDiagnostic` (or `cancelled`).
    public var id: MessageID
    public var path: String
    public var message: String
    public var line: Int?
    public var column: Int?
    /// The offending line of the file (a window of it), to show under the message.
    public var excerpt: String?
    /// Where in `excerpt` the caret goes (1-based).
    public var excerptColumn: Int?

    public init(_ message: DiagnosticMessage, path: String, line: Int? = nil, column: Int? = nil, excerpt: String? = nil,
                excerptColumn: Int? = nil) {
        self.id = message.id
        self.path = path
        self.message = shorteningQuotedNames(message.text)
        self.line = line
        self.column = column
        self.excerpt = excerpt
        self.excerptColumn = excerptColumn
    }

    /// `events.csv:3:1: message`, its control characters escaped (it may quote the file).
    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return escapingControlCharacters(text + ": " + message)
    }

    /// The excerpt with a caret under the column, for display.
    public var renderedExcerpt: [String] {
        guard let excerpt = excerpt.map(escapingControlCharacters), let line, let column else { return [] }
        let gutter = String(line)
        let caret = excerptColumn ?? column
        return [" \(gutter) | \(excerpt)",
                " \(String(repeating: " ", count: gutter.count)) | \(String(repeating: " ", count: max(0, caret - 1)))^"]
    }
}

/// Reports progress of a long load: bytes read so far, of the total.
public typealias LoadProgress = @Sendable (_ bytesDone: Int, _ bytesTotal: Int, _ rows: Int) -> Void

extension LoadReport {
    /// `loaded 1,000 rows × 49 columns into ged (0.12 s)`, and the columns whose type changed
    /// after the type sample.
    public func summary(table: String) -> String {
        "loaded \(rows) row\(rows == 1 ? "" : "s") × \(columns) column\(columns == 1 ? "" : "s")"
            + (files > 1 ? " from \(files) files" : "") + " into \(table) (\(formatSeconds(seconds)) s)"
            + (hashtagLine.map { "; HXL tags on line \($0) kept as column metadata" } ?? "")
            + (noteText.map { "; " + $0 } ?? "") + (notes + remarks).map { "; " + escapingControlCharacters($0) }.joined()
            + (incompleteNote.map { "; " + escapingControlCharacters($0) } ?? "")
    }

    /// `note: pages.json: the response counts 40 records in all (TotalCount) and holds 2: ...`,
    /// for when the summary is not shown.
    public func incompleteNote(path: String) -> String? {
        incompleteNote.map { escapingControlCharacters("note: \(path): \($0)") }
    }

    /// What a load must say even when the summary is not shown (a script whose standard
    /// error is not a terminal): type changes and a misplaced HXL row,
    /// `note: late.csv: after the type sample, 'code' is String, ...`.
    public func typeChangeNote(path: String) -> String? {
        noteText.map { escapingControlCharacters("note: \(path): \($0)") }
    }

    var noteText: String? {
        let misplaced = misplacedHashtagLine.map {
            "line \($0) reads as HXL hashtags but is not the line under the header, so it is loaded as data"
        }
        let partial = partialHashtags.map {
            "line \($0.line) starts like HXL hashtags, but '\($0.field.count > 40 ? String($0.field.prefix(40)) + "…" : $0.field)' is not one, so it is loaded as data"
        }
        let notes = [misplaced, partial, typeChangeText].compactMap { $0 }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// `after the type sample, 'code' is String, not Int (line 30002)`
    var typeChangeText: String? {
        guard !typeChanges.isEmpty else { return nil }
        let shown = typeChanges.prefix(3).map { "'\($0.column)' is \($0.loaded), not \($0.sampled) (line \($0.line))" }
        let more = typeChanges.count > 3 ? " and \(typeChanges.count - 3) more column\(typeChanges.count == 4 ? "" : "s")" : ""
        return escapingControlCharacters("after the type sample, " + shown.joined(separator: ", ") + more)
    }

    /// `warning: acled.csv: 6,214 rows but 3,314 distinct events: this is ACLED's monadic layout, ...`
    public func layoutWarning(path: String) -> String? {
        layoutWarning.map { escapingControlCharacters("warning: \(path): \($0)") }
    }

    /// What a lenient load left out, or nil when it left nothing out.
    public func skippedWarning(path: String) -> String? {
        guard skippedRows > 0 else { return nil }
        let shown = skipped.map { "line \($0.line): \($0.problem)" }.joined(separator: "; ")
        return escapingControlCharacters(
            "warning: skipped \(skippedRows) row\(skippedRows == 1 ? "" : "s") of \(path) that could not be read: \(shown)\(skippedRows > skipped.count ? "; …" : "")")
    }
}

func formatSeconds(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    return "\(ms / 1000).\(String(ms % 1000).leftPadded(to: 3))"
}

/// What a load refuses, so a hostile file fails with a message instead of exhausting memory.
public enum LoadLimits {
    /// Columns of a CSV file, keys of a JSON file: as many as any table may have.
    @inlinable public static var maximumColumns: Int { ConflictQLCore.maximumColumns }

}
