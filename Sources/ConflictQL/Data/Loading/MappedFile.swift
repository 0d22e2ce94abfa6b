// A data file mapped into memory, read-only, with the checks every load starts with (it
// exists, is a regular file, is not empty, looks like text) and the helpers that turn a byte
// offset into a line and column for messages.

#if canImport(Glibc)
import Glibc
#endif

final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int

    /// A file's bytes already in memory (fuzzing, tests, embedding): no mapping, same checks.
    init(path: String, contents: UnsafeBufferPointer<UInt8>) throws(LoadError) {
        self.path = path
        self.bytes = contents
        self.mapping = nil
        self.length = 0
        guard !contents.isEmpty else { throw LoadError(path: path, message: "the file is empty") }
        if let nul = contents.prefix(8192).firstIndex(of: 0) {
            throw LoadError(path: path, message: "does not look like a text file (a NUL byte at offset \(nul))")
        }
    }

    init(path: String) throws(LoadError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LoadError(path: path, message: errno == ENOENT ? "no such file" : "cannot read: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw LoadError(path: path, message: "is a directory, not a data file") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw LoadError(path: path, message: "is not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else { throw LoadError(path: path, message: "the file is empty") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw LoadError(path: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw LoadError(path: path, message: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        madvise(mapped, size, MADV_SEQUENTIAL)
        mapping = mapped
        length = size
        bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
        // Text, not binary: no NUL byte near the start.
        if let nul = bytes.prefix(8192).firstIndex(of: 0) {
            throw LoadError(path: path, message: "does not look like a text file (a NUL byte at offset \(nul))")
        }
    }

    deinit {
        if let mapping { munmap(mapping, length) }
    }

    /// Drops the pages of `from..<upTo` from this process's memory: they were parsed. They
    /// stay in the page cache, and reading them again (an error message) faults them back in.
    func release(from start: Int, upTo end: Int) {
        guard let mapping else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (start + page - 1) / page * page
        let last = end / page * page
        guard last > first else { return }
        madvise(mapping + first, last - first, MADV_DONTNEED)
    }

    /// The 1-based line of a byte offset (counting every newline before it).
    func lineNumber(at offset: Int) -> Int {
        var line = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            if bytes[i] == UInt8(ascii: "\n") { line += 1 }
            i += 1
        }
        return line
    }

    /// The 1-based lines of several offsets, in one pass over the file.
    func lineNumbers(at offsets: [Int]) -> [Int] {
        guard !offsets.isEmpty else { return [] }
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var lines = [Int](repeating: 1, count: offsets.count)
        var line = 1
        var i = 0
        for k in order {
            let end = min(offsets[k], bytes.count)
            while i < end {
                if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                i += 1
            }
            lines[k] = line
        }
        return lines
    }

    /// Line, column (in characters) and the line's text around a byte offset. Only a window
    /// of the line is decoded, so a file that is one enormous line costs no more.
    func location(of offset: Int) -> (line: Int, column: Int, excerpt: String, excerptColumn: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var lineStart = clamped
        while lineStart > 0 && bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = clamped
        while lineEnd < bytes.count && lineEnd - clamped < 200 && bytes[lineEnd] != UInt8(ascii: "\n") && bytes[lineEnd] != UInt8(ascii: "\r") {
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
        if lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") && bytes[lineEnd] != UInt8(ascii: "\r") && !excerpt.hasSuffix("…") {
            excerpt += "…"
        }
        return (lineNumber(at: clamped), column, excerpt, shownColumn)
    }

    func error(message: String, at offset: Int) -> LoadError {
        let (line, column, excerpt, excerptColumn) = location(of: offset)
        return LoadError(path: path, message: message, line: line, column: column, excerpt: excerpt, excerptColumn: excerptColumn)
    }

    func error(_ problem: RecordProblem, options: LoadOptions) -> LoadError {
        var message = problem.message
        switch problem {
        case .unterminatedQuote: message += "; a quote opened here is never closed"
        case .fieldCount: message += " (a 'lenient' load skips such rows)"
        default: break
        }
        return error(message: message, at: problem.offset)
    }
}
