// The round trip of the output formats, shared by RoundTripTests and the libFuzzer harness
// (Tests/Fuzz/RoundTripFuzzer.swift compiles this file with the library, with -D FUZZING):
// awkward tables built from bytes, written as CSV and JSON, loaded back and compared.

#if !FUZZING
import ConflictQL
#endif

/// Reads awkward values out of bytes: every choice (type, null, length, piece) is a byte, so
/// a fuzzer's mutations move between nearby tables.
struct AwkwardValues {
    var bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    mutating func int64() -> Int64 {
        switch byte() % 8 {
        case 0: return Int64.max
        case 1: return Int64.min
        case 2: return Int64(Int8(bitPattern: byte()))
        case 3: return 9_007_199_254_740_993  // 2^53 + 1: not exact as a Double
        default: return (0..<8).reduce(Int64(0)) { value, _ in value << 8 | Int64(byte()) }
        }
    }

    mutating func double() -> Double {
        switch byte() % 8 {
        case 0:
            let awkward = [0.1, -0.0, 1e-5, 1e300, 123456789012345680.0, 0.5, -2.0, 1e15, .infinity, -.infinity, .nan]
            return awkward[Int(byte()) % awkward.count]
        case 1: return Double(int64())
        default:
            let bits = (0..<8).reduce(UInt64(0)) { value, _ in value << 8 | UInt64(byte()) }
            return Double(bitPattern: bits)
        }
    }

    /// Pieces that have broken writers and readers: quotes and separators of every format,
    /// combining marks after them, line ends, text that reads as another type.
    static let pieces: [String] = [
        "\"", ",", ";", "|", "\\", "\n", "\r", "\r\n", "\t", " ", "\u{301}", "\u{308}", "é", "e\u{301}",
        "😀", "👩‍👩‍👧", "\u{FEFF}", "\u{200B}", "\u{2028}", "\u{1B}[2J", "\u{7F}", "null", "NULL", "true", "1",
        "-1.5e3", "007", "2011-10", "2020-07-31", "a", "Bamako", "{", "[", "]", "}", ":", "#", "=", "'",
    ]

    mutating func string() -> String {
        var text = ""
        for _ in 0..<Int(byte() % 6) {
            let choice = byte()
            if choice < 200 {
                text += AwkwardValues.pieces[Int(choice) % AwkwardValues.pieces.count]
            } else if let scalar = Unicode.Scalar(UInt32(byte()) << 8 | UInt32(byte())) {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    mutating func date() -> DateValue {
        let year = 1 + Int(UInt16(byte()) << 8 | UInt16(byte())) % 9999
        let precision = [DatePrecision.year, .month, .day][Int(byte() % 3)]
        let month = precision == .year ? 1 : 1 + Int(byte() % 12)
        let day = precision == .day ? 1 + Int(byte() % 28) : 1
        return DateValue(year: year, month: month, day: day, precision: precision)!
    }

    static let types: [DataType] = [.string, .int, .float, .bool, .date, .list(.string), .list(.int), .list(.float)]

    mutating func value(_ type: DataType) -> Value {
        if byte() % 5 == 0 { return .null }
        switch type {
        case .int: return .int(int64())
        case .float: return .float(double())
        case .bool: return .bool(byte() % 2 == 0)
        case .date: return .date(date())
        case .list(let element): return .list((0..<Int(byte() % 4)).map { _ in value(element) })
        default: return .string(string())
        }
    }

    /// A table of 1 to 4 columns and 0 to 7 rows; names are distinct and awkward too.
    mutating func table() -> Table {
        let columnCount = 1 + Int(byte() % 4)
        var fields: [Field] = []
        for index in 0..<columnCount {
            let type = AwkwardValues.types[Int(byte()) % AwkwardValues.types.count]
            // Names are unique; they may begin or end with spaces (CSV quotes them).
            let name = byte() % 4 == 0 ? " c\(index) " : "c\(index)"
            fields.append(Field(name + string() + "_", type))
        }
        let rowCount = Int(byte() % 8)
        let rows = (0..<rowCount).map { _ in fields.map { value($0.type) } }
        return Table(schema: Schema(fields), rows: rows)
    }
}

/// What each value must read back as. CSV has no lists: a list is its elements joined with
/// `;`, loaded back as text.
/// JSON has no infinity or NaN: they are written as null.
func expectedAfterRoundTrip(_ value: Value, format: OutputFormat) -> Value {
    switch (value, format) {
    case (.list(let items), .csv), (.list(let items), .tsv):
        return .string(items.map { $0.isNull ? "" : $0.description }.joined(separator: ";"))
    case (.list(let items), .json), (.list(let items), .ndjson): return .list(items.map { expectedAfterRoundTrip($0, format: format) })
    case (.float(let v), .json) where !v.isFinite, (.float(let v), .ndjson) where !v.isFinite: return .null
    default: return value
    }
}

/// Strings (in lists too) with the same UTF-8 bytes; other values: true.
func sameBytes(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return Array(x.utf8) == Array(y.utf8)
    case (.list(let xs), .list(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy(sameBytes)
    default: return true
    }
}

/// Equal, and NaN equal to NaN (wherever it is, in a list too).
func sameValue(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.list(let xs), .list(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy(sameValue)
    default: return a == b
    }
}

/// Writes `table` as `format`, loads it back with the column types it had, and describes the
/// first difference; nil when the table came back whole.
func roundTripMismatch(_ table: Table, format: OutputFormat) -> String? {
    var written = ""
    ResultFormatter(format: format).write(.table(table)) { written += $0 }
    var options = LoadOptions()
    let isJSON = format == .json || format == .ndjson
    options.format = isJSON ? .json : .csv
    if format == .tsv { options.delimiter = UInt8(ascii: "\t") }
    for field in table.schema.fields {
        if case .list = field.type, !isJSON { options.types[field.name] = .string } else { options.types[field.name] = field.type }
    }
    if format == .json && table.rowCount == 0 {
        // An empty result is `[]`: no object, so no keys to load (a documented limit).
        return written == "[]\n" ? nil : "an empty table was written as \(written.debugDescription)"
    }
    if format == .ndjson && table.rowCount == 0 {
        // No rows, no lines (a documented limit, as for JSON).
        return written.isEmpty ? nil : "an empty table was written as \(written.debugDescription)"
    }
    // CSV and TSV cannot carry a NUL: the loader takes it for a binary file (a documented limit).
    if !isJSON && written.utf8.contains(0) { return nil }
    #if FUZZING
    // Small inputs split into chunks too, so splits fall inside quoted line breaks.
    options.threads = 3
    options.chunkingThreshold = 0
    #endif
    if let mismatch = loadedBackMismatch(table, written, format: format, options: options) { return mismatch }
    // The same file with CRLF record ends (as spreadsheets write it): the line breaks inside
    // quoted values, LF, CR or CRLF, must come back as they were, not as the record ends.
    if format == .csv || format == .tsv {
        return loadedBackMismatch(table, withCRLFRecordEnds(written), format: format, options: options)
    }
    return nil
}

/// `csv` with every line end outside quotes made CRLF (a doubled quote toggles twice).
func withCRLFRecordEnds(_ csv: String) -> String {
    var out: [UInt8] = []
    var quoted = false
    for byte in csv.utf8 {
        if byte == UInt8(ascii: "\"") { quoted.toggle() }
        if byte == UInt8(ascii: "\n") && !quoted { out.append(UInt8(ascii: "\r")) }
        out.append(byte)
    }
    return String(decoding: out, as: UTF8.self)
}

/// Loads `written` back and describes the first value that differs from `table`'s.
func loadedBackMismatch(_ table: Table, _ written: String, format: OutputFormat, options: LoadOptions) -> String? {
    let bytes = Array(written.utf8)
    let loaded: Table
    do {
        loaded = try bytes.withUnsafeBufferPointer { try loadTable(bytes: $0, name: "roundtrip.\(format)", options: options).0 }
    } catch {
        return "\(format) did not load back: \(error)\nwritten: \(written.debugDescription)"
    }
    guard loaded.schema.names == table.schema.names else {
        return "\(format) names \(loaded.schema.names) came back for \(table.schema.names)\nwritten: \(written.debugDescription)"
    }
    guard loaded.rowCount == table.rowCount else {
        return "\(format): \(loaded.rowCount) rows came back for \(table.rowCount)\nwritten: \(written.debugDescription)"
    }
    for (column, name) in table.schema.names.enumerated() {
        for row in 0..<table.rowCount {
            let expected = expectedAfterRoundTrip(table.columns[column].value(at: row), format: format)
            let actual = loaded.columns[column].value(at: row)
            // -0.0 == 0.0 as values: the text "-0.0" is not promised. Strings are compared
            // byte for byte: String's == is canonical equivalence, blind to some changes.
            if !sameValue(actual, expected) || !sameBytes(actual, expected) {
                return "\(format) row \(row + 1), column \(name.debugDescription): \(actual.debugText) came back for \(expected.debugText)\nwritten: \(written.debugDescription)"
            }
        }
    }
    return nil
}

/// Markdown cannot be loaded, but its shape can be checked: every line has as many cells
/// (split at `|` not escaped by a backslash) as the header.
func markdownShapeMismatch(_ table: Table) -> String? {
    let written = ResultFormatter(format: .markdown).format(.table(table))
    let lines = written.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    guard lines.count == table.rowCount + 2 else {
        return "markdown has \(lines.count) lines for \(table.rowCount) rows: \(written.debugDescription)"
    }
    for line in lines {
        var cells = 0, escaped = false
        for byte in line.utf8 {
            if byte == UInt8(ascii: "|") && !escaped { cells += 1 }
            escaped = byte == UInt8(ascii: "\\") && !escaped
        }
        if cells != table.columns.count + 1 {
            return "markdown line \(String(line).debugDescription) has \(cells - 1) cells, expected \(table.columns.count)"
        }
    }
    return nil
}

extension Value {
    /// A value with its type, for messages: `String("a\"")`, `Float(0.1)`.
    var debugText: String {
        switch self {
        case .string(let s): return "String(\(s.debugDescription))"
        default: return "\(type)(\(description))"
        }
    }
}
