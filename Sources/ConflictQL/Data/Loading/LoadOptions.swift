// What a load is told (`load "FILE" as NAME with (delimiter = ";", fatalities: Int)`) and
// what it reports back: rows, skipped rows, timings, or an error with file, line and column.

public struct LoadOptions: Sendable {
    public enum Format: String, Sendable { case csv, json }

    public var format: Format?
    /// nil: detected from the header line (comma, semicolon, tab or '|').
    public var delimiter: UInt8?
    public var header = true
    /// Skip rows that cannot be read, and report how many and where, instead of failing.
    public var lenient = false
    /// Columns whose type is given, not inferred.
    public var types: [String: DataType] = [:]
    /// How many threads may parse at once (nil: one per core).
    public var threads: Int?
    /// Set (Ctrl-C) to stop a load; it then fails with "cancelled".
    public var cancellation: Cancellation?

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
}

/// A load that failed: the message names the file, and where known its line and column.
public struct LoadError: Error, Sendable, Equatable {
    public var path: String
    public var message: String
    public var line: Int?
    public var column: Int?
    /// The offending line of the file (a window of it), to show under the message.
    public var excerpt: String?
    /// Where in `excerpt` the caret goes (1-based).
    public var excerptColumn: Int?

    public init(path: String, message: String, line: Int? = nil, column: Int? = nil, excerpt: String? = nil,
                excerptColumn: Int? = nil) {
        self.path = path
        self.message = shorteningQuotedNames(message)
        self.line = line
        self.column = column
        self.excerpt = excerpt
        self.excerptColumn = excerptColumn
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text + ": " + message
    }

    /// The excerpt with a caret under the column, for display.
    public var renderedExcerpt: [String] {
        guard let excerpt, let line, let column else { return [] }
        let gutter = String(line)
        let caret = excerptColumn ?? column
        return [" \(gutter) | \(excerpt)",
                " \(String(repeating: " ", count: gutter.count)) | \(String(repeating: " ", count: max(0, caret - 1)))^"]
    }
}

/// Reports progress of a long load: bytes read so far, of the total.
public typealias LoadProgress = @Sendable (_ bytesDone: Int, _ bytesTotal: Int, _ rows: Int) -> Void

extension LoadReport {
    /// `loaded 1,000 rows × 49 columns into ged (0.12 s)`
    public func summary(table: String) -> String {
        "loaded \(rows) row\(rows == 1 ? "" : "s") × \(columns) column\(columns == 1 ? "" : "s") into \(table) (\(formatSeconds(seconds)) s)"
    }

    /// What a lenient load left out, or nil when it left nothing out.
    public func skippedWarning(path: String) -> String? {
        guard skippedRows > 0 else { return nil }
        let shown = skipped.map { "line \($0.line): \($0.problem)" }.joined(separator: "; ")
        return "warning: skipped \(skippedRows) row\(skippedRows == 1 ? "" : "s") of \(path) that could not be read: \(shown)\(skippedRows > skipped.count ? "; …" : "")"
    }
}

func formatSeconds(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    return "\(ms / 1000).\(String(ms % 1000).leftPadded(to: 3))"
}
