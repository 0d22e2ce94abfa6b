// The syntax tree. Every node carries the source range it was parsed from, so the checker
// and evaluator can point at the exact part of the input a message is about.

import ConflictQLCore

public struct Identifier: Sendable, Equatable {
    public var name: String
    public var range: SourceRange

    public init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

public struct Script: Sendable {
    public var statements: [Statement]

    public init(statements: [Statement]) {
        self.statements = statements
    }
}

public struct Statement: Sendable {
    public enum Kind: Sendable {
        /// `let NAME = pipeline`
        case binding(name: Identifier, value: Pipeline)
        /// A pipeline or a bare expression; the checker tells which.
        case query(Pipeline)
        /// `describe TABLE`
        case describe(Identifier)
        /// `explain [analyze] pipeline`: the plan (and, with analyze, what each stage did).
        case explain(Pipeline, analyze: Bool)
        /// `explain sql [DIALECT] pipeline`: the SQL the query compiles to (duckdb when no
        /// dialect is named).
        case explainSQL(Pipeline, dialect: Identifier?)
        /// `load "PATH" [as NAME] [with (OPTION, ...)]`
        /// `load "FILE"`, `load "data/*.csv"` (a pattern) or `load ["a.csv", "b.csv"]`.
        case load(paths: [String], pathRange: SourceRange, name: Identifier?, options: [LoadOptionSyntax])
    }

    public var kind: Kind
    public var range: SourceRange
}

/// One option of `load ... with (...)`: `delimiter = ";"`, `lenient = true`, or a column's
/// type, `fatalities: Int`.
public struct LoadOptionSyntax: Sendable {
    public var name: Identifier
    /// `=` value for settings; nil for a column type.
    public var value: Expression?
    /// The type name for `column: Type`.
    public var typeName: Identifier?
}

/// `expression { "|" stage }`: the head is a table name, a parenthesised pipeline, or (with no
/// stages) any scalar expression.
public struct Pipeline: Sendable {
    public var head: Expression
    public var stages: [Stage]
    public var range: SourceRange
}

public struct NamedExpression: Sendable {
    public var name: Identifier?
    public var expression: Expression

    public init(name: Identifier?, expression: Expression) {
        self.name = name
        self.expression = expression
    }
}

public struct SortKey: Sendable {
    public var expression: Expression
    public var descending: Bool?
}

/// `inner` and `left` pair rows; `semi` keeps each left row that has a match (once, however
/// many it has) and `anti` each left row that has none: both give the left columns only.
public enum JoinKind: String, Sendable, CaseIterable { case inner, left, semi, anti }

public enum JoinCondition: Sendable {
    /// `on a, b`: columns of the same name on both sides.
    case columns([Identifier])
    /// `on left.a == right.b and ...`
    case pairs([(left: Identifier, right: Identifier)])
    /// `on CONDITION`: any Bool expression over `left.` and `right.` columns (and names of
    /// one side only). Its `left.a == right.b` conjuncts become hash-join keys.
    case expression(Expression)
}

/// A stage as parsed. Each stage is declared once, as a `StageKind` (Stages.swift), with its
/// keyword, grammar and help; `StageKind(kind)` names the stage of a `Kind`.
public struct Stage: Sendable {
    public enum Kind: Sendable {
        case filter(Expression)                                          // where
        case select([NamedExpression])
        case extend([NamedExpression])
        case summarize(aggregates: [NamedExpression], keys: [NamedExpression])
        case sort([SortKey])
        case take(Expression)
        case top(count: Expression, keys: [SortKey])
        case distinct([Expression])
        case count
        case join(kind: JoinKind, right: Pipeline, on: JoinCondition)
        case expand(NamedExpression)
        /// `union [source = NAME] T, (pipeline), ...`: the rows of the inputs after the stage's
        /// own, columns matched by name; `source` names a column saying where each row came from.
        case union(inputs: [Pipeline], sourceColumn: Identifier?)
        /// `window [by KEY, ...] [sort by KEY [asc|desc], ...] NAME = EXPR, ...`: columns
        /// computed over each group of rows in an order (running totals, ranks, shares).
        case window(keys: [NamedExpression], order: [SortKey], columns: [NamedExpression])
        /// `pivot KEY in (VALUE, ...) AGGREGATE [by KEY, ...]`: one column per value, holding
        /// the aggregate over the rows with that value (a `summarize` of filtered aggregates).
        case pivot(key: Expression, values: [Expression], aggregate: Expression, keys: [NamedExpression])
        /// `unpivot COLUMN, ... into NAME, VALUE`: pivot's inverse, one row per listed column.
        case unpivot(columns: [Identifier], name: Identifier, value: Identifier)
        /// `fill COLUMN [by KEY, ...] step STEP [from EXPR] [to EXPR] [with NAME = EXPR, ...]`:
        /// rows added for the steps of a series that no row holds (Semantics/Fill.swift).
        case fill(FillSyntax)
        /// `chart [KIND] [title "TEXT"]`: draws the result; the last stage of a query
        /// (Semantics/Chart.swift, Output/Chart*.swift).
        case chart(ChartSyntax)
    }

    public var kind: Kind
    /// The stage keyword, for messages about the stage as a whole.
    public var keyword: Identifier
    public var range: SourceRange
}

/// The `fill` stage as written.
public struct FillSyntax: Sendable {
    public var column: Identifier
    public var keys: [Identifier]
    /// A duration (`1 week`) for a Date column, a number for an Int one.
    public var step: Expression
    public var from: Expression?
    public var to: Expression?
    /// The values of the added rows, by column; other columns are null there.
    public var values: [NamedExpression]
}

/// The `chart` stage as written: the kind when one is named, and the title.
public struct ChartSyntax: Sendable {
    public var kind: Identifier?
    public var title: String?
    /// The options after the kind, in order: `width 1200`, `ytitle "deaths"`, `labels`.
    public var options: [ChartOption] = []
}

/// One option of `chart`: its word, and its value (a number or a text) unless it is a switch.
public struct ChartOption: Sendable {
    public var name: Identifier
    public var value: Value?
    public var valueRange: SourceRange?

    /// The words `chart` takes after its kind, and what each takes.
    public static let words: [(name: String, takes: String)] = [
        ("title", "a text"), ("width", "a number of pixels"), ("height", "a number of pixels"),
        ("xtitle", "a text"), ("ytitle", "a text"), ("xlabel", "a text"), ("ylabel", "a text"), ("labels", "nothing"),
    ]
}

/// The units of a duration literal.
public enum DurationUnit: String, Sendable, CaseIterable {
    case day, week, month, year

    /// `days`, `week`, ...: the unit a word names, singular or plural.
    package init?(word: String) {
        let lowered = word.lowercased()
        self.init(rawValue: lowered.hasSuffix("s") ? String(lowered.dropLast()) : lowered)
    }
}

public enum UnaryOperator: String, Sendable { case negate = "-", not }

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or, has, contains, startswith, endswith
    /// Equal or not ignoring case (KQL's `=~`, `!~`).
    case equalIgnoringCase = "=~", notEqualIgnoringCase = "!~"
    /// A regular expression (RE2 syntax) matches somewhere in the text.
    case matches

    package var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .equalIgnoringCase, .notEqualIgnoringCase: return true
        default: return false
        }
    }

    package var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo: return true
        default: return false
        }
    }
}

public struct Expression: Sendable {
    public indirect enum Kind: Sendable {
        case literal(Value)
        case name(String)
        /// `left.a` or `right.b` in a join condition; `this.a`, the column of the stage's input.
        case qualified(side: String, name: Identifier)
        /// `$name`: the value bound by `let name = ...`, whatever the columns are called.
        case parameter(String)
        case unary(UnaryOperator, Expression)
        case binary(BinaryOperator, Expression, Expression, operatorRange: SourceRange)
        /// `filter` is an aggregate's `where`: `sum(fatalities where year == 2020)`.
        case call(name: Identifier, arguments: [Expression], distinct: Bool, filter: Expression? = nil)
        case inList(Expression, [Expression], negated: Bool)
        case between(Expression, Expression, Expression, negated: Bool)
        case isNull(Expression, negated: Bool)
        case list([Expression])
        /// A parenthesised pipeline with at least one stage: `(groups | where ...)`.
        case subquery(Pipeline)
        /// `30 days`, `1 week`, `3 months`: added to a date, or the width of `bin`.
        case duration(Int64, DurationUnit)
    }

    public var kind: Kind
    public var range: SourceRange

    public init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}
