// The CSV loader: RFC 4180 as real files are (quoted fields with commas, doubled quotes and
// newlines; LF or CRLF; a UTF-8 byte-order mark; comma, semicolon, tab or '|' detected),
// column types inferred from a sample, typed columns built straight from the bytes.
//
// Speed: the file is read into memory, split into one chunk per core at line starts, and the
// chunks are parsed at once. A split may fall inside a quoted field that spans lines; each
// chunk's parser reports where it really ended, and a chunk that started at a wrong place is
// parsed again from there. Memory of bytes already parsed is given back (DataFile), so it
// stays near the size of the columns, not of the file; a pass that reads them again (a
// column abandoned to text, a line number) reads them back first.

import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads a CSV file as a table.
func loadCSV(_ file: DataFile, options: LoadOptions, progress: LoadProgress?) throws(LoadError) -> (Table, LoadReport) {
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
            if case .tooManyFields = error { throw LoadError(.tooManyColumnsInFile, path: file.path) }
            throw file.error(error, options: options)
        }
        // A name is text like any field (never decoded with replacement characters).
        for field in header.all where !isValidUTF8(scanner.base + field.start, field.length) {
            throw file.notUTF8Error("a header name", at: field.start)
        }
        // Spaces around an unquoted name are layout; inside quotes they are the name's own
        // (our CSV output quotes a name such as ` a ` so that it comes back).
        names = header.all.map { $0.quoted ? scanner.text(of: $0) : scanner.text(of: $0).trimmingCharacters(in: " \t") }
        position = end
        if names.count == 1 && names[0].isEmpty { throw file.error(.emptyHeader, at: start) }
    } else {
        let first = FieldCollector()
        do { _ = try scanner.scanRecord(at: position, into: first) } catch {
            if case .tooManyFields = error { throw LoadError(.tooManyColumnsInFile, path: file.path) }
            throw file.error(error, options: options)
        }
        names = (1...max(1, first.count)).map { "column_\($0)" }
    }
    guard names.count <= LoadLimits.maximumColumns else {
        throw LoadError(.tooManyColumnsInFile, path: file.path)
    }
    names = CSVDialect.uniqueNames(names)
    // An HXL row right under the header is metadata, not data (HXL.swift); one further down
    // is data, with a note.
    var hashtags: [String?]? = nil
    var hashtagLine: Int? = nil
    var partialHashtags: (line: Int, field: String)? = nil
    var misplacedHashtags: Int? = nil
    if options.header {
        switch HXL.rowUnderHeader(scanner, at: position, columns: names.count) {
        case .tags(let tags, let end):
            hashtags = tags
            hashtagLine = file.lineNumber(at: position)
            position = end
            misplacedHashtags = HXL.misplacedRow(scanner, from: position, columns: names.count)
        case .partial(let field):
            partialHashtags = (file.lineNumber(at: position), field)
            misplacedHashtags = HXL.misplacedRow(scanner, from: position, columns: names.count)
        case .hashtagValues: break  // a column of hashtags: data, and nothing to note
        case .none: misplacedHashtags = HXL.misplacedRow(scanner, from: position, columns: names.count)
        }
    }
    for name in options.types.keys where !names.contains(name) {
        let suggestion = closestName(to: name, in: names)
        throw LoadError(.noSuchColumn("column", name, suggestion: suggestion), path: file.path)
    }

    // Types: given, or inferred from a sample of rows. A later value that breaks an inferred
    // type widens it without loss (Int to Float) or abandons the column; the abandoned
    // columns are then read again as text, all in one more pass, however many they are.
    let sample = CSVDialect.inferTypes(&scanner, from: position, columns: names.count, names: names, forced: options.types)
    let isInferred = names.map { options.types[$0] == nil }
    var types = sample.types
    var changedAt = [Int?](repeating: nil, count: names.count)
    while true {
        if options.cancellation?.isCancelled == true { throw LoadError(.cancelled, path: file.path) }
        let accumulators: [ColumnAccumulator], rows: Int, skipped: [(offset: Int, problem: String)]
        do throws(ChunkFailure) {
            (accumulators, rows, skipped) = try parseChunks(file, &scanner, from: position, types: types, isInferred: isInferred,
                                                            recordBytes: sample.averageRecordBytes, options: options, progress: progress)
        } catch {
            switch error {
            case .failed(let problem): throw file.error(problem, options: options)
            case .cancelled: throw LoadError(.cancelled, path: file.path)
            case .changed(let failure): throw failure
            }
        }
        var abandoned = false
        for (c, accumulator) in accumulators.enumerated() {
            changedAt[c] = changedAt[c] ?? accumulator.changedAt
            if accumulator.isAbandoned { abandoned = true; types[c] = .string } else { types[c] = accumulator.type }
        }
        if abandoned {
            // One more pass over every byte: read back what was given back.
            try file.restore()
            continue
        }
        let columns = accumulators.map { $0.finish() }
        let fields = names.indices.map { Field(names[$0], columns[$0].type, hashtag: hashtags?[$0]) }
        let table = Table(schema: Schema(fields), columns: columns, rowCount: rows)
        let changed = names.indices.filter { types[$0] != sample.types[$0] }
        // Line numbers count every newline before them: read back what was given back.
        if !changed.isEmpty || !skipped.isEmpty || misplacedHashtags != nil { try file.restore() }
        let lines = file.lineNumbers(at: changed.map { changedAt[$0] ?? 0 })
        var report = LoadReport(rows: rows, columns: names.count, bytes: bytes.count, skippedRows: skipped.count,
                                skipped: Array(skipped.prefix(5)).map { (file.lineNumber(at: $0.offset), $0.problem) },
                                seconds: monotonicNow() - started,
                                typeChanges: zip(changed, lines).map {
                                    TypeChange(column: names[$0], sampled: sample.types[$0], loaded: types[$0], line: $1)
                                },
                                hashtagLine: hashtagLine,
                                misplacedHashtagLine: misplacedHashtags.map { file.lineNumber(at: $0) },
                                partialHashtags: partialHashtags)
        report.csvDelimiter = delimiter
        return (table, report)
    }
}

enum ChunkFailure: Error {
    case failed(RecordProblem)
    case cancelled
    /// The file changed on disk while parsed bytes were being read back.
    case changed(LoadError)
}

/// Parses every record after the header into column accumulators, a chunk per core.
func parseChunks(_ file: DataFile, _ scanner: inout RecordScanner, from start: Int, types: [DataType], isInferred: [Bool],
                 recordBytes: Int?, options: LoadOptions, progress: LoadProgress?)
    throws(ChunkFailure) -> ([ColumnAccumulator], Int, [(offset: Int, problem: String)]) {
    let total = scanner.count
    let cores = max(1, options.threads ?? System.coreCount)
    let chunkCount = total - start < options.chunkingThreshold ? 1 : min(cores, 8)
    // Chunk boundaries at line starts (possibly inside quotes: checked below).
    var bounds = [start]
    for k in 1..<max(1, chunkCount) {
        var p = start + (total - start) * k / chunkCount
        while p > start && p < total && scanner.base[p - 1] != UInt8(ascii: "\n") { p += 1 }
        bounds.append(max(bounds.last!, p))
    }
    bounds.append(total)
    let chunkBounds = bounds
    let results = ChunkResults(count: chunkCount)
    let scannerCopy = scanner
    let done = Atomic<Int>(0)
    let rowsDone = Atomic<Int>(0)
    // Room for the rows a chunk likely holds (from the sample's record length, with an eighth
    // to spare), so a file of many columns and few rows does not reserve thousands of rows
    // per column.
    let estimatedRows = (total - start) / max(1, recordBytes ?? 200) / chunkCount * 9 / 8 + 16
    DispatchQueue.concurrentPerform(iterations: chunkCount) { k in
        var parser = ChunkParser(scanner: scannerCopy, types: types, isInferred: isInferred, lenient: options.lenient,
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
        // Chunk k began inside a quoted field, or read past its end into the next chunk
        // (whose parsed bytes were given back), or failed (perhaps on such bytes): parse it
        // again, alone, from where k-1 ended, with every byte read back.
        var redo = bounds[k] != expectedStart
        switch result {
        case .success(let end): redo = redo || end > bounds[k + 1]
        case .failure(.cancelled): break
        case .failure: redo = redo || chunkCount > 1
        }
        if redo {
            do { try file.restore() } catch { throw .changed(error) }
            parser = ChunkParser(scanner: scannerCopy, types: types, isInferred: isInferred, lenient: options.lenient,
                                 capacity: estimatedRows)
            parser.cancellation = options.cancellation
            result = parser.parse(from: expectedStart, to: bounds[k + 1], release: nil) { _, _ in }
        }
        switch result {
        case .success(let end): expectedStart = end
        case .failure(let failure): throw failure
        }
        if merged == nil {
            merged = parser
        } else {
            do { try merged!.absorb(parser) } catch { throw .failed(.notEnoughMemory(bytes: error.bytes, offset: expectedStart)) }
        }
    }
    let final = merged!
    return (final.columns, final.rows, final.skipped)
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
    let lenient: Bool
    var rows = 0
    var skipped: [(offset: Int, problem: String)] = []
    var cancellation: Cancellation?

    init(scanner: RecordScanner, types: [DataType], isInferred: [Bool], lenient: Bool, capacity: Int) {
        self.scanner = scanner
        self.columns = zip(types, isInferred).map { ColumnAccumulator(type: $0, isInferred: $1, capacity: capacity) }
        self.lenient = lenient
    }

    /// Parses records starting at `from` until one starts at or after `to`; returns where the
    /// last record ended.
    mutating func parse(from: Int, to: Int, release file: DataFile?, report: (Int, Int) -> Void) -> Result<Int, ChunkFailure> {
        var position = from
        let fields = FieldCollector()
        var reported = from
        var rowsReported = 0
        var records = 0
        while position < to {
            // Ctrl-C is honoured within a few thousand records, however wide they are.
            records &+= 1
            if records & 1023 == 0 && cancellation?.isCancelled == true { return .failure(.cancelled) }
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
                        guard var bytes = scanner.unescaped(field) else { throw .notEnoughMemory(bytes: field.length) }
                        try bytes.withUnsafeMutableBufferPointer { buffer throws(FieldProblem) in
                            try columns[index].append(buffer.baseAddress!, buffer.count, at: field.start)
                        }
                    } else {
                        try columns[index].append(base + field.start, field.length, at: field.start)
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
            // Only a given type refuses a value; an inferred one changes instead.
            problem = .badValue(column: index, expected: expected, offset: field.start - (field.quoted ? 1 : 0),
                                text: scanner.text(of: field))
        case .invalidUTF8:
            problem = .invalidUTF8(offset: field.start)
        case .notEnoughMemory(let bytes):
            // Not a bad record: a lenient load cannot skip it and go on.
            return .failed(.notEnoughMemory(bytes: bytes, offset: field.start))
        }
        if lenient {
            skipped.append((recordStart, problem.message))
            return nil
        }
        return .failed(problem)
    }

    mutating func absorb(_ other: ChunkParser) throws(FieldProblem) {
        for i in columns.indices { try columns[i].absorb(other.columns[i]) }
        rows += other.rows
        skipped += other.skipped
    }
}

extension ColumnAccumulator {
    /// Removes the last value (a record that turned out bad).
    mutating func dropLast() {
        guard !isAbandoned else { return }
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
    /// The text without the scalars of `set` at either end. By scalars, not Characters:
    /// "\r\n" is one Character, equal to neither "\r" nor "\n", so a set of Characters kept
    /// the "\n" of "a\n" and the " \n" of "x \n". SQL engines trim by code points too.
    package func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        var view = Substring(self).unicodeScalars
        while let first = view.first, scalars.contains(first) { view.removeFirst() }
        while let last = view.last, scalars.contains(last) { view.removeLast() }
        return String(String.UnicodeScalarView(view))
    }
}
