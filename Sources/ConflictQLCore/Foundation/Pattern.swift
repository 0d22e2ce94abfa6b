// Regular expressions for `matches` and `extract`, in RE2's syntax and through RE2 itself
// (CRE2): matching takes time linear in the text whatever the pattern, on UTF-8 by code
// point (`.` and `[^...]` take a character, `(?i)` folds é and É), with the meaning DuckDB
// and BigQuery give the same pattern, since both run RE2. What cannot be matched in linear
// time (backreferences, lookaround) is refused when the query is checked, with a hint.
//
// Why RE2 and not an engine of our own, or glibc's regcomp as before: glibc backtracks
// (`(a*)(a*)(a*)\3\2\1b` ran past 30 s on 200 characters), compiles counted repetitions by
// copying (`a{1,32767}`: 16 s and 8.4 GB when checked) and matches bytes. A Pike VM with a
// lazy DFA of our own would be linear too, but RE2 already is one, long tested, and measured
// faster (Performance.md, "Regular expressions"); being DuckDB's and BigQuery's engine, a
// pattern also means the same in the SQL compiled for them. A pattern is compiled once per query and matched once per distinct
// string; RE2 may be used from several threads at once.

import CRE2

public final class Pattern: @unchecked Sendable {
    /// The longest pattern accepted, in bytes of UTF-8.
    public static let maximumLength = 65_536
    /// The most instructions a compiled pattern may have: `[\p{L}]{200}` has 238,604,
    /// `(JNIM|ISGS)` 14.
    public static let maximumProgramSize = 200_000
    /// RE2's budget for one pattern: its program and the lazily built DFA states. A DFA that
    /// outgrows it is thrown away and rebuilt, or the match falls back to RE2's NFA: slower,
    /// still linear.
    static let memoryBudget: Int64 = 32 << 20

    public let text: String
    private let compiled: OpaquePointer
    /// How many parenthesised groups the pattern has.
    public let groupCount: Int

    /// Compiles `text`; the error says what is wrong, at which byte when it can tell, and
    /// what to write instead.
    public init(_ text: String) throws(PatternError) {
        self.text = text
        let length = text.utf8.count
        guard length <= Pattern.maximumLength else {
            throw PatternError(message: "the pattern is \(length) bytes long, more than the limit of \(Pattern.maximumLength)", offset: nil,
                               help: "match a shorter pattern, or test the column against a table of values with a join")
        }
        var text = text
        let handle = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cq_re2_compile($0.baseAddress, $0.count, Pattern.memoryBudget) }
        }
        guard let handle else { throw PatternError(message: "not enough memory to compile the pattern", offset: nil) }
        let code = cq_re2_error_code(handle)
        if code != 0 {
            let error = PatternError(re2: code, message: String(cString: cq_re2_error(handle)), argument: Pattern.argument(handle), in: self.text)
            cq_re2_free(handle)
            throw error
        }
        let size = Int(cq_re2_program_size(handle))
        guard size <= Pattern.maximumProgramSize else {
            cq_re2_free(handle)
            throw PatternError.tooLarge(size)
        }
        compiled = handle
        groupCount = Int(cq_re2_group_count(handle))
    }

    deinit { cq_re2_free(compiled) }

    private static func argument(_ handle: OpaquePointer) -> String {
        var length = 0
        guard let start = cq_re2_error_argument(handle, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: start, count: length), as: UTF8.self)
    }

    /// The byte ranges of the whole match and each group in `bytes`, or nil without a match.
    public func match(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>?]? {
        let count = groupCount + 1
        var spans = [Int64](repeating: -1, count: 2 * count)
        let found = bytes.withMemoryRebound(to: CChar.self) { text in
            cq_re2_match(compiled, text.baseAddress, text.count, &spans, Int32(count))
        }
        guard found else { return nil }
        return (0..<count).map { i in spans[2 * i] < 0 ? nil : Int(spans[2 * i])..<Int(spans[2 * i + 1]) }
    }

    /// Whether the pattern matches somewhere in `bytes`.
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withMemoryRebound(to: CChar.self) { cq_re2_matches(compiled, $0.baseAddress, $0.count) }
    }
}

public struct PatternError: Error, Sendable {
    public var message: String
    /// The byte in the pattern the problem is at, when known.
    public var offset: Int?
    /// What to write instead, when there is a better hint than the syntax in general.
    public var help: String? = nil
}

extension PatternError {
    /// The hint under every pattern error that has no better one.
    public static let syntaxHelp = "patterns are RE2 syntax, as DuckDB and BigQuery read them: \\d \\w \\s \\b, (?i) to ignore case, (?s) so that . takes line breaks too; no backreferences or lookaround"

    static func tooLarge(_ size: Int?) -> PatternError {
        let measured = size.map { "compiles to \($0) instructions, more than the limit of \(Pattern.maximumProgramSize)" } ?? "is too large once compiled"
        return PatternError(message: "the pattern \(measured)", offset: nil,
                            help: "repeat less (x{1,1000} copies x a thousand times), or use shorter classes than \\pL")
    }

    /// RE2's error `code` and `message` about the fragment `argument` of `pattern`, in the
    /// house phrasing, with the byte it is at and a hint for what RE2 refuses on purpose.
    init(re2 code: Int32, message: String, argument: String, in pattern: String) {
        let at = PatternError.offset(of: argument, in: pattern)
        switch code {
        case 2 where argument.count == 2 && ("1"..."9").contains(argument.last!),
             2 where argument == "\\k" || argument == "\\g":
            self.init(message: "backreferences (\(argument)) are not supported", offset: at,
                      help: "a backreference can take time exponential in the text to match; write the repeated text out, or compare columns with ==")
        case 12 where argument == "(?=" || argument == "(?!" || argument == "(?<":
            self.init(message: "lookaround (\(argument)...) is not supported", offset: at,
                      help: "match the surrounding text too and take the part you want with extract(TEXT, PATTERN, GROUP), or combine two tests with and/not")
        case 12 where argument == "(?P":
            self.init(message: "named backreferences ((?P=name)) are not supported", offset: at,
                      help: "a backreference can take time exponential in the text to match; write the repeated text out")
        case 12 where argument == "(?>":
            self.init(message: "atomic groups ((?>...)) are not supported", offset: at, help: PatternError.syntaxHelp)
        case 11 where argument.count == 2 && argument.last == "+":
            self.init(message: "possessive repetition (\(argument)) is not supported", offset: at,
                      help: "write the repetition without '+' after it: matching takes linear time anyway")
        case 10:
            // RE2 names the outer repetition when nested ones multiply past 1000.
            let counts = argument.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            let over = counts.contains { ($0 ?? 0) > 1000 }
            let reversed = counts.count == 2 && (counts[0] ?? 0) > (counts[1] ?? Int.max)
            self.init(message: over ? "the repetition \(argument) counts over 1000, the limit"
                                    : reversed ? "the repetition \(argument) has its maximum below its minimum"
                                    : "the repetition \(argument) and those inside it repeat more than 1000 times in all",
                      offset: PatternError.offset(of: argument, in: pattern, last: true),
                      help: "a repetition counts at most 1000 times, and repetitions inside repetitions multiply; use + or * for 'any number'")
        case 5, 6, 7:
            // RE2 names the whole rest of the pattern; the scan below finds the bracket itself.
            let fallback = code == 5 ? "'[' without ']'" : code == 6 ? "'(' without ')'" : "')' without '('"
            let balance = PatternError.unbalanced(pattern)
            self.init(message: balance?.message ?? fallback, offset: balance?.offset ?? at)
        case 8:
            self.init(message: "the pattern ends with a lone '\\'", offset: pattern.utf8.count - 1, help: "write \\\\ for a backslash")
        case 14:
            self = .tooLarge(nil)
        default:
            self.init(message: message, offset: at)
        }
    }

    /// Where `argument` is in `pattern`: the first place it begins outside an escape.
    /// With `last`, the last such place.
    static func offset(of argument: String, in pattern: String, last: Bool = false) -> Int? {
        let needle = Array(argument.utf8), bytes = Array(pattern.utf8)
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        var backslashes = 0
        var found: Int? = nil
        for start in 0...(bytes.count - needle.count) {
            if backslashes % 2 == 0 && bytes[start..<start + needle.count].elementsEqual(needle) {
                found = start
                if !last { break }
            }
            backslashes = bytes[start] == UInt8(ascii: "\\") ? backslashes + 1 : 0
        }
        return found
    }

    /// An unclosed or unopened parenthesis or bracket, at its byte offset.
    static func unbalanced(_ text: String) -> PatternError? {
        var open: [Int] = []
        var bracket: Int? = nil
        var escaped = false
        let bytes = Array(text.utf8)
        for (offset, byte) in bytes.enumerated() {
            if escaped { escaped = false; continue }
            if let start = bracket {
                // `[]...]` and `[^]...]` hold a literal ']' first; `\]` is a ']' too.
                if byte == UInt8(ascii: "\\") { escaped = true; continue }
                if byte == UInt8(ascii: "]") && offset > start + 1 && !(offset == start + 2 && bytes[start + 1] == UInt8(ascii: "^")) {
                    bracket = nil
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: "["): bracket = offset
            case UInt8(ascii: "("): open.append(offset)
            case UInt8(ascii: ")"):
                if open.popLast() == nil { return PatternError(message: "')' without '('", offset: offset) }
            default: break
            }
        }
        if let start = bracket { return PatternError(message: "'[' without ']'", offset: start) }
        if let start = open.last { return PatternError(message: "'(' without ')'", offset: start) }
        return nil
    }
}
