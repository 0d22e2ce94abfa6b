// The codecs of Parquet pages: Snappy (our own decoder and a small greedy encoder: the format
// is a page of rules, and pyarrow, Spark and DuckDB all write it by default), gzip through the
// system zlib, zstd through the system libzstd. Every page says how large it is decompressed,
// so each decoder writes into a buffer of exactly that size and fails if the data disagree.

import ConflictQLCore
import CZlib
import CZstd

/// A page's bytes decompressed to exactly `size` bytes, or a message saying why not.
func decompress(_ input: ArraySlice<UInt8>, codec: ParquetCodec, size: Int) -> Result<[UInt8], ParquetDataProblem> {
    switch codec {
    case .uncompressed:
        guard input.count == size else { return .failure(ParquetDataProblem("a page's size (\(input.count)) is not the size its header "
            + "gives (\(size))")) }
        return .success(Array(input))
    case .snappy: return snappyDecompress(input, size: size)
    case .gzip: return gzipDecompress(input, size: size)
    case .zstd: return zstdDecompress(input, size: size)
    case .lzo, .brotli, .lz4, .lz4Raw:
        return .failure(ParquetDataProblem(.parquetCompression(codec.name)))
    }
}

/// A problem in a page's contents; the loader adds the column and the row group. Damage is
/// described where it is found; what is not read is worded in LoadMessages.swift.
struct ParquetDataProblem: Error {
    let kind: DiagnosticMessage
    var message: String { kind.text }
    init(_ damage: String) { self.kind = .parquetPageDamage(damage) }
    init(_ message: DiagnosticMessage) { self.kind = message }
}

// MARK: Snappy (https://github.com/google/snappy/blob/main/format_description.txt)

func snappyDecompress(_ input: ArraySlice<UInt8>, size: Int) -> Result<[UInt8], ParquetDataProblem> {
    var reader = ThriftReader(input)  // for its checked varint
    guard let declared = try? reader.varint(), declared == UInt64(size) else {
        return .failure(ParquetDataProblem("a Snappy page's length does not match its header"))
    }
    var output = [UInt8](repeating: 0, count: size)
    let start = reader.position - input.startIndex
    // One pass over raw pointers; every length and offset is checked against both buffers.
    let complete = input.withUnsafeBufferPointer { inputBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer -> Bool in
            guard let source = inputBuffer.baseAddress else { return size == 0 }
            guard let out = outputBuffer.baseAddress else { return inputBuffer.count == start }
            let end = inputBuffer.count
            var i = start, o = 0
            while i < end {
                let tag = source[i]
                i += 1
                var length: Int, offset: Int
                switch tag & 3 {
                case 0:
                    length = Int(tag >> 2) + 1
                    if length > 60 {
                        let extra = length - 60
                        guard end - i >= extra else { return false }
                        length = 0
                        for k in 0..<extra { length |= Int(source[i + k]) << (8 * k) }
                        length += 1
                        i += extra
                    }
                    guard end - i >= length, size - o >= length else { return false }
                    (out + o).update(from: source + i, count: length)
                    i += length
                    o += length
                    continue
                case 1:
                    guard i < end else { return false }
                    length = Int((tag >> 2) & 7) + 4
                    offset = Int(tag >> 5) << 8 | Int(source[i])
                    i += 1
                case 2:
                    guard end - i >= 2 else { return false }
                    length = Int(tag >> 2) + 1
                    offset = Int(source[i]) | Int(source[i + 1]) << 8
                    i += 2
                default:
                    guard end - i >= 4 else { return false }
                    length = Int(tag >> 2) + 1
                    offset = Int(source[i]) | Int(source[i + 1]) << 8 | Int(source[i + 2]) << 16 | Int(source[i + 3]) << 24
                    i += 4
                }
                guard offset > 0, offset <= o, size - o >= length else { return false }
                // A copy may overlap what it writes (offset < length repeats a pattern): byte by byte.
                if offset >= length {
                    (out + o).update(from: out + (o - offset), count: length)
                } else {
                    for k in 0..<length { out[o + k] = out[o - offset + k] }
                }
                o += length
            }
            return o == size
        }
    }
    guard complete else { return .failure(ParquetDataProblem("a Snappy-compressed page is damaged")) }
    return .success(output)
}

/// Snappy with a greedy search for 4-byte matches through a table of recent positions.
package func snappyCompress(_ input: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(input.count / 2 + 16)
    var length = UInt64(input.count)
    while length >= 0x80 { out.append(UInt8(length & 0x7F) | 0x80); length >>= 7 }
    out.append(UInt8(length))
    func literal(_ from: Int, _ to: Int) {
        var start = from
        while start < to {
            let n = min(to - start, 65_536)
            if n <= 60 {
                out.append(UInt8(n - 1) << 2)
            } else if n <= 256 {
                out.append(60 << 2); out.append(UInt8(n - 1))
            } else {
                out.append(61 << 2); out.append(UInt8((n - 1) & 0xFF)); out.append(UInt8((n - 1) >> 8))
            }
            out.append(contentsOf: input[start..<(start + n)])
            start += n
        }
    }
    func copy(_ offset: Int, _ count: Int) {
        var left = count
        while left > 0 {
            let n = min(left, 64)
            out.append(UInt8(n - 1) << 2 | 2); out.append(UInt8(offset & 0xFF)); out.append(UInt8(offset >> 8))
            left -= n
        }
    }
    guard input.count >= 8 else { literal(0, input.count); return out }
    var table = [Int32](repeating: -1, count: 1 << 14)
    input.withUnsafeBufferPointer { buffer in
        let p = buffer.baseAddress!
        func word(_ at: Int) -> UInt32 { UnsafeRawPointer(p + at).loadUnaligned(as: UInt32.self) }
        var pending = 0
        var i = 0
        while i + 4 <= input.count {
            let w = word(i)
            let slot = Int((w &* 0x1E35_A7BD) >> 18)
            let candidate = Int(table[slot])
            table[slot] = Int32(i)
            if candidate >= 0 && i - candidate < 65_536 && word(candidate) == w {
                var n = 4
                while i + n < input.count && p[candidate + n] == p[i + n] { n += 1 }
                literal(pending, i)
                copy(i - candidate, n)
                i += n
                pending = i
            } else {
                i += 1
            }
        }
        literal(pending, input.count)
    }
    return out
}

// MARK: gzip and zstd, through the system libraries

func gzipDecompress(_ input: ArraySlice<UInt8>, size: Int) -> Result<[UInt8], ParquetDataProblem> {
    var stream = z_stream()
    // 15 + 32: a gzip or a zlib header, whichever the writer used.
    guard inflateInit2_(&stream, 47, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        return .failure(ParquetDataProblem("zlib could not start"))
    }
    defer { inflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: max(1, size))
    var input = Array(input)
    let status = input.withUnsafeMutableBufferPointer { inp in
        output.withUnsafeMutableBufferPointer { out in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(size)
            return inflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END, Int(stream.total_out) == size else {
        return .failure(ParquetDataProblem("a gzip-compressed page is damaged"))
    }
    if size == 0 { output = [] }
    return .success(output)
}

func zstdDecompress(_ input: ArraySlice<UInt8>, size: Int) -> Result<[UInt8], ParquetDataProblem> {
    var output = [UInt8](repeating: 0, count: max(1, size))
    let written = input.withUnsafeBufferPointer { inp in
        output.withUnsafeMutableBufferPointer { out in
            ZSTD_decompress(out.baseAddress, size, inp.baseAddress, inp.count)
        }
    }
    guard ZSTD_isError(written) == 0, written == size else {
        return .failure(ParquetDataProblem("a zstd-compressed page is damaged"))
    }
    if size == 0 { output = [] }
    return .success(output)
}
