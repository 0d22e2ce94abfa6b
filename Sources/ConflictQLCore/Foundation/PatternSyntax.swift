// A pattern RE2 has accepted, read again as a tree, for what RE2 does not tell: how to write
// the same pattern for an engine with other rules (PatternSQL.swift) and whether a group can
// take no part in a match. Flags are applied while reading: a literal knows whether case is
// ignored, a dot whether it takes a line break, a repetition whether it is greedy, so the
// tree means the same whatever the flags around it.

public indirect enum PatternNode: Equatable, Sendable {
    case literal(Unicode.Scalar, ignoringCase: Bool)
    case anyCharacter(takesLineBreak: Bool)
    case set(PatternSet, ignoringCase: Bool)
    /// `^` `$` (`multiline`: at line breaks too), `\A` `\z`, `\b` `\B`.
    case lineStart(multiline: Bool), lineEnd(multiline: Bool), textStart, textEnd
    case wordBoundary(Bool)
    case group(index: Int?, PatternNode)
    case sequence([PatternNode])
    case alternatives([PatternNode])
    case repetition(PatternNode, min: Int, max: Int?, greedy: Bool)
}

/// A bracket expression or a class escape: its items, each a range of code points or a
/// named class (`d`, `w`, `s`, `alpha`, ..., `pL`), and whether it is negated.
public struct PatternSet: Equatable, Sendable {
    public enum Item: Equatable, Sendable {
        case range(UInt32, UInt32)
        case named(String, negated: Bool)
    }
    public var items: [Item]
    public var negated: Bool
}

/// Why a pattern cannot be read into a tree (RE2 accepted it: something this reader does
/// not know, such as `\C`), or written for an engine.
public struct PatternTranslationError: Error, Sendable {
    public var reason: String
}

struct PatternReader {
    var scalars: [Unicode.Scalar]
    var position = 0
    var groupCount = 0

    struct Flags { var ignoreCase = false, multiline = false, dotLineBreak = false, ungreedy = false }

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? { position + ahead < scalars.count ? scalars[position + ahead] : nil }
    mutating func advance() -> Unicode.Scalar { defer { position += 1 }; return scalars[position] }
    mutating func eat(_ s: Unicode.Scalar) -> Bool { if peek() == s { position += 1; return true }; return false }
    func unknown(_ what: String) -> PatternTranslationError { PatternTranslationError(reason: what) }

    /// alternatives = sequence ("|" sequence)*
    mutating func alternatives(_ flags: inout Flags) throws(PatternTranslationError) -> PatternNode {
        var branches = [try sequence(&flags)]
        while eat("|") { branches.append(try sequence(&flags)) }
        return branches.count == 1 ? branches[0] : .alternatives(branches)
    }

    /// sequence = (atom repetition*)*, up to "|" or ")"
    mutating func sequence(_ flags: inout Flags) throws(PatternTranslationError) -> PatternNode {
        var items: [PatternNode] = []
        while let s = peek(), s != "|", s != ")" {
            guard var node = try atom(&flags) else { continue }
            // \Q...\E is a run of literals: a repetition after it takes the last one only.
            if case .sequence(let quoted) = node {
                guard let last = quoted.last else { continue }
                items += quoted.dropLast()
                node = last
            }
            while let (min, max) = repetition() {
                var greedy = !eat("?")
                if flags.ungreedy { greedy.toggle() }
                node = .repetition(node, min: min, max: max, greedy: greedy)
            }
            items.append(node)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// `*` `+` `?` `{n}` `{n,}` `{n,m}`; a `{` that does not read as one is a literal.
    mutating func repetition() -> (Int, Int?)? {
        if eat("*") { return (0, nil) }
        if eat("+") { return (1, nil) }
        if eat("?") { return (0, 1) }
        guard peek() == "{" else { return nil }
        var probe = self
        probe.position += 1
        func number(_ r: inout PatternReader) -> Int? {
            var digits = ""
            while let s = r.peek(), ("0"..."9").contains(s) { digits.unicodeScalars.append(r.advance()) }
            return Int(digits)
        }
        guard let min = number(&probe) else { return nil }
        var max: Int? = min
        if probe.eat(",") { max = number(&probe) }
        guard probe.eat("}") else { return nil }
        self = probe
        return (min, max)
    }

    /// atom = "(" alternatives ")" | "[" set "]" | "." | "^" | "$" | escape | literal;
    /// nil for a flag group `(?i)`, which only changes `flags`.
    mutating func atom(_ flags: inout Flags) throws(PatternTranslationError) -> PatternNode? {
        let s = advance()
        switch s {
        case "(":
            var inner = flags
            var index: Int? = nil
            if eat("?") {
                if peek() == "P" || peek() == "<" {
                    while let c = peek(), c != ">" { position += 1 }
                    position += 1
                    groupCount += 1
                    index = groupCount
                } else {
                    var on = true
                    while let c = peek(), c != ")", c != ":" {
                        position += 1
                        switch c {
                        case "-": on = false
                        case "i": inner.ignoreCase = on
                        case "m": inner.multiline = on
                        case "s": inner.dotLineBreak = on
                        case "U": inner.ungreedy = on
                        default: throw unknown("the flag \(c)")
                        }
                    }
                    if eat(")") { flags = inner; return nil }
                    position += 1
                }
            } else {
                groupCount += 1
                index = groupCount
            }
            let body = try alternatives(&inner)
            guard eat(")") else { throw unknown("a group this reader did not close") }
            return .group(index: index, body)
        case "[": return .set(try bracket(flags), ignoringCase: flags.ignoreCase)
        case ".": return .anyCharacter(takesLineBreak: flags.dotLineBreak)
        case "^": return .lineStart(multiline: flags.multiline)
        case "$": return .lineEnd(multiline: flags.multiline)
        case "\\": return try escape(flags)
        default: return .literal(s, ignoringCase: flags.ignoreCase)
        }
    }

    mutating func escape(_ flags: Flags) throws(PatternTranslationError) -> PatternNode {
        guard let s = peek() else { throw unknown("a lone backslash") }
        switch s {
        case "A": position += 1; return .textStart
        case "z": position += 1; return .textEnd
        case "b", "B": position += 1; return .wordBoundary(s == "b")
        case "Q":
            position += 1
            var quoted: [PatternNode] = []
            while let c = peek() {
                if c == "\\" && peek(1) == "E" { position += 2; break }
                quoted.append(.literal(advance(), ignoringCase: flags.ignoreCase))
            }
            return .sequence(quoted)
        default:
            if let item = try classEscape() {
                if case .range(let low, _) = item { return .literal(Unicode.Scalar(low)!, ignoringCase: flags.ignoreCase) }
                return .set(PatternSet(items: [item], negated: false), ignoringCase: flags.ignoreCase)
            }
            throw unknown("the escape \\\(s)")
        }
    }

    /// After a backslash: a character (as a one-scalar range) or a named class; nil for an
    /// escape only valid outside brackets.
    mutating func classEscape() throws(PatternTranslationError) -> PatternSet.Item? {
        let s = advance()
        func single(_ v: UInt32) -> PatternSet.Item { .range(v, v) }
        switch s {
        case "d", "w", "s": return .named(String(s), negated: false)
        case "D", "W", "S": return .named(String(s).lowercased(), negated: true)
        case "p", "P":
            var name = ""
            if eat("{") {
                while let c = peek(), c != "}" { name.unicodeScalars.append(advance()) }
                position += 1
            } else {
                name.unicodeScalars.append(advance())
            }
            let negated = (s == "P") != name.hasPrefix("^")
            return .named("p" + name.drop { $0 == "^" }, negated: negated)
        case "n": return single(10)
        case "t": return single(9)
        case "r": return single(13)
        case "f": return single(12)
        case "v": return single(11)
        case "a": return single(7)
        case "x":
            var hex = ""
            if eat("{") {
                while let c = peek(), c != "}" { hex.unicodeScalars.append(advance()) }
                position += 1
            } else {
                for _ in 0..<2 { hex.unicodeScalars.append(advance()) }
            }
            guard let v = UInt32(hex, radix: 16) else { throw unknown("the escape \\x\(hex)") }
            return single(v)
        case "0"..."7":
            var octal = String(s)
            while octal.count < 3, let c = peek(), ("0"..."7").contains(c) { octal.unicodeScalars.append(advance()) }
            return single(UInt32(octal, radix: 8)!)
        default:
            if s.isASCII && !s.properties.isAlphabetic && !("0"..."9").contains(s) { return single(s.value) }
            position -= 1
            return nil
        }
    }

    /// set = "[" "^"? item+ "]", after the "[".
    mutating func bracket(_ flags: Flags) throws(PatternTranslationError) -> PatternSet {
        var set = PatternSet(items: [], negated: eat("^"))
        var first = true
        while let s = peek(), s != "]" || first {
            first = false
            if s == "[" && peek(1) == ":" {
                var name = ""
                position += 2
                while let c = peek(), c != ":" { name.unicodeScalars.append(advance()) }
                position += 2
                let negated = name.hasPrefix("^")
                set.items.append(.named(String(name.drop { $0 == "^" }), negated: negated))
                continue
            }
            let low = try bracketMember()
            guard case .range(let lowValue, _) = low else { set.items.append(low); continue }
            if peek() == "-" && peek(1) != "]" && peek(1) != nil {
                position += 1
                guard case .range(let high, _) = try bracketMember() else { throw unknown("a range to a class") }
                set.items.append(.range(lowValue, high))
            } else {
                set.items.append(low)
            }
        }
        position += 1
        return set
    }

    mutating func bracketMember() throws(PatternTranslationError) -> PatternSet.Item {
        let s = advance()
        guard s == "\\" else { return .range(s.value, s.value) }
        guard let item = try classEscape() else { throw unknown("the escape \\\(peek().map(String.init) ?? "") in a class") }
        return item
    }
}

extension PatternNode {
    /// The tree of `pattern`, which RE2 accepted, and its number of groups.
    public static func read(_ pattern: String) throws(PatternTranslationError) -> PatternNode {
        var reader = PatternReader(pattern)
        var flags = PatternReader.Flags()
        let node = try reader.alternatives(&flags)
        guard reader.position >= reader.scalars.count else { throw reader.unknown("a ')' this reader did not expect") }
        return node
    }

    /// Whether the node can match the empty string.
    public var canMatchEmpty: Bool {
        switch self {
        case .literal, .anyCharacter, .set: return false
        case .lineStart, .lineEnd, .textStart, .textEnd, .wordBoundary: return true
        case .group(_, let inner): return inner.canMatchEmpty
        case .sequence(let items): return items.allSatisfy(\.canMatchEmpty)
        case .alternatives(let branches): return branches.contains(where: \.canMatchEmpty)
        case .repetition(let inner, let min, _, _): return min == 0 || inner.canMatchEmpty
        }
    }

    /// Group `index`, and whether every match of the whole pattern goes through it (it is
    /// inside no alternative and no repetition that may happen zero times).
    public func group(_ index: Int, alwaysTaken: Bool = true) -> (node: PatternNode, alwaysTaken: Bool)? {
        switch self {
        case .group(let i, let inner):
            if i == index { return (inner, alwaysTaken) }
            return inner.group(index, alwaysTaken: alwaysTaken)
        case .sequence(let items):
            for item in items { if let found = item.group(index, alwaysTaken: alwaysTaken) { return found } }
            return nil
        case .alternatives(let branches):
            for branch in branches { if let found = branch.group(index, alwaysTaken: false) { return found } }
            return nil
        case .repetition(let inner, let min, _, _):
            return inner.group(index, alwaysTaken: alwaysTaken && min > 0)
        default: return nil
        }
    }

    /// Whether anything in the tree satisfies `test`.
    public func contains(where test: (PatternNode) -> Bool) -> Bool {
        if test(self) { return true }
        switch self {
        case .group(_, let inner), .repetition(let inner, _, _, _): return inner.contains(where: test)
        case .sequence(let items), .alternatives(let items): return items.contains { $0.contains(where: test) }
        default: return false
        }
    }
}
