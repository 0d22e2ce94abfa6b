// The entry point of loading: picks the reader by the file's extension or content (a .gz or
// .zip is inflated first: Compressed.swift; a Parquet file, known by its first bytes `PAR1`,
// goes to Parquet/ParquetLoader.swift), and returns the table with a report, or a LoadError
// that says where and what.

import ConflictQLCore
import ConflictQLSyntax

/// Loads a CSV, JSON, Excel (.xlsx) or Stata (.dta) file as a table, or a text file compressed with gzip or zip.
public func loadTable(path: String, options: LoadOptions = LoadOptions(), progress: LoadProgress? = nil)
    throws(LoadError) -> (Table, LoadReport) {
    try refuseRData(path: path)
    if options.format == .parquet || (options.format == nil && (hasParquetMagic(path: path) || path.lowercased().hasSuffix(".parquet"))) {
        return try loadParquet(try ParquetSource(path: path), options: options, progress: progress)
    }
    if let (compression, input) = try openCompressed(path: path) {
        defer { input.close() }
        if try isWorkbook(compression, input, options: options) {
            return try loadWorkbook(input, path: path, options: options, progress: progress)
        }
        return try loadCompressed(compression, input, path: path, options: options, progress: progress)
    }
    if let loaded = try loadBinaryFormat(path: path, options: options) { return loaded }
    try refuseFormatOptions(options, path: path, format: "a text file")
    let file = try DataFile(path: path, encoding: options.encoding, cancellation: options.cancellation)
    try refuseMember(options, path: path)
    let format: LoadOptions.Format
    if let given = options.format { format = given } else { format = try detectFormat(path: path, file) }
    try refuseRecordsOption(options, format: format, path: path)
    let loaded: (Table, LoadReport)
    switch format {
    case .csv: loaded = try loadCSV(file, options: options, progress: progress)
    case .json: loaded = try loadJSON(file, options: options, progress: progress)
    case .parquet: loaded = try loadParquet(ParquetSource(name: path, bytes: file.bytes), options: options, progress: progress)
    case .xlsx, .dta: throw notFormat(format, path: path)
    }
    try file.checkUnchanged()
    return loaded
}

/// Loads a file whose bytes are in memory (any format `loadTable(path:)` reads); `name` stands for the path in messages.
public func loadTable(bytes: UnsafeBufferPointer<UInt8>, name: String, options: LoadOptions = LoadOptions())
    throws(LoadError) -> (Table, LoadReport) {
    if options.format == .parquet
        || (options.format == nil
            && ((bytes.count >= 4 && Array(bytes.prefix(4)) == parquetMagic) || name.lowercased().hasSuffix(".parquet"))) {
        return try loadParquet(ParquetSource(name: name, bytes: bytes), options: options, progress: nil)
    }
    if let compression = Compression(prefix: UnsafeBufferPointer(rebasing: bytes.prefix(4))),
       case let input = CompressedInput(bytes: bytes, path: name), try isCompressed(compression, input, path: name) {
        if try isWorkbook(compression, input, options: options) {
            return try loadWorkbook(input, path: name, options: options, progress: nil)
        }
        return try loadCompressed(compression, input, path: name, options: options, progress: nil)
    }
    if let loaded = try loadBinaryFormat(CompressedInput(bytes: bytes, path: name), path: name, options: options) { return loaded }
    try refuseFormatOptions(options, path: name, format: "a text file")
    let file = try DataFile(path: name, contents: bytes, encoding: options.encoding)
    try refuseMember(options, path: name)
    let format: LoadOptions.Format
    if let given = options.format { format = given } else { format = try detectFormat(path: name, file) }
    try refuseRecordsOption(options, format: format, path: name)
    switch format {
    case .csv: return try loadCSV(file, options: options, progress: nil)
    case .json: return try loadJSON(file, options: options, progress: nil)
    case .parquet: return try loadParquet(ParquetSource(name: name, bytes: file.bytes), options: options, progress: nil)
    case .xlsx, .dta: throw notFormat(format, path: name)
    }
}

/// A Stata file, or a refusal of a binary format we do not read (an old .xls), recognised
/// by its first bytes; nil for anything else, which the text loaders read.
func loadBinaryFormat(path: String, options: LoadOptions) throws(LoadError) -> (Table, LoadReport)? {
    guard let input = try CompressedInput(openedAt: path) else { return nil }
    defer { input.close() }
    return try loadBinaryFormat(input, path: path, options: options)
}

func loadBinaryFormat(_ input: CompressedInput, path: String, options: LoadOptions) throws(LoadError) -> (Table, LoadReport)? {
    let prefix = try input.bytes(at: 0, count: min(input.size, 11))
    if prefix.starts(with: Array("<stata_dta>".utf8)) || (options.format == .dta && !prefix.isEmpty) {
        return try loadStata(input, path: path, options: options)
    }
    if prefix.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        throw LoadError(try isEncryptedWorkbook(input) ? .encryptedWorkbook : .oldExcelWorkbook, path: path)
    }
    // Formats 113 to 115 have no magic text: a version byte and a byte order, so the name says.
    if let first = prefix.first, (0x71...0x73).contains(first), prefix.count > 1, prefix[1] == 1 || prefix[1] == 2,
       path.lowercased().hasSuffix(".dta") {
        return try loadStata(input, path: path, options: options)
    }
    return nil
}

/// Whether an OLE compound file (the container of .xls) is an encrypted .xlsx: Office keeps a
/// password-protected workbook in one, beside streams named EncryptionInfo and
/// EncryptedPackage, which its directory names in UTF-16.
func isEncryptedWorkbook(_ input: CompressedInput) throws(LoadError) -> Bool {
    guard input.size >= 512 else { return false }
    let header = try input.bytes(at: 0, count: 512)
    let shift = Int(header[0x1E]) | Int(header[0x1F]) << 8
    guard (9...12).contains(shift) else { return false }
    let sectorSize = 1 << shift
    let firstSector = Int(header[0x30]) | Int(header[0x31]) << 8 | Int(header[0x32]) << 16 | Int(header[0x33]) << 24
    let (start, overflow) = (firstSector + 1).multipliedReportingOverflow(by: sectorSize)
    guard !overflow, start < input.size else { return false }
    // The first few sectors of the directory: the streams of an encrypted workbook come first.
    let directory = try input.bytes(at: start, count: min(input.size - start, 4 * sectorSize))
    let name = Array("EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    guard directory.count >= name.count else { return false }
    return (0...(directory.count - name.count)).contains { directory[$0..<($0 + name.count)].elementsEqual(name) }
}

/// `sheet` is for workbooks and `labels` for Stata files: elsewhere a slip worth saying.
func refuseFormatOptions(_ options: LoadOptions, path: String, format: String, allowingSheet: Bool = false) throws(LoadError) {
    if options.sheet != nil && !allowingSheet {
        throw LoadError(.sheetOptionElsewhere(format), path: path)
    }
    if options.labels != nil {
        throw LoadError(.labelsOptionElsewhere(format), path: path)
    }
}

/// R's own files (a gzipped serialisation of R objects) are not read: what to do instead.
func refuseRData(path: String) throws(LoadError) {
    let lowered = path.lowercased()
    guard [".rds", ".rdata", ".rda"].contains(where: { lowered.hasSuffix($0) }) else { return }
    throw LoadError(.rData, path: path)
}

/// Whether a zip is to be read as an Excel workbook: unless `format` says CSV or JSON.
func isWorkbook(_ compression: Compression, _ input: CompressedInput, options: LoadOptions) throws(LoadError) -> Bool {
    guard compression == .zip, options.format == nil || options.format == .xlsx else { return false }
    return isWorkbook(try zipDirectory(input, path: input.path))
}

/// `format = xlsx` on a file that is not a workbook.
func notFormat(_ format: LoadOptions.Format, path: String) -> LoadError {
    switch format {
    case .xlsx: return LoadError(.notAWorkbook, path: path)
    case .dta: return LoadError(.notAStataFile, path: path)
    case .csv, .json, .parquet: return LoadError(.formatDoesNotRead(format.rawValue), path: path)
    }
}

/// `records` names an array inside a JSON object: a CSV file has none.
func refuseRecordsOption(_ options: LoadOptions, format: LoadOptions.Format, path: String) throws(LoadError) {
    guard let records = options.records, format == .csv else { return }
    throw LoadError(.recordsOfCSV(records), path: path)
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
