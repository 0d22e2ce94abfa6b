// Ranking a dictionary's strings in byte order without a comparison closure per pair: entries
// are sorted by their first eight bytes as one big-endian integer, then each run that shares
// those bytes by the next eight, and so on (a most-significant-word-first sort). Free text
// shares long openings ("On 9 September 2024, ..."), which cost a few words each instead of a
// memcmp per comparison: ranking a million notes took 1–2 s with memcmp in a closure.

extension StringDictionary {
    /// The entries' indices in byte order (equal strings next to each other, in index order).
    func entriesInByteOrder(cancellation: Cancellation? = nil) -> [Int32] {
        withEntryLocations { places in entriesInByteOrder(places, cancellation: cancellation) }
    }

    func entriesInByteOrder(_ places: EntryLocations, cancellation: Cancellation?) -> [Int32] {
        // The first word of every entry by a radix sort (stable, so equal words keep index
        // order), then the runs that share it, split over the cores.
        if count == 0 { return [] }
        let words = (0..<count).map { places.word($0, at: 0) }
        var order = radixOrder(firstWords: words)
        var runs: [Range<Int>] = []
        var runStart = 0
        for i in 1...count where i == count || words[Int(order[i])] != words[Int(order[runStart])] {
            if i - runStart > 1 { runs.append(runStart..<i) }
            runStart = i
        }
        order.withUnsafeMutableBufferPointer { order in
            // Runs are disjoint: each piece of them reorders only its own part of `order`.
            forEachPiece(of: runs.count, minimumPiece: 1_024) { piece in
                var sorter = RunSorter(places: places)
                for (k, r) in runs[piece].enumerated() {
                    if k & 0xFF == 0, cancellation?.isCancelled == true { return }
                    sorter.sort(order, r, offset: 8)
                }
            }
        }
        return order
    }

    /// Entry indices ordered by `firstWords` (a stable least-significant-byte radix sort;
    /// bytes that every word shares are skipped).
    private func radixOrder(firstWords words: [UInt64]) -> [Int32] {
        var order = (0..<Int32(words.count)).map { $0 }
        var scratch = order
        let shared = words.reduce(~0 as UInt64) { $0 & $1 }, either = words.reduce(0 as UInt64) { $0 | $1 }
        for shift in stride(from: 0 as UInt64, to: 64, by: 8) {
            // A byte that is the same in every word moves nothing.
            if (shared >> shift) & 0xFF == (either >> shift) & 0xFF { continue }
            var counts = [Int](repeating: 0, count: 257)
            for entry in order { counts[Int((words[Int(entry)] >> shift) & 0xFF) + 1] += 1 }
            for b in 0..<256 { counts[b + 1] += counts[b] }
            for entry in order {
                let b = Int((words[Int(entry)] >> shift) & 0xFF)
                scratch[counts[b]] = entry
                counts[b] += 1
            }
            swap(&order, &scratch)
        }
        return order
    }

    /// Each entry's rank in byte order; equal strings share one.
    func byteOrderRanks(cancellation: Cancellation? = nil) -> [Int32] {
        withEntryLocations { places in
            let order = entriesInByteOrder(places, cancellation: cancellation)
            var ranks = [Int32](repeating: 0, count: count)
            var rank: Int32 = -1
            for (position, index) in order.enumerated() {
                if position == 0 || isUnique || !places.equal(Int(order[position - 1]), Int(index)) { rank += 1 }
                ranks[Int(index)] = rank
            }
            return ranks
        }
    }
}

/// Sorts runs of entries that share their first `offset` bytes, word by word (see the top of
/// the file), with its buffers kept between runs.
struct RunSorter {
    let places: EntryLocations
    private var pairs: [(word: UInt64, entry: Int32)] = []
    private var ended: [Int32] = []
    private var runs: [(start: Int, end: Int, offset: Int)] = []

    init(places: EntryLocations) { self.places = places }

    mutating func sort(_ order: UnsafeMutableBufferPointer<Int32>, _ range: Range<Int>, offset: Int) {
        // A stack, not recursion: a long shared opening would nest one level per eight bytes.
        runs.append((range.lowerBound, range.upperBound, offset))
        while let (start, end, offset) = runs.popLast() {
            // Entries that end within these eight bytes go first, shorter first: equal words
            // then mean one is the other's prefix (or they are equal).
            pairs.removeAll(keepingCapacity: true)
            ended.removeAll(keepingCapacity: true)
            for i in start..<end {
                let entry = order[i]
                if places.lengths[Int(entry)] <= offset { ended.append(entry) } else {
                    pairs.append((places.word(Int(entry), at: offset), entry))
                }
            }
            // A run whose entries all go on and share these eight bytes (a long common opening,
            // "On 21 May 2022, fighting between ...") is already in order: go to the next eight
            // without sorting.
            if ended.isEmpty, let first = pairs.first?.word, pairs.allSatisfy({ $0.word == first }) {
                runs.append((start, end, offset + 8))
                continue
            }
            // Equal words keep index order (the runs come in index order from the radix sort).
            pairs.sort { $0.word != $1.word ? $0.word < $1.word : $0.entry < $1.entry }
            if ended.count > 1 {
                ended.sort { places.lengths[Int($0)] != places.lengths[Int($1)] ? places.lengths[Int($0)] < places.lengths[Int($1)] : $0 < $1 }
            }
            var i = start
            for entry in ended { order[i] = entry; i += 1 }
            var runStart = i
            for k in pairs.indices {
                order[i] = pairs[k].entry
                i += 1
                if k == pairs.count - 1 || pairs[k + 1].word != pairs[k].word {
                    if i - runStart > 1 { runs.append((runStart, i, offset + 8)) }
                    runStart = i
                }
            }
        }
    }
}
