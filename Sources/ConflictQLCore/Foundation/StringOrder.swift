// Ranking a dictionary's strings in byte order without a comparison closure per pair: entries
// are sorted by their first eight bytes as one big-endian integer (a radix sort), then each
// run that shares those bytes by the next 32, and so on (a most-significant-first sort).
// Free text shares long openings ("On 9 September 2024, ..."), which cost a few words each
// instead of a memcmp per comparison: ranking a million notes took 1–2 s with memcmp in a
// closure. Reading an entry's bytes in sorted order is a cache miss each time, so each visit
// reads 32 bytes, and carries where the entry is, so that no other array is read out of place.

extension StringDictionary {
    /// The entries' indices in byte order (equal strings next to each other, in index order).
    func entriesInByteOrder(cancellation: Cancellation? = nil) -> [Int32] {
        withEntryLocations { places in entriesInByteOrder(places, cancellation: cancellation) }
    }

    /// The entries' indices in byte order; with `sameAsPrevious`, also marks each position
    /// whose entry holds the same string as the position before it.
    func entriesInByteOrder(_ places: EntryLocations, cancellation: Cancellation?,
                            sameAsPrevious: UnsafeMutableBufferPointer<Bool>? = nil) -> [Int32] {
        if count == 0 { return [] }
        let sorted = firstWordOrder(places)
        // Runs of entries sharing their first word, in pieces holding about the same number
        // of entries: a few hundred runs of thousands each (notes share "On 12 Oc") must still
        // use every core.
        var runs: [Range<Int>] = []
        var runStart = 0
        for i in 1...count where i == count || sorted[i].word != sorted[runStart].word {
            if i - runStart > 1 { runs.append(runStart..<i) }
            runStart = i
        }
        let inRuns = runs.reduce(0) { $0 + $1.count }
        let wanted = inRuns < 32_768 ? 1 : System.coreCount * 8
        var pieces: [Range<Int>] = []
        var pieceStart = 0, filled = 0
        for (k, run) in runs.enumerated() {
            filled += run.count
            if filled * wanted >= inRuns * (pieces.count + 1) || k == runs.count - 1 {
                pieces.append(pieceStart..<k + 1)
                pieceStart = k + 1
            }
        }
        var located = [LocatedEntry](unsafeUninitializedCapacity: count) { buffer, initialized in
            let target = UncheckedSendable(value: buffer)
            forEachPiece(of: count) { piece in
                for i in piece {
                    let entry = Int(sorted[i].entry)
                    (target.value.baseAddress! + i).initialize(to: LocatedEntry(start: places.starts[entry], length: places.lengths[entry], entry: Int32(entry)))
                }
            }
            initialized = count
        }
        located.withUnsafeMutableBufferPointer { located in
            // Runs are disjoint: each piece of them reorders only its own part of `located`.
            forEachPiece(of: pieces.count, minimumPiece: 1) { chosen in
                let sorter = RunSorter(sameAsPrevious: sameAsPrevious)
                for piece in chosen {
                    for (k, r) in runs[pieces[piece]].enumerated() {
                        if k & 0xFF == 0, cancellation?.isCancelled == true { return }
                        sorter.sort(located, r, offset: 8)
                    }
                }
            }
        }
        return located.map(\.entry)
    }

    /// Every entry with its first word, ordered by the word (a stable least-significant-byte
    /// radix sort of the pairs, bytes every word shares skipped), in pieces sorted on the
    /// cores and then merged.
    private func firstWordOrder(_ places: EntryLocations) -> [WordEntry] {
        var sortedPieces = mapPieces(of: count, minimumPiece: 32_768) { range in
            Self.radixSorted(range.map { WordEntry(word: places.word($0, at: 0), entry: Int32($0)) })
        }
        while sortedPieces.count > 1 {
            var merged: [[WordEntry]] = []
            for k in stride(from: 0, to: sortedPieces.count, by: 2) {
                merged.append(k + 1 < sortedPieces.count ? Self.merged(sortedPieces[k], sortedPieces[k + 1]) : sortedPieces[k])
            }
            sortedPieces = merged
        }
        return sortedPieces[0]
    }

    private static func radixSorted(_ pairs: [WordEntry]) -> [WordEntry] {
        var order = pairs
        var scratch = pairs
        let shared = pairs.reduce(~0 as UInt64) { $0 & $1.word }, either = pairs.reduce(0 as UInt64) { $0 | $1.word }
        for shift in stride(from: 0 as UInt64, to: 64, by: 8) {
            // A byte that is the same in every word moves nothing.
            if (shared >> shift) & 0xFF == (either >> shift) & 0xFF { continue }
            var counts = [Int](repeating: 0, count: 257)
            for pair in order { counts[Int((pair.word >> shift) & 0xFF) + 1] += 1 }
            for b in 0..<256 { counts[b + 1] += counts[b] }
            scratch.withUnsafeMutableBufferPointer { scratch in
                for pair in order {
                    let b = Int((pair.word >> shift) & 0xFF)
                    scratch[counts[b]] = pair
                    counts[b] += 1
                }
            }
            swap(&order, &scratch)
        }
        return order
    }

    /// Two sorted pieces as one; on equal words the first piece's (lower indices) go first.
    private static func merged(_ a: [WordEntry], _ b: [WordEntry]) -> [WordEntry] {
        var result: [WordEntry] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if b[j].word < a[i].word { result.append(b[j]); j += 1 } else { result.append(a[i]); i += 1 }
        }
        result.append(contentsOf: a[i...])
        result.append(contentsOf: b[j...])
        return result
    }

    /// Each entry's rank in byte order; equal strings share one.
    func byteOrderRanks(cancellation: Cancellation? = nil) -> [Int32] {
        withEntryLocations { places in
            // The sort marks the positions that repeat the string before them, so no pass
            // compares neighbours' bytes again (that pass read every entry out of place).
            var same = [Bool](repeating: false, count: isUnique ? 0 : count)
            let order = same.withUnsafeMutableBufferPointer { same in
                entriesInByteOrder(places, cancellation: cancellation, sameAsPrevious: isUnique ? nil : same)
            }
            var ranks = [Int32](repeating: 0, count: count)
            var rank: Int32 = -1
            for (position, index) in order.enumerated() {
                if isUnique || !same[position] { rank += 1 }
                ranks[Int(index)] = rank
            }
            return ranks
        }
    }
}

/// An entry's first word, for the radix sort that starts the ordering.
struct WordEntry {
    var word: UInt64
    var entry: Int32
}

/// An entry with where its bytes are, so that sorting it reads nothing else out of place.
struct LocatedEntry {
    var start: UnsafePointer<UInt8>
    var length: Int
    var entry: Int32
}

/// Sorts runs of entries that share their first `offset` bytes (see the top of the file), with
/// its buffers kept between runs. Past the first 40 bytes most runs hold two to six entries
/// (a million notes make 900,000 such runs), so a run costs no allocation and few calls.
final class RunSorter {
    /// Set at each position whose entry holds the same string as the one before it (when given).
    let sameAsPrevious: UnsafeMutableBufferPointer<Bool>?
    private var keys: UnsafeMutablePointer<RunKey>
    private var capacity = 1_024
    private var positions: [Int32] = []
    private var runs: [(start: Int, end: Int, offset: Int)] = []

    init(sameAsPrevious: UnsafeMutableBufferPointer<Bool>? = nil) {
        self.sameAsPrevious = sameAsPrevious
        keys = .allocate(capacity: capacity)
    }

    deinit { keys.deallocate() }

    func sort(_ located: UnsafeMutableBufferPointer<LocatedEntry>, _ range: Range<Int>, offset: Int) {
        // A stack, not recursion: a long shared opening would nest one level per 32 bytes.
        runs.append((range.lowerBound, range.upperBound, offset))
        while let (start, end, offset) = runs.popLast() {
            let n = end - start
            if n > capacity {
                keys.deallocate()
                capacity = max(n, capacity * 2)
                keys = .allocate(capacity: capacity)
            }
            for i in 0..<n { (keys + i).initialize(to: RunKey(located[start + i], offset: offset)) }
            // A run whose entries all go on past these 32 bytes and share them (a long common
            // opening, "On 21 May 2022, fighting between ...") is already in order.
            let first = keys[0]
            if first.tail == RunKey.continues, (1..<n).allSatisfy({ keys[$0].sameBytes(first) }) {
                runs.append((start, end, offset + 32))
                continue
            }
            // Equal keys are equal strings; they keep index order (runs come in index order).
            if n <= 16 {
                for i in 1..<n {
                    let key = keys[i]
                    var j = i
                    while j > 0 && key.precedes(keys[j - 1]) { keys[j] = keys[j - 1]; j -= 1 }
                    keys[j] = key
                }
                place(located, start: start, count: n, offset: offset) { [keys] in keys[$0] }
            } else {
                // Large runs move their keys' positions, not the keys.
                positions.removeAll(keepingCapacity: true)
                positions.append(contentsOf: 0..<Int32(n))
                let keys = keys
                positions.sort { keys[Int($0)].precedes(keys[Int($1)]) }
                positions.withUnsafeBufferPointer { positions in
                    place(located, start: start, count: n, offset: offset) { keys[Int(positions[$0])] }
                }
            }
        }
    }

    /// Writes a sorted run back, marks equal strings, and queues the parts that share all 32
    /// bytes and go on.
    @inline(__always)
    private func place(_ located: UnsafeMutableBufferPointer<LocatedEntry>, start: Int, count n: Int, offset: Int,
                       _ sorted: (Int) -> RunKey) {
        var runStart = start
        var next = sorted(0)
        for k in 0..<n {
            let key = next
            located[start + k] = LocatedEntry(start: key.start, length: key.length, entry: key.entry)
            if k + 1 < n {
                next = sorted(k + 1)
                if next.sameBytes(key) {
                    if key.tail < RunKey.continues { sameAsPrevious?[start + k + 1] = true }
                    continue
                }
            }
            let runEnd = start + k + 1
            if runEnd - runStart > 1, key.tail == RunKey.continues { runs.append((runStart, runEnd, offset + 32)) }
            runStart = runEnd
        }
    }
}

/// An entry's next 32 bytes as four big-endian words (zeros past its end) and how many bytes
/// it has from there (`continues` when more than 32): equal words and equal `tail` below
/// `continues` mean equal strings; equal words and a shorter tail mean a prefix, which sorts
/// first.
struct RunKey {
    static let continues: Int32 = 33
    var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64
    var start: UnsafePointer<UInt8>
    var length: Int
    var tail: Int32
    var entry: Int32

    @inline(__always)
    init(_ place: LocatedEntry, offset: Int) {
        start = place.start
        length = place.length
        entry = place.entry
        tail = Int32(min(length - offset, Int(RunKey.continues)))   // below 0 for an entry within the first word
        if length - offset >= 32 {
            let raw = UnsafeRawPointer(start + offset)
            w0 = UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
            w1 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            w2 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            w3 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        } else {
            w0 = wordOfBytes(start, length, at: offset)
            w1 = wordOfBytes(start, length, at: offset + 8)
            w2 = wordOfBytes(start, length, at: offset + 16)
            w3 = wordOfBytes(start, length, at: offset + 24)
        }
    }

    @inline(__always)
    func sameBytes(_ other: RunKey) -> Bool {
        w0 == other.w0 && w1 == other.w1 && w2 == other.w2 && w3 == other.w3 && tail == other.tail
    }

    @inline(__always)
    func precedes(_ other: RunKey) -> Bool {
        if w0 != other.w0 { return w0 < other.w0 }
        if w1 != other.w1 { return w1 < other.w1 }
        if w2 != other.w2 { return w2 < other.w2 }
        if w3 != other.w3 { return w3 < other.w3 }
        if tail != other.tail { return tail < other.tail }
        return entry < other.entry
    }
}
