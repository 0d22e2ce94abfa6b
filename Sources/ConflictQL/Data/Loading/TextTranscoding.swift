// Transcoding a file's bytes to UTF-8 before it is parsed (Windows-1252, Latin-1, UTF-16).
// Two passes over the input: the first counts the UTF-8 bytes the text needs, so the output
// is allocated once at its exact size; the second writes them, and gives back the input's
// memory behind it as it goes, so input and output are not both whole in memory at once.

#if canImport(Glibc)
import Glibc
#endif

struct TranscodingFailure: Error {
    var message: String
    /// How many UTF-8 bytes were written before the fault: where the message points.
    var outputOffset: Int
}

enum Transcoder {
    /// UTF-8 bytes of the characters before `end` (or before the first fault of UTF-16).
    static func outputLength(_ input: UnsafeBufferPointer<UInt8>, _ decoding: Decoding) -> Int {
        switch decoding {
        case .utf8: return input.count
        case .singleByte(let windows1252):
            var length = input.count
            for byte in input where byte >= 0x80 {
                length += windows1252 && byte < 0xA0 ? utf8Width(windows1252High[Int(byte - 0x80)]) - 1 : 1
            }
            return length
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
                    guard i + 3 < input.count, (0xDC00..<0xE000).contains(codeUnit(input, i + 2, bigEndian)) else { return length }
                    length += 4
                    i += 2
                } else if unit >= 0xDC00 && unit < 0xE000 { return length }
                else { length += 3 }
                i += 2
            }
            return length
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

    /// Writes the UTF-8 of `input` into `out` (exactly `outputLength` bytes); `consumed` is
    /// told how far the input has been read, every few megabytes, so its memory can be given
    /// back. A fault of UTF-16 (half a surrogate pair, an odd last byte) stops it there.
    static func transcode(_ input: UnsafeBufferPointer<UInt8>, _ decoding: Decoding, into out: UnsafeMutablePointer<UInt8>,
                          consumed: (Int) -> Void) throws(TranscodingFailure) {
        var o = 0
        let step = 16 << 20
        switch decoding {
        case .utf8:
            out.update(from: input.baseAddress!, count: input.count)
        case .singleByte(let windows1252):
            var i = 0
            while i < input.count {
                let end = min(input.count, i + step)
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
                consumed(i)
            }
        case .utf16(let bigEndian, let skip):
            var i = skip
            var nextReport = step
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
                        if i >= nextReport { consumed(i); nextReport += step }
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
                if i >= nextReport { consumed(i); nextReport += step }
            }
            if i < input.count {
                throw TranscodingFailure(message: "the file ends in the middle of a UTF-16 character (an odd number of bytes)", outputOffset: o)
            }
        }
    }
}
