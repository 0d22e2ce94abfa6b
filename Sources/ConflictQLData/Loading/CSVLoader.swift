// The CSV loader: RFC 4180 as real files are (quoted fields with commas, doubled quotes and
// newlines; LF or CRLF; a UTF-8 byte-order mark; comma, semicolon, tab or '|' detected),
// column types inferred from a sample, typed columns built straight from the bytes.
//
// Streaming: the header, the delimiter and the type sample are read from a prefix of the
// text (made longer and read again when a scan reaches its end); then the rest is split into
// two chunks per core at line starts, each core taking the next chunk when it is done (so a
// core slowed down does not leave the other idle at the end), and each chunk is parsed
// through a window that is moved on (TextWindow), so a plain file is never held whole:
// memory is the columns' and a window per core. A split may fall inside a quoted field that spans lines;
// each chunk's parser reports where it really ended, and a chunk that started at a wrong
// place is parsed again from there. A column abandoned to text is parsed again the same way.

import CCSVScan
import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the text's prefix says: how to read the records, and where they start.
struct CSVPrelude {
    var delimiter: UInt8
    var names: [String]
    /// Where the first data record starts.
    var dataStart: Int
    var hashtags: [String?]? = nil
    var hashtagOffset: Int? = nil
    var partialHashtags: (offset: Int, field: String)? = nil
    var misplacedHashtags: Int? = nil
    var sample: CSVSample
}

/// Loads a CSV file as a table.
func loadCSV(_ file: DataFile, options: LoadOptions, progress: LoadProgress?) throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    // The prefix read: longer each time a scan of it reaches its end before the text's.
    var prefixLength = max(1, options.prefixBytes)
    var prelude: CSVPrelude
    while true {
        try file.loadPrefix(upTo: prefixLength)
        let limit = file.resident < file.knownLength ?? .max ? PrefixLimit() : nil
        do {
            prelude = try readPrelude(file, options: options, limit: limit)
        } catch {
            if limit?.isReached == true { prefixLength = prefixLength.multipliedReportingOverflow(by: 4).partialValue; continue }
            throw error
        }
        if limit?.isReached == true { prefixLength = prefixLength.multipliedReportingOverflow(by: 4).partialValue; continue }
        break
    }
    file.releasePrefix()
    var phases = [(name: "prelude", seconds: monotonicNow() - started)]
    let names = prelude.names
    let sample = prelude.sample

    // A later value that breaks an inferred type widens it without loss (Int to Float) or
    // abandons the column; the abandoned columns are then read again as text, all in one more
    // pass, however many they are.
    let isInferred = names.map { options.types[$0] == nil }
    var types = sample.types
    var changedAt = [Int?](repeating: nil, count: names.count)
    while true {
        if options.cancellation?.isCancelled == true { throw LoadError(.cancelled, path: file.path) }
        let accumulators: [ColumnAccumulator], rows: Int, skipped: [(offset: Int, problem: String)]
        let parseStarted = monotonicNow()
        var parsed = parseStarted
        do throws(ChunkFailure) {
            (accumulators, rows, skipped) = try parseChunks(file, delimiter: prelude.delimiter, from: prelude.dataStart, types: types,
                                                            isInferred: isInferred, sample: sample, options: options, progress: progress,
                                                            parsed: &parsed)
        } catch {
            switch error {
            case .failed(let problem): throw file.error(problem, options: options)
            case .cancelled: throw LoadError(.cancelled, path: file.path)
            case .changed(let failure), .refused(let failure): throw failure
            }
        }
        let again = phases.count > 1 ? " again" : ""
        phases += [("parse" + again, parsed - parseStarted), ("stitch" + again, monotonicNow() - parsed)]
        var abandoned = false
        for (c, accumulator) in accumulators.enumerated() {
            changedAt[c] = changedAt[c] ?? accumulator.changedAt
            if accumulator.isAbandoned { abandoned = true; types[c] = .string } else { types[c] = accumulator.type }
        }
        if abandoned {
            // One more pass over every byte: read back what was given back (a streamed file
            // is read again through the windows).
            if !file.isStreamed { try file.restore() }
            continue
        }
        let columns = accumulators.map { $0.finish() }
        let fields = names.indices.map { Field(names[$0], columns[$0].type, hashtag: prelude.hashtags?[$0]) }
        let table = Table(schema: Schema(fields), columns: columns, rowCount: rows)
        let changed = names.indices.filter { types[$0] != sample.types[$0] }
        // Line numbers count every newline before them: read back what was given back (a
        // streamed file is counted as it is read again, not held).
        if !file.isStreamed && (!changed.isEmpty || !skipped.isEmpty || prelude.misplacedHashtags != nil) { try file.restore() }
        let offsets = changed.map { changedAt[$0] ?? 0 } + skipped.prefix(5).map(\.offset)
            + [prelude.hashtagOffset, prelude.partialHashtags?.offset, prelude.misplacedHashtags].compactMap { $0 }
        var lines = file.lineNumbers(at: offsets)[...]
        let changeLines = lines.prefix(changed.count)
        lines = lines.dropFirst(changed.count)
        let skippedLines = lines.prefix(min(5, skipped.count))
        lines = lines.dropFirst(skippedLines.count)
        func nextLine(_ offset: Int?) -> Int? {
            guard offset != nil else { return nil }
            defer { lines = lines.dropFirst() }
            return lines.first
        }
        let hashtagLine = nextLine(prelude.hashtagOffset)
        let partialLine = nextLine(prelude.partialHashtags?.offset)
        let misplacedLine = nextLine(prelude.misplacedHashtags)
        var report = LoadReport(rows: rows, columns: names.count, bytes: file.bytes.count, skippedRows: skipped.count,
                                skipped: zip(skippedLines, skipped.prefix(5)).map { ($0, $1.problem) },
                                seconds: monotonicNow() - started,
                                typeChanges: zip(changed, changeLines).map {
                                    TypeChange(column: names[$0], sampled: sample.types[$0], loaded: types[$0], line: $1)
                                },
                                hashtagLine: hashtagLine,
                                misplacedHashtagLine: misplacedLine,
                                partialHashtags: partialLine.map { ($0, prelude.partialHashtags!.field) })
        report.csvDelimiter = prelude.delimiter
        report.phases = phases
        return (table, report)
    }
}

/// Reads the header (or makes up names), the HXL row under it, and a sample of records for
/// the column types, from the prefix of the text read so far. A scan that reaches the
/// prefix's end tells `limit`: the caller then reads more and calls again.
func readPrelude(_ file: DataFile, options: LoadOptions, limit: PrefixLimit?) throws(LoadError) -> CSVPrelude {
    let bytes = file.prefix
    var start = 0
    // A UTF-8 byte-order mark is not data.
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    let delimiter = options.delimiter ?? CSVDialect.detectDelimiter(bytes, from: start, limit: limit)
    var scanner = RecordScanner(base: bytes.baseAddress!, count: bytes.count, delimiter: delimiter, limit: limit)

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
            if limit?.isReached == true { throw LoadError(.prefixEndsInside("the header"), path: file.path) }
            throw file.error(error, options: options)
        }
        if limit?.isReached == true { throw LoadError(.prefixEndsInside("the header"), path: file.path) }
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
            if limit?.isReached == true { throw LoadError(.prefixEndsInside("the first record"), path: file.path) }
            throw file.error(error, options: options)
        }
        names = (1...max(1, first.count)).map { "column_\($0)" }
    }
    guard names.count <= LoadLimits.maximumColumns else {
        throw LoadError(.tooManyColumnsInFile, path: file.path)
    }
    names = CSVDialect.uniqueNames(names)
    var prelude = CSVPrelude(delimiter: delimiter, names: names, dataStart: position,
                             sample: CSVSample(types: [], averageRecordBytes: nil, averageFieldBytes: []))
    // An HXL row right under the header is metadata, not data (HXL.swift); one further down
    // is data, with a note.
    if options.header {
        switch HXL.rowUnderHeader(scanner, at: position, columns: names.count) {
        case .tags(let tags, let end):
            prelude.hashtags = tags
            prelude.hashtagOffset = position
            position = end
            prelude.misplacedHashtags = HXL.misplacedRow(scanner, from: position, columns: names.count)
        case .partial(let field):
            prelude.partialHashtags = (position, field)
            prelude.misplacedHashtags = HXL.misplacedRow(scanner, from: position, columns: names.count)
        case .hashtagValues: break  // a column of hashtags: data, and nothing to note
        case .none: prelude.misplacedHashtags = HXL.misplacedRow(scanner, from: position, columns: names.count)
        }
    }
    prelude.dataStart = position
    for name in options.types.keys where !names.contains(name) {
        let suggestion = closestName(to: name, in: names)
        throw LoadError(.noSuchColumn("column", name, suggestion: suggestion), path: file.path)
    }
    // Types: given, or inferred from a sample of rows.
    prelude.sample = CSVDialect.inferTypes(&scanner, from: position, columns: names.count, names: names, forced: options.types)
    return prelude
}

enum ChunkFailure: Error {
    case failed(RecordProblem)
    case cancelled
    /// The file changed on disk (or could not be read) while the parse read it.
    case changed(LoadError)
    /// The table would not fit in the memory the load may take.
    case refused(LoadError)
}

/// Parses every record after the header into column accumulators, a chunk per core, each
/// read through a window of its own.
func parseChunks(_ file: DataFile, delimiter: UInt8, from start: Int, types: [DataType], isInferred: [Bool],
                 sample: CSVSample, options: LoadOptions, progress: LoadProgress?, parsed: inout Double)
    throws(ChunkFailure) -> ([ColumnAccumulator], Int, [(offset: Int, problem: String)]) {
    let plan = ChunkPlan(file, start: start, columns: types.count, delimiter: delimiter, options: options)
    let total = plan.estimatedLength
    let chunkCount = plan.estimatedCount
    let results = ChunkResults()
    let done = Atomic<Int>(0)
    let rowsDone = Atomic<Int>(0)
    let next = Atomic<Int>(0)
    // Room for the rows a chunk likely holds (from the sample's record length, with an eighth
    // to spare), so a file of many columns and few rows does not reserve thousands of rows
    // per column.
    let estimatedRows = (total - start) / max(1, sample.averageRecordBytes ?? 200) / chunkCount * 9 / 8 + 16
    let fieldBytes = sample.averageFieldBytes.isEmpty ? [Int](repeating: 0, count: types.count) : sample.averageFieldBytes
    let memory = options.memoryBudget ?? memoryBudget()
    let budget = memory.map {
        LoadBudget(budget: $0, textBytes: total - start, buffers: min(plan.threads * options.windowBytes, total - start))
    }
    // The first chunk's columns have room for every chunk's rows: the others are appended to
    // them, in place, instead of each column being copied to a larger array as they join.
    // Room is address space until it is written, but a reservation larger than the memory
    // there is can fail outright, which stops the process: no more rows than the budget holds
    // at 8 bytes a value (a file too large is refused by the budget after its first MiBs).
    let roomForRows = memory.map { $0.bytes / (8 * max(1, types.count)) } ?? .max
    @Sendable func makeParser(_ k: Int) -> ChunkParser {
        var parser = ChunkParser(types: types, isInferred: isInferred, lenient: options.lenient,
                                 capacity: min(k == 0 ? estimatedRows * chunkCount : estimatedRows, roomForRows),
                                 chunkRows: min(estimatedRows, roomForRows), fieldBytes: fieldBytes)
        parser.cancellation = options.cancellation
        parser.budget = budget
        return parser
    }
    @Sendable func makeWindow() -> TextWindow? {
        TextWindow(file: file, delimiter: delimiter, capacity: options.windowBytes, cancellation: options.cancellation)
    }
    @Sendable func report(_ delta: Int, _ rows: Int) {
        let now = done.add(delta, ordering: .relaxed).newValue
        let rowsNow = rowsDone.add(rows, ordering: .relaxed).newValue
        progress?(min(now, total - start), total - start, rowsNow)
    }
    // Each thread takes the next chunk until the text ends: two chunks a core, taken as cores
    // free up; as many chunks as threads when fewer threads than the machine's cores are asked
    // for (Dispatch runs a chunk on each core it has); for text being inflated, chunks of a
    // fixed size, each parsed as its text comes.
    let stopping = Atomic<Bool>(false)
    DispatchQueue.concurrentPerform(iterations: plan.threads) { _ in
        file.readerBegins()
        defer { file.readerEnds() }
        while !stopping.load(ordering: .relaxed) {
            let k = next.add(1, ordering: .relaxed).oldValue
            let from: Int
            switch plan.bound(k) {
            case .failure(let failure):
                results.set(k, makeParser(k), .failure(failure))
                return
            case .success(let bound):
                guard let bound else { return }  // the text ended before chunk k
                from = bound
            }
            var parser = makeParser(k)
            guard let window = makeWindow() else {
                results.set(k, parser, .failure(.failed(.notEnoughMemory(bytes: options.windowBytes, offset: from))))
                return
            }
            // Up to the chunk's nominal end, which needs no look at the text past it; then on to
            // its bound, the next chunk's start, found once the text there is held.
            var result = parser.parse(from: from, to: plan.nominalStart(k + 1), window: window, release: true, report: report)
            if case .success(let end) = result {
                switch plan.bound(k + 1) {
                case .failure(let failure): result = .failure(failure)
                case .success(let bound):
                    let to = bound ?? Int.max
                    if end < to { result = parser.parse(from: end, to: to, window: window, release: true, report: report) }
                }
            }
            results.set(k, parser, result)
            if case .failure = result {
                stopping.store(true, ordering: .relaxed)
                return
            }
        }
    }
    parsed = monotonicNow()
    // The parse has read to the end of the text (or failed): text being inflated is complete
    // from here on, or the failure that stopped inflating (a damaged file) is the load's.
    do { try file.completeInflow() } catch { throw .changed(error) }
    // Stitch: chunk k+1 is right only if chunk k ended exactly where it began.
    var merged: ChunkParser? = nil
    var expectedStart = start
    var k = 0
    let severalChunks: Bool
    if case .success(.some) = plan.bound(1) { severalChunks = true } else { severalChunks = false }
    while case .success(let lower?) = plan.bound(k) {
        let upper: Int
        switch plan.bound(k + 1) {
        case .success(let bound): upper = bound ?? file.bytes.count
        case .failure(let failure): throw failure
        }
        // Chunk k began inside a quoted field, or read past its end into the next chunk
        // (whose text in memory may have been given back), or failed (perhaps on such bytes),
        // or was not parsed (a thread stopped at another's failure): parse it again, alone,
        // from where k-1 ended.
        // Moved out of `taken`, which would otherwise keep the columns that `absorb` drops one
        // by one, so that their copies added up at the peak (+13 MiB at 1M events).
        var taken = results.take(k)
        var redo = lower != expectedStart || taken == nil
        var (parser, result) = taken.take() ?? (makeParser(k), .success(lower))
        switch result {
        case .success(let end): redo = redo || end > upper
        case .failure(.cancelled), .failure(.refused): break
        case .failure: redo = redo || severalChunks
        }
        if redo {
            if !file.isStreamed {
                do { try file.restore() } catch { throw .changed(error) }
            }
            parser = makeParser(k)
            guard let window = makeWindow() else { throw .failed(.notEnoughMemory(bytes: options.windowBytes, offset: expectedStart)) }
            result = parser.parse(from: expectedStart, to: upper, window: window, release: false) { _, _ in }
        }
        switch result {
        case .success(let end): expectedStart = end
        case .failure(let failure): throw failure
        }
        if merged == nil {
            merged = parser
        } else {
            do { try merged!.absorb(&parser) } catch { throw .failed(.notEnoughMemory(bytes: error.bytes, offset: expectedStart)) }
        }
        k += 1
    }
    if case .failure(let failure) = plan.bound(k) { throw failure }
    let final = merged!
    return (final.columns, final.rows, final.skipped)
}

/// The size of the chunks of a text parsed as it is inflated: a 16th of the text expected,
/// from `threshold` (4 MiB; a test makes it tiny) to 256 MiB. At the 1M-event file's 318 MiB,
/// chunks of a 16th loaded in 0.95 s, of a 64th in 1.35-1.39 s (each chunk's columns and
/// dictionaries begin empty and are joined at the end).
func inflowChunkSize(expected: Int, threshold: Int) -> Int {
    max(1, min(max(threshold, expected / 16), 256 << 20))
}

/// Where the chunks of a parse begin. A text of known length is split into a chunk or two a
/// thread; a text being inflated, whose length is known only at its end, into chunks of a
/// fixed size (at least `chunkingThreshold`), as many as it holds. A chunk's nominal start
/// is moved on to a line start that reads as records (`likelyRecordStart`): its bound, found
/// when first asked for, once the text there is held. Bounds are found in order, and a
/// chunk's parse begins only once its bound is stored: the text a stored bound was found in
/// had not been given back by a later chunk's parse (`bound(_:)` says why a late finder's
/// answer is dropped).
final class ChunkPlan: @unchecked Sendable {
    let file: DataFile
    let start: Int
    let columns: Int
    let delimiter: UInt8
    /// Parsing threads.
    let threads: Int
    /// The text's length, or what it is expected to be while it is inflated.
    let estimatedLength: Int
    let estimatedCount: Int
    /// The number of chunks of a text of known length; nil: chunks of `size` until the end.
    private let count: Int?
    private let size: Int
    private let splitAt: Int?
    /// The bounds found so far: nil past the end of the text.
    private let bounds = Mutex<[Int?]>([])

    init(_ file: DataFile, start: Int, columns: Int, delimiter: UInt8, options: LoadOptions) {
        self.file = file
        self.start = start
        self.columns = columns
        self.delimiter = delimiter
        splitAt = options.splitAt
        // Two chunks a core, taken as cores free up; as many chunks as threads when fewer
        // threads than the machine's cores are asked for (Dispatch runs a chunk on each core
        // it has).
        let cores = max(1, options.threads ?? System.coreCount)
        if let length = file.knownLength {
            let perCore = cores >= System.machineCores && System.coreCount >= System.machineCores ? 2 : 1
            let chunks = length - start < options.chunkingThreshold ? 1 : min(cores * perCore, 16)
            count = chunks
            size = 0
            estimatedLength = length
            estimatedCount = chunks
            threads = min(cores, chunks)
        } else {
            let expected = max(file.expectedLength, start)
            count = nil
            size = inflowChunkSize(expected: expected - start, threshold: options.chunkingThreshold)
            estimatedLength = expected
            estimatedCount = max(1, (expected - start + size - 1) / size)
            threads = cores
        }
    }

    /// Where chunk `k` would begin, before moving on to a line start.
    func nominalStart(_ k: Int) -> Int {
        if k == 1, let splitAt { return max(start, splitAt) }
        if let count {
            return k >= count ? estimatedLength : start + (estimatedLength - start) * k / count
        }
        let (offset, overflow) = size.multipliedReportingOverflow(by: k)
        return overflow ? Int.max / 2 : start + offset
    }

    /// Where chunk `k` begins, and the end of chunk `k - 1`; nil when the text ends before it.
    /// The bounds before it are found first. A bound is found without the lock (finding it
    /// may wait for text, and a thread waiting on a lock would not count as waiting for text);
    /// two threads may find the same one, and the first to store it wins. A thread that
    /// finds one late may have read text given back by the chunk it begins (zeros): its
    /// answer is then the one dropped.
    func bound(_ k: Int) -> Result<Int?, ChunkFailure> {
        do throws(LoadError) {
            while true {
                let (known, previous): (Int??, Int?) = bounds.withLock { found in
                    (k < found.count ? .some(found[k]) : .none, found.last ?? nil)
                }
                if let known { return .success(known) }
                let j = bounds.withLock { $0.count }
                let bound = try j == 0 ? start : find(j, after: previous)
                bounds.withLock { found in if found.count == j { found.append(bound) } }
            }
        } catch {
            return .failure(error.message == "cancelled" ? .cancelled : .changed(error))
        }
    }

    /// Finds bound `k` (after the first), the one before it being `previous` (nil: the text
    /// had ended).
    private func find(_ k: Int, after previous: Int?) throws(LoadError) -> Int? {
        guard let previous else { return nil }
        if let count, k >= count { return nil }
        let nominal = nominalStart(k)
        let held = try file.held(upTo: nominal + 1)
        guard nominal < held else { return nil }
        var p = nominal
        if p > start { p = try likelyRecordStart(file, atOrAfter: p, columns: columns, delimiter: delimiter) }
        p = max(previous, p)
        if let length = file.knownLength, p >= length { return nil }
        return p
    }
}

/// Where a chunk should start: the first line start at or after `offset` from which the next
/// few records read as records of `columns` fields (blank lines aside), so that a split is
/// very likely not inside a quoted field that spans lines, which would cost the chunk a
/// second parse; the stitch check still makes sure. The first line start when no line in
/// the next 64 KiB passes (a file of ragged rows, or of one long quoted text).
func likelyRecordStart(_ file: DataFile, atOrAfter offset: Int, columns: Int, delimiter: UInt8) throws(LoadError) -> Int {
    let first = try file.lineStart(atOrAfter: offset)
    let count = min(64 << 10, try file.held(upTo: first + (64 << 10)) - first)
    guard count > 0 else { return first }
    let piece = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
    defer { piece.deallocate() }
    if let failure = file.copy(first..<(first + count), into: piece, cancellation: nil) { throw failure }
    let scanner = RecordScanner(base: UnsafePointer(piece) - first, count: first + count, delimiter: delimiter)
    let atEnd = first + count == file.knownLength
    let fields = FieldCollector()
    /// Whether the records from `candidate` on have the header's width: four of them, or all
    /// there are before the text ends.
    func readsAsRecords(from candidate: Int) -> Bool {
        var p = candidate
        var records = 0
        while records < 4 {
            if p >= scanner.count { return atEnd && records > 0 }
            guard let end = try? scanner.scanRecord(at: p, into: fields), end < scanner.count || atEnd else { return false }
            p = end
            if fields.count == 1 && fields[0].length == 0 && !fields[0].quoted && columns > 1 { continue }
            guard fields.count == columns else { return false }
            records += 1
        }
        return true
    }
    var candidate = first
    while candidate < scanner.count {
        if readsAsRecords(from: candidate) { return candidate }
        guard let newline = memchr(scanner.base + candidate, 0x0A, scanner.count - candidate) else { break }
        candidate = scanner.base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
    }
    return first
}

/// Per-chunk results, written by the parsing threads (one slot each).
final class ChunkResults: @unchecked Sendable {
    private var slots: [Int: (ChunkParser, Result<Int, ChunkFailure>)] = [:]
    private let lock = Mutex(())

    func set(_ k: Int, _ parser: ChunkParser, _ result: Result<Int, ChunkFailure>) {
        lock.withLock { _ in slots[k] = (parser, result) }
    }

    /// Chunk k's parser and result, the slot emptied (so its columns go when the caller drops
    /// them); nil when no thread parsed chunk k.
    func take(_ k: Int) -> (ChunkParser, Result<Int, ChunkFailure>)? {
        lock.withLock { _ in slots.removeValue(forKey: k) }
    }
}

/// Parses the records of one chunk into column accumulators: records are scanned into a
/// batch, and the batch appended column by column, each column's loop over its fields (a
/// loop of one type, its values written at once), not field by field across the columns.
struct ChunkParser {
    /// The scanner of the window being parsed, and its structural index.
    var scanner = RecordScanner(base: UnsafePointer(bitPattern: 1)!, count: 0, delimiter: 0)
    let index = StructuralIndex()
    var structural: StructuralScanner
    var columns: [ColumnAccumulator]
    /// Records scanned, not yet appended: their fields point into the window, so the batch
    /// is appended before the window moves or its text is given back.
    let batch: RecordBatch
    let scratch: BatchScratch
    let lenient: Bool
    var rows = 0
    var skipped: [(offset: Int, problem: String)] = []
    var cancellation: Cancellation?
    /// Checked as the columns grow (every 8 MiB of text and at the end).
    var budget: LoadBudget?

    /// Room for `capacity` rows in each column, and for the text of `chunkRows` (a text column
    /// of distinct values is joined to the next chunk's as segments, not copied).
    init(types: [DataType], isInferred: [Bool], lenient: Bool, capacity: Int, chunkRows: Int, fieldBytes: [Int]) {
        self.columns = types.indices.map {
            ColumnAccumulator(type: types[$0], isInferred: isInferred[$0], capacity: capacity, textBytes: fieldBytes[$0] * chunkRows)
        }
        self.lenient = lenient
        batch = RecordBatch(width: types.count)
        scratch = BatchScratch(capacity: batch.capacity)
        structural = StructuralScanner(scanner, origin: 0, index: index)
    }

    /// Scans the window from here on.
    mutating func look(at window: TextWindow) {
        scanner = window.scanner
        structural = StructuralScanner(scanner, origin: window.origin, index: index)
    }

    /// Parses records starting at `from` until one starts at or after `to`, reading the text
    /// through `window`; returns where the last record ended. With `release`, text in memory
    /// already parsed is given back as the parse goes (not when this parse is a second look
    /// at text another chunk's parse may have given back).
    mutating func parse(from: Int, to: Int, window: TextWindow, release: Bool,
                        report: (Int, Int) -> Void) -> Result<Int, ChunkFailure> {
        let file = window.file
        let fastScan = FieldSpan.isCCSVScanLayout && cq_csv_index_level() > 0
            && ![UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(window.scanner.delimiter)
        var position = from
        let fields = FieldCollector()
        var reported = from
        var givenBack = from
        var rowsReported = 0
        var records = 0
        if let failure = window.move(to: from) { return .failure(failure) }
        look(at: window)
        /// Moves the window on to `offset`, the batch appended first.
        func move(to offset: Int) -> ChunkFailure? {
            if let failure = appendBatch() { return failure }
            if let failure = window.move(to: offset) { return failure }
            look(at: window)
            return nil
        }
        /// A failure of the record at hand, unless a record of the batch before it failed.
        func fail(_ failure: ChunkFailure) -> Result<Int, ChunkFailure> { .failure(appendBatch() ?? failure) }
        /// After records were added to the batch, up to `position`, the last starting at
        /// `lastStart`: the batch appended when full; text in memory, which is looked at in
        /// place, given back a MiB at a time (the batch's fields point into the text: it is
        /// appended first); progress reported and the memory budget checked every 8 MiB.
        func added(lastStart: Int) -> ChunkFailure? {
            if batch.isFull, let failure = appendBatch() { return failure }
            if release && lastStart - givenBack >= 1 << 20 {
                if let failure = appendBatch() { return failure }
                givenBack = file.release(from: givenBack, upTo: lastStart)
            }
            if position - reported >= 8 << 20 {
                if let failure = appendBatch() { return failure }
                report(position - reported, rows - rowsReported)
                if let refusal = overBudget(parsed: position - from, path: file.path) { return refusal }
                reported = position
                rowsReported = rows
            }
            return nil
        }
        while position < to {
            // The end of the text (a chunk of text being inflated may be nominally longer).
            if position >= window.end && window.isAtEnd { break }
            // Ctrl-C is honoured within a few thousand records, however wide they are.
            records &+= 1
            if records & 1023 == 0 && cancellation?.isCancelled == true { return .failure(.cancelled) }
            if fastScan {
                // Whole records of the header's width, straight into the batch (CCSVScan);
                // any other record is read below, one at a time.
                var end = position
                let taken = cq_csv_scan_records(scanner.base, position, window.end, to, scanner.delimiter, batch.width,
                                                batch.capacity - batch.count, batch.fieldSlots, batch.starts + batch.count, &end)
                if taken > 0 {
                    let lastStart = batch.starts[batch.count + taken - 1]
                    batch.count += taken
                    position = end
                    if cancellation?.isCancelled == true { return .failure(.cancelled) }
                    if let failure = added(lastStart: lastStart) { return .failure(failure) }
                    continue
                }
            }
            let recordStart = position
            let end: Int
            do {
                end = try structural.scanRecord(at: position, into: fields)
            } catch {
                if case .unterminatedQuote = error, !window.isAtEnd {
                    // The quote may close past the window: read on, and scan the record again.
                    if let failure = move(to: position) { return .failure(failure) }
                    continue
                }
                if lenient, case .unterminatedQuote = error {
                    if let failure = appendBatch() { return .failure(failure) }
                    skipped.append((recordStart, "unterminated quoted field"))
                    return .success(window.end)
                }
                return fail(.failed(error))
            }
            if end >= window.end && !window.isAtEnd {
                // The record may go on past the window: read on, and scan it again.
                if let failure = move(to: position) { return .failure(failure) }
                continue
            }
            position = end
            // Blank lines are not records, except in a file of one column, where a blank line
            // is a null (as PostgreSQL's COPY reads it): that is how a null is written there.
            if fields.count == 1 && fields[0].length == 0 && !fields[0].quoted && columns.count > 1 { continue }
            if fields.count != columns.count {
                let problem = RecordProblem.fieldCount(found: fields.count, expected: columns.count, offset: recordStart)
                guard lenient else { return fail(.failed(problem)) }
                // Skipped in the file's order: the batch's records first.
                if let failure = appendBatch() { return .failure(failure) }
                skipped.append((recordStart, problem.message))
                continue
            }
            batch.add(fields, at: recordStart)
            if let failure = added(lastStart: recordStart) { return .failure(failure) }
        }
        if let failure = appendBatch() { return .failure(failure) }
        // The rest, but for the byte before `to`, where the next chunk's bound may still be
        // looked for (the first line start from it on).
        if release { file.release(from: givenBack, upTo: min(position, to) - 1) }
        report(position - reported, rows - rowsReported)
        if let refusal = overBudget(parsed: position - from, path: file.path) { return .failure(refusal) }
        return .success(position)
    }

    /// A refusal when the columns so far, projected to the whole text, would not fit.
    func overBudget(parsed: Int, path: String) -> ChunkFailure? {
        guard let budget else { return nil }
        let held = columns.reduce(0) { $0 + $1.heldBytes }
        return budget.refusal(held: held, parsed: parsed, path: path).map { .refused($0) }
    }

    /// Appends the batch's records, column by column, and empties it. A value refused (a
    /// given type, bytes not UTF-8) fails the load, as the first such record in the file's
    /// order with the first such field in it; a lenient load skips that record instead (the
    /// columns cut back to the records before it) and goes on with the rest.
    mutating func appendBatch() -> ChunkFailure? {
        defer { batch.count = 0 }
        var first = 0
        while first < batch.count {
            let records = batch.count - first
            let fields = UnsafePointer(batch.fields + first * batch.width)
            // The first refusal in the file's order: a later column looks no further than it.
            var refused: (record: Int, column: Int, problem: FieldProblem)? = nil
            columns.withUnsafeMutableBufferPointer { columns in
                for c in columns.indices {
                    let limit = refused?.record ?? records
                    if let (record, problem) = columns[c].append(batch: fields + c, stride: batch.width, records: limit,
                                                                 of: scanner, scratch: scratch) {
                        refused = (record, c, problem)
                    }
                }
            }
            guard let (record, column, problem) = refused else {
                rows += records
                return nil
            }
            let field = fields[record * batch.width + column]
            let recordStart = batch.starts[first + record]
            let failure: RecordProblem
            switch problem {
            case .notA(let expected):
                // Only a given type refuses a value; an inferred one changes instead.
                failure = .badValue(column: column, expected: expected, offset: field.start - (field.quoted ? 1 : 0),
                                    text: scanner.text(of: field))
            case .invalidUTF8:
                failure = .invalidUTF8(offset: field.start)
            case .notEnoughMemory(let bytes):
                // Not a bad record: a lenient load cannot skip it and go on.
                return .failed(.notEnoughMemory(bytes: bytes, offset: field.start))
            }
            guard lenient else { return .failed(failure) }
            // The columns before the refused one took every record; cut each back to `record`.
            for c in columns.indices {
                columns[c].removeLast(columns[c].count - (rows + record))
            }
            rows += record
            skipped.append((recordStart, failure.message))
            first += record + 1
        }
        return nil
    }

    /// Appends a later chunk's columns, each of `other`'s dropped once appended; for a large
    /// table the freed memory is given back column by column, so the copies do not add up to
    /// the peak, and the columns are appended on all cores (one at a time on each).
    mutating func absorb(_ other: inout ChunkParser) throws(FieldProblem) {
        let large = rows + other.rows >= 100_000
        var failures = [FieldProblem?](repeating: nil, count: columns.count)
        columns.withUnsafeMutableBufferPointer { mine in
            other.columns.withUnsafeMutableBufferPointer { theirs in
                failures.withUnsafeMutableBufferPointer { failures in
                    forEachPiece(of: large ? mine.count : 1, minimumPiece: 1) { piece in
                        for i in large ? piece : mine.indices {
                            do throws(FieldProblem) { try mine[i].absorb(theirs[i]) } catch { failures[i] = error }
                            theirs[i] = ColumnAccumulator(type: .null, isInferred: true, capacity: 0)
                            if large { System.returnFreedMemory() }
                        }
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        rows += other.rows
        skipped += other.skipped
    }
}

extension ColumnAccumulator {
    /// Removes the last `k` values (records that turned out bad).
    mutating func removeLast(_ k: Int) {
        guard k > 0, kind != .abandoned else { return }
        switch kind {
        case .int: ints.removeLast(k)
        case .float: floats.removeLast(k)
        case .date: days.removeLast(k); precisions.removeLast(k)
        case .bool: bools.removeLast(k)
        case .abandoned: return
        case .text, .list: strings.codes.removeLast(k)
        }
        for row in (count - k)..<count where validity[row >> 6] & (1 << UInt64(row & 63)) == 0 { nullCount -= 1 }
        count -= k
        validity.removeLast(validity.count - (count + 63) / 64)
        if count & 63 != 0 { validity[validity.count - 1] &= (1 << UInt64(count & 63)) - 1 }
    }
}

/// Records scanned and not yet appended, their fields a record after another (`width` to a
/// record); reused from batch to batch (one per parsing thread).
final class RecordBatch {
    let width: Int
    /// Records a batch holds: about 8,000 fields, at least one record.
    let capacity: Int
    let fields: UnsafeMutablePointer<FieldSpan>
    /// Where each record starts.
    let starts: UnsafeMutablePointer<Int>
    var count = 0

    init(width: Int) {
        self.width = max(1, width)
        capacity = max(1, 8192 / self.width)
        fields = .allocate(capacity: capacity * self.width)
        starts = .allocate(capacity: capacity)
    }

    deinit {
        fields.deallocate()
        starts.deallocate()
    }

    var isFull: Bool { count == capacity }

    /// Room for the next records' fields, for CCSVScan (whose field is FieldSpan's layout).
    var fieldSlots: UnsafeMutablePointer<cq_csv_field> {
        UnsafeMutableRawPointer(fields + count * width).assumingMemoryBound(to: cq_csv_field.self)
    }

    /// Adds a record of `width` fields.
    @inline(__always)
    func add(_ record: FieldCollector, at start: Int) {
        (fields + count * width).initialize(from: record.buffer, count: width)
        starts[count] = start
        count += 1
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
