// The CSV loader: RFC 4180 as real files are (quoted fields with commas, doubled quotes and
// newlines; LF or CRLF; a UTF-8 byte-order mark; comma, semicolon, tab or '|' detected),
// column types inferred from a sample, typed columns built straight from the bytes.
//
// Speed: the file is mapped, split into one chunk per core at line starts, and the chunks
// are parsed at once. A split may fall inside a quoted field that spans lines; each chunk's
// parser reports where it really ended, and a chunk that started at a wrong place is parsed
// again from there. Pages already parsed are released so memory stays near the size of the
// columns, not of the file.

import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Loads a CSV file as a table.
func loadCSV(_ file: MappedFile, options: LoadOptions, progress: LoadProgress?) throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    let bytes = file.bytes
    var start = 0
    // A UTF-8 byte-order mark is not data.
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    let delimiter = options.delimiter ?? CSVDialect.detectDelimiter(bytes, from: start)
    var scanner = RecordScanner(base: bytes.baseAddress!, count: bytes.count, delimiter: delimiter)

    // The header, or made-up names.
    var names: [String]
    var position = start
    if options.header {
        let header = FieldCollector()
        let end: Int
        do {
            end = try scanner.scanRecord(at: position, into: header)
        } catch {
            throw file.error(error, options: options)
        }
        // Spaces around an unquoted name are layout; inside quotes they are the name's own
        // (our CSV output quotes a name such as ` a ` so that it comes back).
        names = header.all.map { $0.quoted ? scanner.text(of: $0) : scanner.text(of: $0).trimmingCharacters(in: " \t") }
        position = end
        if names.count == 1 && names[0].isEmpty { throw file.error(message: "the header line is empty", at: start) }
    } else {
        let first = FieldCollector()
        do { _ = try scanner.scanRecord(at: position, into: first) } catch { throw file.error(error, options: options) }
        names = (1...max(1, first.count)).map { "column_\($0)" }
    }
    names = CSVDialect.uniqueNames(names)
    for name in options.types.keys where !names.contains(name) {
        let suggestion = closestName(to: name, in: names)
        throw LoadError(path: file.path, message: "the file has no column '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
    }

    // Types: given, or inferred from a sample of rows. A later value that breaks an inferred
    // type makes the load start again with that column read as text.
    var forced = options.types
    var inferred = CSVDialect.inferTypes(&scanner, from: position, columns: names.count, names: names, forced: forced)
    while true {
        do throws(ChunkFailure) {
            let (columns, rows, skipped) = try parseChunks(file, &scanner, from: position, names: names, types: inferred,
                                                          forced: forced, options: options, progress: progress)
            let table = Table(schema: Schema(zip(names, columns).map { Field($0, $1.type) }), columns: columns, rowCount: rows)
            let report = LoadReport(rows: rows, columns: names.count, bytes: bytes.count, skippedRows: skipped.count,
                                    skipped: Array(skipped.prefix(5)).map { (file.lineNumber(at: $0.offset), $0.problem) },
                                    seconds: monotonicNow() - started)
            return (table, report)
        } catch {
            switch error {
            case .retryAsText(let column):
                forced[names[column]] = .string
                inferred[column] = .string
            case .failed(let problem):
                throw file.error(problem, options: options)
            case .cancelled:
                throw LoadError(path: file.path, message: "cancelled")
            }
        }
    }
}

enum ChunkFailure: Error {
    /// A value broke an inferred type: read that column as text and start again.
    case retryAsText(column: Int)
    case failed(RecordProblem)
    case cancelled
}

/// Parses every record after the header into typed columns, a chunk per core.
func parseChunks(_ file: MappedFile, _ scanner: inout RecordScanner, from start: Int, names: [String], types: [DataType],
                 forced: [String: DataType], options: LoadOptions, progress: LoadProgress?)
    throws(ChunkFailure) -> ([Column], Int, [(offset: Int, problem: String)]) {
    let total = scanner.count
    let cores = max(1, options.threads ?? System.coreCount)
    let chunkCount = total - start < 4 << 20 ? 1 : min(cores, 8)
    // Chunk boundaries at line starts (possibly inside quotes: checked below).
    var bounds = [start]
    for k in 1..<max(1, chunkCount) {
        var p = start + (total - start) * k / chunkCount
        while p < total && scanner.base[p - 1] != UInt8(ascii: "\n") { p += 1 }
        bounds.append(max(bounds.last!, p))
    }
    bounds.append(total)
    let isForced = names.map { forced[$0] != nil }
    let chunkBounds = bounds
    let results = ChunkResults(count: chunkCount)
    let scannerCopy = scanner
    let done = Atomic<Int>(0)
    let rowsDone = Atomic<Int>(0)
    let estimatedRows = max(1024, (total - start) / 200 / chunkCount)
    DispatchQueue.concurrentPerform(iterations: chunkCount) { k in
        var parser = ChunkParser(scanner: scannerCopy, types: types, isForced: isForced, lenient: options.lenient,
                                 capacity: estimatedRows)
        parser.cancellation = options.cancellation
        let result = parser.parse(from: chunkBounds[k], to: chunkBounds[k + 1], release: file) { delta, rows in
            let now = done.add(delta, ordering: .relaxed).newValue
            let rowsNow = rowsDone.add(rows, ordering: .relaxed).newValue
            progress?(now, total - start, rowsNow)
        }
        results.set(k, parser, result)
    }
    // Stitch: chunk k+1 is right only if chunk k ended exactly where it began.
    var merged: ChunkParser? = nil
    var expectedStart = start
    for k in 0..<chunkCount {
        var (parser, result) = results.get(k)
        if bounds[k] != expectedStart {
            // Chunk k began inside a quoted field: parse it again from where k-1 ended.
            parser = ChunkParser(scanner: scannerCopy, types: types, isForced: isForced, lenient: options.lenient, capacity: estimatedRows)
            result = parser.parse(from: expectedStart, to: bounds[k + 1], release: nil) { _, _ in }
        }
        switch result {
        case .success(let end): expectedStart = end
        case .failure(let failure): throw failure
        }
        if merged == nil { merged = parser } else { merged!.absorb(parser) }
    }
    let final = merged!
    return (final.columns.map { $0.finish() }, final.rows, final.skipped)
}

/// Per-chunk results, written by the parsing threads (one slot each).
final class ChunkResults: @unchecked Sendable {
    private var slots: [(ChunkParser, Result<Int, ChunkFailure>)?]
    private let lock = Mutex(())

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ k: Int, _ parser: ChunkParser, _ result: Result<Int, ChunkFailure>) {
        lock.withLock { _ in slots[k] = (parser, result) }
    }

    func get(_ k: Int) -> (ChunkParser, Result<Int, ChunkFailure>) {
        lock.withLock { _ in slots[k]! }
    }
}

/// Parses the records of one chunk into column accumulators.
struct ChunkParser {
    let scanner: RecordScanner
    var columns: [ColumnAccumulator]
    let isForced: [Bool]
    let lenient: Bool
    var rows = 0
    var skipped: [(offset: Int, problem: String)] = []
    var cancellation: Cancellation?

    init(scanner: RecordScanner, types: [DataType], isForced: [Bool], lenient: Bool, capacity: Int) {
        self.scanner = scanner
        self.columns = types.map { ColumnAccumulator(type: $0, capacity: capacity) }
        self.isForced = isForced
        self.lenient = lenient
    }

    /// Parses records starting at `from` until one starts at or after `to`; returns where the
    /// last record ended.
    mutating func parse(from: Int, to: Int, release file: MappedFile?, report: (Int, Int) -> Void) -> Result<Int, ChunkFailure> {
        var position = from
        let fields = FieldCollector()
        var reported = from
        var rowsReported = 0
        while position < to {
            let recordStart = position
            let end: Int
            do {
                end = try scanner.scanRecord(at: position, into: fields)
            } catch {
                if lenient, case .unterminatedQuote = error {
                    skipped.append((recordStart, "unterminated quoted field"))
                    return .success(scanner.count)
                }
                return .failure(.failed(error))
            }
            position = end
            // Blank lines are not records, except in a file of one column, where a blank line
            // is a null (as PostgreSQL's COPY reads it): that is how a null is written there.
            if fields.count == 1 && fields[0].length == 0 && !fields[0].quoted && columns.count > 1 { continue }
            if fields.count != columns.count {
                let problem = RecordProblem.fieldCount(found: fields.count, expected: columns.count, offset: recordStart)
                if lenient { skipped.append((recordStart, problem.message)); continue }
                return .failure(.failed(problem))
            }
            if let failure = append(fields, recordStart) { return .failure(failure) }
            if position - reported >= 8 << 20 {
                if cancellation?.isCancelled == true { return .failure(.cancelled) }
                report(position - reported, rows - rowsReported)
                file?.release(from: from, upTo: recordStart)
                reported = position
                rowsReported = rows
            }
        }
        report(position - reported, rows - rowsReported)
        return .success(position)
    }

    /// Appends one record's fields; on a bad value, undoes the record.
    @inline(__always)
    mutating func append(_ fields: FieldCollector, _ recordStart: Int) -> ChunkFailure? {
        let base = scanner.base
        let failed: (index: Int, error: FieldProblem)? = columns.withUnsafeMutableBufferPointer { columns in
            for index in 0..<fields.count {
                let field = fields[index]
                do throws(FieldProblem) {
                    if field.length == 0 && (!field.quoted || columns[index].type != .string) {
                        columns[index].appendNull()
                    } else if field.needsUnescape {
                        var bytes = scanner.unescaped(field)
                        try bytes.withUnsafeMutableBufferPointer { buffer throws(FieldProblem) in
                            try columns[index].append(buffer.baseAddress!, buffer.count)
                        }
                    } else {
                        try columns[index].append(base + field.start, field.length)
                    }
                } catch {
                    for undo in 0..<index { columns[undo].dropLast() }
                    return (index, error)
                }
            }
            return nil
        }
        guard let (index, error) = failed else {
            rows += 1
            return nil
        }
        let field = fields[index]
        let problem: RecordProblem
        switch error {
        case .notA(let expected):
            guard isForced[index] else { return .retryAsText(column: index) }
            problem = .badValue(column: index, expected: expected, offset: field.start - (field.quoted ? 1 : 0),
                                text: scanner.text(of: field))
        case .invalidUTF8:
            problem = .invalidUTF8(offset: field.start)
        }
        if lenient {
            skipped.append((recordStart, problem.message))
            return nil
        }
        return .failed(problem)
    }

    mutating func absorb(_ other: ChunkParser) {
        for i in columns.indices { columns[i].absorb(other.columns[i]) }
        rows += other.rows
        skipped += other.skipped
    }
}

extension ColumnAccumulator {
    /// Removes the last value (a record that turned out bad).
    mutating func dropLast() {
        switch type {
        case .int: ints.removeLast()
        case .float: floats.removeLast()
        case .date: days.removeLast(); precisions.removeLast()
        case .bool: bools.removeLast()
        default: strings.codes.removeLast()
        }
        count -= 1
        let valid = validity[count >> 6] & (1 << UInt64(count & 63)) != 0
        if !valid { nullCount -= 1 }
        validity[count >> 6] &= ~(1 << UInt64(count & 63))
        if count & 63 == 0 { validity.removeLast() }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

enum System {
    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
