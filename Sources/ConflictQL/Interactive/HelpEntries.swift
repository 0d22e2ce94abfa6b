// `.help NAME`: one function, aggregate, stage or operator, with its signature, what it means
// (its null rule where it has one) and an example that a test runs, so the help cannot drift
// from the language. Every function and stage has an entry (a test checks that too).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
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

    static let entries: [String: Entry] = [
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
        "chart": Entry(signature: "chart [bar|column|line|histogram] [title \"TEXT\"]  (the last stage)", meaning: "draw the result: bar needs \(ChartKind.bar.shape); column and line need \(ChartKind.column.shape), and steps without rows are drawn as zero; histogram needs \(ChartKind.histogram.shape). Without a kind the shape chooses. --format svg and '.output FILE.svg' write it as SVG; CSV and JSON get its rows", example: "timeline | summarize events = count() by year = to_year(date) | chart column title \"Events a year\""),
        "row_number": Entry(signature: "row_number() -> Int  (in window)", meaning: "the row's place in its group, from 1, in the window's order", example: "figures | window sort by value desc n = row_number()"),
        "rank": Entry(signature: "rank() -> Int  (in window)", meaning: "1 plus the rows before it in the order; ties share a rank and leave a gap (1, 1, 3)", example: "figures | window sort by value desc r = rank()"),
        "dense_rank": Entry(signature: "dense_rank() -> Int  (in window)", meaning: "as rank, without gaps after ties (1, 1, 2)", example: "figures | window sort by value desc r = dense_rank()"),
        "running_sum": Entry(signature: "running_sum(NUMBER)  (in window)", meaning: "the total of the group's values up to this row, in the order (nulls skipped; null before the first value)", example: "funding | window sort by amount_usd total = running_sum(amount_usd)"),
        "prev": Entry(signature: "prev(VALUE[, N]), next(VALUE[, N])  (in window)", meaning: "the value N rows (1 by default) before or after in the group's order; null at the group's edge", example: "funding | window by donor sort by amount_usd change = amount_usd - prev(amount_usd)"),
        "moving_avg": Entry(signature: "moving_avg(NUMBER, N) -> Float  (in window)", meaning: "the mean of this row and the N - 1 before it in the group (nulls skipped)", example: "figures | window sort by value m = moving_avg(value, 3)"),
        "expand": Entry(signature: "expand [NAME =] LIST", meaning: "one row per element of a list (a null or empty list gives no row)", example: "timeline | expand actor = actors"),
        // Scalar functions
        "year": Entry(signature: "year(DATE) -> Int", meaning: "the year of a date", example: "year(@2013-04-01)"),
        "month": Entry(signature: "month(DATE) -> Int", meaning: "the month, 1 to 12; null when the date is known only to the year", example: "month(@2013-04)"),
        "day": Entry(signature: "day(DATE) -> Int", meaning: "the day of the month; null when the date is known only to the month or year", example: "day(@2013-04-01)"),
        "to_month": Entry(signature: "to_month(DATE) -> Date", meaning: "the date cut to its month (2020-03); null for a date known only to the year", example: "to_month(@2020-03-15)"),
        "to_year": Entry(signature: "to_year(DATE) -> Date", meaning: "the date cut to its year", example: "to_year(@2020-03-15)"),
        "to_week": Entry(signature: "to_week(DATE) -> Date", meaning: "the Monday of the date's ISO week; null for a date not known to the day", example: "to_week(@2021-01-03)"),
        "week": Entry(signature: "week(DATE) -> Int", meaning: "the ISO week number, 1 to 53 (the week belongs to the year of its Thursday)", example: "week(@2021-01-03)"),
        "add_days": Entry(signature: "add_days(DATE, N) -> Date, also DATE + N days", meaning: "the date N days later (N may be negative); null for a date not known to the day", example: "@2015-06-20 + 30 days"),
        "add_months": Entry(signature: "add_months(DATE, N) -> Date, also DATE + N months", meaning: "N months later; the day is clamped at the month's end (Jan 31 + 1 month is Feb 28 or 29); null for a date known only to the year", example: "@2020-01-31 + 1 month"),
        "add_years": Entry(signature: "add_years(DATE, N) -> Date, also DATE + N years", meaning: "N years later, keeping the date's precision; Feb 29 becomes Feb 28", example: "@2020-02-29 + 1 year"),
        "days_between": Entry(signature: "days_between(FROM, TO) -> Int, also TO - FROM", meaning: "the days from one date to another; null unless both are known to the day", example: "@2015-07-20 - @2015-06-20"),
        "bin": Entry(signature: "bin(NUMBER, SIZE) or bin(DATE, N days|weeks|months|years)", meaning: "rounded down to a multiple of SIZE: for histograms and time buckets (week bins start on Mondays)", example: "bin(@2020-05-17, 3 months)"),
        "lower": Entry(signature: "lower(TEXT) -> String", meaning: "in lower case", example: "lower(\"Gao\")"),
        "upper": Entry(signature: "upper(TEXT) -> String", meaning: "in upper case", example: "upper(\"jnim\")"),
        "len": Entry(signature: "len(TEXT or LIST) -> Int", meaning: "the number of characters, or of elements", example: "len(\"Mopti\")"),
        "trim": Entry(signature: "trim(TEXT) -> String", meaning: "without the spaces, tabs and line breaks at either end", example: "trim(\"  Mopti \")"),
        "substring": Entry(signature: "substring(TEXT, START[, LENGTH]) -> String", meaning: "the characters from START (the first is 1), LENGTH of them or to the end", example: "substring(\"Tombouctou\", 1, 4)"),
        "replace": Entry(signature: "replace(TEXT, OLD, NEW) -> String", meaning: "every occurrence of OLD (matching case) replaced by NEW", example: "replace(\"Kidal, Kidal\", \"Kidal\", \"Gao\")"),
        "split": Entry(signature: "split(TEXT, SEPARATOR) -> List<String>", meaning: "the pieces between separators (empty pieces kept); expand it to count them", example: "split(\"Mali; Niger\", \"; \")"),
        "concat": Entry(signature: "concat(A, B, ...) -> String", meaning: "the values as text, joined; null if any is null", example: "concat(\"Mali \", 2012)"),
        "extract": Entry(signature: "extract(TEXT, r\"PATTERN\"[, GROUP]) -> String", meaning: "the first match's group (1 when the pattern has groups, else the whole match); null without a match", example: "extract(\"attack on 12 May\", r\"(\\d+) May\")"),
        "group_of": Entry(signature: "group_of(ACTOR[, COUNTRY]) -> String", meaning: "the briefing group an event's actor name codes, by the exact names of the actors table (a name coded only in some countries, as UCDP's IS, needs the event's country); null for other names and for joint attributions (A and/or B)", example: "group_of(\"JNIM: Group for Support of Islam and Muslims\")"),
        "groups_of": Entry(signature: "groups_of(ACTOR or [ACTOR, ...][, COUNTRY]) -> List<String>", meaning: "every briefing group the names code, each once, in order: a whole known name, else each part of a list (A; B, or A, B) and of a joint attribution (A and/or B); expand it to count an event once for each group", example: "groups_of([\"Ansar Dine\", \"AQIM: Al Qaeda in the Islamic Maghreb; Civilians (France)\"])"),
        "groups_on": Entry(signature: "groups_on(ACTOR or [ACTOR, ...], DATE[, COUNTRY]) -> List<String>", meaning: "what groups_of gives, with the groups those were units of or had merged into on the date (the relations table): Katiba Macina's events from March 2017 are JNIM's too, Ansar Dine's of 2015 are not", example: "groups_on([\"Katiba Macina\", \"Ansar Dine\"], @2018-01-10)"),
        "is_joint": Entry(signature: "is_joint(ACTOR) -> Bool", meaning: "whether the name is one of ACLED's joint attributions, A and/or B (the event is by one of them, not known which)", example: "is_joint(\"JNIM: Group for Support of Islam and Muslims and/or Islamic State (West Africa) - Greater Sahara Faction\")"),
        "round": Entry(signature: "round(X[, DIGITS])", meaning: "half away from zero, to DIGITS after the point (negative: tens, hundreds)", example: "round(118 / 4.0, 1)"),
        "abs": Entry(signature: "abs(X)", meaning: "the absolute value", example: "abs(-5)"),
        "coalesce": Entry(signature: "coalesce(A, B, ...)", meaning: "the first value that is not null; later ones are evaluated only where needed", example: "groups | select coalesce(abbrev, name)"),
        "int": Entry(signature: "int(X) -> Int", meaning: "a number toward zero, a whole-number text, or a Bool as 1 or 0; an error otherwise", example: "int(\"42\") + int(3.9)"),
        "float": Entry(signature: "float(X) -> Float", meaning: "a number, a numeric text, or a Bool as a Float", example: "float(3)"),
        "string": Entry(signature: "string(X) -> String", meaning: "any value as text, as the table prints it", example: "string(@2011-10)"),
        "if": Entry(signature: "if(COND, THEN, ELSE)", meaning: "THEN where COND is true, ELSE where it is false or null; each is computed only on its rows", example: "figures | select indicator, size = if(value > 100000, \"large\", \"small\")"),
        "case": Entry(signature: "case(COND1, VALUE1, COND2, VALUE2, ..., [ELSE])", meaning: "the value of the first true condition; ELSE (or null) when none is true", example: "figures | select case(value > 100000, \"large\", value > 5000, \"medium\", \"small\")"),
        // Aggregates
        "countif": Entry(signature: "countif(COND) -> Int", meaning: "the rows where COND is true", example: "funding | summarize big = countif(amount_usd > 50000000)"),
        "sum": Entry(signature: "sum(X)", meaning: "the total, skipping nulls; Int sums are checked for overflow; null when every value is null", example: "funding | summarize sum(amount_usd)"),
        "avg": Entry(signature: "avg(X) -> Float", meaning: "the mean, skipping nulls", example: "funding | summarize avg(amount_usd)"),
        "min": Entry(signature: "min(X)", meaning: "the smallest value, skipping nulls", example: "missions | summarize min(deployed)"),
        "max": Entry(signature: "max(X)", meaning: "the largest value, skipping nulls", example: "missions | summarize max(personnel)"),
        "median": Entry(signature: "median(X) -> Float", meaning: "the middle value (the mean of the two middle ones), skipping nulls; percentile(X, 50)", example: "figures | summarize median(value)"),
        "stdev": Entry(signature: "stdev(X) -> Float", meaning: "the sample standard deviation (n - 1, as SQL's stddev_samp), skipping nulls; null below two values", example: "figures | summarize stdev(value)"),
        "variance": Entry(signature: "variance(X) -> Float", meaning: "the sample variance (n - 1, as SQL's var_samp), skipping nulls; null below two values", example: "figures | summarize variance(value)"),
        "percentile": Entry(signature: "percentile(X, P) -> Float", meaning: "the P-th percentile, P a constant from 0 to 100, interpolated between the two nearest values as SQL's percentile_cont; percentile(X, 50) is median(X)", example: "figures | summarize p90 = percentile(value, 90)"),
        "mode": Entry(signature: "mode(X)", meaning: "the most frequent value, skipping nulls; of equally frequent values, the smallest", example: "funding | summarize mode(donor)"),
        "first": Entry(signature: "first(X)", meaning: "the first value that is not null, in the rows' order (sort before summarize; in a window, the window's order)", example: "funding | sort by amount_usd desc | summarize first(donor)"),
        "last": Entry(signature: "last(X)", meaning: "the last value that is not null, in the rows' order (sort before summarize; in a window, the window's order)", example: "funding | sort by amount_usd | summarize last(donor)"),
        "list": Entry(signature: "list(X), list(distinct X) -> List", meaning: "the values that are not null, in the rows' order; distinct keeps each value's first occurrence; [] when there is none", example: "funding | summarize list(distinct donor)"),
        // Operators
        "=~": Entry(signature: "A =~ B, A !~ B", meaning: "text equal (or not) ignoring case: admin1 =~ \"mopti\"", example: "groups | where abbrev =~ \"jnim\" | select name"),
        "matches": Entry(signature: "TEXT matches r\"PATTERN\"", meaning: "a POSIX extended regular expression matches somewhere (\\d for digits, a leading (?i) to ignore case); the pattern is checked with the query", example: "groups | where name matches r\"^(Ansar|Al) \" | select name"),
        "contains": Entry(signature: "TEXT contains PART", meaning: "PART occurs in TEXT, ignoring case", example: "groups | where name contains \"qaeda\" | select name"),
        "startswith": Entry(signature: "TEXT startswith PART, TEXT endswith PART", meaning: "TEXT begins (ends) with PART, ignoring case", example: "groups | where name endswith \"dine\" | select name"),
        "has": Entry(signature: "LIST has X, TEXT has WORD", meaning: "an element of the list, or a whole word of the text, ignoring case", example: "groups | where designation has \"FTO\" | select name"),
    ]

    /// Names with an entry, sorted: for completion and suggestions.
    public static var entryNames: [String] { entries.keys.sorted() }

    /// Aliases that share an entry.
    static let entryAliases = ["!~": "=~", "endswith": "startswith", "iff": "if", "days": "add_days", "next": "prev"]

    static func entryText(_ name: String) -> String? {
        guard let entry = entries[name] ?? entryAliases[name].flatMap({ entries[$0] }) else { return nil }
        return "\(entry.signature)\n  \(entry.meaning)\nExample:\n  \(entry.example)\n"
    }

    /// Every entry's example, for the test that runs them.
    public static var entryExamples: [(name: String, example: String)] { entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value.example) } }
}
