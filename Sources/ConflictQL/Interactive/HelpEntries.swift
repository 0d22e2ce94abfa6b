// `.help NAME`: one function, aggregate, stage or operator, with its signature, what it means
// (its null rule where it has one) and an example that a test runs, so the help cannot drift
// from the language. Every function and stage has an entry (a test checks that too).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

extension Help {
    struct Entry {
        var signature: String
        var meaning: String
        var example: String
    }

    /// Every entry: the functions', aggregates' and window functions' from their descriptors,
    /// the stages and operators written here (`count` is both a stage and an aggregate: its
    /// entry here says both).
    static let entries: [String: Entry] = written.merging(
        ScalarFunction.all.map { ($0.name, Entry(signature: $0.signature, meaning: $0.meaning, example: $0.example)) }
            + AggregateFunction.all.map { ($0.name, Entry(signature: $0.signature, meaning: $0.meaning, example: $0.example)) }
            + WindowFunction.all.map { ($0.name, Entry(signature: $0.signature, meaning: $0.meaning, example: $0.example)) },
        uniquingKeysWith: { written, _ in written })

    private static let written: [String: Entry] = [
        // Stages
        "where": Entry(signature: "where COND, or inside an aggregate: AGGREGATE(X where COND)", meaning: "keep the rows where COND is true (null counts as false); inside an aggregate, aggregate only those rows, as SQL's FILTER: sum(x where c), count(where c)", example: "groups | where founded is not null"),
        "select": Entry(signature: "select [NAME =] EXPR, ...", meaning: "exactly these columns", example: "groups | select name, founded_year = year(founded)"),
        "extend": Entry(signature: "extend NAME = EXPR, ...", meaning: "add columns, or replace those of the same name", example: "funding | extend millions = amount_usd / 1000000"),
        "summarize": Entry(signature: "summarize [NAME =] AGG, ... [by [NAME =] EXPR, ...]", meaning: "one row per group (the keys first), or one row without 'by'", example: "funding | summarize total = sum(amount_usd) by recipient"),
        "sort": Entry(signature: "sort by EXPR [asc|desc], ...", meaning: "order the rows; nulls last both ways; ties keep their order", example: "figures | sort by value desc"),
        "take": Entry(signature: "take N", meaning: "the first N rows", example: "figures | take 2"),
        "top": Entry(signature: "top N by EXPR [asc|desc], ...", meaning: "the first N rows in that order (desc unless told)", example: "figures | top 3 by value"),
        "distinct": Entry(signature: "distinct [COLUMN, ...]", meaning: "one row per distinct value (of all columns when none are named)", example: "groups | distinct category"),
        "count": Entry(signature: "count  (a stage) or count() / count(x) (an aggregate)", meaning: "the number of rows; count(x) counts the rows where x is not null", example: "timeline | count"),
        "join": Entry(signature: "join [kind=inner|left|semi|anti] TABLE-or-(PIPELINE) on COL, ... | on CONDITION", meaning: "match rows: by columns of the same name, or where CONDITION over left.A and right.B is true (its left.A == right.B parts are hashed, the rest checked on those pairs); semi keeps the left rows with a match, each once, anti those without; right names that clash get _right", example: "groups | join kind=semi countries on left.area contains right.name | select abbrev, area"),
        "union": Entry(signature: "union [source = NAME] TABLE-or-(PIPELINE), ...", meaning: "append rows, matching columns by name (missing ones are null; Int with Float is Float); source names a column saying where each row came from", example: "funding | union source = origin missions | summarize n = count() by origin"),
        "pivot": Entry(signature: "pivot COLUMN in (VALUE, ...) AGGREGATE [by KEY, ...]", meaning: "one column per value, named by it, holding the aggregate over that value's rows (count() counts them); the values are written in the query", example: "funding | pivot kind in (\"pledge\", \"cut off\") count() by donor"),
        "unpivot": Entry(signature: "unpivot COLUMN, ... into NAME, VALUE", meaning: "pivot's inverse: one row per row and listed column, the other columns kept, the column's name in NAME and its value in VALUE", example: "funding | pivot kind in (\"pledge\", \"cut off\") count() by donor | unpivot pledge, `cut off` into kind, n"),
        "window": Entry(signature: "window [by KEY, ...] [sort by KEY [asc|desc], ...] NAME = EXPR, ...", meaning: "columns computed over each group of rows in an order, every row kept in its place: running totals, ranks, previous values, shares (an aggregate is over the row's group)", example: "funding | window by donor sort by amount_usd desc rank = rank(), share = amount_usd / sum(amount_usd)"),
        "fill": Entry(signature: "fill COLUMN [by KEY, ...] step STEP [from VALUE] [to VALUE] [with NAME = VALUE, ...]", meaning: "a series without gaps: a row for every step (a duration for dates: 1 week, 1 month; a number for Ints) from the smallest to the largest value (or from/to) that no row of the group holds, with the 'with' values, the group's keys and null elsewhere; rows come out in series order within each group", example: "timeline | summarize events = count() by year = to_year(date) | fill year step 1 year with events = 0"),
        "chart": Entry(signature: "chart [bar|column|stacked|line|histogram|scatter|map|pie] [title \"TEXT\"]  (the last stage)", meaning: "draw the result: bar needs \(ChartKind.bar.shape); pie needs \(ChartKind.pie.shape); column and line need \(ChartKind.column.shape), and steps without rows are drawn as zero; histogram needs \(ChartKind.histogram.shape). Without a kind the shape chooses. --format svg and '.output FILE.svg' write it as SVG; CSV and JSON get its rows", example: "timeline | summarize events = count() by year = to_year(date) | chart column title \"Events a year\""),
        "expand": Entry(signature: "expand [NAME =] LIST", meaning: "one row per element of a list (a null or empty list gives no row)", example: "timeline | expand actor = actors"),
        // Operators
        "=~": Entry(signature: "A =~ B, A !~ B", meaning: "text equal (or not) ignoring case: admin1 =~ \"mopti\"", example: "groups | where abbrev =~ \"jnim\" | select name"),
        "matches": Entry(signature: "TEXT matches r\"PATTERN\"", meaning: "a regular expression (RE2 syntax, as in DuckDB and BigQuery: \\d \\w \\s \\b, (?i) to ignore case) matches somewhere, by characters, in time linear in the text; the pattern is checked with the query", example: "groups | where name matches r\"^(Ansar|Al) \" | select name"),
        "contains": Entry(signature: "TEXT contains PART", meaning: "PART occurs in TEXT, ignoring case", example: "groups | where name contains \"qaeda\" | select name"),
        "startswith": Entry(signature: "TEXT startswith PART, TEXT endswith PART", meaning: "TEXT begins (ends) with PART, ignoring case", example: "groups | where name endswith \"dine\" | select name"),
        "has": Entry(signature: "LIST has X, TEXT has WORD", meaning: "an element of the list, or a whole word of the text, ignoring case", example: "groups | where designation has \"FTO\" | select name"),
    ]

    /// Names with an entry, sorted: for completion and suggestions.
    public static var entryNames: [String] { entries.keys.sorted() }

    /// Aliases that share an entry.
    static let entryAliases = ["!~": "=~", "endswith": "startswith", "iff": "if", "days": "add_days"]

    package static func entryText(_ name: String) -> String? {
        guard let entry = entries[name] ?? entryAliases[name].flatMap({ entries[$0] }) else { return nil }
        return "\(entry.signature)\n  \(entry.meaning)\nExample:\n  \(entry.example)\n"
    }

    /// Every entry's example, for the test that runs them.
    public static var entryExamples: [(name: String, example: String)] { entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value.example) } }
}
