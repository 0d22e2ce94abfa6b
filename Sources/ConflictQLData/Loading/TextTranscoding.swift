// Transcoding a file's bytes to UTF-8 before it is parsed (Windows-1252, Latin-1, UTF-16).
// Two passes over the file, read a piece at a time: the first counts the UTF-8 bytes the text
// needs, so the output is allocated once at its exact size; the second writes them. Only a
// piece of the input is in memory at once, never the whole file beside its transcoding.

import ConflictQLCore
import ConflictQLSyntax

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TranscodingFailure: Error {
    package var message: String
    /// How many UTF-8 bytes were written before the fault: where the message points.
    var outputOffset: Int
}

/// A piece-by-piece transcoding stopped: the file could not be read, or the text has a fault.
struct StreamFailure: Error {
    var loadError: LoadError?
    var fault: TranscodingFailure?
}

enum Transcoder {
    /// Bytes of input read at a time (even, so UTF-16 code units are never split).
    static let pieceSize = 16 << 20

    /// Transcodes `size` bytes that `read(offset, count)` puts into `piece`, a piece at a
    /// time: counts the UTF-8 bytes when `output` is nil (up to the first fault), writes them
    /// otherwise. A UTF-16 piece ends before a high surrogate, so pairs are never split.
    static func stream(_ decoding: Decoding, size: Int, piece: UnsafeMutablePointer<UInt8>, pieceSize: Int,
                       into output: UnsafeMutablePointer<UInt8>?, read: (Int, Int) -> LoadError?) throws(StreamFailure) -> Int {
        var offset = 0, produced = 0
        while offset < size {
            var count = min(pieceSize, size - offset)
            if let failure = read(offset, count) { throw StreamFailure(loadError: failure) }
            var pieceDecoding = decoding
            if case .utf16(let bigEndian, let skip) = decoding {
                pieceDecoding = .utf16(bigEndian: bigEndian, skip: offset == 0 ? skip : 0)
                if offset + count < size {
                    count &= ~1
                    let last = codeUnit(UnsafeBufferPointer(start: piece, count: count), count - 2, bigEndian)
                    if last >= 0xD800 && last < 0xDC00 && count > 2 { count -= 2 }
                }
            }
            let input = UnsafeBufferPointer(start: piece, count: count)
            if let output {
                do {
                    produced += try transcode(input, pieceDecoding, into: output + produced)
                } catch {
                    throw StreamFailure(fault: TranscodingFailure(message: error.message, outputOffset: produced + error.outputOffset))
                }
            } else {
                let (length, complete) = outputLength(input, pieceDecoding)
                produced += length
                if !complete { return produced }
            }
            offset += count
        }
        return produced
    }

    /// UTF-8 bytes of the text, and whether it is whole (false: a UTF-16 fault stopped it).
    static func outputLength(_ input: UnsafeBufferPointer<UInt8>, _ decoding: Decoding) -> (length: Int, complete: Bool) {
        switch decoding {
        case .utf8: return (input.count, true)
        case .singleByte(let windows1252):
            var length = input.count
            for byte in input where byte >= 0x80 {
                length += windows1252 && byte < 0xA0 ? utf8Width(windows1252High[Int(byte - 0x80)]) - 1 : 1
            }
            return (length, true)
        case .utf16(let bigEndian, let skip):
            var length = 0
            var i = skip
            let asciiMask: UInt64 = bigEndian ? 0x80FF_80FF_80FF_80FF : 0xFF80_FF80_FF80_FF80
            while i + 1 < input.count {
                // Four ASCII code units at a time.
                if i + 8 <= input.count && UnsafeRawPointer(input.baseAddress! + i).loadUnaligned(as: UInt64.self) & asciiMask == 0 {
                    length += 4
                    i += 8
                    continue
                }
                let unit = codeUnit(input, i, bigEndian)
                if unit < 0x80 { length += 1 } else if unit < 0x800 { length += 2 }
                else if unit >= 0xD800 && unit < 0xDC00 {
                    guard i + 3 < input.count, (0xDC00..<0xE000).contains(codeUnit(input, i + 2, bigEndian)) else { return (length, false) }
                    length += 4
                    i += 2
                } else if unit >= 0xDC00 && unit < 0xE000 { return (length, false) }
                else { length += 3 }
                i += 2
            }
            return (length, i == input.count)
        }
    }

    @inline(__always)
    static func codeUnit(_ input: UnsafeBufferPointer<UInt8>, _ i: Int, _ bigEndian: Bool) -> UInt32 {
        bigEndian ? UInt32(input[i]) << 8 | UInt32(input[i + 1]) : UInt32(input[i + 1]) << 8 | UInt32(input[i])
    }

    @inline(__always)
    static func utf8Width(_ scalar: UInt32) -> Int { scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4 }

    @inline(__always)
    static func put(_ scalar: UInt32, _ out: UnsafeMutablePointer<UInt8>, _ o: inout Int) {
        if scalar < 0x80 {
            out[o] = UInt8(scalar); o += 1
        } else if scalar < 0x800 {
            out[o] = UInt8(0xC0 | scalar >> 6); out[o + 1] = UInt8(0x80 | scalar & 0x3F); o += 2
        } else if scalar < 0x10000 {
            out[o] = UInt8(0xE0 | scalar >> 12); out[o + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[o + 2] = UInt8(0x80 | scalar & 0x3F); o += 3
        } else {
            out[o] = UInt8(0xF0 | scalar >> 18); out[o + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[o + 2] = UInt8(0x80 | scalar >> 6 & 0x3F); out[o + 3] = UInt8(0x80 | scalar & 0x3F); o += 4
        }
    }

    /// Writes the UTF-8 of `input` into `out` (exactly `outputLength` bytes) and returns how
    /// many; a fault of UTF-16 (half a surrogate pair, an odd last byte) stops it there.
    static func transcode(_ input: UnsafeBufferPointer<UInt8>, _ decoding: Decoding,
                          into out: UnsafeMutablePointer<UInt8>) throws(TranscodingFailure) -> Int {
        var o = 0
        switch decoding {
        case .utf8:
            out.update(from: input.baseAddress!, count: input.count)
            o = input.count
        case .singleByte(let windows1252):
            var i = 0
            do {
                let end = input.count
                while i < end {
                    // Runs of ASCII eight bytes at a time.
                    if i + 8 <= end, UnsafeRawPointer(input.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                        UnsafeMutableRawPointer(out + o).storeBytes(of: UnsafeRawPointer(input.baseAddress! + i).loadUnaligned(as: UInt64.self),
                                                                    as: UInt64.self)
                        i += 8; o += 8
                        continue
                    }
                    let byte = input[i]
                    put(windows1252 && byte >= 0x80 && byte < 0xA0 ? windows1252High[Int(byte - 0x80)] : UInt32(byte), out, &o)
                    i += 1
                }
            }
        case .utf16(let bigEndian, let skip):
            var i = skip
            let asciiMask: UInt64 = bigEndian ? 0x80FF_80FF_80FF_80FF : 0xFF80_FF80_FF80_FF80
            let shift: UInt64 = bigEndian ? 8 : 0
            while i + 1 < input.count {
                // Four ASCII code units at a time: their low bytes are the UTF-8.
                if i + 8 <= input.count {
                    let word = UnsafeRawPointer(input.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & asciiMask == 0 {
                        out[o] = UInt8(truncatingIfNeeded: word >> shift)
                        out[o + 1] = UInt8(truncatingIfNeeded: word >> (16 + shift))
                        out[o + 2] = UInt8(truncatingIfNeeded: word >> (32 + shift))
                        out[o + 3] = UInt8(truncatingIfNeeded: word >> (48 + shift))
                        o += 4
                        i += 8
                        continue
                    }
                }
                let unit = codeUnit(input, i, bigEndian)
                var scalar = unit
                if unit >= 0xD800 && unit < 0xDC00 {
                    guard i + 3 < input.count else {
                        throw TranscodingFailure(message: "the file ends in the middle of a UTF-16 character (half a surrogate pair)", outputOffset: o)
                    }
                    let low = codeUnit(input, i + 2, bigEndian)
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw TranscodingFailure(message: "invalid UTF-16: half a surrogate pair (0x\(String(unit, radix: 16, uppercase: true)))", outputOffset: o)
                    }
                    scalar = 0x10000 + (unit - 0xD800) << 10 + (low - 0xDC00)
                    i += 2
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    throw TranscodingFailure(message: "invalid UTF-16: half a surrogate pair (0x\(String(unit, radix: 16, uppercase: true)))", outputOffset: o)
                }
                put(scalar, out, &o)
                i += 2
            }
            if i < input.count {
                throw TranscodingFailure(message: "the file ends in the middle of a UTF-16 character (an odd number of bytes)", outputOffset: o)
            }
        }
        return o
    }
}
