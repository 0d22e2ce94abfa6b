// Positions as the protocol counts them: a 0-based line and a character offset in UTF-16 code
// units. The library counts bytes; these turn one into the other for a document's text.

import ConflictQL

struct TextPositions {
    let bytes: [UInt8]
    let lineStarts: [Int]

    init(_ source: Source) {
        bytes = source.bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The line (0-based) holding byte `offset`.
    func line(of offset: Int) -> Int {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The protocol's position of byte `offset`.
    func position(of offset: Int) -> (line: Int, character: Int) {
        let clamped = max(0, min(offset, bytes.count))
        let line = line(of: clamped)
        return (line, utf16Count(lineStarts[line], clamped))
    }

    /// UTF-16 code units in `bytes[from..<to]`: one per byte that starts a scalar, two for a
    /// scalar of four bytes.
    func utf16Count(_ from: Int, _ to: Int) -> Int {
        var count = 0
        for index in from..<to {
            let byte = bytes[index]
            if byte & 0xC0 != 0x80 { count += byte >= 0xF0 ? 2 : 1 }
        }
        return count
    }

    /// The byte offset of a protocol position, clamped to the line and the text.
    func offset(line: Int, character: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < lineStarts.count else { return bytes.count }
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        var offset = lineStarts[line]
        var units = 0
        while offset < end && units < character {
            let byte = bytes[offset]
            units += byte >= 0xF0 ? 2 : 1
            offset += 1
            while offset < end && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
        }
        return offset
    }

    func range(_ range: SourceRange) -> JSONObject {
        let start = position(of: range.start), end = position(of: max(range.start, range.end))
        return ["start": ["line": start.line, "character": start.character],
                "end": ["line": end.line, "character": end.character]]
    }

    /// The byte offset of a protocol `Position` object (nil when it is not one).
    func offset(_ position: Any?) -> Int? {
        guard let position = position as? JSONObject, let line = position["line"] as? Int,
              let character = position["character"] as? Int else { return nil }
        return offset(line: line, character: character)
    }
}
