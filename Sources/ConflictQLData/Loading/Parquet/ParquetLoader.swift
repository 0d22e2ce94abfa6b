// Loading a Parquet file: the footer (Thrift, at the end of the file) gives the schema and the
// row groups; each column's chunks are read from the file one at a time (never the whole
// file), their pages decompressed and decoded, and the column built in our types. Columns are
// independent, so they are decoded on several threads. Only flat files load: a nested column
// (a struct, list or map) is refused by name, as is an encoding or codec we do not read.
//
// The load is eager, as for CSV: every column is read, not only those a later query uses.

import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a Parquet file's bytes come from: a file read with pread, or bytes in memory.
final class ParquetSource: @unchecked Sendable {
    let path: String
    let size: Int
    private let descriptor: Int32?
    private let memory: UnsafeBufferPointer<UInt8>?
    private let modified: timespec?

    init(path: String) throws(LoadError) {
        self.path = path
        memory = nil
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LoadError(errno == ENOENT ? .noSuchFile : .cannotRead(String(cString: strerror(errno))), path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw LoadError(.isADirectory, path: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadError(.cannotOpen(String(cString: strerror(errno))), path: path) }
        var opened = stat()
        guard fstat(fd, &opened) == 0 else {
            close(fd)
            throw LoadError(.cannotRead(String(cString: strerror(errno))), path: path)
        }
        descriptor = fd
        size = Int(opened.st_size)
        modified = CLibrary.modificationTime(opened)
    }

    init(name: String, bytes: UnsafeBufferPointer<UInt8>) {
        path = name
        size = bytes.count
        descriptor = nil
        memory = bytes
        modified = nil
    }

    deinit { if let descriptor { close(descriptor) } }

    /// The bytes of `range`, which must lie in the file.
    func read(_ range: Range<Int>) throws(LoadError) -> [UInt8] {
        guard range.lowerBound >= 0, range.upperBound <= size else {
            throw LoadError(.parquetPointsPastEnd(range.upperBound, size), path: path)
        }
        if let memory { return Array(memory[range]) }
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let n = bytes.withUnsafeMutableBytes {
                pread(descriptor!, $0.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw LoadError(.cannotRead(String(cString: strerror(errno))), path: path) }
            if n == 0 { throw changed }
            done += n
        }
        return bytes
    }

    private var changed: LoadError {
        LoadError(.fileChangedWhileLoading, path: path)
    }

    func checkUnchanged() throws(LoadError) {
        guard let descriptor, let modified else { return }
        var now = stat()
        guard fstat(descriptor, &now) == 0, Int(now.st_size) == size, CLibrary.modificationTime(now).tv_sec == modified.tv_sec,
              CLibrary.modificationTime(now).tv_nsec == modified.tv_nsec else { throw changed }
    }
}

/// Whether the file at `path` begins with Parquet's magic `PAR1`.
func hasParquetMagic(path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var head: [UInt8] = [0, 0, 0, 0]
    let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 4, 0) }
    return n == 4 && head == parquetMagic
}

let parquetMagic: [UInt8] = Array("PAR1".utf8)

/// Loads a Parquet file (`source`) as a table.
func loadParquet(_ source: ParquetSource, options: LoadOptions, progress: LoadProgress?) throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    try refuseTextOptions(options, path: source.path)
    let path = source.path
    guard source.size >= 12 else {
        throw LoadError(source.size == 0 ? .emptyFile : .parquetTooShort(source.size), path: path)
    }
    guard try source.read(0..<4) == parquetMagic else {
        throw LoadError(.parquetWithoutLeadingMark, path: path)
    }
    let tail = try source.read((source.size - 8)..<source.size)
    if Array(tail[4...]) == Array("PARE".utf8) {
        throw LoadError(.encryptedParquet, path: path)
    }
    guard Array(tail[4...]) == parquetMagic else {
        throw LoadError(.parquetWithoutClosingMark, path: path)
    }
    let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
    guard footerLength > 0, footerLength <= source.size - 12 else {
        throw LoadError(.parquetFooterLength(footerLength), path: path)
    }
    let footerStart = source.size - 8 - footerLength
    let footer = try source.read(footerStart..<(source.size - 8))
    let file: ParquetFile
    do {
        var reader = ThriftReader(footer[...])
        file = try ParquetFile(try reader.structure(), fileSize: source.size)
    } catch let problem as ThriftProblem {
        throw LoadError(.parquetFooterUnreadable("\(problem.message), at byte \(footerStart + problem.offset)"), path: path)
    } catch let nested as ParquetNestedColumn {
        throw LoadError(.parquetNestedColumn(nested.name, nested.what), path: path)
    } catch {
        throw LoadError(.parquetFooterUnreadable("\(error)"), path: path)
    }
    let columnCount = file.columns.count
    guard columnCount <= LoadLimits.maximumColumns else { throw LoadError(.tooManyColumnsInFile, path: path) }

    // Each column on its own, on as many threads as allowed.
    var results = [Result<(Column, String?), LoadError>?](repeating: nil, count: columnCount)
    let threads = max(1, min(options.threads ?? System.coreCount, columnCount))
    let done = Atomic<Int>(0)
    let totalBytes = file.rowGroups.reduce(0) { $0 + $1.reduce(0) { $0 + $1.length } }
    results.withUnsafeMutableBufferPointer { results in
        let target = ParquetResults(value: results)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let c = next.add(1, ordering: .relaxed).oldValue
                if c >= columnCount { return }
                let result = Result { () throws(LoadError) -> (Column, String?) in
                    try loadParquetColumn(c, of: file, from: source, cancellation: options.cancellation) { bytes in
                        let sum = done.add(bytes, ordering: .relaxed).newValue
                        progress?(sum, totalBytes, file.rowCount)
                    }
                }
                target.value[c] = result
            }
        }
    }
    var columns: [Column] = []
    var remarks: [String] = []
    for result in results {
        switch result! {
        case .success(let (column, remark)):
            columns.append(column)
            if let remark { remarks.append(remark) }
        case .failure(let error): throw error
        }
    }
    try source.checkUnchanged()
    let names = uniqueColumnNames(file.columns.map(\.name))
    let table = Table(schema: Schema(zip(names, columns).map { Field($0.0, $0.1.type) }), columns: columns, rowCount: file.rowCount)
    var report = LoadReport(rows: file.rowCount, columns: columnCount, bytes: source.size, skippedRows: 0, skipped: [],
                            seconds: monotonicNow() - started)
    report.remarks = remarks
    return (table, report)
}

/// Names as loaded: an empty name is `column_N`, a repeated one gets `_2`, `_3`.
func uniqueColumnNames(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.enumerated().map { index, name in
        var candidate = name.isEmpty ? "column_\(index + 1)" : name
        var k = 2
        while seen.contains(candidate) { candidate = "\(name)_\(k)"; k += 1 }
        seen.insert(candidate)
        return candidate
    }
}

/// Options that describe text (a delimiter, an encoding) mean nothing for a Parquet file.
func refuseTextOptions(_ options: LoadOptions, path: String) throws(LoadError) {
    var given: [String] = []
    if options.delimiter != nil { given.append("delimiter") }
    if options.encoding != nil { given.append("encoding") }
    if options.records != nil { given.append("records") }
    if options.member != nil { given.append("member") }
    if !options.header { given.append("header") }
    if !options.types.isEmpty { given.append("column types") }
    guard let first = given.first else { return }
    throw LoadError(.parquetTextOption(first), path: path)
}

/// Reads column `c` from every row group.
func loadParquetColumn(_ c: Int, of file: ParquetFile, from source: ParquetSource, cancellation: Cancellation?,
                       progress: (Int) -> Void) throws(LoadError) -> (Column, String?) {
    let leaf = file.columns[c]
    let target: ParquetTarget
    do {
        target = try ParquetTarget(leaf.element)
    } catch {
        throw LoadError(.parquetColumnType(leaf.name, error.message), path: source.path)
    }
    var builder = ParquetColumnBuilder(name: leaf.name, target: target, capacity: file.rowCount)
    for (g, chunks) in file.chunks.enumerated() {
        let chunk = chunks[c]
        let where_ = "column '\(leaf.name)', row group \(g + 1)"
        guard chunk.physicalType == leaf.element.physicalType else {
            throw LoadError(.parquetChunkType(where_), path: source.path)
        }
        let bytes = try source.read(chunk.start..<(chunk.start + chunk.length))
        let before = builder.count
        do {
            try readChunk(bytes, chunk: chunk, leaf: leaf, into: &builder, cancellation: cancellation)
        } catch let problem as ParquetDataProblem {
            throw LoadError(problem.kind.located("cannot load \(where_) (bytes \(chunk.start)-\(chunk.start + chunk.length)): "),
                            path: source.path)
        } catch let problem as ThriftProblem {
            throw LoadError(.parquetPageHeader(where_, "\(problem.message), at byte \(chunk.start + problem.offset)"), path: source.path)
        } catch let error as LoadError {
            var located = error
            located.path = source.path
            throw located
        } catch {
            throw LoadError(.parquetChunkUnreadable(where_, "\(error)"), path: source.path)
        }
        guard builder.count - before == file.rowGroupRows[g] else {
            throw LoadError(.parquetValueCount(where_, builder.count - before, file.rowGroupRows[g]), path: source.path)
        }
        progress(chunk.length)
    }
    return builder.finish()
}

/// Decodes one column chunk's pages into the builder.
func readChunk(_ bytes: [UInt8], chunk: ParquetColumnChunk, leaf: ParquetFile.LeafColumn, into builder: inout ParquetColumnBuilder,
               cancellation: Cancellation?) throws {
    let element = leaf.element
    var position = 0
    var valuesRead = 0
    var dictionary: ConvertedValues? = nil
    while valuesRead < chunk.valueCount {
        if cancellation?.isCancelled == true { throw LoadError(.cancelled, path: "") }
        guard position < bytes.count else {
            throw ParquetDataProblem("the chunk ends after \(valuesRead) of its \(chunk.valueCount) values")
        }
        var reader = ThriftReader(bytes[position...])
        let header = try ParquetPageHeader(try reader.structure())
        position = reader.position
        guard header.compressedSize <= bytes.count - position else {
            throw ParquetDataProblem("a page runs past the end of its chunk")
        }
        let page = bytes[position..<(position + header.compressedSize)]
        position += header.compressedSize
        switch header.kind {
        case .other:
            continue
        case .dictionary(let count, let encoding):
            guard encoding == .plain || encoding == .plainDictionary else {
                throw ParquetDataProblem(.parquetDictionaryEncoding(encoding.name))
            }
            let data = try decompress(page, codec: chunk.codec, size: header.uncompressedSize).get()
            var cursor = PageCursor(data)
            let values = try cursor.values(count, type: chunk.physicalType, typeLength: element.typeLength ?? 0, encoding: .plain)
            dictionary = try builder.convert(values)
        case .dataV1(let count, let encoding, let definitionEncoding):
            let data = try decompress(page, codec: chunk.codec, size: header.uncompressedSize).get()
            var cursor = PageCursor(data)
            var defined: [Bool]? = nil
            if leaf.isOptional {
                guard definitionEncoding == .rle else {
                    throw ParquetDataProblem(.parquetLevelEncoding(definitionEncoding.name))
                }
                let length = Int(try cursor.uint32())
                let levels = try cursor.take(length)
                var levelCursor = PageCursor(data, from: levels.lowerBound, to: levels.upperBound)
                defined = try levelCursor.definedRows(count)
            }
            try appendValues(&cursor, count: count, defined: defined, encoding: encoding, dictionary: dictionary, chunk: chunk,
                             element: element, into: &builder)
            valuesRead += count
        case .dataV2(let count, _, let encoding, let definitionLength, let repetitionLength, let isCompressed):
            guard repetitionLength == 0 else {
                throw ParquetDataProblem("it has repetition levels (a list), which ConflictQL does not load")
            }
            guard definitionLength <= page.count, header.uncompressedSize >= definitionLength else {
                throw ParquetDataProblem("a page's definition levels run past its end")
            }
            var defined: [Bool]? = nil
            if leaf.isOptional {
                var levelCursor = PageCursor(Array(page.prefix(definitionLength)))
                defined = try levelCursor.definedRows(count)
            }
            let rest = page.dropFirst(definitionLength)
            let data = isCompressed
                ? try decompress(rest, codec: chunk.codec, size: header.uncompressedSize - definitionLength).get()
                : Array(rest)
            var cursor = PageCursor(data)
            try appendValues(&cursor, count: count, defined: defined, encoding: encoding, dictionary: dictionary, chunk: chunk,
                             element: element, into: &builder)
            valuesRead += count
        }
    }
}

private func appendValues(_ cursor: inout PageCursor, count: Int, defined: [Bool]?, encoding: ParquetEncoding,
                          dictionary: ConvertedValues?, chunk: ParquetColumnChunk, element: ParquetSchemaElement,
                          into builder: inout ParquetColumnBuilder) throws(ParquetDataProblem) {
    let present = defined.map { $0.reduce(0) { $0 + ($1 ? 1 : 0) } } ?? count
    let values: ConvertedValues
    if encoding == .rleDictionary || encoding == .plainDictionary {
        guard let dictionary else { throw ParquetDataProblem("a page refers to a dictionary the chunk does not have") }
        let width = Int(present == 0 && cursor.remaining == 0 ? 0 : try cursor.byte())
        values = try builder.gather(dictionary, try cursor.hybrid(present, width: width))
    } else {
        let plain = try cursor.values(present, type: chunk.physicalType, typeLength: element.typeLength ?? 0, encoding: encoding)
        values = try builder.convert(plain)
    }
    try builder.append(values, defined: defined, rows: count)
}

/// The column results, written by several threads at disjoint indices.
private struct ParquetResults: @unchecked Sendable {
    let value: UnsafeMutableBufferPointer<Result<(Column, String?), LoadError>?>
}
