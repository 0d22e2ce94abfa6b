// The searches behind `contains`, `startswith` and `has` on text, all in time linear in the
// text and the pattern: a long pattern is found with Knuth–Morris–Pratt (its failure table
// says how far the pattern may shift after a mismatch, so no byte of the text is compared
// twice), a short one by the plain scan, which is faster for the patterns people type.
// (Comparing at every start, as before, took 36 s for a 200 KB pattern in a 400 KB value.)

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// Patterns up to this long are found by the plain scan: at most this many comparisons per
/// byte of text.
let plainScanLimit = 16

/// The failure table of Knuth–Morris–Pratt: `table[i]` is the length of the longest proper
/// prefix of `pattern[0...i]` that is also a suffix of it.
func failureTable<T: Equatable>(_ pattern: [T]) -> [Int] {
    var table = [Int](repeating: 0, count: pattern.count)
    var k = 0
    for i in 1..<max(1, pattern.count) {
        while k > 0 && pattern[i] != pattern[k] { k = table[k - 1] }
        if pattern[i] == pattern[k] { k += 1 }
        table[i] = k
    }
    return table
}

/// Calls `found` with the end (exclusive) of every occurrence of `pattern` in the elements
/// `element(0..<count)`, until it returns true; whether it did.
@inline(__always)
func searchOccurrences<T: Equatable>(_ pattern: [T], _ table: [Int], count: Int, _ element: (Int) -> T,
                                     found: (Int) -> Bool) -> Bool {
    var k = 0
    for i in 0..<count {
        let e = element(i)
        while k > 0 && e != pattern[k] { k = table[k - 1] }
        if e == pattern[k] { k += 1 }
        if k == pattern.count {
            if found(i + 1) { return true }
            k = table[k - 1]
        }
    }
    return false
}

/// Whether `needle` (ASCII, lower case) occurs in `haystack` (ASCII), ignoring case; with
/// `prefixOnly`, only at its start.
func asciiFoldedMatch(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], prefixOnly: Bool) -> Bool {
    @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
    guard needle.count <= haystack.count else { return false }
    if needle.isEmpty { return true }
    if prefixOnly || needle.count > plainScanLimit {
        if prefixOnly {
            for i in 0..<needle.count where lower(haystack[i]) != needle[i] { return false }
            return true
        }
        return searchOccurrences(needle, failureTable(needle), count: haystack.count, { lower(haystack[$0]) }) { _ in true }
    }
    let last = haystack.count - needle.count
    let first = needle[0]
    var start = 0
    while start <= last {
        if lower(haystack[start]) == first {
            var i = 1
            while i < needle.count && lower(haystack[start + i]) == needle[i] { i += 1 }
            if i == needle.count { return true }
        }
        start += 1
    }
    return false
}

/// `contains` on any text: `needle` in `text` ignoring case, character by character (as
/// Swift compares characters: canonically equivalent ones are equal).
func foldedContains(_ text: String, _ needle: String) -> Bool {
    let text = text.lowercased(), needle = needle.lowercased()
    guard needle.count > plainScanLimit else { return text.contains(needle) }
    let pattern = Array(needle), haystack = Array(text)
    guard pattern.count <= haystack.count else { return false }
    return searchOccurrences(pattern, failureTable(pattern), count: haystack.count, { haystack[$0] }) { _ in true }
}

/// `has` on text: `needle` as a whole word of `text`, ignoring case. Words are runs of
/// letters, marks and numbers (Core/Foundation/WordCharacters.swift), so "FTO" is in
/// "U.S. FTO list" but not in "FTOs", and "diafarab" is not in "Diafarabé".
func hasWord(_ text: String, _ needle: String) -> Bool {
    let haystack = Array(text.lowercased().unicodeScalars)
    let word = Array(needle.lowercased().unicodeScalars)
    guard !word.isEmpty, word.count <= haystack.count else { return word.isEmpty }
    func isWordCharacter(_ s: Unicode.Scalar) -> Bool { WordCharacters.contains(s) }
    let startsWithWordCharacter = isWordCharacter(word[0]), endsWithWordCharacter = isWordCharacter(word[word.count - 1])
    return searchOccurrences(word, failureTable(word), count: haystack.count, { haystack[$0] }) { end in
        let start = end - word.count
        let beforeOK = start == 0 || !startsWithWordCharacter || !isWordCharacter(haystack[start - 1])
        let afterOK = end == haystack.count || !endsWithWordCharacter || !isWordCharacter(haystack[end])
        return beforeOK && afterOK
    }
}

/// An ASCII needle (lower case) found ignoring ASCII case by Boyer–Moore–Horspool: the shift
/// table is made once per needle, over both cases of each byte, so a text byte that is not
/// in the needle moves the window the needle's whole length. Only for needles up to
/// `plainScanLimit` bytes, where the worst case (`plainScanLimit` comparisons per byte) is
/// the plain scan's; longer ones go to Knuth–Morris–Pratt.
struct FoldedNeedle {
    let needle: [UInt8]
    private var shift = [Int](repeating: 0, count: 256)

    init(lowercased needle: [UInt8]) {
        self.needle = needle
        for b in 0..<256 { shift[b] = needle.count }
        for (i, b) in needle.dropLast().enumerated() {
            shift[Int(b)] = needle.count - 1 - i
            if b >= 0x61 && b <= 0x7A { shift[Int(b - 0x20)] = needle.count - 1 - i }
        }
    }

    func occurs(in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = needle.count
        guard m > 0 else { return true }
        guard m <= haystack.count else { return false }
        guard m <= plainScanLimit else { return asciiFoldedMatch(haystack, needle, prefixOnly: false) }
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        return needle.withUnsafeBufferPointer { needle in
            shift.withUnsafeBufferPointer { shift in
                let lastByte = needle[m - 1]
                var start = 0
                let last = haystack.count - m
                while start <= last {
                    let end = haystack[start + m - 1]
                    if lower(end) == lastByte {
                        var i = 0
                        while i < m - 1 && lower(haystack[start + i]) == needle[i] { i += 1 }
                        if i == m - 1 { return true }
                    }
                    start += shift[Int(end)]
                }
                return false
            }
        }
    }
}

/// Whether every byte is ASCII, eight at a time.
@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= bytes.count {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        i += 8
    }
    while i < bytes.count {
        if bytes[i] >= 0x80 { return false }
        i += 1
    }
    return true
}

/// Whether the text holds one of the two characters whose lower case has ASCII letters: the
/// Kelvin sign (U+212A, lower case "k") and capital I with dot above (U+0130, "i̇"). Text
/// without them lower-cases to ASCII letters only where it has ASCII letters, so an ASCII
/// needle that the byte search does not find is not in it in any case.
func mayLowerToASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    while i + 1 < bytes.count {
        if bytes[i] == 0xC4 && bytes[i + 1] == 0xB0 { return true }
        if bytes[i] == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x84 && bytes[i + 2] == 0xAA { return true }
        i += 1
    }
    return false
}
