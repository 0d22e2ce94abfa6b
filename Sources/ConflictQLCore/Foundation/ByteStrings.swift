// Strings of a dictionary as raw bytes in place: where each entry is, a hash of bytes eight at
// a time, and an open-addressing table that finds equal entries by hash and memcmp. Distinct
// counts, joins and grouping of text use it instead of a [String: Int32] dictionary, which
// made a String (an allocation and a copy) per entry: a million ids took 0.7 s that way.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where each entry of a dictionary is: its first byte and its length.
@usableFromInline package struct EntryLocations {
    @usableFromInline package var starts: [UnsafePointer<UInt8>]
    @usableFromInline package var lengths: [Int]

    @usableFromInline init(starts: [UnsafePointer<UInt8>], lengths: [Int]) {
        self.starts = starts
        self.lengths = lengths
    }

    @inline(__always)
    func equal(_ a: Int, _ b: Int) -> Bool {
        lengths[a] == lengths[b] && (lengths[a] == 0 || memcmp(starts[a], starts[b], lengths[a]) == 0)
    }

    /// Byte order (memcmp, then the shorter first): UTF-8 order, as DuckDB and SQLite sort.
    @inline(__always)
    func compare(_ a: Int, _ b: Int) -> Int32 {
        let common = min(lengths[a], lengths[b])
        let order = common == 0 ? 0 : memcmp(starts[a], starts[b], common)
        if order != 0 { return order }
        return lengths[a] < lengths[b] ? -1 : (lengths[a] > lengths[b] ? 1 : 0)
    }

    /// Up to eight bytes from `offset` of entry `index`, the first in the highest byte and
    /// zeros past its end, so that comparing these words orders entries as their bytes do
    /// (ties are resolved by the next word, or by length).
    @inline(__always)
    func word(_ index: Int, at offset: Int) -> UInt64 {
        wordOfBytes(starts[index], lengths[index], at: offset)
    }
}

/// Up to eight bytes from `offset` of the `length` bytes at `start`, as `EntryLocations.word`.
@inline(__always)
func wordOfBytes(_ start: UnsafePointer<UInt8>, _ length: Int, at offset: Int) -> UInt64 {
    let remaining = length - offset
    if remaining >= 8 {
        return UInt64(bigEndian: UnsafeRawPointer(start + offset).loadUnaligned(as: UInt64.self))
    }
    var word: UInt64 = 0
    var i = 0
    while i < remaining {
        word |= UInt64(start[offset + i]) << UInt64(56 - 8 * i)
        i += 1
    }
    return word
}

/// The first eight bytes of `bytes` as `EntryLocations.word` makes them (zeros past the end).
@inlinable @inline(__always)
package func leadingWord(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    if bytes.count >= 8 { return UInt64(bigEndian: UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(as: UInt64.self)) }
    var word: UInt64 = 0
    for i in 0..<bytes.count { word |= UInt64(bytes[i]) << UInt64(56 - 8 * i) }
    return word
}

extension StringDictionary {
    /// Calls `body` with each entry's index and bytes, from several threads at once for a
    /// large dictionary: `body` must only write what belongs to the entry it is given.
    @inlinable
    package func forEachEntryConcurrently(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        withSegmentBases { bases in
            for (s, segment) in segments.enumerated() {
                let base = bases[s], first = firstEntries[s]
                segment.offsets.withUnsafeBufferPointer { offsets in
                    forEachPiece(of: segment.count) { piece in
                        for i in piece {
                            body(first + i, UnsafeBufferPointer(start: base + Int(offsets[i]), count: Int(offsets[i + 1] - offsets[i])))
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with the place of every entry (valid only inside `body`).
    @inlinable
    package func withEntryLocations<R>(_ body: (EntryLocations) -> R) -> R {
        withSegmentBases { bases in
            var starts = [UnsafePointer<UInt8>](repeating: UnsafePointer(bitPattern: 1)!, count: count)
            var lengths = [Int](repeating: 0, count: count)
            for (s, segment) in segments.enumerated() {
                let first = firstEntries[s]
                segment.offsets.withUnsafeBufferPointer { offsets in
                    for i in 0..<segment.count {
                        starts[first + i] = bases[s] + Int(offsets[i])
                        lengths[first + i] = Int(offsets[i + 1] - offsets[i])
                    }
                }
            }
            return body(EntryLocations(starts: starts, lengths: lengths))
        }
    }
}

/// A hash of `count` bytes at `start`, eight at a time (unaligned loads), with a strong
/// final mix so that the low bits index a table well.
@inline(__always)
func hashBytes(_ start: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    @inline(__always) func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 32
        z = z &* 0xD6E8_FEB8_6659_FD93
        return z ^ (z >> 29)
    }
    let raw = UnsafeRawPointer(start)
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
    var i = 0
    while i + 8 <= count {
        h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        i += 8
    }
    if i < count {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(start[i]) << shift
            shift += 8
            i += 1
        }
        h = mix(h ^ tail)
    }
    return mix(h)
}

/// An open-addressing table of byte strings named by number (entries of one dictionary, or
/// of two: the caller says where number `n`'s bytes are). A slot holds a number and a
/// 32-bit tag of its hash, so most probes that miss compare no bytes.
struct ByteStringTable {
    private var slots: [Int32]
    private var tags: [UInt32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        tags = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// The number already in the table whose bytes equal `bytes`, or, when there is none,
    /// -1 after adding `number` (when `number` is not nil).
    @inline(__always)
    mutating func findOrInsert(_ start: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, number: Int32?,
                               bytesOf: (Int32) -> (UnsafePointer<UInt8>, Int)) -> Int32 {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let held = slots[slot]
            if held < 0 {
                if let number {
                    slots[slot] = number
                    tags[slot] = tag
                }
                return -1
            }
            if tags[slot] == tag {
                let (other, otherLength) = bytesOf(held)
                if otherLength == length && (length == 0 || memcmp(other, start, length) == 0) { return held }
            }
            slot = (slot + 1) & mask
        }
    }
}

extension StringDictionary {
    /// For each entry, the index of the first entry holding the same string (bytes hashed
    /// in place; no String is made).
    package func firstEqualEntries() -> [Int32] {
        if isUnique { return (0..<Int32(count)).map { $0 } }
        return withEntryLocations { places in
            // Hashing reads every byte: it is split over the cores; the table is filled in order.
            var hashes = [UInt64](repeating: 0, count: count)
            hashes.withUnsafeMutableBufferPointer { hashes in
                forEachPiece(of: count) { piece in
                    for index in piece { hashes[index] = hashBytes(places.starts[index], places.lengths[index]) }
                }
            }
            var table = ByteStringTable(capacity: count)
            var ids = [Int32](repeating: 0, count: count)
            for index in 0..<count {
                let start = places.starts[index], length = places.lengths[index]
                let found = table.findOrInsert(start, length, hash: hashes[index], number: Int32(index)) {
                    (places.starts[Int($0)], places.lengths[Int($0)])
                }
                ids[index] = found < 0 ? Int32(index) : found
            }
            return ids
        }
    }

    /// For each entry of `other`, the index of the entry of this dictionary holding the same
    /// string, or -1 (the first such entry when this one is not unique).
    package func matchingEntries(of other: StringDictionary) -> [Int32] {
        withEntryLocations { mine in
            var table = ByteStringTable(capacity: count)
            for index in 0..<count {
                let start = mine.starts[index], length = mine.lengths[index]
                _ = table.findOrInsert(start, length, hash: hashBytes(start, length), number: Int32(index)) {
                    (mine.starts[Int($0)], mine.lengths[Int($0)])
                }
            }
            return other.withEntryLocations { theirs in
                (0..<other.count).map { index in
                    let start = theirs.starts[index], length = theirs.lengths[index]
                    return table.findOrInsert(start, length, hash: hashBytes(start, length), number: nil) {
                        (mine.starts[Int($0)], mine.lengths[Int($0)])
                    }
                }
            }
        }
    }
}

extension StringDictionary {
    /// Whether two of the entries `used` marks (a bit per entry; every entry when nil) may
    /// hold the same string. False is certain: their 64-bit hashes all differ. True when two
    /// hashes are equal, for the caller to find out exactly. The load's check for repeated
    /// event ids asks this first. The hashes are split by their top bits into partitions of
    /// about 64K (each checked with a table that stays in the caches), on all cores, and
    /// hashed twice (to count each partition, then to place) so that only they are held:
    /// 8 bytes an entry. One table for every entry, probed at random on one core, was 5% of
    /// a 5M-row load, and grew worse than linearly.
    package func mayHoldEqualEntries(used: [UInt64]? = nil) -> Bool {
        @inline(__always) func isUsed(_ i: Int) -> Bool { used.map { $0[i >> 6] & (1 << UInt64(i & 63)) != 0 } ?? true }
        let entries = used.map { $0.reduce(0) { $0 + $1.nonzeroBitCount } } ?? count
        if isUnique || entries < 2 { return false }
        // Constants, not variables, for the closures below: a variable they capture is checked
        // for exclusive access at every use, once an entry (a fifth of the check's time).
        let bits = (0..<64).first { entries >> $0 <= 65_536 } ?? 63
        let partitions = 1 << bits
        @inline(__always) func partition(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> UInt64(64 - bits)) }
        // Pieces of the segments, of about the same size, the same for both passes.
        let pieces = segments.enumerated().flatMap { s, segment in
            let k = max(1, min(System.coreCount * 4, segment.count / 16_384))
            return (0..<k).map { j in (segment: s, range: segment.count * j / k..<segment.count * (j + 1) / k) }
        }
        return withSegmentBases { bases in
            /// The hash (never 0: an empty slot) of each used entry of piece `k`.
            @inline(__always) func eachHash(_ k: Int, _ body: (UInt64) -> Void) {
                let (s, range) = pieces[k]
                let first = firstEntries[s]
                segments[s].offsets.withUnsafeBufferPointer { offsets in
                    for i in range where isUsed(first + i) {
                        let hash = hashBytes(bases[s] + Int(offsets[i]), Int(offsets[i + 1] - offsets[i]))
                        body(hash == 0 ? 1 : hash)
                    }
                }
            }
            // Each piece's count of each partition, then where each piece puts each partition's.
            var places = [Int](repeating: 0, count: pieces.count * partitions)
            places.withUnsafeMutableBufferPointer { counts in
                forEachPiece(of: pieces.count, minimumPiece: 1) { range in
                    for k in range { eachHash(k) { counts[k * partitions + partition($0)] += 1 } }
                }
            }
            var starts = [Int](repeating: 0, count: partitions + 1)
            var next = 0
            for p in 0..<partitions {
                starts[p] = next
                for k in pieces.indices {
                    let n = places[k * partitions + p]
                    places[k * partitions + p] = next
                    next += n
                }
            }
            starts[partitions] = next
            var hashes = [UInt64](repeating: 0, count: entries)
            hashes.withUnsafeMutableBufferPointer { hashes in
                places.withUnsafeMutableBufferPointer { places in
                    forEachPiece(of: pieces.count, minimumPiece: 1) { range in
                        for k in range {
                            eachHash(k) { hash in
                                let slot = k * partitions + partition(hash)
                                hashes[places[slot]] = hash
                                places[slot] += 1
                            }
                        }
                    }
                }
            }
            var repeats = [Bool](repeating: false, count: partitions)
            let largest = (0..<partitions).map { starts[$0 + 1] - starts[$0] }.max() ?? 0
            var size = 16
            while size < largest * 2 { size <<= 1 }
            hashes.withUnsafeBufferPointer { hashes in
                repeats.withUnsafeMutableBufferPointer { repeats in
                    forEachPiece(of: partitions, minimumPiece: 1) { range in
                        var table = [UInt64](repeating: 0, count: size)
                        for p in range {
                            var tableSize = 16
                            while tableSize < (starts[p + 1] - starts[p]) * 2 { tableSize <<= 1 }
                            let mask = tableSize - 1
                            for k in 0..<tableSize { table[k] = 0 }
                            search: for hash in hashes[starts[p]..<starts[p + 1]] {
                                var slot = Int(truncatingIfNeeded: hash) & mask
                                while table[slot] != 0 {
                                    if table[slot] == hash { repeats[p] = true; break search }
                                    slot = (slot + 1) & mask
                                }
                                table[slot] = hash
                            }
                        }
                    }
                }
            }
            return repeats.contains(true)
        }
    }
}

extension StringDictionary {
    /// The number of distinct strings among the entries `used` marks (a bit per entry; every
    /// entry when nil): `count(distinct x)` of a text column. One hash table for every entry
    /// outgrows the caches (for 20M ids it was 512 MB probed at random, and four times the
    /// entries of 5M took sixteen times as long), so the entries are first split by their
    /// hashes' top bits into partitions of about 64K, each counted with its own small table,
    /// the partitions on all cores.
    package func distinctCount(used: [UInt64]? = nil) -> Int {
        @inline(__always) func isUsed(_ i: Int) -> Bool { used.map { $0[i >> 6] & (1 << UInt64(i & 63)) != 0 } ?? true }
        let entries = used.map { $0.reduce(0) { $0 + $1.nonzeroBitCount } } ?? count
        if isUnique || entries < 2 { return entries }
        return withEntryLocations { places in
            var bits = 0
            while entries >> bits > 65_536 { bits += 1 }
            let partitions = 1 << bits
            // The top `bits` bits name the partition (a shift by 64 gives 0: one partition).
            @inline(__always) func partition(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> UInt64(64 - bits)) }
            var hashes = [UInt64](repeating: 0, count: count)
            hashes.withUnsafeMutableBufferPointer { hashes in
                forEachPiece(of: count) { piece in
                    for i in piece where isUsed(i) { hashes[i] = hashBytes(places.starts[i], places.lengths[i]) }
                }
            }
            var bounds = [Int](repeating: 0, count: partitions + 1)
            for i in 0..<count where isUsed(i) { bounds[partition(hashes[i]) + 1] += 1 }
            for p in 0..<partitions { bounds[p + 1] += bounds[p] }
            let starts = bounds
            var next = bounds
            var partHashes = [UInt64](repeating: 0, count: entries)
            var partEntries = [Int32](repeating: 0, count: entries)
            for i in 0..<count where isUsed(i) {
                let p = partition(hashes[i])
                partHashes[next[p]] = hashes[i]
                partEntries[next[p]] = Int32(i)
                next[p] += 1
            }
            hashes = []
            var distinct = [Int](repeating: 0, count: partitions)
            let largest = (0..<partitions).map { starts[$0 + 1] - starts[$0] }.max() ?? 0
            var size = 16
            while size < largest * 2 { size <<= 1 }
            distinct.withUnsafeMutableBufferPointer { distinct in
                partHashes.withUnsafeBufferPointer { partHashes in
                    partEntries.withUnsafeBufferPointer { partEntries in
                        forEachPiece(of: partitions, minimumPiece: 1) { range in
                            // Slots hold a position in the partition's arrays, or -1.
                            var slots = [Int32](repeating: -1, count: size)
                            for p in range {
                                let first = starts[p], members = starts[p + 1] - first
                                var tableSize = 16
                                while tableSize < members * 2 { tableSize <<= 1 }
                                let mask = tableSize - 1
                                for k in 0..<tableSize { slots[k] = -1 }
                                var found = 0
                                for k in first..<first + members {
                                    let hash = partHashes[k]
                                    var slot = Int(truncatingIfNeeded: hash) & mask
                                    while true {
                                        let held = Int(slots[slot])
                                        if held < 0 {
                                            slots[slot] = Int32(k - first)
                                            found += 1
                                            break
                                        }
                                        if partHashes[first + held] == hash
                                            && places.equal(Int(partEntries[first + held]), Int(partEntries[k])) { break }
                                        slot = (slot + 1) & mask
                                    }
                                }
                                distinct[p] = found
                            }
                        }
                    }
                }
            }
            return distinct.reduce(0, +)
        }
    }
}
