// The loaders' diagnostics: the IDs of a `LoadError`, grouped by what the user does about
// it, and its messages as `DiagnosticMessage` members (the file, line and column are the
// LoadError's). The messages of a malformed line are still the loaders' problem types
// (RecordProblem, JSONProblem), carried by `malformedData`. DiagnosticMessage.swift in
// ConflictQLCore says how IDs are chosen.

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
    case loadOverMemory = "load-over-memory"
    case fileChanged = "file-changed"
    case damagedFile = "damaged-file"
    case unsupportedContent = "unsupported-content"

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
        case .loadOverMemory:
            MessageExplanation(.error, """
                The table a CSV file makes would need more memory than the load may take: the least of what \
                the system has free, the cgroup's limit and CONFLICTQL_MEMORY_LIMIT. The load stops as soon \
                as its first megabytes show it (the columns so far, projected to the whole file), before \
                memory runs out; the message gives the size needed.
                """, example: nil)
        case .fileChanged:
            MessageExplanation(.error, "The file changed while it was read; load it again once it is complete.", example: nil)
        case .damagedFile:
            MessageExplanation(.error, """
                A Parquet, Excel or Stata file that is not whole or not what its format says: too short, \
                without its PAR1 marks, lengths that point past its end, a footer or page that cannot \
                be decoded. The message names the column, row group and bytes.
                """, example: nil)
        case .unsupportedContent:
            MessageExplanation(.error, """
                A well-formed file holding what ConflictQL does not load: a nested (list or struct) \
                column, an encrypted Parquet file, a type or compression it does not read.
                """, example: nil)
        }
    }
}

extension DiagnosticMessage {
    /// The texts of the Parquet, Excel and Stata readers (their checks of a file's structure,
    /// worded where they are made, as RecordProblem's are for CSV), each under a stable ID.
    package static func reader(_ kind: LoadDiagnostic, _ text: String) -> Self { Self(kind, text) }
    package static let fileChangedWhileLoading = Self(LoadDiagnostic.fileChanged,
                                                      "the file changed while it was being loaded; load it again once it is complete")
    package static func cannotRead(_ reason: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.fileUnreadable, "cannot read: \(reason)")
    }
    package static func encodingInsideCompressed(_ encoding: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict,
             "encoding = \"\(encoding)\" is not read inside a compressed file yet; decompress it (gunzip, unzip) "
             + "and load the file with the option")
    }
    package static let memberOfPlainFile = Self(LoadDiagnostic.loadOptionConflict,
                                                "'member' names a file inside a zip, and this is not a zip file")
    package static let tarArchive = Self(LoadDiagnostic.unreadableArchive,
                                         "this holds a tar archive, not a CSV or JSON file; extract it (tar -xf) and load the file inside")
    package static let memberOfGzip = Self(LoadDiagnostic.loadOptionConflict,
                                           "'member' names a file inside a zip, and this is a gzip file, which holds one text")
    package static let emptyFile = Self(LoadDiagnostic.emptyFile, "the file is empty")
    package static func notATextFile(_ offset: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.notText, "does not look like a text file (a NUL byte at offset \(offset))")
    }
    package static func utf16WithoutMark(_ encoding: some CustomStringConvertible, _ option: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.notText,
             "looks like \(encoding) text without a byte-order mark (a NUL byte in every other place); "
             + "load it with encoding = \"\(option)\"")
    }
    package static func fileTooLargeForMemory(_ megabytes: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "not enough memory to read the file (\(megabytes) MB)")
    }
    package static func tableOverMemory(needed: some CustomStringConvertible, available: some CustomStringConvertible,
                                        limitedBy: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOverMemory,
             "the table would need about \(needed) of memory, and \(available) can be had (\(limitedBy)); "
             + "load a file of fewer rows or columns, or query the file in PostgreSQL (.connect)")
    }
    package static func cannotOpen(_ reason: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.fileUnreadable, "cannot open: \(reason)")
    }
    package static let notARegularFile = Self(LoadDiagnostic.fileUnreadable, "is not a regular file")
    package static let isADirectory = Self(LoadDiagnostic.fileUnreadable, "is a directory, not a data file")
    package static func decompressedTooLarge(_ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "the decompressed text passes \(size), and there is not enough memory for it")
    }
    package static func gzipTruncated(_ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive,
             "the gzip data is truncated: it ends after \(size) bytes, in the middle of its compressed stream")
    }
    package static func gzipCorrupt(_ offset: some CustomStringConvertible, _ reason: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "the gzip data is corrupt at byte \(offset): \(reason)")
    }
    package static func bytesAfterGzip(_ offset: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "unexpected bytes after the end of the gzip data, from byte \(offset)")
    }
    package static let zlibCannotStart = Self(LoadDiagnostic.unreadableArchive, "zlib could not start")
    package static func layoutNeedsEventID(_ column: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unknownLoadColumn, "layout = \"events\" folds ACLED's rows by '\(column)', and the file has no such column")
    }
    package static func recordsOfCSV(_ records: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict,
             "records = \"\(records)\" names an array inside a JSON object, and this file is read as CSV (format = json reads it as JSON)")
    }
    package static func filesHaveTooManyRows(_ rows: some CustomStringConvertible, _ limit: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "the files hold \(rows) rows in all, more than the \(limit) a table may have")
    }
    package static func filesHaveTooManyColumns(_ limit: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "the files have more than \(limit) columns in all")
    }
    package static func sourceColumnClash(_ column: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict,
             "the file has a column '\(column)', the name the column of file names would take; "
             + "give that one another: with (source = \"from_file\")")
    }
    package static func patternMatchesFolder(_ folder: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.noMatchingFiles, "the pattern matches the folder '\(folder)', not only data files; narrow it to the files")
    }
    package static func cannotListFiles(_ folder: some CustomStringConvertible, _ reason: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.noMatchingFiles, "cannot list the files of \(folder): \(reason)")
    }
    package static func noFileMatches(_ folder: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.noMatchingFiles, "no file matches the pattern in \(folder)")
    }
    package static func recordsTooLargeForMemory(_ columns: some CustomStringConvertible, _ rows: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "\(columns) columns of \(rows) records would need more memory than there is")
    }
    package static func fileHasTooManyColumns(_ columns: some CustomStringConvertible, _ limit: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "the file has \(columns) columns; a table may have at most \(limit)")
    }
    package static let splitZip = Self(LoadDiagnostic.unreadableArchive,
                                       "the zip is split over several files, which cannot be read; join them into one zip first")
    package static func zipDamaged(_ what: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "the zip is truncated or damaged: \(what)")
    }
    package static func severalDataFiles(_ count: some CustomStringConvertible,
                                         _ listed: some CustomStringConvertible,
                                         _ name: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict,
             "the zip holds \(count) CSV or JSON files, \(listed); say which to load: member = \"\(name)\"")
    }
    package static let excelWorkbook = Self(LoadDiagnostic.loadOptionConflict,
                                            "this is an Excel workbook, read as one without format = csv or json (or with format = xlsx)")
    package static func memberCorrupt(_ member: some CustomStringConvertible,
                                      _ offset: some CustomStringConvertible,
                                      _ reason: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "\(member) is corrupt at byte \(offset) of the zip: \(reason)")
    }
    package static func memberInflatesBeyond(_ member: some CustomStringConvertible, _ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive,
             "\(member) inflates to more than the \(size) bytes the zip's directory gives: the zip is damaged")
    }
    package static func memberCutShort(_ member: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "\(member) is cut short: the zip is truncated or damaged")
    }
    package static func storedSizesDiffer(_ member: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "\(member) is stored uncompressed but its two sizes differ: the zip is damaged")
    }
    package static func memberMisplaced(_ member: some CustomStringConvertible, _ offset: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "\(member) is not where the zip's directory says (at byte \(offset)): the zip is damaged")
    }
    package static func memberMethod(_ member: some CustomStringConvertible, _ method: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive,
             "\(member) is compressed with \(method); only stored and deflate members can be read, so extract it with unzip first")
    }
    package static func memberEncrypted(_ member: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "\(member) is encrypted; extract it with its password (unzip) and load the file it gives")
    }
    package static func memberChecksum(_ member: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive, "\(member) is damaged: its checksum does not match the data (CRC-32)")
    }
    package static func memberSizeDiffers(_ member: some CustomStringConvertible,
                                          _ size: some CustomStringConvertible,
                                          _ stated: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unreadableArchive,
             "\(member) inflates to \(size) bytes, not the \(stated) the zip's directory gives: the zip is damaged")
    }
    package static func memberTooLargeForMemory(_ member: some CustomStringConvertible, _ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "\(member) is \(size) decompressed, and there is not enough memory for it")
    }
}

extension DiagnosticMessage {
    package static let tooManyColumnsInFile = Self(LoadDiagnostic.loadTooLarge,
                                                   "the file has more than \(LoadLimits.maximumColumns) columns, the most a table can have")
    /// "the file has no column 'x'; did you mean 'y'?" (`what`: column, or key for JSON).
    package static func noSuchColumn(_ what: String, _ name: String, suggestion: String?) -> Self {
        Self(LoadDiagnostic.unknownLoadColumn, "the file has no \(what) '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
    }
    package static let noSuchFile = Self(LoadDiagnostic.fileUnreadable, "no such file")
    package static func encodingMismatch(_ text: String) -> Self { Self(LoadDiagnostic.notText, text) }
    /// A line of the file that cannot be read (RecordProblem, JSONProblem, a cell of the wrong type).
    package static func malformedData(_ text: String) -> Self { Self(LoadDiagnostic.malformedData, text) }
    package static func noSuchMember(_ name: String, suggestion: String?, holds: String?) -> Self {
        Self(LoadDiagnostic.loadOptionConflict, "the zip has no member '\(name)'"
             + (suggestion.map { "; did you mean '\($0)'?" } ?? (holds.map { "; it holds \($0)" } ?? "; it is empty")))
    }
    /// Never shown: the streamed load reads more of the file when its first piece ends inside
    /// the header or the first record (CSVLoader's prelude), and asks again.
    package static func prefixEndsInside(_ what: String) -> Self {
        Self(LoadDiagnostic.malformedData, "the prefix read ends inside \(what)")
    }
    package static let emptyHeader = Self(LoadDiagnostic.malformedData, "the header line is empty")
    package static func jsonCellType(_ key: String, _ article: String, _ type: String, _ shown: String) -> Self {
        Self(LoadDiagnostic.malformedData, "key '\(key)': expected \(article) \(type), found '\(shown)'")
    }
    package static let nulCharacter = Self(LoadDiagnostic.notText, "does not look like a text file (a NUL character)")
    package static func notUTF8(_ what: String, hint: String) -> Self {
        Self(LoadDiagnostic.notText, "\(what) is not UTF-8 text" + hint)
    }
    package static let emptyZip = Self(LoadDiagnostic.emptyFile, "the zip is empty")
    package static func noDataFileInZip(_ listed: String, first: String) -> Self {
        Self(LoadDiagnostic.unreadableArchive,
             "the zip holds no CSV or JSON file, only \(listed); to load one of them anyway, name it: member = \"\(first)\"")
    }
}
