// A pattern as each SQL engine must be given it to mean what it means here. DuckDB and
// BigQuery run RE2, as we do: the pattern goes as written (a NUL, which their literals
// cannot hold, as \x00). PostgreSQL (Spencer's ARE) and Spark (java.util.regex) read other
// syntaxes with other rules, so the pattern is written again from its tree, each construct
// in a form whose meaning is exact there: `.` as [^\n] (ARE's dot takes a line break),
// `\d` `\w` `\s` and the POSIX classes as their ASCII ranges (both engines widen them by
// locale or Unicode), `$` as Java's \z (Java's $ also matches before a final line break),
// `\b` through lookaround on ASCII word characters, `(?i)` by writing each ASCII letter's
// case variants out (RE2 folds k with the Kelvin sign, s with the long s). What has no exact
// form (case folding of other letters, Unicode classes, multi-line anchors) is refused with
// its reason.

extension SQLDialect {
    /// `pattern` (accepted by RE2) as this dialect's regular expression, or why it cannot be
    /// said exactly. `submatch`: the match's extent and groups matter (extract), not only
    /// whether there is one; PostgreSQL then refuses what its longest-match rules choose
    /// otherwise.
    package func regularExpression(_ pattern: String, submatch: Bool = false) throws(PatternTranslationError) -> String {
        switch self {
        case .duckdb, .bigquery: return PatternWriter.re2WithoutNUL(pattern)
        case .postgres, .spark:
            let tree = try PatternNode.read(pattern)
            if submatch && self == .postgres {
                if tree.contains(where: { if case .alternatives = $0 { return true }; return false }) {
                    throw PatternTranslationError(reason: "alternatives ('|'), of which PostgreSQL takes the longest match and RE2 the first")
                }
                if tree.contains(where: { if case .repetition(_, _, _, false) = $0 { return true }; return false }) {
                    throw PatternTranslationError(reason: "a lazy repetition, which PostgreSQL's rules for the whole match's length override")
                }
                // With one repetition of varying count, the first match (greedy) is also the
                // longest; with two, RE2's may be shorter (a?(ab)? on "ab": "a", not "ab").
                var varying = 0
                _ = tree.contains { node in
                    if case .repetition(_, let min, let max, _) = node, max != min { varying += 1 }
                    return false
                }
                if varying > 1 {
                    throw PatternTranslationError(reason: "\(varying) repetitions of varying count, of which PostgreSQL takes the longest match and RE2 the first")
                }
            }
            var writer = PatternWriter(java: self == .spark)
            try writer.write(tree)
            return writer.out
        }
    }
}

struct PatternWriter {
    let java: Bool
    var out = ""

    /// `pattern` with each NUL written as \x00: inside \Q...\E the quote is closed around it,
    /// after a backslash the pair is one escaped NUL.
    static func re2WithoutNUL(_ pattern: String) -> String {
        guard pattern.unicodeScalars.contains("\0") else { return pattern }
        var out = String.UnicodeScalarView()
        var quoting = false, escaped = false
        for s in pattern.unicodeScalars {
            if s == "\0" {
                out.append(contentsOf: (quoting ? "\\E\\x00\\Q" : "\\x00").unicodeScalars)
                escaped = false
                continue
            }
            if escaped {
                if s == "Q" { quoting = true }
                out.append("\\")
                out.append(s)
                escaped = false
            } else if s == "\\" {
                if quoting { quoting = false; out.append(s); continue }  // the \ of \E
                escaped = true
            } else {
                out.append(s)
            }
        }
        if escaped { out.append("\\") }
        return String(out)
    }

    func refuse(_ reason: String) -> PatternTranslationError { PatternTranslationError(reason: reason) }
    var engine: String { java ? "Spark (Java)" : "PostgreSQL" }

    /// One code point, written so that neither engine reads it as syntax.
    func scalar(_ v: UInt32) -> String {
        if let s = Unicode.Scalar(v), s.isASCII, s.properties.isAlphabetic || ("0"..."9").contains(s) { return String(s) }
        if java { return "\\x{" + String(v, radix: 16, uppercase: true) + "}" }
        return v <= 0xFFFF ? "\\u" + hex(v, 4) : "\\U" + hex(v, 8)
    }

    func hex(_ v: UInt32, _ digits: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - h.count)) + h
    }

    static let word: [ClosedRange<UInt32>] = [48...57, 65...90, 95...95, 97...122]

    mutating func write(_ node: PatternNode) throws(PatternTranslationError) {
        switch node {
        case .literal(let s, let ignoringCase):
            // PostgreSQL's text holds no NUL: a NUL to match is a bracket nothing matches.
            if s == "\0" && !java { out += bracket([]) }
            else if ignoringCase, let variants = try caseVariants(s.value) { out += bracket(variants) } else { out += scalar(s.value) }
        case .anyCharacter(let takesLineBreak):
            out += takesLineBreak ? bracket([0...0x10FFFF]) : bracket([0...9, 11...0x10FFFF])
        case .set(let set, let ignoringCase):
            out += bracket(try ranges(of: set, ignoringCase: ignoringCase))
        case .lineStart(let multiline), .lineEnd(let multiline):
            if multiline { throw refuse("(?m), whose line ends \(engine) sees otherwise") }
            if case .lineStart = node { out += java ? "\\A" : "^" } else { out += java ? "\\z" : "$" }
        case .textStart: out += java ? "\\A" : "^"
        case .textEnd: out += java ? "\\z" : "$"
        case .wordBoundary(let boundary):
            // RE2 looks at bytes on either side: \B also holds between the bytes of one
            // character outside ASCII, a place these engines do not have.
            if !boundary { throw refuse("\\B, which RE2 also finds between the bytes of a character outside ASCII") }
            let w = bracket(PatternWriter.word)
            out += boundary ? "(?:(?<!\(w))(?=\(w))|(?<=\(w))(?!\(w)))" : "(?:(?<!\(w))(?!\(w))|(?<=\(w))(?=\(w)))"
        case .group(let index, let inner):
            out += index == nil ? "(?:" : "("
            try write(inner)
            out += ")"
        case .sequence(let items):
            // An empty sequence (as in `a|`) is an empty group, which both engines accept.
            if items.isEmpty { out += "(?:)" }
            for item in items { try write(item) }
        case .alternatives(let branches):
            out += "(?:"
            for (i, branch) in branches.enumerated() {
                if i > 0 { out += "|" }
                try write(branch)
            }
            out += ")"
        case .repetition(let inner, let min, let max, let greedy):
            if !java && (max ?? min) > 255 { throw refuse("a repetition over 255 times, PostgreSQL's limit") }
            out += "(?:"
            try write(inner)
            out += ")"
            switch (min, max) {
            case (0, nil): out += "*"
            case (1, nil): out += "+"
            case (0, 1?): out += "?"
            case (_, nil): out += "{\(min),}"
            case (_, let m?) where m == min: out += "{\(min)}"
            case (_, let m?): out += "{\(min),\(m)}"
            }
            if !greedy { out += "?" }
        }
    }

    /// The code points `s` matches ignoring case as RE2 folds them, when it has other cases;
    /// nil when it has none. Only ASCII letters (and the two letters outside ASCII that fold
    /// with them) are written out: other letters' folding is the engine's own.
    func caseVariants(_ v: UInt32) throws(PatternTranslationError) -> [ClosedRange<UInt32>]? {
        guard let s = Unicode.Scalar(v) else { return nil }
        if s.isASCII {
            guard s.properties.isAlphabetic else { return nil }
            return fold([v...v])
        }
        if v == 0x212A { return fold([107...107]) }
        if v == 0x17F { return fold([115...115]) }
        if s.properties.changesWhenCaseMapped || s.properties.changesWhenCaseFolded {
            throw refuse("(?i) on '\(Character(s))': RE2 folds letters outside ASCII by Unicode's table, \(engine) by its own rules")
        }
        return nil
    }

    /// ASCII ranges with the other case of each letter added, and the Kelvin sign with k, the
    /// long s with s, as RE2 folds them. Ranges outside ASCII must have no cased letter.
    func fold(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var ranges = ranges
        for r in ranges {
            if r.contains(0x17F) { ranges += [83...83, 115...115] }
            if r.contains(0x212A) { ranges += [75...75, 107...107] }
        }
        var out = ranges
        for r in ranges where r.overlaps(65...122) {
            for v in r.clamped(to: 65...122) {
                if (65...90).contains(v) { out.append((v + 32)...(v + 32)) }
                if (97...122).contains(v) { out.append((v - 32)...(v - 32)) }
                if v == 75 || v == 107 { out.append(0x212A...0x212A) }
                if v == 83 || v == 115 { out.append(0x17F...0x17F) }
            }
        }
        return normalized(out)
    }

    /// The code points a set matches, folded as RE2 folds a class: each item's members are
    /// folded before a negated item or the whole set is complemented.
    func ranges(of set: PatternSet, ignoringCase: Bool) throws(PatternTranslationError) -> [ClosedRange<UInt32>] {
        var all: [ClosedRange<UInt32>] = []
        for item in set.items {
            var members: [ClosedRange<UInt32>]
            var negated = false
            switch item {
            case .range(let low, let high): members = [low...high]
            case .named(let name, let n):
                negated = n
                guard let named = PatternWriter.named[name] else {
                    throw refuse("the class \(name.hasPrefix("p") ? "\\" + name : name), whose members \(engine) takes from another Unicode version or locale")
                }
                members = named
            }
            if ignoringCase {
                for r in members where r.upperBound >= 0x80 {
                    for v in max(r.lowerBound, 0x80)...r.upperBound where v != 0x212A && v != 0x17F {
                        if let s = Unicode.Scalar(v), s.properties.changesWhenCaseMapped || s.properties.changesWhenCaseFolded {
                            throw refuse("(?i) on a class with letters outside ASCII ('\(Character(s))'): RE2 folds them by Unicode's table, \(engine) by its own rules")
                        }
                    }
                }
                members = fold(members)
            }
            all += negated ? complement(members) : members
        }
        let union = normalized(all)
        return set.negated ? complement(union) : union
    }

    /// RE2's ASCII classes.
    static let named: [String: [ClosedRange<UInt32>]] = [
        "d": [48...57], "w": word, "s": [9...10, 12...13, 32...32],
        "alnum": [48...57, 65...90, 97...122], "alpha": [65...90, 97...122], "ascii": [0...127],
        "blank": [9...9, 32...32], "cntrl": [0...31, 127...127], "digit": [48...57],
        "graph": [33...126], "lower": [97...122], "print": [32...126],
        "punct": [33...47, 58...64, 91...96, 123...126], "space": [9...13, 32...32],
        "upper": [65...90], "word": word, "xdigit": [48...57, 65...70, 97...102],
    ]

    func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in normalized(ranges) {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound + 1
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return out
    }

    /// A bracket of `ranges`. PostgreSQL's text holds no NUL, so a range from 0 starts at 1
    /// there; an empty set is a bracket nothing matches.
    func bracket(_ ranges: [ClosedRange<UInt32>]) -> String {
        var parts = ""
        for r in ranges {
            let low = java ? r.lowerBound : max(r.lowerBound, 1)
            guard low <= r.upperBound else { continue }
            parts += low == r.upperBound ? scalar(low) : scalar(low) + "-" + scalar(r.upperBound)
        }
        if parts.isEmpty { return java ? "[^\\x{0}-\\x{10FFFF}]" : "[^\\u0001-\\U0010FFFF]" }
        return "[" + parts + "]"
    }
}
