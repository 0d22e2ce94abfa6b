// A data file as the loaders see it, with the checks every load starts with (it exists, is a
// regular file, is not empty, looks like text, did not change while it was read) and the
// helpers that turn a byte offset into a line and column for messages.
//
// A UTF-8 file on disk is never read whole: `bytes` is address space the size of the file,
// of which only a prefix is read (for the header, the delimiter and the type sample); the
// CSV parse reads the rest through windows of its own (TextWindow), a few MiB at a time.
// Text that is not the file's own bytes (transcoded, inflated, or given by the caller) is in
// memory whole; the parse looks at it in place and gives back what it has parsed. The text of
// a .gz or zip member of CSV is inflated while it is parsed (InflowingText): the parse looks at
// it in place too, waiting for the bytes it needs (`held(upTo:)`), and its length is known
// only once inflating ends (`knownLength`); the loading thread then completes it
// (`completeInflow`), after which it is text in memory like any other.
//
// The bytes are read with read(2), never mapped from the file: a mapped page past a new end
// of file (the file truncated by another process while it loads) kills the process with
// SIGBUS, and no Swift code can catch that. What must be looked at whole once more (an
// error message's line, the JSON loader) is read back first, after checking the file has
// not changed; line numbers of a plain file are counted by reading it again, a piece at a
// time, without holding it.

import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class DataFile: @unchecked Sendable {
    let path: String
    /// The text, as UTF-8: the file's bytes, or their transcoding (set once, in init).
    private(set) var bytes: UnsafeBufferPointer<UInt8>
    /// The file as read, when this object read it (nil when the caller owns the bytes).
    private let source: (descriptor: Int32, size: Int, modified: timespec)?
    /// Memory this object mapped and unmaps when it goes.
    private var mapping: (start: UnsafeMutableRawPointer, length: Int)?
    /// How the bytes were transcoded from the file's, if they were: what is given back is
    /// then put back by transcoding the file again (their offsets are not the file's).
    private var decoding: Decoding? = nil
    /// Ranges whose memory was given back and now reads as zeros.
    private let released = Mutex<[Range<Int>]>([])
    /// How many bytes from the start have been read into `bytes` (all of them, except for a
    /// UTF-8 file on disk, which the CSV parse reads through windows).
    private(set) var resident: Int
    /// How many bytes the first read of a file on disk takes: enough for the checks.
    static let headSize = 8192
    /// For bytes that are not the file's own (a compressed file's text): what keeps them, and
    /// how ranges given back are made again (by inflating again).
    private let owner: AnyObject?
    private let refill: (([Range<Int>]) throws(LoadError) -> Void)?
    /// Text still being inflated; nil once complete (and for any other text).
    private var inflow: InflowingText?

    /// A file's bytes already in memory (fuzzing, tests, embedding, a compressed file's text):
    /// no copy unless they must be transcoded, same checks. With `refill`, parsed ranges are
    /// given back too, and `refill` makes them again; not when the bytes are transcoded, since
    /// `refill` makes the bytes, not their transcoding (a UTF-16 member of a .gz lost most of
    /// its rows so, silently): that text is kept whole.
    init(path: String, contents: UnsafeBufferPointer<UInt8>, encoding: TextEncoding? = nil, owner: AnyObject? = nil,
         refill: (([Range<Int>]) throws(LoadError) -> Void)? = nil) throws(LoadError) {
        guard !contents.isEmpty else { throw LoadError(.emptyFile, path: path) }
        let decoding = try DataFile.decide(encoding, contents, path: path)
        self.path = path
        self.bytes = contents
        self.source = nil
        self.owner = owner
        self.refill = decoding == .utf8 ? refill : nil
        self.resident = contents.count
        if decoding == .utf8 { try checkLooksLikeText(bytes); return }
        let length = Transcoder.outputLength(contents, decoding).length
        let output = try map(length)
        do {
            _ = try Transcoder.transcode(contents, decoding, into: output)
        } catch {
            try finish(decoding, output, length: error.outputOffset, failure: error)
        }
        try finish(decoding, output, length: length, failure: nil)
    }

    /// The text of a .gz or zip member as it is inflated, in UTF-8 (the caller has looked at its
    /// first bytes), its ranges given back made again by `refill`.
    init(path: String, inflow: InflowingText, refill: @escaping ([Range<Int>]) throws(LoadError) -> Void) throws(LoadError) {
        self.path = path
        self.source = nil
        self.owner = inflow
        self.refill = refill
        self.inflow = inflow
        bytes = UnsafeBufferPointer(start: inflow.text.base, count: 0)
        resident = 0
        try loadPrefix(upTo: DataFile.headSize)
        guard resident > 0 else { throw LoadError(.emptyFile, path: path) }
        try checkLooksLikeText(prefix)
    }

    /// Reads the file at `path` into memory. A file that shrinks, grows or is rewritten while
    /// it is read is an error. Text in another encoding than UTF-8 is transcoded to UTF-8 as
    /// it is read, a piece at a time, so the file's bytes are never all in memory beside it.
    init(path: String, encoding: TextEncoding? = nil, cancellation: Cancellation? = nil) throws(LoadError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LoadError(errno == ENOENT ? .noSuchFile : .cannotRead(String(cString: strerror(errno))), path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw LoadError(.isADirectory, path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw LoadError(.notARegularFile, path: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadError(.cannotOpen(String(cString: strerror(errno))), path: path) }
        var opened = stat()
        guard fstat(fd, &opened) == 0, opened.st_size > 0 else {
            close(fd)
            throw LoadError(.emptyFile, path: path)
        }
        let size = Int(opened.st_size)
        source = (fd, size, CLibrary.modificationTime(opened))
        owner = nil
        refill = nil
        bytes = UnsafeBufferPointer(start: nil, count: 0)
        resident = 0
        // From here on deinit unmaps and closes. The first bytes decide the encoding.
        let head = UnsafeMutablePointer<UInt8>.allocate(capacity: min(size, 8192))
        defer { head.deallocate() }
        if let failure = read(0..<min(size, 8192), into: head) { throw failure }
        let decoding = try DataFile.decide(encoding, UnsafeBufferPointer(start: head, count: min(size, 8192)), path: path)
        if decoding == .utf8 {
            // Address space only: the pages that are read become memory.
            bytes = UnsafeBufferPointer(start: try map(size), count: size)
            try loadPrefix(upTo: DataFile.headSize)
            try checkLooksLikeText(bytes)
            return
        }
        let length: Int
        do {
            length = try streamFromFile(decoding, into: nil, cancellation: cancellation)
        } catch {
            throw error.loadError ?? changedError  // counting stops at a fault, it does not throw
        }
        let output = try map(length)
        do {
            _ = try streamFromFile(decoding, into: output, cancellation: cancellation)
        } catch {
            guard let fault = error.fault else { throw error.loadError! }
            try finish(decoding, output, length: fault.outputOffset, failure: fault)
        }
        try finish(decoding, output, length: length, failure: nil)
    }

    /// How the text is decoded: the option, or a UTF-16 byte-order mark.
    private static func decide(_ encoding: TextEncoding?, _ head: UnsafeBufferPointer<UInt8>, path: String) throws(LoadError) -> Decoding {
        switch Decoding.decide(encoding, head) {
        case .failure(let mismatch): throw LoadError(.encodingMismatch(mismatch.message), path: path)
        case .success(let decided): return decided
        }
    }

    /// Memory of `length` bytes (at least one), unmapped by deinit.
    private func map(_ length: Int) throws(LoadError) -> UnsafeMutablePointer<UInt8> {
        guard let memory = mmap(nil, max(1, length), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED else {
            throw LoadError(.fileTooLargeForMemory(length >> 20), path: path)
        }
        mapping = (memory, max(1, length))
        return memory.assumingMemoryBound(to: UInt8.self)
    }

    /// UTF-8 text has no NUL byte near its start; one that looks like UTF-16 without a
    /// byte-order mark is named, with its option.
    private func checkLooksLikeText(_ head: UnsafeBufferPointer<UInt8>) throws(LoadError) {
        guard let nul = head.prefix(8192).firstIndex(of: 0) else { return }
        if let guess = UTF16Guess(head) {
            throw LoadError(.utf16WithoutMark(guess.bigEndian ? "UTF-16BE" : "UTF-16LE", guess.option), path: path)
        }
        throw LoadError(.notATextFile(nul), path: path)
    }

    /// The transcoded text is the bytes from now on; a fault is an error at its position.
    private func finish(_ decoding: Decoding, _ output: UnsafeMutablePointer<UInt8>, length: Int,
                        failure: TranscodingFailure?) throws(LoadError) {
        bytes = UnsafeBufferPointer(start: output, count: length)
        resident = length
        self.decoding = decoding
        if let failure { throw error(.encodingMismatch(failure.message), at: failure.outputOffset) }
        guard length > 0 else { throw LoadError(.emptyFile, path: path) }
        if let nul = bytes.prefix(8192).firstIndex(of: 0) {
            throw error(.nulCharacter, at: nul)
        }
    }

    /// Reads the file a piece at a time through the transcoder: counts the UTF-8 bytes when
    /// `output` is nil (stopping at a fault), writes them into it otherwise.
    private func streamFromFile(_ decoding: Decoding, into output: UnsafeMutablePointer<UInt8>?,
                                cancellation: Cancellation? = nil) throws(StreamFailure) -> Int {
        guard let source else { return 0 }
        let pieceSize = min(source.size, Transcoder.pieceSize)
        let piece = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, pieceSize))
        defer { piece.deallocate() }
        return try Transcoder.stream(decoding, size: source.size, piece: piece, pieceSize: pieceSize, into: output) {
            offset, count in self.read(offset..<(offset + count), into: piece, cancellation: cancellation)
        }
    }

    /// Bytes asked of read(2) at a time: large enough that the calls cost nothing, small
    /// enough that Ctrl-C is seen within a few milliseconds.
    static let readSize = 16 << 20

    deinit {
        if let mapping { munmap(mapping.start, mapping.length) }
        if let source { close(source.descriptor) }
    }

    /// Reads `range` of the file into place; an error if the file is not as it was opened.
    private func read(_ range: Range<Int>, into buffer: UnsafeMutablePointer<UInt8>? = nil,
                      cancellation: Cancellation? = nil) -> LoadError? {
        guard let source else { return nil }
        let changed = changedError
        var position = range.lowerBound
        while position < range.upperBound {
            if cancellation?.isCancelled == true { return LoadError(.cancelled, path: path) }
            // Into `buffer` from its start, or into the bytes at the same offset.
            let target = buffer.map { $0 + (position - range.lowerBound) } ?? UnsafeMutablePointer(mutating: bytes.baseAddress! + position)
            let n = pread(source.descriptor, target, min(range.upperBound - position, DataFile.readSize), off_t(position))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return LoadError(.cannotRead(String(cString: strerror(errno))), path: path) }
            if n == 0 { return changed }
            position += n
        }
        return isUnchanged ? nil : changed
    }

    /// `read(range)` in pieces of at least 16 MiB on all cores: copying the page cache into
    /// fresh pages is half the time of reading the JSON benchmark's 545 MiB whole on one core
    /// (0.30 s, the rest the page faults), and both go as fast on each core.
    private func readOnAllCores(_ range: Range<Int>) -> LoadError? {
        let pieces = min(System.coreCount, range.count / (16 << 20))
        guard pieces > 1 else { return read(range) }
        let failures = Mutex<[LoadError?]>([LoadError?](repeating: nil, count: pieces))
        DispatchQueue.concurrentPerform(iterations: pieces) { k in
            let piece = (range.lowerBound + range.count * k / pieces)..<(range.lowerBound + range.count * (k + 1) / pieces)
            if let failure = read(piece) { failures.withLock { $0[k] = failure } }
        }
        return failures.withLock { $0.lazy.compactMap { $0 }.first }
    }

    /// Whether the file still has the size and time it had when opened.
    private var isUnchanged: Bool {
        guard let source else { return true }
        var now = stat()
        return fstat(source.descriptor, &now) == 0 && Int(now.st_size) == source.size
            && CLibrary.modificationTime(now).tv_sec == source.modified.tv_sec
            && CLibrary.modificationTime(now).tv_nsec == source.modified.tv_nsec
    }

    private var changedError: LoadError {
        LoadError(.fileChangedWhileLoading, path: path)
    }

    /// The last check of a load: a file written to while it was parsed gives no table.
    func checkUnchanged() throws(LoadError) {
        if !isUnchanged { throw changedError }
    }

    /// The text's length: known from the start, except while the text is being inflated.
    var knownLength: Int? {
        guard let inflow else { return bytes.count }
        return inflow.length
    }

    /// The text's length, or what it is expected to be while it is inflated.
    var expectedLength: Int { inflow?.expectedLength ?? bytes.count }

    /// A parsing thread begins or ends reading text being inflated (which waits while the
    /// readers are busy and far enough behind).
    func readerBegins() { inflow?.readerBegins() }
    func readerEnds() { inflow?.readerEnds() }

    /// Waits until the text holds `end` bytes or has ended; returns the bytes it holds (fewer
    /// than `end` only at its end). Text not being inflated holds all its bytes: in memory, or
    /// read from the file by the windows of the parse.
    func held(upTo end: Int) throws(LoadError) -> Int {
        guard let inflow else { return bytes.count }
        return try inflow.held(upTo: end).get()
    }

    /// Inflates the rest of the text, if it is being inflated, and makes it the text in memory
    /// (or throws what stopped inflating: a damaged file). Called by the loading thread when
    /// no parsing thread runs.
    func completeInflow() throws(LoadError) {
        guard let inflow else { return }
        let length = try inflow.whole().get()
        bytes = UnsafeBufferPointer(start: inflow.text.base, count: length)
        resident = length
        self.inflow = nil
        guard length > 0 else { throw LoadError(.emptyFile, path: path) }
    }

    /// Gives back the memory of `from..<upTo`: those bytes were parsed. Returns where the
    /// next range to give back starts: the page boundary given back up to (or `upTo`, for
    /// text that is not given back).
    @discardableResult
    func release(from start: Int, upTo end: Int) -> Int {
        // A streamed file's CSV parse reads through windows, not these bytes.
        guard (source != nil || refill != nil) && !(isStreamed && resident < bytes.count) else { return end }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (start + page - 1) / page * page
        let last = end / page * page
        guard last > first else { return start }
        released.withLock { ranges in
            madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + first), last - first, MADV_DONTNEED)
            ranges.append(first..<last)
        }
        inflow?.gaveBack(last - first)
        return last
    }

    /// Whether the CSV parse reads this text from the file (a UTF-8 file on disk) rather than
    /// from memory.
    var isStreamed: Bool { source != nil && decoding == nil }

    /// The bytes read so far from the start.
    var prefix: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes.baseAddress, count: resident) }

    /// Reads the file on up to `end` (or its end) into `bytes`.
    func loadPrefix(upTo end: Int) throws(LoadError) {
        if inflow != nil {
            resident = max(resident, min(end, try held(upTo: end)))
            return
        }
        let end = min(end, bytes.count)
        guard end > resident else { return }
        if let failure = read(resident..<end) { throw failure }
        resident = end
    }

    /// Gives back the prefix of a streamed file once the parse no longer needs it.
    func releasePrefix() {
        guard isStreamed, resident > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = (resident + page - 1) / page * page
        madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), min(length, mapping?.length ?? length), MADV_DONTNEED)
        resident = 0
    }

    /// Copies `range` of the text into `target`: read from the file when the text is
    /// streamed, else copied from memory (which the caller has made sure is not given back).
    func copy(_ range: Range<Int>, into target: UnsafeMutablePointer<UInt8>, cancellation: Cancellation?) -> LoadError? {
        if isStreamed { return read(range, into: target, cancellation: cancellation) }
        target.update(from: bytes.baseAddress! + range.lowerBound, count: range.count)
        return nil
    }

    /// Reads back every range given back (and, of a streamed file, everything not yet read),
    /// so the whole text can be looked at again.
    func restore() throws(LoadError) {
        try completeInflow()
        let ranges = released.withLock { ranges in
            defer { ranges = [] }
            return ranges
        }
        if isStreamed {
            if resident < bytes.count, let failure = readOnAllCores(resident..<bytes.count) { throw failure }
            resident = bytes.count
        }
        guard !ranges.isEmpty else { return }
        if let refill { return try refill(ranges) }
        if let decoding { return try transcodeAgain(decoding) }
        for range in ranges {
            if let failure = read(range) { throw failure }
        }
    }

    /// Puts back what was given back of a transcoded text: its offsets are not the file's,
    /// so the file is transcoded again, a piece at a time, over the old text, which it
    /// writes byte for byte as it was (a file changed in between is refused).
    private func transcodeAgain(_ decoding: Decoding) throws(LoadError) {
        do {
            _ = try streamFromFile(decoding, into: UnsafeMutablePointer(mutating: bytes.baseAddress!))
        } catch {
            throw error.loadError ?? changedError  // it transcoded without fault before
        }
    }

    /// The first line start at or after `offset` (the offset after a '\n', or the end): where
    /// a chunk of the parse may begin. A streamed file is read there, a small piece at a time.
    func lineStart(atOrAfter offset: Int) throws(LoadError) -> Int {
        var p = max(offset, 1) - 1
        guard offset > 0 else { return 0 }
        if !isStreamed {
            // In memory (waiting for it, while it is inflated).
            while true {
                let end = try self.held(upTo: p + (64 << 10))
                guard p < end else { return end }
                if let found = memchr(bytes.baseAddress! + p, 0x0A, end - p) {
                    return bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                }
                p = end
            }
        }
        let pieceSize = 64 << 10
        let piece = UnsafeMutablePointer<UInt8>.allocate(capacity: pieceSize)
        defer { piece.deallocate() }
        while p < bytes.count {
            let count = min(pieceSize, bytes.count - p)
            if let failure = read(p..<(p + count), into: piece) { throw failure }
            if let found = memchr(piece, 0x0A, count) {
                return p + piece.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            }
            p += count
        }
        return bytes.count
    }

    /// The 1-based line of a byte offset (counting every newline before it).
    func lineNumber(at offset: Int) -> Int { lineNumbers(at: [offset])[0] }

    /// The 1-based lines of several offsets, in one pass over the text: in memory where it is
    /// there, read again from the file a piece at a time where it is not (a streamed file).
    /// A file that cannot be read again gives the lines counted so far; the load then fails
    /// on its last check (`checkUnchanged`).
    func lineNumbers(at offsets: [Int]) -> [Int] {
        guard !offsets.isEmpty else { return [] }
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var lines = [Int](repeating: 1, count: offsets.count)
        var line = 1
        var i = 0
        let pieceSize = 1 << 20
        var piece: UnsafeMutablePointer<UInt8>? = nil
        defer { piece?.deallocate() }
        for k in order {
            let end = min(offsets[k], bytes.count)
            while i < end {
                let start: UnsafePointer<UInt8>, count: Int
                if i < resident {
                    start = bytes.baseAddress! + i
                    count = min(end, resident) - i
                } else {
                    if piece == nil { piece = .allocate(capacity: pieceSize) }
                    count = min(end - i, pieceSize)
                    if read(i..<(i + count), into: piece!) != nil { lines[k] = line; i = end; break }
                    start = UnsafePointer(piece!)
                }
                line += DataFile.newlines(start, count)
                i += count
            }
            lines[k] = line
        }
        return lines
    }

    /// How many '\n' bytes `count` bytes hold (a loop the compiler vectorises).
    static func newlines(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var found = 0
        for j in 0..<count { found &+= p[j] == 0x0A ? 1 : 0 }
        return found
    }

    /// Line, column (in characters) and the line's text around a byte offset. Only a window
    /// of the line is decoded, so a file that is one enormous line costs no more.
    func location(of offset: Int) -> (line: Int, column: Int, excerpt: String, excerptColumn: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var lineStart = clamped
        while lineStart > 0 && bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = clamped
        while lineEnd < bytes.count && lineEnd - clamped < 200
                && bytes[lineEnd] != UInt8(ascii: "\n") && bytes[lineEnd] != UInt8(ascii: "\r") {
            lineEnd += 1
        }
        // Characters before the offset on its line (UTF-8 continuation bytes do not count).
        var column = 1
        for i in lineStart..<clamped where bytes[i] & 0xC0 != 0x80 { column += 1 }
        // A window of about 40 characters before the offset and the rest up to 100.
        var windowStart = clamped
        var before = 0
        while windowStart > lineStart && before < 40 {
            windowStart -= 1
            if bytes[windowStart] & 0xC0 != 0x80 { before += 1 }
        }
        // Shown as text: a tab as a space, other control characters escaped (`\u{1B}`), the
        // caret placed after the escapes.
        func shown(_ range: Range<Int>) -> String {
            escapingControlCharacters(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                .replacing("\t", with: " "))
        }
        let lead = shown(windowStart..<clamped)
        var excerpt = lead + shown(clamped..<max(clamped, lineEnd))
        var shownColumn = lead.count + 1
        if windowStart > lineStart { excerpt = "…" + excerpt; shownColumn += 1 }
        if excerpt.count > 100 { excerpt = String(excerpt.prefix(100)) + "…" }
        if lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") && bytes[lineEnd] != UInt8(ascii: "\r")
            && !excerpt.hasSuffix("…") {
            excerpt += "…"
        }
        return (lineNumber(at: clamped), column, excerpt, shownColumn)
    }

    func error(_ message: DiagnosticMessage, at offset: Int) -> LoadError {
        // The line number counts every newline before the offset: read back what was given back.
        do { try restore() } catch { return error }
        let (line, column, excerpt, excerptColumn) = location(of: offset)
        return LoadError(message, path: path, line: line, column: column, excerpt: excerpt,
                         excerptColumn: excerptColumn)
    }

    func error(_ problem: RecordProblem, options: LoadOptions) -> LoadError {
        if case .invalidUTF8(let offset) = problem { return notUTF8Error("a field", at: offset) }
        return error(.recordProblem(problem, whole: true), at: problem.offset)
    }

    /// `a field is not UTF-8 text`, and what the bytes look like instead (EncodingGuess).
    func notUTF8Error(_ what: String, at offset: Int) -> LoadError {
        do { try restore() } catch { return error }
        return error(.notUTF8(what, hint: EncodingGuess.hint(bytes, at: offset)), at: offset)
    }
}
