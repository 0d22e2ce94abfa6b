// Inflating: a .gz file (one gzip member or several in a row, as `cat a.gz b.gz` and pigz
// write) into the decompressed text, and the zlib stream both it and the zip reader use.
// zlib checks each member's CRC and length; a damaged or truncated file is an error with the
// byte of the compressed file where it went wrong, never a partial text.

import ConflictQLCore
import ConflictQLSyntax
import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A zlib inflate stream: gzip (`windowBits` 15 + 16) or raw deflate (-15, in a zip).
final class Inflater {
    private var stream = z_stream()

    init?(gzip: Bool) {
        guard inflateInit2_(&stream, gzip ? 31 : -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    }

    deinit { inflateEnd(&stream) }

    enum Step {
        case more, end
        case damaged(String)
    }

    var inputLeft: Int { Int(stream.avail_in) }
    var nextInput: UnsafeMutablePointer<UInt8>? { stream.next_in }

    func supply(_ input: UnsafeMutablePointer<UInt8>, count: Int) {
        stream.next_in = input
        stream.avail_in = UInt32(count)
    }

    func reset() { inflateReset(&stream) }

    /// Inflates into `output` (at most `room` bytes); returns what happened and how many
    /// bytes were written.
    func inflate(into output: UnsafeMutablePointer<UInt8>, room: Int) -> (Step, Int) {
        stream.next_out = output
        stream.avail_out = UInt32(min(room, 8 << 20))
        let before = Int(stream.avail_out)
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        let written = before - Int(stream.avail_out)
        switch status {
        case Z_STREAM_END: return (.end, written)
        case Z_OK, Z_BUF_ERROR: return (.more, written)
        case Z_MEM_ERROR: return (.damaged("zlib ran out of memory"), written)
        default:
            let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            return (.damaged(Inflater.explained(reason)), written)
        }
    }

    /// zlib's words, with its two checksum failures said plainly.
    private static func explained(_ reason: String) -> String {
        switch reason {
        case "incorrect data check": return "its checksum does not match the data (incorrect data check)"
        case "incorrect length check": return "its length does not match the data (incorrect length check)"
        default: return reason
        }
    }
}

/// Where inflated text goes: the growing text of a first pass (DecompressedText), or a window
/// whose bytes are copied back into the ranges of the text that were given back (TextRefill).
protocol InflateSink {
    /// Room for the next bytes (at least one), or nil when no more memory can be had.
    mutating func room() -> UnsafeMutableBufferPointer<UInt8>?
    mutating func took(_ count: Int)
    /// Bytes taken so far.
    var written: Int { get }
    /// Nothing more is wanted (a refill past its last range).
    var isSatisfied: Bool { get }
}

/// The room to ask for at first for a .gz: the size its last four bytes give (of the last
/// member's text, modulo 4 GiB), when plausible (deflate shrinks at most 1032 to 1).
func gzipSizeHint(_ input: CompressedInput) throws(LoadError) -> Int {
    var hint = input.size * 4
    if input.size >= 18 {
        let tail = try input.bytes(at: input.size - 4, count: 4)
        let stated = tail.reversed().reduce(0) { $0 << 8 | Int($1) }
        if stated >= input.size / 2 && stated / 1032 <= input.size { hint = stated }
    }
    return hint
}

/// Inflates a .gz file into `sink`.
func gunzip(_ input: CompressedInput, path: String, options: LoadOptions, progress: LoadProgress?,
            into sink: inout some InflateSink) throws(LoadError) {
    guard let inflater = Inflater(gzip: true) else { throw LoadError(.zlibCannotStart, path: path) }
    let piece = UnsafeMutablePointer<UInt8>.allocate(capacity: CompressedInput.pieceSize)
    defer { piece.deallocate() }
    var offset = 0           // compressed bytes read
    var memberEnded = false  // the last member read ended cleanly
    var lastWritten = -1     // zlib may hold output back when the room ran out: flush it
    while !sink.isSatisfied {
        if options.cancellation?.isCancelled == true { throw LoadError(.cancelled, path: path) }
        if inflater.inputLeft == 0 && offset < input.size {
            let n = try input.read(into: piece, count: CompressedInput.pieceSize, at: offset)
            offset += n
            inflater.supply(piece, count: n)
            progress?(offset, input.size, 0)
        } else if inflater.inputLeft == 0 && (memberEnded || lastWritten == 0) {
            break
        }
        if memberEnded {
            // What follows a member is another member, or nothing.
            guard inflater.nextInput?.pointee == 0x1F else {
                throw LoadError(.bytesAfterGzip(offset - inflater.inputLeft + 1), path: path)
            }
            inflater.reset()
            memberEnded = false
        }
        guard let room = sink.room() else { throw notEnoughMemory(path: path, passing: sink.written) }
        let (step, written) = inflater.inflate(into: room.baseAddress!, room: room.count)
        sink.took(written)
        lastWritten = written
        switch step {
        case .more: break
        case .end: memberEnded = true
        case .damaged(let reason):
            throw LoadError(.gzipCorrupt(offset - inflater.inputLeft, reason), path: path)
        }
    }
    guard memberEnded || sink.isSatisfied else {
        throw LoadError(.gzipTruncated(input.size), path: path)
    }
    try input.checkUnchanged()
}
