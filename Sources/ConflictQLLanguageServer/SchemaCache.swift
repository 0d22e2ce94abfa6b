// The tables a script's `load` statements make, as the language server needs them: the
// columns and their types, not the rows. A large CSV file is read only as far as its header
// and a sample (the first `sampleBytes`, cut at a line end), so checking a script over a
// gigabyte export costs milliseconds; what the sample yields is kept by path, and read again
// only when the file's size or modification time changes. Other files (JSON, compressed,
// several files) are loaded whole, once, and kept the same way.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class SchemaCache {
    /// How much of a large CSV file is read for its header and a sample of its rows.
    static let sampleBytes = 1 << 20

    struct Entry {
        var stamp: [FileStamp]
        var table: Table
        var rows: String
    }

    struct FileStamp: Equatable {
        var size: Int
        var modified: Int
    }

    var entries: [String: Entry] = [:]
    /// How many loads were read from files (not the cache): the tests check the cache works.
    private(set) var reads = 0

    /// The table `paths` load into with `options` (relative paths already resolved); throws
    /// the load's error.
    func table(paths: [String], options: LoadOptions, key: String) throws(LoadError) -> (Table, rows: String) {
        let stamp = paths.map(SchemaCache.stamp)
        if let entry = entries[key], entry.stamp == stamp { return (entry.table, entry.rows) }
        reads += 1
        let loaded = try load(paths: paths, options: options, stamp: stamp)
        entries[key] = Entry(stamp: stamp, table: loaded.0, rows: loaded.1)
        return loaded
    }

    func load(paths: [String], options: LoadOptions, stamp: [FileStamp]) throws(LoadError) -> (Table, String) {
        if paths.count == 1, !isFilePattern(paths[0]), let size = stamp.first?.size, size > SchemaCache.sampleBytes,
           isPlainCSV(paths[0], options), let sampled = try? sample(paths[0], options: options) {
            return (sampled, "at least \(sampled.rowCount) rows (a sample of \(SchemaCache.sampleBytes >> 20) MiB of \(size >> 20) MiB)")
        }
        let session = Session()
        let name = "loaded"
        if paths.count == 1 && !isFilePattern(paths[0]) {
            try session.load(path: paths[0], as: name, options: options)
        } else {
            try session.load(paths: paths, as: name, options: options)
        }
        guard let table = session.symbols.table(named: name) else { throw LoadError(.cannotRead("nothing was loaded"), path: paths[0]) }
        return (table, "\(table.rowCount) rows")
    }

    /// A CSV file that is not compressed (by its name and options).
    func isPlainCSV(_ path: String, _ options: LoadOptions) -> Bool {
        if options.format == .json || options.member != nil { return false }
        let lowered = path.lowercased()
        return !["json", "ndjson", "jsonl", "gz", "zip"].contains { lowered.hasSuffix("." + $0) }
    }

    /// The header and the first rows of a CSV file, read as a table.
    func sample(_ path: String, options: LoadOptions) throws(LoadError) -> Table {
        guard let file = fopen(path, "rb") else { throw LoadError(.cannotOpen("fopen failed"), path: path) }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: SchemaCache.sampleBytes)
        let count = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytes.removeLast(bytes.count - count)
        guard let lastLine = bytes.lastIndex(of: UInt8(ascii: "\n")) else {
            throw LoadError(.malformedData("no line end in the sample"), path: path)
        }
        bytes.removeLast(bytes.count - lastLine - 1)
        var (table, report) = try bytes.withUnsafeBufferPointer { buffer throws(LoadError) in
            try loadTable(bytes: buffer, name: path, options: options)
        }
        table = try applyLayout(table, options.layout, report: &report, path: path)
        return table
    }

    /// The size and modification time of a file; a size of -1 when it cannot be read (a
    /// pattern: its files are not watched, the first load is kept).
    static func stamp(_ path: String) -> FileStamp {
        var info = stat()
        guard !isFilePattern(path), stat(path, &info) == 0 else { return FileStamp(size: -1, modified: 0) }
        let modified = CLibrary.modificationTime(info)
        return FileStamp(size: Int(info.st_size), modified: Int(modified.tv_sec) &* 1_000_000_000 &+ Int(modified.tv_nsec))
    }
}
