// The analyst's extension in SQL: conditionals as CASE, bins, the text functions, and
// regular expressions, each as the dialect spells it. What SQL cannot say exactly is
// refused, never approximated: date arithmetic and weeks depend on a date's precision,
// which SQL dates do not keep, and `extract` with alternatives ('|') picks the longest
// match here (POSIX) but the first in RE2 and Java.

extension SQLExpressionCompiler {
    func extendedCall(_ function: ScalarFunction, _ arguments: [BoundExpression], _ e: BoundExpression) throws(SQLError) -> String {
        func sql(_ a: BoundExpression, as type: DataType) throws(SQLError) -> String {
            a.type == .null && type != .null ? "CAST(NULL AS \(try dialect.typeName(type)))" : try compile(a)
        }
        switch function {
        case .if, .case:
            var parts: [String] = []
            let pairs = function == .if ? 1 : arguments.count / 2
            for i in 0..<pairs {
                parts.append("WHEN \(try sql(arguments[2 * i], as: .bool)) THEN \(try sql(arguments[2 * i + 1], as: e.type))")
            }
            let otherwise: BoundExpression? = function == .if ? arguments[2] : (arguments.count % 2 == 1 ? arguments.last : nil)
            let elseSQL = try otherwise.map { (o) throws(SQLError) in " ELSE \(try sql(o, as: e.type))" } ?? ""
            return "(CASE \(parts.joined(separator: " "))\(elseSQL) END)"
        case .add_days, .add_months, .add_years, .days_between, .to_week, .week:
            throw refuse("\(function.rawValue)() (it depends on a date's precision, which SQL dates do not keep)", e)
        case .bin:
            if arguments[0].type == .date { throw refuse("bin() of a date (it depends on a date's precision, which SQL dates do not keep)", e) }
            let x = try sql(arguments[0], as: e.type), size = try compile(arguments[1])
            if e.type == .int { return "(\(x) - (((\(x) % \(size)) + \(size)) % \(size)))" }
            return "(floor(\(x) / \(size)) * \(size))"
        case .split:
            let text = try sql(arguments[0], as: .string), separator = try sql(arguments[1], as: .string)
            switch dialect {
            case .duckdb: return "string_split(\(text), \(separator))"
            // PostgreSQL splits '' into no element; here it is one empty element.
            case .postgres: return "(CASE WHEN \(text) = '' THEN ARRAY[''] ELSE string_to_array(\(text), \(separator)) END)"
            case .spark:
                guard case .constant(.string(let s)) = arguments[1].kind else { throw refuse("split() by a separator that is not a constant", e) }
                return "split(\(text), \(dialect.string("\\Q" + s + "\\E")), -1)"
            case .bigquery: return "SPLIT(\(text), \(separator))"
            }
        case .replace:
            return "replace(\(try sql(arguments[0], as: .string)), \(try sql(arguments[1], as: .string)), \(try sql(arguments[2], as: .string)))"
        case .trim:
            let text = try sql(arguments[0], as: .string), characters = dialect.string(" \t\r\n")
            switch dialect {
            case .postgres: return "btrim(\(text), \(characters))"
            case .spark: return "trim(BOTH \(characters) FROM \(text))"
            case .duckdb, .bigquery: return "trim(\(text), \(characters))"
            }
        case .substring:
            // Positions count graphemes here, code points in SQL: the same only for text with
            // no character of several code points, which the SQL cannot know in advance.
            throw refuse("substring() (\(SQLExpressionCompiler.graphemeReason))", e)
        case .concat:
            let parts = try arguments.map { (a) throws(SQLError) -> String in
                switch a.type {
                case .string, .null: return try sql(a, as: .string)
                case .int: return "CAST(\(try compile(a)) AS \(try dialect.typeName(.string)))"
                default: throw refuse("concat() of a \(a.type) (SQL prints it differently)", e)
                }
            }
            return "(" + parts.joined(separator: " || ") + ")"
        case .extract:
            guard case .constant(.string(let text)) = arguments[1].kind, let pattern = try? Pattern(text) else {
                return "CAST(NULL AS \(try dialect.typeName(.string)))"
            }
            if text.contains("|") { throw refuse("extract() with alternatives ('|'), whose match SQL engines choose otherwise", e) }
            var group = pattern.groupCount >= 1 ? 1 : 0
            if arguments.count > 2, case .constant(.int(let g)) = arguments[2].kind { group = Int(g) }
            let source = try sql(arguments[0], as: .string), quoted = dialect.string(text)
            switch dialect {
            case .duckdb: return "(CASE WHEN regexp_matches(\(source), \(quoted)) THEN regexp_extract(\(source), \(quoted), \(group)) END)"
            case .spark: return "(CASE WHEN \(source) RLIKE \(quoted) THEN regexp_extract(\(source), \(quoted), \(group)) END)"
            case .postgres:
                if group == 0 && pattern.groupCount > 0 { throw refuse("extract() of the whole match of a pattern with groups", e) }
                return "(regexp_match(\(source), \(quoted)))[\(max(group, 1))]"
            case .bigquery:
                guard group == min(pattern.groupCount, 1), pattern.groupCount <= 1 else {
                    throw refuse("extract() of other than the only group", e)
                }
                return "REGEXP_EXTRACT(\(source), \(quoted))"
            }
        case .group_of:
            // The alias table as a CASE: exact names; a country-scoped alias only with a country.
            let name = try sql(arguments[0], as: .string)
            let country = arguments.count > 1 ? try sql(arguments[1], as: .string) : nil
            var whens: [String] = []
            for alias in Actors.aliases {
                var test = "\(name) = \(dialect.string(alias.alias))"
                if let scope = alias.countries {
                    guard let country else { continue }
                    test += " AND \(country) IN (\(scope.map(dialect.string).joined(separator: ", ")))"
                }
                whens.append("WHEN \(test) THEN \(dialect.string(alias.name))")
            }
            return "(CASE \(whens.joined(separator: " ")) END)"
        case .groups_of, .is_joint:
            throw refuse("\(function.rawValue)() (it splits joint attributions and lists of actors)", e)
        default:
            throw refuse("\(function.rawValue)()", e)
        }
    }
}
