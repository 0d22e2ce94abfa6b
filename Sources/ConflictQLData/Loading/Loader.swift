// The entry point of loading: picks the reader by the file's extension or content (a .gz or
// .zip is inflated first: Compressed.swift), and returns the table with a report, or a
// LoadError that says where and what.

import ConflictQLCore
import ConflictQLSyntax

/// Loads a CSV or JSON file as a table, or one compressed with gzip or zip.
public func loadTable(path: String, options: LoadOptions = LoadOptions(), progress: LoadProgress? = nil)
    throws(LoadError) -> (Table, LoadReport) {
    if let (compression, input) = try openCompressed(path: path) {
        defer { input.close() }
        try refuseEncoding(options, path: path)
        return try loadCompressed(compression, input, path: path, options: options, progress: progress)
    }
    let file = try DataFile(path: path, encoding: options.encoding, cancellation: options.cancellation)
    try refuseMember(options, path: path)
    let format: LoadOptions.Format
    if let given = options.format { format = given } else { format = try detectFormat(path: path, file) }
    try refuseRecordsOption(options, format: format, path: path)
    let loaded: (Table, LoadReport)
    switch format {
    case .csv: loaded = try loadCSV(file, options: options, progress: progress)
    case .json: loaded = try loadJSON(file, options: options, progress: progress)
    }
    try file.checkUnchanged()
    return loaded
}

/// Loads a CSV or JSON file whose bytes are in memory; `name` stands for the path in messages.
public func loadTable(bytes: UnsafeBufferPointer<UInt8>, name: String, options: LoadOptions = LoadOptions())
    throws(LoadError) -> (Table, LoadReport) {
    if let compression = Compression(prefix: UnsafeBufferPointer(rebasing: bytes.prefix(4))),
       case let input = CompressedInput(bytes: bytes, path: name), try isCompressed(compression, input, path: name) {
        try refuseEncoding(options, path: name)
        return try loadCompressed(compression, input, path: name, options: options, progress: nil)
    }
    let file = try DataFile(path: name, contents: bytes, encoding: options.encoding)
    try refuseMember(options, path: name)
    let format: LoadOptions.Format
    if let given = options.format { format = given } else { format = try detectFormat(path: name, file) }
    try refuseRecordsOption(options, format: format, path: name)
    switch format {
    case .csv: return try loadCSV(file, options: options, progress: nil)
    case .json: return try loadJSON(file, options: options, progress: nil)
    }
}

/// `records` names an array inside a JSON object: a CSV file has none.
func refuseRecordsOption(_ options: LoadOptions, format: LoadOptions.Format, path: String) throws(LoadError) {
    guard let records = options.records, format == .csv else { return }
    throw LoadError(path: path, message: "records = \"\(records)\" names an array inside a JSON object, and this file is read as CSV"
                        + " (format = json reads it as JSON)")
}

/// The format of a file by its name, else by its first non-blank byte (read on past the prefix
/// read so far when that is all blank).
func detectFormat(path: String, _ file: DataFile) throws(LoadError) -> LoadOptions.Format {
    if let format = detectFormat(path: path, file.prefix) { return format }
    try file.restore()
    return detectFormat(path: path, file.bytes) ?? .csv
}

/// nil when the name does not say and `bytes` are all blank.
func detectFormat(path: String, _ bytes: UnsafeBufferPointer<UInt8>) -> LoadOptions.Format? {
    let lowered = path.lowercased()
    if lowered.hasSuffix(".json") || lowered.hasSuffix(".ndjson") || lowered.hasSuffix(".jsonl") { return .json }
    if lowered.hasSuffix(".csv") || lowered.hasSuffix(".tsv") || lowered.hasSuffix(".txt") { return .csv }
    // Otherwise by the first non-blank byte.
    var i = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) { i += 1 }
    if i == bytes.count { return nil }
    if bytes[i] == UInt8(ascii: "[") || bytes[i] == UInt8(ascii: "{") { return .json }
    return .csv
}

/// A table name from a file name: `acled-2020.csv` gives `acled_2020`.
public func tableName(forPath path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    let stem = file.split(separator: ".").first.map(String.init) ?? file
    var name = String(stem.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    if name.isEmpty { name = "data" }
    if let first = name.first, first.isNumber { name = "t_" + name }
    return name
}
