// The top-N's quick rejection: most rows of a million cannot enter the best few, and the
// first key alone says so. Each row gets one 64-bit word for the first key, ordered as the
// key (smaller is better, descending already flipped, nulls last) — an integer, a date key,
// a Float's ordered bits, or the first eight bytes of a string — and a row whose word is
// greater than the current last row's is skipped without the full comparison. Equal words
// fall through to the comparison of every key (eight bytes of text may be equal while the
// texts are not). `sort by fatalities desc | take 5` went from 100 ms to a few.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// The first key's word of each row: `words[row]`, or `words[codes[row]]` for text, whose
/// words are made once per dictionary entry (a million rows' copy of them is not made).
struct RejectionWords {
    var words: [UInt64]
    var codes: StringCodes?

    var isEmpty: Bool { words.isEmpty }

    @inline(__always)
    subscript(row: Int) -> UInt64 {
        if let codes { return words[Int(codes[row])] }
        return words[row]
    }
}

extension SortKeyColumn {
    /// The first key's word per row (see above), or nil when one cannot be made faithfully
    /// (a Float column holding NaN, which the comparison treats as equal to everything).
    func rejectionWords(descending: Bool) -> RejectionWords? {
        let flip: UInt64 = descending ? ~0 : 0
        var words: [UInt64]
        switch keys {
        case .ints(let values):
            words = values.map { (UInt64(bitPattern: $0) ^ (1 << 63)) ^ flip }
        case .doubles(let values):
            if values.contains(where: \.isNaN) { return nil }
            words = values.map { value in
                let raw = (value == 0 ? 0.0 : value).bitPattern
                return (raw & (1 << 63) != 0 ? ~raw : raw | (1 << 63)) ^ flip
            }
        case .strings(let codes, let dictionary):
            // Once per entry, in place; rows read them through their codes.
            var entryWords = [UInt64](repeating: 0, count: dictionary.count)
            entryWords.withUnsafeMutableBufferPointer { entryWords in
                dictionary.forEachEntryConcurrently { index, bytes in entryWords[index] = leadingWord(bytes) ^ flip }
            }
            if column.validity == nil {
                // A column of distinct values in order: entry i is row i's.
                if case .sequence = codes.storage { return RejectionWords(words: entryWords, codes: nil) }
                return RejectionWords(words: entryWords, codes: codes)
            }
            words = codes.map { entryWords[Int($0)] }
        case .none:
            return nil
        }
        // Nulls after every value, both ways: the largest word (a value may share it, and
        // then the full comparison decides).
        if column.validity != nil {
            for row in words.indices where column.isNull(row) { words[row] = .max }
        }
        return RejectionWords(words: words, codes: nil)
    }
}
