// Habits from the languages analysts come from (SQL, KQL, pandas, dplyr), each answered with
// how ConflictQL writes it. They show as errors in different places (a word where a statement
// could end, a letter glued to a number, an unknown function), and each place asks this one
// table for its help line, so a habit is taught the same way wherever it shows.

package enum Habits {
    /// Words of other languages' clauses, found where a statement could end, and what to write.
    static let clauseWords: [String: String] = [
        "group": "write summarize AGGREGATE by KEY, as in: summarize n = count() by category (SQL's GROUP BY)",
        "order": "write sort by KEY [desc] (SQL's ORDER BY)",
        "descending": "write desc (or asc): sort by value desc",
        "ascending": "write asc (or desc): sort by value asc",
        "limit": "write take N (SQL's LIMIT)",
        "having": "filter after the summary: summarize n = count() by k | where n > 1 (SQL's HAVING)",
        "from": "a pipeline starts from its table: groups | select name, founded (SQL's SELECT ... FROM)",
    ]

    /// The help for a token found where a statement could have ended: `statementStart` is the
    /// statement's first word, `found` the token's text, `foundNumberComma` whether it is a
    /// comma right after a number (`1,000`).
    package static func afterStatement(statementStart: String?, found: String, isCommaAfterNumber: Bool) -> String? {
        if isCommaAfterNumber { return "write numbers without a thousands separator: 1000, or 1_000" }
        if statementStart?.lowercased() == "select" { return clauseWords["from"] }
        return clauseWords[found.lowercased()]
    }

    /// The help for a number with letters glued to it (`7d`, KQL's durations).
    package static func numberWithLetters(_ text: String) -> String? {
        let digits = text.prefix { $0.isNumber || $0 == "_" }
        let unit = text.dropFirst(digits.count).lowercased()
        guard !digits.isEmpty else { return nil }
        switch unit {
        case "d": return "write \(digits) days (KQL's \(text)); durations are days, weeks, months or years"
        case "w": return "write \(digits) weeks"
        case "h", "m", "s", "ms", "min", "sec":
            return "dates here are days, with no clock: durations are days, weeks, months or years"
        default: return nil
        }
    }

    /// Functions of other languages and what ConflictQL writes instead.
    package static let functions: [String: String] = [
        "dcount": "write count(distinct x) (KQL's dcount)",
        "count_distinct": "write count(distinct x)",
        "countdistinct": "write count(distinct x)",
        "n_distinct": "write count(distinct x) (dplyr's n_distinct)",
        "nunique": "write count(distinct x) (pandas' nunique)",
        "ago": "dates here have no clock, so there is no ago(): compare with a date, where event_date >= @2024-03-01 - 30 days",
        "now": "dates here have no clock: write a date, @2024-03-01",
        "today": "dates here have no clock: write a date, @2024-03-01",
        "strlen": "write len(text)",
        "length": "write len(text)",
        "tolower": "write lower(text)",
        "toupper": "write upper(text)",
        "substr": "write substring(text, start[, length]), counting from 1",
        "tostring": "write string(x)",
        "toint": "write int(x)",
        "todouble": "write float(x)",
        "toreal": "write float(x)",
        "startofmonth": "write to_month(date)",
        "startofweek": "write to_week(date) (weeks start on Monday)",
        "startofyear": "write to_year(date)",
        "dayofweek": "write weekday(date) (ISO: Monday is 1)",
        "getyear": "write year(date)",
        "datepart": "write year(d), month(d), day(d), quarter(d) or weekday(d)",
        "date_trunc": "write to_month(d), to_week(d) or to_year(d), or bin(d, 3 months)",
        "isnull": "write x is null",
        "isnotnull": "write x is not null",
        "isempty": "write x is null or x == \"\"",
        "iif": "write if(condition, then, else)",
        "nvl": "write coalesce(a, b)",
        "ifnull": "write coalesce(a, b)",
    ]

    /// The help for an unknown function, when another language has it.
    package static func function(_ name: String) -> String? { functions[name.lowercased()] }
}
