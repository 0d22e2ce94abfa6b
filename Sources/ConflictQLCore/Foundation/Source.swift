// Source text and ranges. Tokens and syntax nodes carry a `SourceRange` (byte offsets into
// one `Source`); line and column are computed only when a diagnostic is rendered.

/// A script or a line of input, kept as UTF-8 bytes with its line starts.
public struct Source: Sendable {
    /// A name for messages: a file path, `<command line>`, `<stdin>` or `<repl>`.
    public let name: String
    public let text: String
    public let bytes: [UInt8]
    let lineStarts: [Int]

    /// The most bytes a script may have (4 MiB). A hand-written or generated script is far
    /// smaller; past this, parsing and checking would spend memory in proportion (about 700
    /// bytes a statement). Readers read at most one byte more, so an endless input
    /// (`/dev/zero`) costs no more than this.
    public static let maximumBytes = 4 << 20

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// The 1-based line and column (counted in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        let prefix = bytes[start..<clamped]
        // Count characters, not bytes: skip UTF-8 continuation bytes.
        let column = prefix.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 } + 1
        return (low + 1, column)
    }

    /// The text of 1-based line `line`, without its line terminator.
    public func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The source text covered by `range`.
    public func text(of range: SourceRange) -> String {
        let lower = max(0, min(range.start, bytes.count))
        let upper = max(lower, min(range.end, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}

/// A half-open byte range `start..<end` in a `Source`.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}
