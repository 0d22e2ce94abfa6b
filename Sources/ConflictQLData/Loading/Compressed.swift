// Compressed data files: a .gz or a .zip is recognised by its first bytes (whatever its name),
// inflated with the system zlib, and loaded by the CSV or JSON loader exactly as a plain file,
// so types, names and messages are the same. CSV is parsed while it is inflated, on a thread
// of its own (InflowingText), and never held whole; other text is inflated whole into memory
// of our own first.
//
// Why our own reader and not a package (ZIPFoundation): a load must stream (the compressed
// file is read 4 MB at a time, never whole), refuse a zip bomb before it takes the machine's
// memory, stop on Ctrl-C, report progress, and say where a damaged file went wrong; a zip's
// central directory is a few dozen lines to read, and zlib does the inflating for both.
// Messages name the decompressed text as an archive member, as `ar` and `make` do:
// `ged.zip(ged241.csv):3:1: ...`, `events.csv.gz(events.csv):3:1: ...`; line and column
// count in the decompressed text.

import ConflictQLCore
import ConflictQLSyntax
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Compression {
    case gzip, zip

    /// The compression of a file that begins with `prefix`, or nil for a plain file.
    init?(prefix: UnsafeBufferPointer<UInt8>) {
        if prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B { self = .gzip; return }
        // A local file header, or the end record of an empty archive.
        if prefix.count >= 4 && prefix[0] == 0x50 && prefix[1] == 0x4B
            && ((prefix[2] == 3 && prefix[3] == 4) || (prefix[2] == 5 && prefix[3] == 6)) {
            self = .zip
            return
        }
        return nil
    }
}

/// Loads a compressed file. CSV text is parsed as it is inflated (`loadInflowing`); any other
/// text is inflated whole, then handed to its loader. While they parse, the loaders give back
/// the memory of the text already parsed, as they do for a plain file; what must be looked at
/// again is inflated again (`TextRefill`).
func loadCompressed(_ compression: Compression, _ input: CompressedInput, path: String, options: LoadOptions,
                    progress: LoadProgress?) throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    try refuseFormatOptions(options, path: path, format: "a compressed text file")
    let archived = try ArchivedText(compression, input, path: path, options: options)
    if var loaded = try loadInflowing(archived, options: options, progress: progress) {
        loaded.1.seconds = monotonicNow() - started
        return loaded
    }
    let text: DecompressedText
    let member = archived.member
    if let selection = archived.selection {
        text = try unzip(selection, input, path: path, options: options, progress: progress)
    } else {
        let hint = archived.statedSize
        guard let room = DecompressedText(capacity: hint) ?? DecompressedText(capacity: min(hint, 64 << 20)) else {
            throw notEnoughMemory(path: path, passing: min(hint, 64 << 20))
        }
        text = room
        var sink = text
        try archived.inflate(options: options, progress: progress, into: &sink)
    }
    let refill = archived.refill(text, options: options)
    // A .tar.gz: a tar header names its format at byte 257.
    if text.count > 262 && Array(UnsafeBufferPointer(rebasing: text.bytes[257..<262])) == Array("ustar".utf8) {
        throw LoadError(.tarArchive, path: path)
    }
    // What the first bytes say of a plain file they say of a member too (a Stata file, an old or
    // encrypted workbook), so that the same bytes load, or are refused, alike either way.
    let inside = CompressedInput(bytes: text.bytes, path: "\(path)(\(member))")
    let binary = try withExtendedLifetime(text) { () throws(LoadError) in
        try loadBinaryFormat(inside, path: inside.path, options: options)
    }
    if var loaded = binary {
        loaded.1.seconds = monotonicNow() - started
        return loaded
    }
    // A Parquet file compresses its own pages: one inside a gzip or a zip is read from memory.
    let format = options.format ?? (text.count >= 4 && Array(UnsafeBufferPointer(rebasing: text.bytes[0..<4])) == parquetMagic
                                    ? .parquet : detectFormat(path: member, text.bytes) ?? .csv)
    if format == .parquet {
        var loaded = try loadParquet(ParquetSource(name: "\(path)(\(member))", bytes: text.bytes), options: options, progress: progress)
        loaded.1.seconds = monotonicNow() - started
        return withExtendedLifetime(text) { loaded }
    }
    // Text in another encoding (given, or UTF-16 by its byte-order mark) is transcoded whole
    // and kept whole: inflating again makes the member's bytes, not their transcoding.
    let file = try DataFile(path: "\(path)(\(member))", contents: text.bytes, encoding: options.encoding, owner: text, refill: refill)
    // The name inside decides the format (`events.json.gz` is JSON), then the content.
    var loaded: (Table, LoadReport)
    switch format {
    case .csv: loaded = try loadCSV(file, options: options, progress: progress)
    case .json: loaded = try loadJSON(file, options: options, progress: progress)
    case .parquet: loaded = try loadParquet(ParquetSource(name: file.path, bytes: text.bytes), options: options, progress: progress)
    case .xlsx, .dta: throw notFormat(options.format ?? .csv, path: path)
    }
    // The time the summary shows includes inflating, often most of it.
    loaded.1.seconds = monotonicNow() - started
    return loaded
}

/// The text inside a .gz or a zip member: its name, the size its file states, the most its
/// compressed bytes can inflate to, and how to inflate it (again). Read once a load, for both
/// the text parsed as it is inflated and the text inflated whole.
struct ArchivedText: Sendable {
    let input: CompressedInput
    let path: String
    let member: String
    /// The size the file states: a .gz's last four bytes (when plausible), a zip's directory.
    let statedSize: Int
    /// Address space enough for the text: deflate inflates to at most 1032 times its size; a
    /// zip member to one byte more than its directory says, so that more is seen.
    let mostSize: Int
    /// The zip member; nil for a .gz.
    let selection: ZipSelection?

    init(_ compression: Compression, _ input: CompressedInput, path: String, options: LoadOptions) throws(LoadError) {
        self.input = input
        self.path = path
        let compressed: Int
        switch compression {
        case .gzip:
            if options.member != nil { throw LoadError(.memberOfGzip, path: path) }
            member = gzipMemberName(path)
            statedSize = try gzipSizeHint(input)
            selection = nil
            compressed = input.size
        case .zip:
            let selection = try selectMember(input, path: path, options: options)
            member = selection.member.name
            statedSize = selection.member.size
            self.selection = selection
            compressed = selection.member.compressedSize
        }
        let (most, overflow) = compressed.multipliedReportingOverflow(by: 1032)
        let deflated = overflow ? 1 << 45 : min(most + (1 << 20), 1 << 45)
        mostSize = selection == nil ? deflated : min(statedSize, deflated) + 1
    }

    /// Inflates the text into `sink`; a zip member's size and CRC-32 are then checked against
    /// its directory.
    func inflate(options: LoadOptions, progress: LoadProgress?, into sink: inout some InflateSink) throws(LoadError) {
        guard let selection else {
            return try gunzip(input, path: path, options: options, progress: progress, into: &sink)
        }
        let crc = try inflateMember(selection, input, path: path, options: options, progress: progress, into: &sink)
        try checkMember(selection, inflated: sink.written, crc: crc, path: path)
    }

    /// Inflates again, into the ranges of `text` given back.
    func refill(_ text: DecompressedText, options: LoadOptions) -> ([Range<Int>]) throws(LoadError) -> Void {
        { (ranges: [Range<Int>]) throws(LoadError) in
            var again = TextRefill(text, ranges)
            if let selection {
                try inflateMember(selection, input, path: path, options: options, progress: nil, into: &again)
            } else {
                try gunzip(input, path: path, options: options, progress: nil, into: &again)
            }
            try again.checkComplete(path: path)
        }
    }
}

/// Loads the CSV text of a .gz or zip member as it is inflated, on a thread of its own
/// (InflowingText); nil when the text is not CSV (by the member's name, the format asked for,
/// or its first 64 KiB) or the address space for it cannot be reserved: the caller then
/// inflates it whole. Progress is the compressed bytes read, with the rows parsed so far.
func loadInflowing(_ archived: ArchivedText, options: LoadOptions, progress: LoadProgress?) throws(LoadError) -> (Table, LoadReport)? {
    guard options.format == nil || options.format == .csv else { return nil }
    let (path, member, expected) = (archived.path, archived.member, archived.statedSize)
    // A member named as JSON is JSON, whatever it holds.
    guard detectFormat(path: member, UnsafeBufferPointer(start: nil, count: 0)) != .json else { return nil }
    let rows = ParsedRows()
    let reported: LoadProgress? = progress.map { progress in
        { @Sendable (done: Int, total: Int, _: Int) in
            rows.total = total
            progress(done, total, rows.count)
        }
    }
    // Inflating runs this far ahead of the parse: two chunks of it (at least 32 MiB). At the
    // 1M-event file, leads of 16 to 128 MiB loaded alike (0.96-1.10 s, peaks of 238 MB).
    let lead = options.inflowLead ?? max(2 * inflowChunkSize(expected: expected, threshold: options.chunkingThreshold), 32 << 20)
    guard let inflow = InflowingText(reserving: archived.mostSize, expecting: expected, lead: lead, inflate: { sink throws(LoadError) in
        try archived.inflate(options: options, progress: reported, into: &sink)
    }) else {
        return nil
    }
    defer { inflow.stop() }
    // What the first bytes say: another format inside (the caller's whole-text path says which,
    // or refuses it), text that must be transcoded, or CSV.
    let held = try inflow.held(upTo: 64 << 10).get()
    let head = UnsafeBufferPointer(start: UnsafePointer(inflow.text.base), count: held)
    if held > 262 && Array(head[257..<262]) == Array("ustar".utf8) { throw LoadError(.tarArchive, path: path) }
    if head.starts(with: Array("<stata_dta>".utf8)) || head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) || head.starts(with: parquetMagic)
        || ((0x71...0x73).contains(head.first ?? 0) && member.lowercased().hasSuffix(".dta")) {
        return nil
    }
    guard detectFormat(path: member, head) == .csv, case .success(.utf8) = Decoding.decide(options.encoding, head) else { return nil }
    let file = try DataFile(path: "\(path)(\(member))", inflow: inflow, refill: archived.refill(inflow.text, options: options))
    let loaded = try loadCSV(file, options: options) { _, _, parsed in rows.count = parsed }
    options.inflowEnded?(inflow.peakHeld)
    // The last word: all the compressed bytes, and every row.
    if rows.total > 0 { progress?(rows.total, rows.total, loaded.0.rowCount) }
    return loaded
}

/// The rows parsed so far, for the progress reports of the thread that inflates.
final class ParsedRows: @unchecked Sendable {
    private let rows = Atomic<Int>(0)
    private let compressed = Atomic<Int>(0)
    var count: Int {
        get { rows.load(ordering: .relaxed) }
        set { rows.store(newValue, ordering: .relaxed) }
    }
    /// The compressed bytes the reports count to.
    var total: Int {
        get { compressed.load(ordering: .relaxed) }
        set { compressed.store(newValue, ordering: .relaxed) }
    }
}

extension CompressedInput {
    /// The regular file at `path`, open for reading; nil when it is not one or cannot be
    /// opened (the text loader then says why).
    init?(openedAt path: String) throws(LoadError) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0 else {
            CLibrary.close(descriptor)
            return nil
        }
        self.init(descriptor: descriptor, info: opened, path: path)
    }
}

/// The compressed file at `path`, open, or nil when it is not one (or cannot be read: the
/// plain loader then says why).
func openCompressed(path: String) throws(LoadError) -> (Compression, CompressedInput)? {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    var prefix: [UInt8] = [0, 0, 0, 0]
    var opened = stat()
    let n = prefix.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, 4, 0) }
    guard n >= 2, fstat(descriptor, &opened) == 0,
          let compression = prefix.withUnsafeBufferPointer({ Compression(prefix: UnsafeBufferPointer(rebasing: $0.prefix(n))) }) else {
        close(descriptor)
        return nil
    }
    let input = CompressedInput(descriptor: descriptor, info: opened, path: path)
    guard try isCompressed(compression, input, path: path) else {
        close(descriptor)
        return nil
    }
    return (compression, input)
}

/// Whether a file that starts as a zip is one. A file named `.zip` is, whatever its state (a
/// truncated download is reported as such); another that holds no zip directory is left to
/// the plain loader, which says what it is (binary, not text).
func isCompressed(_ compression: Compression, _ input: CompressedInput, path: String) throws(LoadError) -> Bool {
    if compression == .gzip || path.lowercased().hasSuffix(".zip") { return true }
    return try zipEndRecord(input) != nil
}

/// `member` is for a zip; on a plain file it is a mistake worth saying.
func refuseMember(_ options: LoadOptions, path: String) throws(LoadError) {
    if options.member != nil {
        throw LoadError(.memberOfPlainFile, path: path)
    }
}

/// The name of the text inside a .gz: the file's name without `.gz`.
func gzipMemberName(_ path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    for suffix in [".gz", ".gzip"] where file.lowercased().hasSuffix(suffix) && file.count > suffix.count {
        return String(file.dropLast(suffix.count))
    }
    return "decompressed"
}

/// The compressed bytes: a file read with pread(2) a piece at a time, or bytes in memory
/// (fuzzing, embedding). A file that changes while it is read is an error. Sendable: it is
/// only read (pread at an offset, or memory no one writes).
struct CompressedInput: @unchecked Sendable {
    private let descriptor: Int32?
    private let memory: UnsafeBufferPointer<UInt8>?
    private let modified: timespec
    let size: Int
    let path: String

    /// Bytes in memory.
    init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
        descriptor = nil
        memory = bytes
        modified = timespec()
        size = bytes.count
        self.path = path
    }

    /// An open regular file (which the caller closes).
    init(descriptor: Int32, info: stat, path: String) {
        self.descriptor = descriptor
        memory = nil
        modified = CLibrary.modificationTime(info)
        size = Int(info.st_size)
        self.path = path
    }

    /// Reads `count` bytes at `offset` into `target`; fewer only at the end of the file.
    func read(into target: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(LoadError) -> Int {
        let wanted = max(0, min(count, size - offset))
        if let memory {
            if wanted > 0 { target.copyMemory(from: memory.baseAddress! + offset, byteCount: wanted) }
            return wanted
        }
        var done = 0
        while done < wanted {
            let n = pread(descriptor!, target + done, wanted - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw LoadError(.cannotRead(String(cString: strerror(errno))), path: path) }
            if n == 0 { throw changed }
            done += n
        }
        return done
    }

    /// `count` bytes at `offset`, as an array (headers and the zip's directory).
    func bytes(at offset: Int, count: Int) throws(LoadError) -> [UInt8] {
        guard count > 0 else { return [] }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        let n = try read(into: buffer, count: count, at: offset)
        return Array(UnsafeRawBufferPointer(start: buffer, count: n))
    }

    /// Closes the file (bytes in memory have nothing to close).
    func close() {
        if let descriptor { CLibrary.close(descriptor) }
    }

    /// The last check: the file has the size and time it had when opened.
    func checkUnchanged() throws(LoadError) {
        guard let descriptor else { return }
        var now = stat()
        guard fstat(descriptor, &now) == 0, Int(now.st_size) == size, CLibrary.modificationTime(now).tv_sec == modified.tv_sec,
              CLibrary.modificationTime(now).tv_nsec == modified.tv_nsec else { throw changed }
    }

    private var changed: LoadError {
        LoadError(.fileChangedWhileLoading, path: path)
    }

    /// Bytes read at a time: large enough that calls cost nothing, small enough that Ctrl-C
    /// and the progress bar see the work move.
    static let pieceSize = 4 << 20
}
