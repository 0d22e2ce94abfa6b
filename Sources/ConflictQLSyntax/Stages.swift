// The stages of a pipeline, each declared once: its keyword, the words other languages use for
// it, its grammar rules as `Grammar/ConflictQL.ebnf` holds them, its help and an example that a
// test runs. The parser dispatches on `StageKind`; the checker, the planner, the engine and the
// SQL compiler each implement their part of a stage in a switch over `Stage.Kind` or the plan
// without `default:`, so a case added here does not compile until every layer has its part.
// `.help stages`, `.help NAME`, completion, the editor grammar's stage words, the EBNF's stage
// rules and the reference's stage table are all read from `StageKind.allCases`.

/// A stage of a pipeline, by its keyword; `Stage.Kind` is the same stage as parsed.
public enum StageKind: String, Sendable, CaseIterable {
    case filter = "where"
    case select, extend, summarize, sort, take, top, distinct, count, join, union, expand, window, fill, pivot, unpivot, chart

    /// The word after `|` that starts the stage.
    public var keyword: String { rawValue }

    /// The stage a keyword starts (any case), or nil.
    public init?(keyword: String) {
        self.init(rawValue: keyword.lowercased())
    }

    /// The stage another language's word means (`filter`, `limit`, `group`), for a "did you
    /// mean" when it is written after `|`.
    public init?(habit word: String) {
        let lowered = word.lowercased()
        guard let kind = StageKind.allCases.first(where: { $0.descriptor.othersSay.contains(lowered) }) else { return nil }
        self = kind
    }

    /// Every stage keyword, in the order of the grammar's `stage` rule.
    public static var keywords: [String] { allCases.map(\.keyword) }
}

/// What is said once about a stage; everything that lists or documents stages reads it.
public struct StageDescriptor: Sendable {
    /// How it is written, for help and the reference: `where COND`.
    public var signature: String
    /// One line for `.help stages`.
    public var summary: String
    /// What it does, for `.help NAME` and the reference.
    public var meaning: String
    /// A query using it over the briefing tables; a test runs it and compiles it to SQL.
    public var example: String
    /// Its rules in ISO EBNF, as `Grammar/ConflictQL.ebnf` holds them (with their comments);
    /// the parser's function for each rule quotes it.
    public var grammar: String
    /// Words of SQL, KQL, pandas or dplyr that mean this stage (lower case).
    public var othersSay: [String] = []
    /// True when the keyword alone is a whole stage (`count`), so a newline after it ends the
    /// statement; other stages continue on the next line.
    public var isCompleteAlone = false
}

extension StageKind {
    /// What is said about the stage, made once (the parser reads `isCompleteAlone` of every
    /// stage it parses).
    public var descriptor: StageDescriptor { StageKind.descriptors[self] ?? describe() }

    private static let descriptors = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.describe()) })

    private func describe() -> StageDescriptor {
        switch self {
        case .filter:
            return StageDescriptor(
                signature: "where COND", summary: "keep rows where COND is true",
                meaning: "keep the rows where COND is true (null counts as false); inside an aggregate, aggregate only those rows, "
                    + "as SQL's FILTER: sum(x where c), count(where c)",
                example: "groups | where founded is not null",
                grammar: "where           = \"where\" expression ;",
                othersSay: ["filter"])
        case .select:
            return StageDescriptor(
                signature: "select [NAME =] EXPR, ...", summary: "exactly these columns",
                meaning: "exactly these columns",
                example: "groups | select name, founded_year = year(founded)",
                grammar: "select          = \"select\" named_list ;",
                othersSay: ["project"])
        case .extend:
            return StageDescriptor(
                signature: "extend NAME = EXPR, ...", summary: "add columns",
                meaning: "add columns, or replace those of the same name",
                example: "funding | extend millions = amount_usd / 1000000",
                grammar: "extend          = \"extend\" named_list ;")
        case .summarize:
            return StageDescriptor(
                signature: "summarize [NAME =] AGG, ... [by [NAME =] EXPR, ...]", summary: "aggregate, per group",
                meaning: "one row per group (the keys first), or one row without 'by'",
                example: "funding | summarize total = sum(amount_usd) by recipient",
                grammar: "summarize       = \"summarize\" named_list [ \"by\" named_list ] | \"summarize\" \"by\" named_list ;",
                othersSay: ["group", "aggregate"])
        case .sort:
            return StageDescriptor(
                signature: "sort by EXPR [asc|desc], ...", summary: "order rows (nulls last)",
                meaning: "order the rows; nulls last both ways; ties keep their order",
                example: "figures | sort by value desc",
                grammar: "sort            = \"sort\" \"by\" sort_key { \",\" sort_key } ;",
                othersSay: ["order", "orderby"])
        case .take:
            return StageDescriptor(
                signature: "take N", summary: "the first N rows",
                meaning: "the first N rows",
                example: "figures | take 2",
                grammar: "take            = \"take\" expression ;",
                othersSay: ["limit", "head"])
        case .top:
            return StageDescriptor(
                signature: "top N by EXPR [asc|desc], ...", summary: "the first N rows in an order (desc by default)",
                meaning: "the first N rows in that order (desc unless told)",
                example: "figures | top 3 by value",
                grammar: "top             = \"top\" expression \"by\" sort_key { \",\" sort_key } ;")
        case .distinct:
            return StageDescriptor(
                signature: "distinct [COLUMN, ...]", summary: "one row per distinct value",
                meaning: "one row per distinct value (of all columns when none are named)",
                example: "groups | distinct category",
                grammar: "distinct        = \"distinct\" [ expression { \",\" expression } ] ;",
                isCompleteAlone: true)
        case .count:
            return StageDescriptor(
                signature: "count", summary: "the number of rows",
                meaning: "the number of rows",
                example: "timeline | count",
                grammar: "count           = \"count\" ;",
                isCompleteAlone: true)
        case .join:
            return StageDescriptor(
                signature: "join [kind=inner|left|semi|anti] TABLE-or-(PIPELINE) on COL, ... | on CONDITION",
                summary: "match rows of another table: on equal columns, or where a condition holds",
                meaning: "match rows: by columns of the same name, or where CONDITION over left.A and right.B is true (its left.A "
                    + "== right.B parts are hashed, the rest checked on those pairs); semi keeps the left rows with a match, "
                    + "each once, anti those without; right names that clash get _right",
                example: "groups | join kind=semi countries on left.area contains right.name | select abbrev, area",
                grammar: """
                join            = "join" [ "kind" "=" ( "inner" | "left" | "semi" | "anti" ) ] join_source "on" join_condition ;
                join_source     = "(" pipeline ")" | NAME ;
                (* A condition reads left.NAME and right.NAME (a bare name of one side only); its
                   left.A == right.B conjuncts are the hash join's keys, the rest is tested on their pairs. *)
                join_condition  = NAME { "," NAME } | expression ;
                """)
        case .union:
            return StageDescriptor(
                signature: "union [source = NAME] TABLE-or-(PIPELINE), ...", summary: "append rows, columns matched by name",
                meaning: "append rows, matching columns by name (missing ones are null; Int with Float is Float); source names a "
                    + "column saying where each row came from",
                example: "funding | union source = origin missions | summarize n = count() by origin",
                grammar: """
                union           = "union" [ "source" "=" NAME ] union_input { "," union_input } ;
                union_input     = "(" pipeline ")" | table_name ;
                """,
                othersSay: ["append", "concat", "bind_rows"])
        case .expand:
            return StageDescriptor(
                signature: "expand [NAME =] LIST", summary: "one row per element of a list",
                meaning: "one row per element of a list (a null or empty list gives no row)",
                example: "timeline | expand actor = actors",
                grammar: "expand          = \"expand\" named_expression ;",
                othersSay: ["unnest"])
        case .window:
            return StageDescriptor(
                signature: "window [by KEY, ...] [sort by KEY [asc|desc], ...] NAME = EXPR, ...", summary: "running totals, ranks, shares",
                meaning: "columns computed over each group of rows in an order, every row kept in its place: running totals, ranks, "
                    + "previous values, shares (an aggregate is over the row's group)",
                example: "funding | window by donor sort by amount_usd desc rank = rank(), share = amount_usd / sum(amount_usd)",
                grammar: """
                window          = "window" [ "by" named_list ] [ "sort" "by" sort_key { "," sort_key } ] named_list ;
                (* In window columns: row_number(), rank(), dense_rank(), running_sum(x), prev(x[, n]),
                   next(x[, n]), moving_avg(x, n) (these need 'sort by'), and the aggregates over the whole
                   group: sum(x), count(), avg(x), ... A window keeps every row in its place. *)
                """)
        case .fill:
            return StageDescriptor(
                signature: "fill COLUMN [by KEY, ...] step STEP [from VALUE] [to VALUE] [with NAME = VALUE, ...]",
                summary: "a row for every missing step of a series",
                meaning: "a series without gaps: a row for every step (a duration for dates: 1 week, 1 month; a number for Ints) "
                    + "from the smallest to the largest value (or from/to) that no row of the group holds, with the 'with' "
                    + "values, the group's keys and null elsewhere; rows come out in series order within each group",
                example: "timeline | summarize events = count() by year = to_year(date) | fill year step 1 year with events = 0",
                grammar: """
                fill            = "fill" NAME [ "by" NAME { "," NAME } ] "step" expression [ "from" expression ]
                                  [ "to" expression ] [ "with" NAME "=" expression { "," NAME "=" expression } ] ;
                (* fill adds a row for each step from the smallest to the largest value (or from/to) that
                   no row of the group holds: a Date steps by a duration (1 week, 1 month), an Int by a
                   number. The added rows have the 'with' values, the group's keys and null elsewhere. *)
                """)
        case .pivot:
            return StageDescriptor(
                signature: "pivot COLUMN in (VALUE, ...) AGGREGATE [by KEY, ...]", summary: "one column per value",
                meaning: "one column per value, named by it, holding the aggregate over that value's rows (count() counts them); "
                    + "the values are written in the query",
                example: "funding | pivot kind in (\"pledge\", \"cut off\") count() by donor",
                grammar: """
                pivot           = "pivot" additive "in" "(" expression { "," expression } ")" expression [ "by" named_list ] ;
                (* One column per value, named by it, holding the aggregate over that value's rows:
                   'pivot year in (2019, 2020) sum(fatalities) by country' is 'summarize `2019` =
                   sum(fatalities where year == 2019), ... by country'. *)
                """)
        case .unpivot:
            return StageDescriptor(
                signature: "unpivot COLUMN, ... into NAME, VALUE", summary: "pivot's inverse: one row per listed column",
                meaning: "pivot's inverse: one row per row and listed column, the other columns kept, the column's name in NAME and "
                    + "its value in VALUE",
                example: "funding | pivot kind in (\"pledge\", \"cut off\") count() by donor | unpivot pledge, `cut off` into kind, n",
                grammar: """
                unpivot         = "unpivot" NAME { "," NAME } "into" NAME "," NAME ;
                (* pivot's inverse: each row becomes one row per listed column, the other columns kept, the
                   column's name in the first new column and its value in the second (their common type). *)
                """)
        case .chart:
            return StageDescriptor(
                signature: "chart [bar|column|stacked|line|histogram|scatter|map|pie] [title \"TEXT\"] [OPTION ...]",
                summary: "draw the result (the last stage)",
                meaning: "draw the result, as the last stage: bar needs two columns, a label and a number (summarize n = count() by "
                    + "actor); column and line need a Date (or Int year) column and one or more number columns, or one number "
                    + "and a text column naming each series (summarize n = count() by month = to_month(date), country), and "
                    + "steps without rows are drawn as zero; stacked as column; histogram needs one number column (select "
                    + "fatalities); scatter two number columns, x then y; map a latitude and a longitude column (or a PRIO-GRID "
                    + "cell, or a region or country name) and optionally a number; pie a label and a non-negative number. "
                    + "Without a kind the shape chooses. Options: width and height (the SVG's "
                    + "pixels), xtitle and ytitle, labels. --format svg and '.output FILE.svg' write it as SVG; CSV and JSON get "
                    + "its rows",
                example: "timeline | summarize events = count() by year = to_year(date) | chart column title \"Events a year\"",
                grammar: """
                chart           = "chart" [ NAME ] { chart_option } ;
                chart_option    = ( "title" | "xtitle" | "ytitle" | "xlabel" | "ylabel" ) STRING
                                | ( "width" | "height" ) INTEGER | "labels" ;
                (* chart draws the result and is the last stage of a query. NAME is bar (a label and a
                   number), column, stacked or line (a date, or Int years, and one or more numbers, or one
                   number per group column), histogram (one number column), scatter (two numbers, and text
                   naming series), map (latitude and longitude columns, and a number to size the points;
                   or a region or country name and a number, filled) or pie (a label and a number);
                   without it the result's shape chooses. The query below it runs as without it; the chart
                   is drawn from its rows. width and height are the SVG's pixels; xtitle and ytitle (or
                   xlabel, ylabel) the axes' titles; labels writes each bar's, column's or slice's value on it. *)
                """,
                othersSay: ["render", "plot"], isCompleteAlone: true)
        }
    }

    /// The grammar's stage rules, as `Grammar/ConflictQL.ebnf` holds them between its
    /// `stages:` markers: the `stage` rule naming every stage, then each stage's rules.
    public static var grammarText: String {
        var alternatives: [String] = [], line = "stage           ="
        for (index, kind) in allCases.enumerated() {
            let word = (index == 0 ? " " : " | ") + kind.keyword
            if line.count + word.count > 90 { alternatives.append(line); line = "               " }
            line += word
        }
        let rule = (alternatives + [line + " ;"]).joined(separator: "\n")
        return ([rule] + allCases.map(\.descriptor.grammar)).joined(separator: "\n") + "\n"
    }

    /// The stage as parsed.
    public init(_ kind: Stage.Kind) {
        switch kind {
        case .filter: self = .filter
        case .select: self = .select
        case .extend: self = .extend
        case .summarize: self = .summarize
        case .sort: self = .sort
        case .take: self = .take
        case .top: self = .top
        case .distinct: self = .distinct
        case .count: self = .count
        case .join: self = .join
        case .expand: self = .expand
        case .union: self = .union
        case .window: self = .window
        case .pivot: self = .pivot
        case .unpivot: self = .unpivot
        case .fill: self = .fill
        case .chart: self = .chart
        }
    }
}
