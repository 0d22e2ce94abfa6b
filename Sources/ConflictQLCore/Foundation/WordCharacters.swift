// What `has` counts as a word: a run of Unicode letters, marks and numbers (general
// categories L, M and N). Marks belong to the word, so "Diafarabé" holds no word
// "diafarabe" whether its é is one scalar or an e and a combining accent, and a Devanagari
// vowel sign does not split its word. The engine and every SQL dialect read this one
// definition: the engine through `isWordCharacter`; DuckDB and BigQuery (RE2) and Spark (Java)
// through their Unicode classes `\p{L}\p{M}\p{N}`; PostgreSQL, whose regular expressions have
// no Unicode classes and whose `[[:alnum:]]` follows the collation's locale (ASCII only under
// "C"), through the ranges of code points written out from this table.

public enum WordCharacters {
    /// Whether `scalar` is part of a word: a letter, a mark or a number.
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The word characters as ranges of code points, in order, made once.
    public static let ranges: [ClosedRange<UInt32>] = {
        var ranges: [ClosedRange<UInt32>] = []
        var start: UInt32? = nil
        for value in UInt32(0)...0x10FFFF {
            let inWord = Unicode.Scalar(value).map(contains) ?? false
            if inWord, start == nil { start = value }
            if !inWord, let first = start { ranges.append(first...(value - 1)); start = nil }
        }
        if let first = start { ranges.append(first...0x10FFFF) }
        return ranges
    }()
}
