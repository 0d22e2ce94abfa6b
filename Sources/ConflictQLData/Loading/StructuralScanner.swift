// The record scanner of the parse proper: RecordScanner's reading of CSV, field for field
// and error for error, but finding the bytes that matter through a structural index instead
// of looking at every byte. The index (CCSVScan, SIMD) holds, for each 64-byte block of the
// text, a bit per quote and a bit per byte that ends a field (the delimiter, '\n', '\r');
// an unquoted field ends at the next separator bit, a quoted one at the next quote bit not
// doubled, each found with a count of trailing zeros. The index is made a batch of blocks
// at a time just ahead of the scan, so the bytes are still in the cache when the fields are
// read, and made again when the window moves.
//
// Quotes are matched by walking from one quote bit to the next, not by the quote parity of
// simdcsv (a prefix XOR of the quote bits): a quote inside an unquoted field (`5" gun`) is a
// character here, as RecordScanner reads it, and parity would take it for an opening quote.
// Where parity does serve, at the start of a chunk scanned in parallel, CSVLoader picks a
// line start that reads as records of the header's width, and its stitch check is the proof.

import CCSVScan
import ConflictQLCore

struct StructuralScanner {
    /// `base + offset` is the byte at the text's `offset`; bytes are held up to `count`.
    let base: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    /// The text's offset of block 0's first byte.
    let origin: Int
    /// The index of blocks `first ..< first + StructuralIndex.batchBlocks`.
    private let index: StructuralIndex
    private var first = Int.min / 2

    init(_ records: RecordScanner, origin: Int, index: StructuralIndex) {
        base = records.base
        count = records.count
        delimiter = records.delimiter
        self.origin = origin
        self.index = index
    }

    /// The plain scanner of the same bytes (for the unescaping and the text of fields).
    var records: RecordScanner { RecordScanner(base: base, count: count, delimiter: delimiter) }

    /// Block `block`'s masks, the batch from it indexed first when it is not.
    @inline(__always)
    private mutating func masks(_ block: Int) -> (quotes: UInt64, separators: UInt64) {
        let slot = block &- first
        if slot < 0 || slot >= StructuralIndex.batchBlocks {
            index.build(base + origin, from: block, textBytes: count - origin, delimiter: delimiter)
            first = block
            return (index.quotes[0], index.separators[0])
        }
        return (index.quotes[slot], index.separators[slot])
    }

    /// The first separator at or after `p` (`p` < `count`), or `count`.
    @inline(__always)
    mutating func nextSeparator(from p: Int) -> Int {
        let relative = p - origin
        var block = relative >> 6
        var mask = masks(block).separators & (~0 << UInt64(relative & 63))
        while mask == 0 {
            block += 1
            if block << 6 >= count - origin { return count }
            mask = masks(block).separators
        }
        return min(origin + block << 6 + mask.trailingZeroBitCount, count)
    }

    /// The first quote at or after `p`, or nil.
    @inline(__always)
    mutating func nextQuote(from p: Int) -> Int? {
        guard p < count else { return nil }
        let relative = p - origin
        var block = relative >> 6
        var mask = masks(block).quotes & (~0 << UInt64(relative & 63))
        while mask == 0 {
            block += 1
            if block << 6 >= count - origin { return nil }
            mask = masks(block).quotes
        }
        let found = origin + block << 6 + mask.trailingZeroBitCount
        return found < count ? found : nil
    }

    /// Scans the record at `start` into `fields`; returns the offset after its line end.
    /// What RecordScanner.scanRecord returns and throws, for the same bytes.
    @inline(__always)
    mutating func scanRecord(at start: Int, into fields: FieldCollector) throws(RecordProblem) -> Int {
        fields.removeAll()
        var p = start
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        while true {
            if p < count && base[p] == quote {
                let open = p
                p += 1
                let fieldStart = p
                var escaped = false
                while true {
                    guard let found = nextQuote(from: p) else { throw .unterminatedQuote(offset: open) }
                    p = found
                    if p + 1 < count && base[p + 1] == quote { escaped = true; p += 2; continue }
                    break
                }
                fields.append(FieldSpan(start: fieldStart, length: p - fieldStart, quoted: true, needsUnescape: escaped))
                if fields.count > LoadLimits.maximumColumns { throw .tooManyFields(offset: start) }
                p += 1
                if p < count && base[p] != delimiter && base[p] != newline && base[p] != carriage {
                    throw .afterClosingQuote(offset: p)
                }
            } else {
                let fieldStart = p
                p = p < count ? nextSeparator(from: p) : count
                fields.append(FieldSpan(start: fieldStart, length: p - fieldStart, quoted: false, needsUnescape: false))
                if fields.count > LoadLimits.maximumColumns { throw .tooManyFields(offset: start) }
            }
            if p >= count { return p }
            let c = base[p]
            if c == delimiter { p += 1; continue }
            if c == carriage { p += 1; if p < count && base[p] == newline { p += 1 }; return p }
            return p + 1
        }
    }
}

/// The masks of a batch of blocks, reused from batch to batch (one per parsing thread).
final class StructuralIndex {
    /// 256 blocks: 16 KiB of text, whose masks take 4 KiB.
    static let batchBlocks = 256
    let quotes = UnsafeMutablePointer<UInt64>.allocate(capacity: batchBlocks)
    let separators = UnsafeMutablePointer<UInt64>.allocate(capacity: batchBlocks)

    deinit {
        quotes.deallocate()
        separators.deallocate()
    }

    /// Indexes blocks `from ..< from + batchBlocks` of the `textBytes` bytes at `text` (those
    /// past the text have no bits).
    func build(_ text: UnsafePointer<UInt8>, from block: Int, textBytes: Int, delimiter: UInt8) {
        cq_csv_index_held(text + block << 6, textBytes - block << 6, StructuralIndex.batchBlocks, delimiter, quotes, separators)
    }
}
