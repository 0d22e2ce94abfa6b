// Decoding a page's values: the RLE/bit-packed hybrid (definition levels, dictionary indices,
// booleans), PLAIN for every physical type, the DELTA encodings and BYTE_STREAM_SPLIT. Each
// decoder reads from a `PageCursor` whose every read is checked, so a page that lies about its
// counts or lengths is a `ParquetDataProblem`, never a read past its end.

/// A position in a decompressed page.
struct PageCursor {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }

    static let truncated = ParquetDataProblem("a page ends before its values do")

    mutating func take(_ count: Int) throws(ParquetDataProblem) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw PageCursor.truncated }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func byte() throws(ParquetDataProblem) -> UInt8 {
        guard position < end else { throw PageCursor.truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint32() throws(ParquetDataProblem) -> UInt32 {
        let r = try take(4)
        return UInt32(bytes[r.lowerBound]) | UInt32(bytes[r.lowerBound + 1]) << 8 | UInt32(bytes[r.lowerBound + 2]) << 16
            | UInt32(bytes[r.lowerBound + 3]) << 24
    }

    mutating func varint() throws(ParquetDataProblem) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw ParquetDataProblem("a page holds a number longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func zigzag() throws(ParquetDataProblem) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// `count` values of `width` bits each, packed from the least significant bit.
    mutating func unpack(_ count: Int, width: Int, into values: inout [UInt64]) throws(ParquetDataProblem) {
        guard width > 0, count > 0 else {
            values.append(contentsOf: repeatElement(0, count: count))
            return
        }
        let (bits, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw PageCursor.truncated }
        let range = try take((bits + 7) / 8)
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        bytes.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress! + range.lowerBound
            let length = range.count
            for k in 0..<count {
                let bit = k * width
                let first = bit >> 3
                let shift = UInt64(bit & 7)
                // Up to 9 bytes hold one value: a 64-bit load and, for wide values, one byte more.
                var word: UInt64 = 0
                if first + 8 <= length {
                    word = UInt64(littleEndian: UnsafeRawPointer(p + first).loadUnaligned(as: UInt64.self))
                } else {
                    for b in 0..<(length - first) { word |= UInt64(p[first + b]) << UInt64(8 * b) }
                }
                var value = word >> shift
                if shift > 0 && width + Int(shift) > 64 && first + 8 < length {
                    value |= UInt64(p[first + 8]) << (64 - shift)
                }
                values.append(value & mask)
            }
        }
    }

    /// The RLE/bit-packed hybrid: `count` values of `width` bits (at most 32), written straight
    /// into the result (this is the hottest loop of a load: levels and dictionary indices).
    mutating func hybrid(_ count: Int, width: Int) throws(ParquetDataProblem) -> [UInt32] {
        guard width >= 0, width <= 32 else { throw ParquetDataProblem("a page gives a bit width of \(width), more than 32") }
        var failure: ParquetDataProblem? = nil
        let values = [UInt32](unsafeUninitializedCapacity: count) { out, initialized in
            initialized = 0
            do throws(ParquetDataProblem) {
                while initialized < count {
                    let header = try varint()
                    let left = count - initialized
                    if header & 1 == 0 {
                        var value: UInt32 = 0
                        let r = try take((width + 7) / 8)
                        for (k, i) in r.enumerated() { value |= UInt32(bytes[i]) << UInt32(8 * k) }
                        guard width == 32 || value >> UInt32(width) == 0 else {
                            throw ParquetDataProblem("a page holds a value wider than its bit width")
                        }
                        let n = Int(min(header >> 1, UInt64(left)))
                        (out.baseAddress! + initialized).initialize(repeating: value, count: n)
                        initialized += n
                    } else {
                        let groups = header >> 1
                        guard groups <= UInt64(remaining) else { throw PageCursor.truncated }
                        // The last run may be cut short by the page's end where it is padding.
                        let wanted = Int(groups) * 8
                        let available = width == 0 ? wanted : min(wanted, (remaining * 8) / width)
                        guard available >= min(wanted, left) else { throw PageCursor.truncated }
                        let n = min(available, left)
                        let r = try take((available * width + 7) / 8)
                        unpack32(n, width: width, from: r, into: out.baseAddress! + initialized)
                        initialized += n
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return values
    }

    /// `count` values of `width` bits (at most 32) from the bytes of `range`, into `out`.
    private func unpack32(_ count: Int, width: Int, from range: Range<Int>, into out: UnsafeMutablePointer<UInt32>) {
        guard width > 0 else {
            out.initialize(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = (1 << UInt64(width)) - 1
        bytes.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress! + range.lowerBound
            let length = range.count
            for k in 0..<count {
                let bit = k * width
                let first = bit >> 3
                var word: UInt64 = 0
                if first + 8 <= length {
                    word = UInt64(littleEndian: UnsafeRawPointer(p + first).loadUnaligned(as: UInt64.self))
                } else {
                    for b in 0..<(length - first) { word |= UInt64(p[first + b]) << UInt64(8 * b) }
                }
                (out + k).initialize(to: UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask))
            }
        }
    }

    /// A page's definition levels of a flat optional column (0 null, 1 a value): nil when every
    /// row has a value, so that the common page without nulls is appended whole.
    mutating func definedRows(_ count: Int) throws(ParquetDataProblem) -> [Bool]? {
        let levels = try hybrid(count, width: 1)
        if !levels.contains(0) { return nil }
        return levels.map { $0 == 1 }
    }

    /// DELTA_BINARY_PACKED: integers as deltas, in blocks of bit-packed miniblocks.
    mutating func deltaBinaryPacked(limit: Int) throws(ParquetDataProblem) -> [Int64] {
        let blockSize = try varint(), miniblocks = try varint(), total = try varint()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0, total <= UInt64(limit) else {
            throw ParquetDataProblem("a DELTA_BINARY_PACKED header is damaged")
        }
        var values: [Int64] = []
        values.reserveCapacity(Int(total))
        var previous = try zigzag()
        if total > 0 { values.append(previous) }
        let perMiniblock = Int(blockSize / miniblocks)
        var deltas: [UInt64] = []
        while values.count < Int(total) {
            let minimum = try zigzag()
            let widths = try take(Int(miniblocks))
            for w in widths where values.count < Int(total) {
                let width = Int(bytes[w])
                guard width <= 64 else { throw ParquetDataProblem("a DELTA_BINARY_PACKED miniblock is wider than 64 bits") }
                deltas.removeAll(keepingCapacity: true)
                try unpack(perMiniblock, width: width, into: &deltas)
                for d in deltas.prefix(Int(total) - values.count) {
                    previous = previous &+ minimum &+ Int64(bitPattern: d)
                    values.append(previous)
                }
            }
        }
        return values
    }
}

/// Byte strings of a page: each `buffer[starts[i]..<ends[i]]`.
struct ByteStrings {
    var buffer: [UInt8]
    var starts: [Int] = []
    var ends: [Int] = []

    var count: Int { starts.count }

    init(buffer: [UInt8]) { self.buffer = buffer }
}

/// The values of one page (or dictionary), as their physical type gives them.
enum PageValues {
    case ints([Int64])
    case doubles([Double])
    case bools([Bool])
    case bytes(ByteStrings)

    var count: Int {
        switch self {
        case .ints(let v): return v.count
        case .doubles(let v): return v.count
        case .bools(let v): return v.count
        case .bytes(let v): return v.count
        }
    }
}

extension PageCursor {
    /// `count` values of `type` in `encoding` (not a dictionary's indices).
    mutating func values(_ count: Int, type: ParquetPhysicalType, typeLength: Int, encoding: ParquetEncoding)
        throws(ParquetDataProblem) -> PageValues {
        switch (encoding, type) {
        case (.plain, .boolean):
            var bits: [UInt64] = []
            try unpack(count, width: 1, into: &bits)
            return .bools(bits.map { $0 != 0 })
        case (.rle, .boolean):
            _ = try uint32()  // the length of the runs, which end where the page does
            return .bools(try hybrid(count, width: 1).map { $0 != 0 })
        case (.plain, .int32):
            let r = try take(try byteCount(count, 4))
            return .ints(littleEndian(r, width: 4, count: count).map { Int64(Int32(truncatingIfNeeded: $0)) })
        case (.plain, .int64):
            let r = try take(try byteCount(count, 8))
            return .ints(littleEndian(r, width: 8, count: count).map { Int64(bitPattern: $0) })
        case (.plain, .float):
            let r = try take(try byteCount(count, 4))
            return .doubles(littleEndian(r, width: 4, count: count).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) })
        case (.plain, .double):
            let r = try take(try byteCount(count, 8))
            return .doubles(littleEndian(r, width: 8, count: count).map { Double(bitPattern: $0) })
        case (.plain, .int96):
            // Nanoseconds of the day (8 bytes), then the Julian day (4): Spark's old timestamps.
            let r = try take(try byteCount(count, 12))
            var nanoseconds: [Int64] = []
            nanoseconds.reserveCapacity(count)
            for k in 0..<count {
                let base = r.lowerBound + 12 * k
                var nanos: UInt64 = 0
                for b in 0..<8 { nanos |= UInt64(bytes[base + b]) << UInt64(8 * b) }
                var julian: UInt32 = 0
                for b in 0..<4 { julian |= UInt32(bytes[base + 8 + b]) << UInt32(8 * b) }
                let days = Int64(julian) - 2_440_588
                let (dayNanos, o1) = days.multipliedReportingOverflow(by: 86_400_000_000_000)
                let (total, o2) = dayNanos.addingReportingOverflow(Int64(bitPattern: nanos))
                guard !o1, !o2 else { throw ParquetDataProblem("an INT96 timestamp is out of range") }
                nanoseconds.append(total)
            }
            return .ints(nanoseconds)
        case (.plain, .byteArray):
            var strings = ByteStrings(buffer: bytes)
            strings.starts.reserveCapacity(count)
            strings.ends.reserveCapacity(count)
            for _ in 0..<count {
                let length = Int(try uint32())
                let r = try take(length)
                strings.starts.append(r.lowerBound)
                strings.ends.append(r.upperBound)
            }
            return .bytes(strings)
        case (.plain, .fixedLengthByteArray):
            guard typeLength > 0 else { throw ParquetDataProblem("a fixed-length column has no length") }
            let r = try take(try byteCount(count, typeLength))
            var strings = ByteStrings(buffer: bytes)
            strings.starts = (0..<count).map { r.lowerBound + $0 * typeLength }
            strings.ends = strings.starts.map { $0 + typeLength }
            return .bytes(strings)
        case (.deltaBinaryPacked, .int32), (.deltaBinaryPacked, .int64):
            let values = try deltaBinaryPacked(limit: count)
            guard values.count == count else {
                throw ParquetDataProblem("a page holds \(values.count) values where its header says \(count)")
            }
            return .ints(type == .int32 ? values.map { Int64(Int32(truncatingIfNeeded: $0)) } : values)
        case (.deltaLengthByteArray, .byteArray):
            let lengths = try deltaBinaryPacked(limit: count)
            guard lengths.count == count else { throw PageCursor.truncated }
            var strings = ByteStrings(buffer: bytes)
            for length in lengths {
                guard let n = Int(exactly: length) else { throw PageCursor.truncated }
                let r = try take(n)
                strings.starts.append(r.lowerBound)
                strings.ends.append(r.upperBound)
            }
            return .bytes(strings)
        case (.deltaByteArray, .byteArray), (.deltaByteArray, .fixedLengthByteArray):
            let prefixes = try deltaBinaryPacked(limit: count)
            let suffixes = try deltaBinaryPacked(limit: count)
            guard prefixes.count == count, suffixes.count == count else { throw PageCursor.truncated }
            var strings = ByteStrings(buffer: [])
            var previous: Range<Int> = 0..<0
            for (prefix, suffix) in zip(prefixes, suffixes) {
                guard let p = Int(exactly: prefix), p >= 0, p <= previous.count, let s = Int(exactly: suffix) else {
                    throw ParquetDataProblem("a DELTA_BYTE_ARRAY page is damaged")
                }
                let r = try take(s)
                let start = strings.buffer.count
                strings.buffer.append(contentsOf: strings.buffer[previous.lowerBound..<(previous.lowerBound + p)])
                strings.buffer.append(contentsOf: bytes[r])
                previous = start..<strings.buffer.count
                strings.starts.append(previous.lowerBound)
                strings.ends.append(previous.upperBound)
            }
            return .bytes(strings)
        case (.byteStreamSplit, .float), (.byteStreamSplit, .double), (.byteStreamSplit, .int32), (.byteStreamSplit, .int64):
            let width = type == .float || type == .int32 ? 4 : 8
            let r = try take(try byteCount(count, width))
            var words = [UInt64](repeating: 0, count: count)
            for b in 0..<width {
                for k in 0..<count { words[k] |= UInt64(bytes[r.lowerBound + b * count + k]) << UInt64(8 * b) }
            }
            switch type {
            case .float: return .doubles(words.map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) })
            case .double: return .doubles(words.map { Double(bitPattern: $0) })
            case .int32: return .ints(words.map { Int64(Int32(truncatingIfNeeded: $0)) })
            default: return .ints(words.map { Int64(bitPattern: $0) })
            }
        default:
            throw ParquetDataProblem(.parquetEncoding(encoding.name, "\(type)"))
        }
    }

    private func byteCount(_ count: Int, _ width: Int) throws(ParquetDataProblem) -> Int {
        let (n, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw PageCursor.truncated }
        return n
    }

    /// `count` little-endian words of `width` bytes from `range`.
    private func littleEndian(_ range: Range<Int>, width: Int, count: Int) -> [UInt64] {
        guard count > 0 else { return [] }
        return bytes.withUnsafeBufferPointer { buffer in
            let p = UnsafeRawPointer(buffer.baseAddress! + range.lowerBound)
            if width == 8 { return (0..<count).map { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) } }
            return (0..<count).map { UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }
}
