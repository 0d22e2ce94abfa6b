// The loaders' diagnostics: the IDs of a `LoadError`, grouped by what the user does about
// it, and its messages as `DiagnosticMessage` members (the file, line and column are the
// LoadError's; a Parquet message names the column, row group and bytes). A CSV line's
// problems (RecordProblem) and the Parquet, Excel and Stata readers' messages are worded
// here; JSON's syntax errors (JSONProblem) and the damage a Parquet page decoder finds are
// worded where they are found, under `malformedData` and `damagedFile`.
// DiagnosticMessage.swift in ConflictQLCore says how IDs are chosen. The examples load the
// bad files of Tests/ConflictQLTests/Catalogue/data, so they run from the repository's root.

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
    case unterminatedQuote = "unterminated-quote"
    case textAfterQuote = "text-after-quote"
    case raggedRow = "ragged-row"
    case badTypedValue = "bad-typed-value"
    case unsupportedParquetEncoding = "unsupported-parquet-encoding"
    case unsupportedParquetCompression = "unsupported-parquet-compression"
    case encryptedFile = "encrypted-file"
    case unsupportedStataVersion = "unsupported-stata-version"
    case unsupportedFileFormat = "unsupported-file-format"
    case unknownSheet = "unknown-sheet"

    public static let layer = "the loaders"

    public var explanation: MessageExplanation {
        switch self {
        case .fileUnreadable:
            MessageExplanation(.error, "The file does not exist, is a directory, or cannot be opened or read.",
                               example: "load \"no-such-file.csv\"")
        case .emptyFile:
            MessageExplanation(.error, "The file (or the zip) holds nothing to load.", example: "load \"\(badFiles)/empty.csv\"")
        case .notText:
            MessageExplanation(.error, """
                The file is not text in the encoding asked for (a binary file, UTF-16 without a \
                byte-order mark, a byte-order mark that contradicts 'encoding').
                """, example: "load \"\(badFiles)/binary.csv\"")
        case .malformedData:
            MessageExplanation(.error, """
                The JSON is not valid JSON (a missing comma or quote, a bare word, a number with a \
                leading zero), or not of a shape that is loaded (records = names an array the \
                response does not have), or a CSV header is empty; the caret shows where. A CSV \
                row's problems have IDs of their own (ragged-row, unterminated-quote, ...).
                """, example: "load \"\(badFiles)/bad.json\"")
        case .unknownLoadColumn:
            MessageExplanation(.error, "A load option names a column or key the file does not have.", example: "load "
                + "\"\(badFiles)/field-count.csv\" with (vlue: Int)")
        case .unreadableArchive:
            MessageExplanation(.error, """
                A compressed file or zip that cannot be read: damaged, truncated, encrypted, an \
                unsupported method, or not a CSV or JSON inside (an Excel workbook, a tar archive).
                """, example: "load \"\(badFiles)/truncated.zip\"")
        case .noMatchingFiles:
            MessageExplanation(.error, "A pattern such as \"data/*.csv\" matched no file (or matched a folder).", example: "load "
                + "\"\(badFiles)/no-such-*.csv\"")
        case .loadOptionConflict:
            MessageExplanation(.error, """
                The load's options do not fit the file: 'member' for a file that is not a zip, \
                'records' for a CSV, a file with a column of the name 'source' would give.
                """, example: "load \"\(badFiles)/field-count.csv\" with (member = \"events.csv\")")
        case .loadTooLarge:
            MessageExplanation(.error, "The file has more columns or rows than a table may hold, or needs more memory than there is.",
                               example: "load \"\(badFiles)/wide.csv.gz\"")
        case .loadOverMemory:
            MessageExplanation(.error, """
                The table a CSV file makes would need more memory than the load may take: the least of what \
                the system has free, the cgroup's limit and CONFLICTQL_MEMORY_LIMIT. The load stops as soon \
                as its first megabytes show it (the columns so far, projected to the whole file), before \
                memory runs out; the message gives the size needed. It needs a file larger than the memory at \
                hand (or CONFLICTQL_MEMORY_LIMIT set low), so no example is shown.
                """, example: nil)
        case .fileChanged:
            MessageExplanation(.error, """
                The file changed while it was read (another program was still writing it); load it \
                again once it is complete. It needs a second program writing the file during the \
                load, so no script alone raises it.
                """, example: nil)
        case .damagedFile:
            MessageExplanation(.error, """
                A Parquet, Excel or Stata file that is not whole or not what its format says: too short, \
                without its PAR1 marks, lengths that point past its end, a footer or page that cannot \
                be decoded. The message names the column, row group and bytes.
                """, example: "load \"\(badFiles)/damaged.parquet\"")
        case .unsupportedContent:
            MessageExplanation(.error, """
                A well-formed file holding what ConflictQL does not load: a nested (list or struct) \
                Parquet column, or a type it has none for (times of day, half-precision floats).
                """, example: "load \"Tests/ConflictQLTests/Fixtures/parquet/nested.parquet\"")
        case .unterminatedQuote:
            MessageExplanation(.error, """
                A CSV field opens a quote that is never closed, so the rest of the file would be one \
                field; the caret shows where the quote opens. Close it, or double a quote inside a \
                quoted field (""). A 'lenient' load skips the rest of the file from there.
                """, example: "load \"\(badFiles)/unterminated.csv\"")
        case .textAfterQuote:
            MessageExplanation(.error, """
                A quoted CSV field goes on after its closing quote ("Gao"x): a quote inside a quoted \
                field is written twice (""), and a field that merely contains a quote is not quoted.
                """, example: "load \"\(badFiles)/after-quote.csv\"")
        case .raggedRow:
            MessageExplanation(.error, """
                A CSV row has more or fewer fields than the header: a delimiter inside an unquoted \
                field, a missing one, or a line cut short. The message gives the line and the counts; \
                a 'lenient' load skips such rows and says how many.
                """, example: "load \"\(badFiles)/field-count.csv\"")
        case .badTypedValue:
            MessageExplanation(.error, """
                A value does not fit the type its column was given: a type in the load's options \
                (with (fatalities: Int)) or, in JSON, a key whose values were of another type so far. \
                Give the column another type, or fix the value.
                """, example: "load \"\(badFiles)/forced-type.csv\" with (value: Int)")
        case .unsupportedParquetEncoding:
            MessageExplanation(.error, """
                A Parquet column's pages use an encoding ConflictQL does not decode (it reads PLAIN, \
                the dictionary encodings, RLE, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, \
                DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT for floats and integers). Rewrite the file with \
                the writer's defaults (pyarrow, DuckDB or Spark).
                """, example: "load \"\(badFiles)/bit-packed.parquet\"")
        case .unsupportedParquetCompression:
            MessageExplanation(.error, """
                A Parquet column's pages are compressed with a codec ConflictQL does not read (LZO, \
                Brotli, LZ4); it reads uncompressed, Snappy, gzip and zstd pages. Rewrite the file with \
                one of those, e.g. in DuckDB: COPY t TO 'f.parquet' (COMPRESSION zstd).
                """, example: "load \"\(badFiles)/brotli.parquet\"")
        case .encryptedFile:
            MessageExplanation(.error, """
                The file, or the zip member, is encrypted: a password-protected Excel workbook, an \
                encrypted Parquet file, an encrypted zip member. Decrypt it with the tool that made it \
                (save the workbook without a password, unzip with the password) and load the result.
                """, example: "load \"\(badFiles)/encrypted.xlsx\"")
        case .unsupportedStataVersion:
            MessageExplanation(.error, """
                A Stata file of a format ConflictQL does not read: it reads formats 113 to 119 \
                (Stata 8 and later). Save it again from a newer Stata (saveold), or export it as CSV.
                """, example: "load \"\(badFiles)/stata-120.dta\"")
        case .unsupportedFileFormat:
            MessageExplanation(.error, """
                A kind of file ConflictQL does not read: an Excel 97-2003 workbook (.xls) or R's own \
                files (.rds, .RData). Save the workbook as .xlsx or CSV; in R, write the data frame with \
                write.csv.
                """, example: "load \"\(badFiles)/old-excel.xls\"")
        case .unknownSheet:
            MessageExplanation(.error, """
                'sheet' names a sheet the workbook does not have, a number past its last sheet, or a \
                chart sheet, which holds no cells. The message lists the sheets.
                """, example: "load \"Tests/ConflictQLTests/Fixtures/formats/handmade.xlsx\" with (sheet = \"Sheet9\")")
        }
    }
}

extension DiagnosticMessage {
    /// Damage a Parquet page decoder finds (a page cut short, a value wider than its bit
    /// width): many small checks deep in the decoders, each described where it is found.
    static func parquetPageDamage(_ text: String) -> Self { Self(LoadDiagnostic.damagedFile, text) }
    package static let fileChangedWhileLoading = Self(LoadDiagnostic.fileChanged,
                                                      "the file changed while it was being loaded; load it again once it is complete")
    package static func cannotRead(_ reason: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.fileUnreadable, "cannot read: \(reason)")
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
        Self(LoadDiagnostic.encryptedFile, "\(member) is encrypted; extract it with its password (unzip) and load the file it gives")
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
        Self(LoadDiagnostic.badTypedValue, "key '\(key)': expected \(article) \(type), found '\(shown)'")
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

/// Where the examples' bad files are, from the repository's root.
private let badFiles = "Tests/ConflictQLTests/Catalogue/data"

extension DiagnosticMessage {
    /// The same message with where it happened in front: "cannot load column 'x', row group 2 (bytes 4-90): ".
    func located(_ place: String) -> Self { Self(id: id, severity: severity, text: place + text) }

    /// A CSV record that cannot be read. `whole`: as the load's error, with what to do; not
    /// whole: as a line of a lenient load's list of skipped rows.
    static func recordProblem(_ problem: RecordProblem, whole: Bool = false) -> Self {
        switch problem {
        case .unterminatedQuote:
            Self(LoadDiagnostic.unterminatedQuote, "unterminated quoted field" + (whole ? "; a quote opened here is never closed" : ""))
        case .afterClosingQuote:
            Self(LoadDiagnostic.textAfterQuote, "unexpected text after a closing quote")
        case .invalidUTF8:
            Self(LoadDiagnostic.notText, "a field is not UTF-8 text (save the file as UTF-8)")
        case .tooManyFields:
            Self(LoadDiagnostic.loadTooLarge,
                 "a row has more than \(LoadLimits.maximumColumns) fields; a table may have at most \(LoadLimits.maximumColumns) columns")
        case .notEnoughMemory(let bytes, _):
            Self(LoadDiagnostic.loadTooLarge, "this field is \(megabytes(bytes)), and there is not enough memory for it")
        case .fieldCount(let found, let expected, _):
            Self(LoadDiagnostic.raggedRow, "a row has \(found) field\(found == 1 ? "" : "s"), expected \(expected) like the header"
                 + (whole ? " (a 'lenient' load skips such rows)" : ""))
        case .badValue(_, let expected, _, let text):
            Self(LoadDiagnostic.badTypedValue, "expected \(expected == .int ? "an" : "a") \(expected), "
                 + "found '\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'")
        }
    }

    // The Parquet reader's refusals of what it does not read (the loader puts the column, row
    // group and bytes in front).
    static func parquetCompression(_ codec: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unsupportedParquetCompression,
             "its pages are compressed with \(codec), which ConflictQL does not read"
             + " (it reads uncompressed, SNAPPY, GZIP and ZSTD; rewrite it with one of those)")
    }
    static func parquetEncoding(_ encoding: some CustomStringConvertible, _ type: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unsupportedParquetEncoding, "its values are encoded as \(encoding) for \(type), which ConflictQL does not read")
    }
    static func parquetDictionaryEncoding(_ encoding: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unsupportedParquetEncoding, "its dictionary is encoded as \(encoding), not PLAIN")
    }
    static func parquetLevelEncoding(_ encoding: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unsupportedParquetEncoding, "its definition levels are encoded as \(encoding), not RLE")
    }
    static let encryptedParquet = Self(LoadDiagnostic.encryptedFile, "is an encrypted Parquet file, which ConflictQL does not read")
    static let encryptedWorkbook = Self(LoadDiagnostic.encryptedFile,
                                        "this Excel workbook is encrypted (it has a password to open); "
                                        + "save it without one (File, Info, Protect Workbook) and load that")

    // Kinds of files that are not read, and Stata's formats.
    static let oldExcelWorkbook = Self(LoadDiagnostic.unsupportedFileFormat,
                                       "this is an Excel 97-2003 workbook (.xls), which is not read; "
                                       + "save it as .xlsx (Excel Workbook) or CSV and load that")
    static let rData = Self(LoadDiagnostic.unsupportedFileFormat,
                            "R's own files (.rds, .RData) are not read; in R, write the data frame as CSV "
                            + "(write.csv(events, \"events.csv\", row.names = FALSE)) and load that")
    static let stataRelease = Self(LoadDiagnostic.unsupportedStataVersion,
                                   "this is not a Stata file of format 117, 118 or 119 (Stata 13 and later)")
    static let stataOldRelease = Self(LoadDiagnostic.unsupportedStataVersion,
                                      "this is not a Stata file of a format that is read (113 to 119, Stata 8 and later)")

    // A workbook's sheets.
    static func chartSheet(_ sheet: some CustomStringConvertible, first: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unknownSheet, "sheet '\(sheet)' is a chart, not cells; name a sheet of cells: sheet = \"\(first)\"")
    }
    static func sheetNumberPastEnd(_ number: Int, sheets: Int, listed: String) -> Self {
        Self(LoadDiagnostic.unknownSheet, "sheet = \(number), but the workbook has \(sheets) sheet\(sheets == 1 ? "" : "s"), "
             + "numbered from 1: \(listed)")
    }
    static func noSuchSheet(_ name: String, suggestion: String?, listed: String) -> Self {
        Self(LoadDiagnostic.unknownSheet, "the workbook has no sheet '\(name)'"
             + (suggestion.map { "; did you mean '\($0)'?" } ?? "; its sheets are \(listed)"))
    }
}

extension DiagnosticMessage {
    // A Stata file's structure (StataLoader.swift).
    static func stataCutShort(_ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "the Stata file is cut short (it ends at byte \(size), and a section reaches past it)")
    }
    static let stataSizeDamaged = Self(LoadDiagnostic.damagedFile, "the Stata file is damaged (a size past any file's)")
    static func stataSectionMisplaced(_ tag: some CustomStringConvertible, _ offset: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "the Stata file is damaged: \(tag) is not at byte \(offset), where its map says")
    }
    static let stataTextOptions = Self(LoadDiagnostic.loadOptionConflict,
                                       "this is a Stata file: 'delimiter', 'encoding', 'member', 'records' and 'sheet' are for other "
                                           + "formats")
    static func stataTooLargeForMemory(_ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "the Stata file (\(size)) does not fit in memory")
    }
    static let stataNoByteOrder = Self(LoadDiagnostic.damagedFile, "the Stata file has no byte order")
    static let stataNoMap = Self(LoadDiagnostic.damagedFile, "the Stata file has no map of its sections")
    static func stataStorageType(_ variable: some CustomStringConvertible, _ code: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "variable \(variable) has a storage type (\(code)) Stata does not have: the file is damaged")
    }
    static let stataRowCountDamaged = Self(LoadDiagnostic.damagedFile, "the Stata file's count of rows is damaged")
    static func stataLabelsDamaged(_ name: some CustomStringConvertible) -> Self { Self(LoadDiagnostic.damagedFile, "the value labels "
        + "'\(name)' are damaged") }

    // A workbook's parts and a sheet's cells (Workbook.swift, SheetReader.swift).
    static let zipNotAWorkbook = Self(LoadDiagnostic.damagedFile, "this zip is not an Excel workbook (it has no xl/workbook.xml)")
    static func sheetPartMissing(_ sheet: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "the part of sheet '\(sheet)' is missing from the workbook: it is damaged")
    }
    static func workbookPartDamaged(_ part: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "\(part) is damaged: its size or checksum does not match the zip's directory")
    }
    static let workbookDelimiter = Self(LoadDiagnostic.loadOptionConflict,
                                        "'delimiter' is for text files, and this is an Excel workbook, whose cells are already apart")
    static let workbookEncoding = Self(LoadDiagnostic.loadOptionConflict,
                                       "'encoding' is for text files; an Excel workbook's text is always Unicode")
    static let workbookMember = Self(LoadDiagnostic.loadOptionConflict,
                                     "'member' names a file inside a zip; to pick a sheet of this workbook, say sheet = \"NAME\"")
    static let workbookRecords = Self(LoadDiagnostic.loadOptionConflict,
                                      "'records' names an array inside a JSON object, and this is an Excel workbook")
    static let workbookWithoutSheets = Self(LoadDiagnostic.emptyFile, "the workbook has no sheets")
    static func workbookPartTooLarge(_ part: some CustomStringConvertible, _ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadTooLarge, "the workbook's part '\(part)' is \(size), too large to be a workbook's")
    }
    static func sheetCellNameDamaged(_ row: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "a cell of row \(row) is named '\(name)': the sheet is damaged")
    }
    static func sheetCellLeftOfDimension(_ cell: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "cell \(cell) lies left of the sheet's dimension: the sheet is damaged")
    }
    static func sheetSharedStringPastEnd(_ cell: some CustomStringConvertible, _ index: some CustomStringConvertible,
                                         _ count: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "cell \(cell) names shared string \(index), and the workbook has \(count): it is damaged")
    }
    static func sheetRowsOutOfOrder(_ row: some CustomStringConvertible, _ previous: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "row \(row) comes after row \(previous) in the sheet: it is damaged")
    }
    static func sheetCellsOutOfOrder(_ cell: some CustomStringConvertible, _ row: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "cell \(cell) comes twice or out of order in row \(row): the sheet is damaged")
    }
    static let emptySheet = Self(LoadDiagnostic.emptyFile, "the sheet is empty")

    // Options that belong to another format, and a format that does not read the file (Loader.swift).
    static func sheetOptionElsewhere(_ format: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict, "'sheet' picks a sheet of an Excel workbook, and this is \(format)")
    }
    static func labelsOptionElsewhere(_ format: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict, "'labels' is for a Stata file's value labels, and this is \(format)")
    }
    static let notAWorkbook = Self(LoadDiagnostic.loadOptionConflict, "format = xlsx, but this is not an Excel workbook (a zip of XML "
        + "parts)")
    static let notAStataFile = Self(LoadDiagnostic.loadOptionConflict, "format = dta, but this is not a Stata file")
    static func formatDoesNotRead(_ format: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict, "format = \(format) does not read this file")
    }
}

extension DiagnosticMessage {
    // A Parquet file's structure (ParquetLoader.swift); `place` is "column 'x', row group 2".
    static func parquetPointsPastEnd(_ end: some CustomStringConvertible, _ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "is damaged: it points past its end (byte \(end) of \(size))")
    }
    static func parquetTooShort(_ size: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "is not a Parquet file: it is too short (\(size) bytes)")
    }
    static let parquetWithoutLeadingMark = Self(LoadDiagnostic.damagedFile, "is not a Parquet file: it does not begin with PAR1")
    static let parquetWithoutClosingMark = Self(LoadDiagnostic.damagedFile,
                                                "is not a complete Parquet file: it does not end with PAR1 (a truncated copy?)")
    static func parquetFooterLength(_ length: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "is damaged: its footer length (\(length)) does not fit the file")
    }
    static func parquetFooterUnreadable(_ problem: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "is damaged: its footer cannot be read (\(problem))")
    }
    static func parquetNestedColumn(_ column: some CustomStringConvertible, _ what: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unsupportedContent, "cannot load column '\(column)': it \(what), a nested type; ConflictQL loads flat"
             + " tables (flatten it first, e.g. in DuckDB: COPY (SELECT UNNEST(...)) TO 'flat.parquet')")
    }
    static func parquetTextOption(_ option: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.loadOptionConflict,
             "is a Parquet file, whose columns carry their own names and types: '\(option)' does not apply to it")
    }
    static func parquetColumnType(_ column: some CustomStringConvertible, _ problem: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.unsupportedContent, "cannot load column '\(column)': \(problem)")
    }
    static func parquetChunkType(_ place: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "is damaged: \(place) is stored as another type than the schema says")
    }
    static func parquetPageHeader(_ place: some CustomStringConvertible, _ problem: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "is damaged: a page header of \(place) cannot be read (\(problem))")
    }
    static func parquetChunkUnreadable(_ place: some CustomStringConvertible, _ problem: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "cannot load \(place): \(problem)")
    }
    static func parquetValueCount(_ place: some CustomStringConvertible, _ values: some CustomStringConvertible,
                                  _ rows: some CustomStringConvertible) -> Self {
        Self(LoadDiagnostic.damagedFile, "is damaged: \(place) holds \(values) values for \(rows) rows")
    }
}
