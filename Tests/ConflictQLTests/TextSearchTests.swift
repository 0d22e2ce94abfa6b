// `contains`, `startswith` and `has` on text: linear-time searches that give what the plain
// definitions give, checked on random text (long patterns take the new path), and the
// pathological pattern of issue 9 (36 s before) as a plain case.

import ConflictQL
import XCTest

final class TextSearchTests: XCTestCase {
    /// A small deterministic generator, so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Repetitive text over few letters (cases, an accent, a combining mark, a digit, a space)
    /// makes partial matches, where a search must shift correctly.
    func randomText(_ g: inout Generator, _ length: Int, ascii: Bool) -> String {
        let pieces = ascii ? ["a", "b", "A", "B", "1", " ", "ab", "aab"] : ["a", "b", "A", "B", "é", "e\u{301}", "1", " ", "ab", "aab"]
        return (0..<length).map { _ in pieces[g.next(pieces.count)] }.joined()
    }

    /// The definition of `has` as it was written before: every start compared.
    func plainHas(_ text: String, _ needle: String) -> Bool {
        let haystack = Array(text.lowercased().unicodeScalars), word = Array(needle.lowercased().unicodeScalars)
        guard !word.isEmpty, word.count <= haystack.count else { return word.isEmpty }
        // Letters, marks and numbers: an accent written as its own scalar belongs to the word.
        func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
            let letters: Set<Unicode.GeneralCategory> = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
            let marks: Set<Unicode.GeneralCategory> = [.nonspacingMark, .spacingMark, .enclosingMark]
            let numbers: Set<Unicode.GeneralCategory> = [.decimalNumber, .letterNumber, .otherNumber]
            return letters.union(marks).union(numbers).contains(s.properties.generalCategory)
        }
        for start in 0...(haystack.count - word.count) where haystack[start..<(start + word.count)].elementsEqual(word) {
            let end = start + word.count
            if (start == 0 || !isWordCharacter(haystack[start - 1]) || !isWordCharacter(word[0]))
                && (end == haystack.count || !isWordCharacter(haystack[end]) || !isWordCharacter(word[word.count - 1])) { return true }
        }
        return false
    }

    func testRandomTextAgainstThePlainDefinitions() {
        var g = Generator(state: 9)
        for round in 0..<400 {
            // Every other text is ASCII, which `contains` searches as bytes.
            let ascii = round % 4 < 2
            let text = randomText(&g, 20 + g.next(60), ascii: ascii)
            // Half the needles are cut from the text, so matches happen.
            var needle = randomText(&g, 1 + g.next(30), ascii: ascii)
            if round % 2 == 0 {
                let characters = Array(text)
                let start = g.next(characters.count), length = 1 + g.next(characters.count - start)
                needle = String(characters[start..<(start + length)])
            }
            if round % 3 == 0 { needle = needle.uppercased() }
            let expected = text.lowercased().contains(needle.lowercased())
            XCTAssertEqual(value("\"\(text)\" contains \"\(needle)\""), .bool(expected), "\(text) contains \(needle)")
            XCTAssertEqual(value("\"\(text)\" startswith \"\(needle)\""), .bool(text.lowercased().hasPrefix(needle.lowercased())),
                           "\(text) startswith \(needle)")
            XCTAssertEqual(value("\"\(text)\" has \"\(needle)\""), .bool(plainHas(text, needle)), "\(text) has \(needle)")
        }
    }

    func testLongPatternsOverAColumnOfAsciiAndOtherText() {
        XCTAssertEqual(rows(#"groups | extend n = name + " and then some more words" | where n contains "ISLAMIC State in the Greater Sahara and" | select name"#),
                       [[.string("Islamic State in the Greater Sahara")]])
        XCTAssertEqual(value(#""Ségou, région de Ségou, Mali" contains "RÉGION DE SÉGOU, MALI""#), .bool(true))
        XCTAssertEqual(value(#""word wordy words sword" has "words sword""#), .bool(true))
        XCTAssertEqual(value(#""word wordy words swords" has "words sword""#), .bool(false))
    }

    /// A 200 KB pattern that almost matches everywhere in a 400 KB value: 36 s before.
    func testPathologicalPattern() {
        let text = String(repeating: "a", count: 400_000)
        let needle = String(repeating: "a", count: 200_000) + "b"
        // A column searched for a constant: the search once per distinct value.
        XCTAssertEqual(value("groups | take 1 | extend t = \"\(text)\" | where t contains \"\(needle)\" | count"), .int(0))
        XCTAssertEqual(value("groups | take 1 | extend t = \"\(text)b\" | where t contains \"\(needle)\" | count"), .int(1))
        XCTAssertEqual(value("\"\(text)\" contains \"\(needle)\""), .bool(false))
        let words = String(repeating: "é ", count: 50_000)
        XCTAssertEqual(value("\"\(words)\" has \"\(String(repeating: "é ", count: 25_000))x\""), .bool(false))
        XCTAssertEqual(value("\"\(words)x\" contains \"\(String(repeating: "É ", count: 25_000))x\""), .bool(true))
    }
}
