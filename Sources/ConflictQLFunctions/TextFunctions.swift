// The text functions, each computed once per distinct string where the other arguments
// are constants. Case-insensitive search is the operators' (`contains`, `startswith`);
// the `_cs` functions match case exactly, as KQL's `contains_cs`.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension ScalarFunction {
    static let text: [ScalarFunction] = [
        lower, upper, len, trim, substring, replace, split, concat, extract, contains_cs, startswith_cs,
    ]

    public static let lower = caseMapping("lower", meaning: "in lower case", example: "lower(\"Gao\")") { $0.lowercased() }
    public static let upper = caseMapping("upper", meaning: "in upper case", example: "upper(\"jnim\")") { $0.uppercased() }

    public static let len = ScalarFunction(
        "len", family: .text, signature: "len(TEXT or LIST) -> Int", meaning: "the number of characters, or of elements",
        example: "len(\"Mopti\")", arity: 1...1, usage: "len(TEXT or LIST)",
        forms: [CallForm([.of(.string)], .int), CallForm([.of(.list(.string))], .int)],
        check: { call in
            try call.expect(0, "a string or a list") { if case .list = $0 { return true }; return $0 == .string }
            return .int
        },
        evaluation: .columns { call in
            let input = call.columns[0], count = call.rowCount
            switch input.storage {
            case .string(let codes, let dictionary):
                let lengths = dictionary.values.map { Int64($0.count) }
                return Column(type: .int, storage: .int(codes.map { lengths[Int($0)] }), validity: input.validity, count: count)
            case .list(let offsets, _):
                let lengths = (0..<count).map { Int64(offsets[$0 + 1] - offsets[$0]) }
                return Column(type: .int, storage: .int(lengths), validity: input.validity, count: count)
            default:
                return call.nulls()
            }
        },
        sql: { call throws(SQLError) in
            if case .list = call.types[0] { return call.dialect.listLength(try call.argument(0)) }
            throw call.refuse("len() of text (\(graphemeReason))")
        })

    public static let trim = ScalarFunction(
        "trim", family: .text, signature: "trim(TEXT) -> String", meaning: "without the spaces, tabs and line breaks at either end",
        example: "trim(\"  Mopti \")", arity: 1...1, usage: "trim(TEXT)",
        forms: [CallForm([.of(.string)], .string)],
        check: { call in try call.expect(0, .string, "text"); return .string },
        evaluation: .columns { call in
            try overStrings(call) { text, _ in .string(text.trimmingCharacters(in: " \t\r\n")) }
        },
        sql: { call throws(SQLError) in
            let text = try call.argument(0, as: .string), characters = call.dialect.string(" \t\r\n")
            switch call.dialect {
            case .postgres: return "btrim(\(text), \(characters))"
            case .spark: return "trim(BOTH \(characters) FROM \(text))"
            case .duckdb, .bigquery: return "trim(\(text), \(characters))"
            }
        })

    public static let substring = ScalarFunction(
        "substring", family: .text, signature: "substring(TEXT, START[, LENGTH]) -> String",
        meaning: "the characters from START (the first is 1), LENGTH of them or to the end", example: "substring(\"Tombouctou\", 1, 4)",
        arity: 2...3, usage: "substring(TEXT, START) or substring(TEXT, START, LENGTH), counting from 1", mayFail: true,
        forms: [CallForm([.of(.string), .position], .string), CallForm([.of(.string), .position, .position], .string)],
        check: { call in
            try call.expect(0, .string, "text")
            try call.expect(1, .int, "a whole-number start (the first character is 1)")
            if call.count == 3 { try call.expect(2, .int, "a whole-number length") }
            return .string
        },
        evaluation: .columns { call in
            try overStrings(call) { text, values in
                guard case .int(let start) = values[0] else { return .null }
                guard start >= 1 else { throw Diagnostic(.substringStart(start), at: call.range) }
                var length = Int64.max
                if values.count > 1 {
                    guard case .int(let n) = values[1] else { return .null }
                    guard n >= 0 else { throw Diagnostic(.substringLength(n), at: call.range) }
                    length = n
                }
                return .string(String(text.dropFirst(Int(clamping: start - 1)).prefix(Int(clamping: length))))
            }
        },
        sql: { call throws(SQLError) in
            // Positions count graphemes here, code points in SQL: the same only for text with
            // no character of several code points, which the SQL cannot know in advance.
            throw call.refuse("substring() (\(graphemeReason))")
        })

    public static let replace = ScalarFunction(
        "replace", family: .text, signature: "replace(TEXT, OLD, NEW) -> String",
        meaning: "every occurrence of OLD (matching case) replaced by NEW", example: "replace(\"Kidal, Kidal\", \"Kidal\", \"Gao\")",
        arity: 3...3, usage: "replace(TEXT, OLD, NEW)",
        forms: [CallForm([.of(.string), .nonEmptyText, .of(.string)], .string)],
        check: { call in
            for i in 0..<3 { try call.expect(i, .string, "text") }
            if call.constants[1] == .string("") {
                throw call.error(.replaceEmptyText, at: 1)
            }
            return .string
        },
        evaluation: .columns { call in
            try overStrings(call) { text, values in
                guard case .string(let old) = values[0], case .string(let new) = values[1], !old.isEmpty else { return .null }
                return .string(text.replacing(old, with: new))
            }
        },
        sql: { call throws(SQLError) in
            "replace(\(try call.argument(0, as: .string)), \(try call.argument(1, as: .string)), \(try call.argument(2, as: .string)))"
        })

    public static let split = ScalarFunction(
        "split", family: .text, signature: "split(TEXT, SEPARATOR) -> List<String>",
        meaning: "the pieces between separators (empty pieces kept); expand it to count them", example: "split(\"Mali; Niger\", \"; \")",
        arity: 2...2, usage: "split(TEXT, SEPARATOR)",
        forms: [CallForm([.of(.string), .nonEmptyText], .list(.string))],
        check: { call in
            try call.expect(0, .string, "text")
            try call.expect(1, .string, "a separator (text)")
            if call.constants[1] == .string("") { throw call.error(.splitEmptySeparator, at: 1) }
            return .list(.string)
        },
        evaluation: .columns { call in
            try overStrings(call) { text, values in
                guard case .string(let separator) = values[0], !separator.isEmpty else { return .null }
                return .list(text.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
            }
        },
        sql: { call throws(SQLError) in
            let text = try call.argument(0, as: .string), separator = try call.argument(1, as: .string)
            switch call.dialect {
            case .duckdb: return "string_split(\(text), \(separator))"
            // PostgreSQL splits '' into no element; here it is one empty element.
            case .postgres: return "(CASE WHEN \(text) = '' THEN ARRAY[''] ELSE string_to_array(\(text), \(separator)) END)"
            case .spark:
                guard case .string(let s)? = call.constants[1] else { throw call.refuse("split() by a separator that is not a constant") }
                return "split(\(text), \(call.dialect.string("\\Q" + s + "\\E")), -1)"
            case .bigquery: return "SPLIT(\(text), \(separator))"
            }
        })

    public static let concat = ScalarFunction(
        "concat", family: .text, signature: "concat(A, B, ...) -> String", meaning: "the values as text, joined; null if any is null",
        example: "concat(\"Mali \", 2012)", arity: 1...Int.max, usage: "concat(admin1, \" (\", year, \")\")",
        forms: [CallForm([.of(.string), .of(.string)], .string), CallForm([.of(.string), .of(.int)], .string)],
        check: { call in
            for i in 0..<call.count {
                if case .list = call.types[i] { throw call.error(.concatOfList, at: i) }
            }
            return .string
        },
        evaluation: .columns { call in
            var builder = ColumnBuilder(type: .string, capacity: call.rowCount)
            for row in 0..<call.rowCount {
                try call.poll(row)
                let values = call.columns.map { $0.value(at: row) }
                builder.append(values.contains(where: \.isNull) ? .null
                               : .string(values.map { if case .string(let s) = $0 { return s }; return $0.description }.joined()))
            }
            return builder.finish()
        },
        sql: { call throws(SQLError) in
            var parts: [String] = []
            for i in 0..<call.count {
                switch call.types[i] {
                case .string, .null: parts.append(try call.argument(i, as: .string))
                case .int: parts.append("CAST(\(try call.argument(i)) AS \(try call.dialect.typeName(.string)))")
                default: throw call.refuse("concat() of a \(call.types[i]) (SQL prints it differently)")
                }
            }
            return "(" + parts.joined(separator: " || ") + ")"
        })

    public static let extract = ScalarFunction(
        "extract", family: .text, signature: "extract(TEXT, r\"PATTERN\"[, GROUP]) -> String",
        meaning: "the first match's group (1 when the pattern has groups, else the whole match); null without a match",
        example: "extract(\"attack on 12 May\", r\"(\\d+) May\")",
        arity: 2...3, usage: "extract(TEXT, r\"PATTERN\") or extract(TEXT, r\"PATTERN\", GROUP)",
        forms: [CallForm([.of(.string), .pattern], .string)],
        check: { call in
            try call.expect(0, .string, "text")
            try call.expect(1, .string, "a regular expression")
            try call.pattern(1)
            if call.count == 3 {
                guard case .int(let group)? = call.constants[2], group >= 0 else {
                    throw call.error(.extractGroupNotConstant, at: 2)
                }
                if case .string(let text)? = call.constants[1], let pattern = try? Pattern(text), group > pattern.groupCount {
                    throw call.error(.extractGroupMissing(pattern.groupCount, pattern.groupCount == 1 ? "" : "s", group), at: 2)
                }
            }
            return .string
        },
        evaluation: .columns { call in
            // A pattern is compiled once for the column, not once per string.
            var compiled: Pattern? = nil
            if case .string(let text)? = call.scalars[1] { compiled = try? Pattern(text) }
            // Cancellation is looked at per 256 KiB of text too, not only per 1,024 strings.
            var bytesSincePoll = 0
            return try overStrings(call) { text, values in
                bytesSincePoll += text.utf8.count
                if bytesSincePoll > 1 << 18 { bytesSincePoll = 0; try call.poll(0) }
                guard case .string(let patternText) = values[0], let pattern = compiled ?? (try? Pattern(patternText)) else { return .null }
                var group = pattern.groupCount >= 1 ? 1 : 0
                if values.count > 1, case .int(let g) = values[1] { group = Int(clamping: g) }
                let bytes = Array(text.utf8)
                guard let found = bytes.withUnsafeBufferPointer({ pattern.match($0) }), group < found.count, let span = found[group] else { return .null }
                return .string(String(decoding: bytes[span], as: UTF8.self))
            }
        },
        sql: { call throws(SQLError) in
            guard case .string(let text)? = call.constants[1], let pattern = try? Pattern(text) else {
                return "CAST(NULL AS \(try call.dialect.typeName(.string)))"
            }
            var group = pattern.groupCount >= 1 ? 1 : 0
            if call.count > 2, case .int(let g)? = call.constants[2] { group = Int(g) }
            let written: String, tree: PatternNode
            do throws(PatternTranslationError) {
                written = try call.dialect.regularExpression(text, submatch: true)
                tree = try PatternNode.read(text)
            } catch {
                throw call.refuse("extract() with a pattern that has \(error.reason)")
            }
            // A group that took no part in the match is null here and in PostgreSQL; DuckDB
            // and Spark give '' (and BigQuery may): exact through NULLIF when the group
            // cannot match '' itself, else refused.
            var absentAsEmpty = false
            if group > 0, let (node, alwaysTaken) = tree.group(group), !alwaysTaken, call.dialect != .postgres {
                if node.canMatchEmpty {
                    throw call.refuse("extract() of a group that may take no part in the match and may match '' (SQL gives '' for both, this gives null for the first)")
                }
                absentAsEmpty = true
            }
            let source = try call.argument(0, as: .string), quoted = call.dialect.string(written)
            func orNull(_ sql: String) -> String { absentAsEmpty ? "NULLIF(\(sql), '')" : sql }
            switch call.dialect {
            case .duckdb: return "(CASE WHEN regexp_matches(\(source), \(quoted)) THEN \(orNull("regexp_extract(\(source), \(quoted), \(group))")) END)"
            case .spark: return "(CASE WHEN \(source) RLIKE \(quoted) THEN \(orNull("regexp_extract(\(source), \(quoted), \(group))")) END)"
            case .postgres:
                if group == 0 && pattern.groupCount > 0 { throw call.refuse("extract() of the whole match of a pattern with groups") }
                return "(regexp_match(\(source), \(quoted)))[\(max(group, 1))]"
            case .bigquery:
                guard group == min(pattern.groupCount, 1), pattern.groupCount <= 1 else {
                    throw call.refuse("extract() of other than the only group")
                }
                return orNull("REGEXP_EXTRACT(\(source), \(quoted))")
            }
        })

    public static let contains_cs = caseSensitiveSearch(
        "contains_cs", meaning: "whether TEXT holds PART, matching case exactly (the operator contains ignores case)",
        example: "contains_cs(\"JNIM: Group for Support\", \"JNIM\")",
        test: { text, part in part.isEmpty || text.utf8.firstRange(of: part.utf8) != nil },
        sql: { dialect, text, part in "(\(dialect.position(part, in: text)) > 0)" })

    public static let startswith_cs = caseSensitiveSearch(
        "startswith_cs", meaning: "whether TEXT begins with PREFIX, matching case exactly (the operator startswith ignores case)",
        example: "startswith_cs(\"Military Forces of Mali\", \"Military\")",
        test: { text, prefix in text.utf8.starts(with: prefix.utf8) },
        sql: { dialect, text, prefix in dialect.startsWith(text, prefix) })

    /// Why `len` and `substring` of text are refused in every dialect. DuckDB's
    /// length_grapheme comes close but counts a CRLF as two.
    static let graphemeReason = "here it counts characters as they are seen, graphemes: 'é' written as e and an accent is one, and so is a CRLF; SQL counts code points"

    // MARK: Families of alike functions

    static func caseMapping(_ name: String, meaning: String, example: String,
                            _ map: @escaping @Sendable (String) -> String) -> ScalarFunction {
        ScalarFunction(
            name, family: .text, signature: "\(name)(TEXT) -> String", meaning: meaning, example: example,
            arity: 1...1, usage: "\(name)(TEXT)",
            forms: [CallForm([.of(.string)], .string)],
            check: { call in try call.expect(0, .string, "a string"); return .string },
            evaluation: .columns { call in
                let input = call.columns[0]
                guard case .string(let codes, let dictionary) = input.storage else { return call.nulls() }
                return recode(codes, dictionary.values.map(map), input.validity)
            },
            sql: { call throws(SQLError) in "\(name)(\(try call.argument(0, as: .string)))" })
    }

    static func caseSensitiveSearch(_ name: String, meaning: String, example: String,
                                    test: @escaping @Sendable (String, String) -> Bool,
                                    sql: @escaping @Sendable (SQLDialect, String, String) -> String) -> ScalarFunction {
        let part = name == "contains_cs" ? "PART" : "PREFIX"
        return ScalarFunction(
            name, family: .text, signature: "\(name)(TEXT, \(part)) -> Bool", meaning: meaning, example: example,
            arity: 2...2, usage: "\(name)(TEXT, \(part))",
            forms: [CallForm([.of(.string), .of(.string)], .bool)],
            check: { call in
                try call.expect(0, .string, "text")
                try call.expect(1, .string, "text to look for")
                return .bool
            },
            evaluation: .columns { call in
                try overStrings(call) { text, values in
                    guard case .string(let part) = values[0] else { return .null }
                    return .bool(test(text, part))
                }
            },
            sql: { call throws(SQLError) in
                sql(call.dialect, try call.argument(0, as: .string), try call.argument(1, as: .string))
            })
    }
}
