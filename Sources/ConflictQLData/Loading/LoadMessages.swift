// The loaders' diagnostics: the IDs of a `LoadError`. Their messages are still written where
// the loaders find the problem (the file, line and column come with them); the IDs group them
// by what the user does about it. DiagnosticMessage.swift in ConflictQLCore says how IDs are
// chosen.

import ConflictQLCore

/// IDs of failed loads.
public enum LoadDiagnostic: String, DiagnosticKind {
    case fileUnreadable = "file-unreadable"
    case emptyFile = "empty-file"
    case notText = "not-text"
    case malformedData = "malformed-data"
    case unknownLoadColumn = "unknown-load-column"
    case unreadableArchive = "unreadable-archive"
    case noMatchingFiles = "no-matching-files"
    case loadOptionConflict = "load-option-conflict"
    case loadTooLarge = "load-too-large"
    case fileChanged = "file-changed"

    public static let layer = "the loaders"

    public var explanation: MessageExplanation {
        switch self {
        case .fileUnreadable:
            MessageExplanation(.error, "The file does not exist, is a directory, or cannot be opened or read.",
                               example: "load \"no-such-file.csv\"")
        case .emptyFile:
            MessageExplanation(.error, "The file (or the zip) holds nothing to load.", example: nil)
        case .notText:
            MessageExplanation(.error, """
                The file is not text in the encoding asked for (a binary file, UTF-16 without a \
                byte-order mark, a byte-order mark that contradicts 'encoding').
                """, example: nil)
        case .malformedData:
            MessageExplanation(.error, """
                A line of the CSV or JSON is malformed (a row with too many fields, an unterminated \
                quote, invalid JSON, a value not of its column's type); the caret shows where. \
                A 'lenient' load skips bad CSV rows.
                """, example: nil)
        case .unknownLoadColumn:
            MessageExplanation(.error, "A load option names a column or key the file does not have.", example: nil)
        case .unreadableArchive:
            MessageExplanation(.error, """
                A compressed file or zip that cannot be read: damaged, truncated, encrypted, an \
                unsupported method, or not a CSV or JSON inside (an Excel workbook, a tar archive).
                """, example: nil)
        case .noMatchingFiles:
            MessageExplanation(.error, "A pattern such as \"data/*.csv\" matched no file (or matched a folder).", example: nil)
        case .loadOptionConflict:
            MessageExplanation(.error, """
                The load's options do not fit the file: 'member' for a file that is not a zip, \
                'records' for a CSV, a file with a column of the name 'source' would give.
                """, example: nil)
        case .loadTooLarge:
            MessageExplanation(.error, "The file has more columns or rows than a table may hold, or needs more memory than there is.",
                               example: nil)
        case .fileChanged:
            MessageExplanation(.error, "The file changed while it was read; load it again once it is complete.", example: nil)
        }
    }
}
