// The TextMate grammar (Grammar/conflictql.tmLanguage.json) against the lexer: its function
// list is the descriptors', its stage words (and the EBNF's stage rules) the stage registry's,
// and over every sample and every ```cq block each token the lexer reads falls in a scope of
// the right kind (a string in a string scope, a number in a numeric one), no character is
// left unscoped, and nothing is `invalid`. The grammar's patterns are run here as a TextMate
// editor runs them (the first pattern to match at the earliest place; begin/end rules scanned
// to their end), with NSRegularExpression, whose syntax for these patterns is Oniguruma's.

import ConflictQL
import Foundation
import XCTest

final class GrammarTests: XCTestCase {
    static let grammarPath = repositoryRoot + "/Grammar/conflictql.tmLanguage.json"

    struct Rule {
        var scope: String?
        var match: NSRegularExpression?
        var begin: NSRegularExpression?
        var end: NSRegularExpression?
        var inner: [Rule] = []
        var captures: [Int: String] = [:]
    }

    struct Span {
        var start: Int   // UTF-16 offsets
        var end: Int
        var scope: String
    }

    func grammar() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: GrammarTests.grammarPath))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    var functionNames: [String] {
        (ScalarFunction.all.map(\.name) + AggregateFunction.all.map(\.name) + WindowFunction.all.map(\.name))
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
    }

    func testTheFunctionListIsTheDescriptors() throws {
        try checkRule("function", match: "\\b(?i:" + functionNames.joined(separator: "|") + ")\\b(?=\\s*\\()", of: "functions")
    }

    /// The words highlighted as stages after `|` are the stage registry's (`StageKind`).
    func testTheStageListIsTheRegistry() throws {
        try checkRule("stage", match: "(\\|)\\s*((?i:" + StageKind.keywords.joined(separator: "|") + "))\\b", of: "stages")
    }

    /// The EBNF's stage rules, between its `stages:` markers, are the registry's.
    func testTheEBNFStageRulesAreTheRegistry() throws {
        let path = repositoryRoot + "/Grammar/ConflictQL.ebnf"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let begin = "(* stages: generated from StageKind (Sources/ConflictQLSyntax/Stages.swift) *)\n", end = "(* end of stages *)"
        let start = try XCTUnwrap(text.range(of: begin), "no stages marker in the EBNF")
        let stop = try XCTUnwrap(text.range(of: end, range: start.upperBound..<text.endIndex), "no end of stages in the EBNF")
        if ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_GRAMMAR"] == "1" {
            try text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: StageKind.grammarText)
                .write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(String(text[start.upperBound..<stop.lowerBound]), StageKind.grammarText,
                       "the EBNF's stages differ from the registry: CONFLICTQL_UPDATE_GRAMMAR=1 swift test --filter GrammarTests")
    }

    /// The `match` of the TextMate rule `name` is `expected`; rewritten when asked.
    func checkRule(_ name: String, match expected: String, of what: String) throws {
        let grammar = try grammar()
        let repository = try XCTUnwrap(grammar["repository"] as? [String: Any])
        let rule = try XCTUnwrap(repository[name] as? [String: Any], "no rule \(name)")
        if ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_GRAMMAR"] == "1" {
            let text = try rewrittenGrammar(rule: name, match: expected)
            try text.write(toFile: GrammarTests.grammarPath, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(rule["match"] as? String, expected,
                       "the grammar's \(what) differ from the registry: CONFLICTQL_UPDATE_GRAMMAR=1 swift test --filter GrammarTests")
    }

    /// The grammar's text with the pattern of rule `name` replaced, the rest as it was written.
    func rewrittenGrammar(rule name: String, match: String) throws -> String {
        let text = try String(contentsOfFile: GrammarTests.grammarPath, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("\"\(name)\": {") }),
              let line = lines[start...].firstIndex(where: { $0.contains("\"match\":") }) else { return text }
        var rewritten = lines
        let indent = String(lines[line].prefix { $0 == " " })
        let data = try JSONSerialization.data(withJSONObject: [match], options: [.withoutEscapingSlashes])
        let encoded = String(decoding: data, as: UTF8.self)
        rewritten[line] = indent + "\"match\": " + String(encoded.dropFirst().dropLast()) + (lines[line].hasSuffix(",") ? "," : "")
        return rewritten.joined(separator: "\n")
    }

    func compileRules(_ patterns: [[String: Any]], _ repository: [String: Any]) throws -> [Rule] {
        var rules: [Rule] = []
        for pattern in patterns {
            if let include = pattern["include"] as? String {
                let name = String(include.dropFirst())
                let included = try XCTUnwrap(repository[name] as? [String: Any], "no rule \(include)")
                rules += try compileRules([included], repository)
                continue
            }
            if let nested = pattern["patterns"] as? [[String: Any]], pattern["begin"] == nil {
                rules += try compileRules(nested, repository)
                continue
            }
            var rule = Rule(scope: pattern["name"] as? String)
            func regex(_ key: String) throws -> NSRegularExpression? {
                try (pattern[key] as? String).map { try NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) }
            }
            (rule.match, rule.begin, rule.end) = (try regex("match"), try regex("begin"), try regex("end"))
            if let inner = pattern["patterns"] as? [[String: Any]] { rule.inner = try compileRules(inner, repository) }
            for (key, value) in pattern["captures"] as? [String: Any] ?? [:] {
                if let index = Int(key), let name = (value as? [String: Any])?["name"] as? String { rule.captures[index] = name }
            }
            rules.append(rule)
        }
        return rules
    }

    /// The scopes the grammar gives `text`, as spans of UTF-16 offsets.
    func scopes(_ text: String, _ rules: [Rule]) -> [Span] {
        let string = text as NSString
        var spans: [Span] = []
        var position = 0
        while position < string.length {
            var matched = false
            for rule in rules {
                let range = NSRange(location: position, length: string.length - position)
                if let regex = rule.match, let found = regex.firstMatch(in: text, options: [.anchored], range: range),
                   found.range.length > 0 {
                    if let scope = rule.scope {
                        spans.append(Span(start: found.range.location, end: NSMaxRange(found.range), scope: scope))
                    }
                    for (index, scope) in rule.captures
                    where index < found.numberOfRanges && found.range(at: index).location != NSNotFound {
                        spans.append(Span(start: found.range(at: index).location, end: NSMaxRange(found.range(at: index)), scope: scope))
                    }
                    position = NSMaxRange(found.range)
                    matched = true
                    break
                }
                if let begin = rule.begin, let end = rule.end, let found = begin.firstMatch(in: text, options: [.anchored], range: range) {
                    var inner = NSMaxRange(found.range)
                    while inner < string.length {
                        let rest = NSRange(location: inner, length: string.length - inner)
                        let skips = rule.inner.lazy.compactMap { $0.match?.firstMatch(in: text, options: [.anchored], range: rest) }
                        if let skip = skips.first,
                           skip.range.length > 0 {
                            inner = NSMaxRange(skip.range)
                        } else if let close = end.firstMatch(in: text, options: [.anchored], range: rest) {
                            inner = NSMaxRange(close.range)
                            break
                        } else {
                            inner += 1
                        }
                    }
                    spans.append(Span(start: position, end: inner, scope: rule.scope ?? "meta"))
                    position = inner
                    matched = true
                    break
                }
            }
            if !matched { position += 1 }
        }
        return spans
    }

    /// The scope kind a token of the lexer must fall in.
    func expectedScope(_ kind: TokenKind) -> String? {
        switch kind {
        case .string: return "string"
        case .integer, .decimal: return "constant.numeric"
        case .date: return "constant.other.date"
        case .parameter: return "variable.parameter"
        case .identifier, .quotedIdentifier, .pipe, .comma, .semicolon, .dot, .colon, .leftParen, .rightParen, .leftBracket,
             .rightBracket, .plus, .minus, .star, .slash, .percent, .assign, .equal, .notEqual, .equalIgnoringCase,
             .notEqualIgnoringCase, .less, .lessEqual, .greater, .greaterEqual:
            return ""
        case .newline, .invalid, .endOfInput: return nil
        }
    }

    /// Every word the EBNF quotes (its keywords, stage names, operators written as words, units)
    /// is highlighted as a keyword, an operator or a constant where the grammar puts it, never
    /// as a plain name.
    func testTheEBNFKeywordsAreKeywords() throws {
        let grammar = try grammar()
        let rules = try compileRules(try XCTUnwrap(grammar["patterns"] as? [[String: Any]]),
                                     try XCTUnwrap(grammar["repository"] as? [String: Any]))
        var ebnf = try String(contentsOfFile: repositoryRoot + "/Grammar/ConflictQL.ebnf", encoding: .utf8)
        // Comments hold examples (`"pledge"`); the lexical rules hold letters of literals (`"e"`).
        while let open = ebnf.range(of: "(*"), let close = ebnf.range(of: "*)", range: open.upperBound..<ebnf.endIndex) {
            ebnf.removeSubrange(open.lowerBound..<close.upperBound)
        }
        let quoted = try NSRegularExpression(pattern: "\"([a-z]{2,})\"")
        let words = Set(quoted.matches(in: ebnf, range: NSRange(location: 0, length: (ebnf as NSString).length))
            .map { (ebnf as NSString).substring(with: $0.range(at: 1)) })
        XCTAssertGreaterThan(words.count, 50)
        for word in words.sorted() {
            let text = stageNames.contains(word) ? "t | \(word)" : DurationUnit(word: word) != nil ? "30 \(word)" : "t \(word) u"
            let start = (text as NSString).range(of: word, options: .backwards).location
            let scope = scopes(text, rules).first { $0.start <= start && start < $0.end }?.scope ?? "nothing"
            XCTAssertTrue(["keyword", "constant.language"].contains { scope.hasPrefix($0) }, "'\(word)' is \(scope) in '\(text)'")
        }
    }

    func testEverySampleAndDocumentedQueryIsHighlightedWithoutAnUnknownToken() throws {
        let grammar = try grammar()
        let repository = try XCTUnwrap(grammar["repository"] as? [String: Any])
        let rules = try compileRules(try XCTUnwrap(grammar["patterns"] as? [[String: Any]]), repository)
        var scripts: [(String, String)] = []
        let samples = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Samples").filter { $0.hasSuffix(".cq") }
        for name in samples.sorted() {
            scripts.append((name, try String(contentsOfFile: repositoryRoot + "/Samples/" + name, encoding: .utf8)))
        }
        scripts += try documentedQueries()
        var tokensChecked = 0
        for (name, text) in scripts {
            let spans = scopes(text, rules)
            // UTF-16 offset of each byte offset.
            var utf16Offsets: [Int] = []
            var units = 0
            for scalar in text.unicodeScalars {
                for _ in 0..<String(scalar).utf8.count { utf16Offsets.append(units) }
                units += scalar.utf16.count
            }
            utf16Offsets.append(units)
            var covered = [String?](repeating: nil, count: units)
            for span in spans { for offset in span.start..<span.end where covered[offset] == nil { covered[offset] = span.scope } }
            let lexed = lex(Source(name: name, text: text))
            for token in lexed.tokens {
                guard let expected = expectedScope(token.kind) else { continue }
                let start = utf16Offsets[token.range.start], end = utf16Offsets[token.range.end]
                for offset in start..<end {
                    let scope = covered[offset]
                    let tokenText = (text as NSString).substring(with: NSRange(location: start, length: end - start))
                    XCTAssertNotNil(scope, "\(name): '\(tokenText)' is not highlighted")
                    XCTAssertFalse(scope?.contains("invalid") ?? false, "\(name): '\(tokenText)' is invalid")
                    if !expected.isEmpty {
                        XCTAssertTrue(scope?.hasPrefix(expected) ?? false,
                                      "\(name): '\(tokenText)' is \(scope ?? "nothing"), not \(expected)")
                    }
                    if scope == nil || !(expected.isEmpty || scope!.hasPrefix(expected)) { return }
                }
                tokensChecked += 1
            }
            // Comments: the text after a '#' outside tokens is a comment scope.
            var previousEnd = 0
            for token in lexed.tokens {
                let gap = text.utf8.dropFirst(previousEnd).prefix(token.range.start - previousEnd)
                if let hash = gap.firstIndex(of: UInt8(ascii: "#")) {
                    let offset = utf16Offsets[text.utf8.distance(from: text.utf8.startIndex, to: hash)]
                    XCTAssertTrue(covered[offset]?.hasPrefix("comment") ?? false, "\(name): a comment is not highlighted as one")
                }
                previousEnd = token.range.end
            }
        }
        XCTAssertGreaterThan(tokensChecked, 2_500)
    }
}
