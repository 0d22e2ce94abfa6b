// One descriptor per aggregate, as for scalar functions (ScalarFunction.swift): the name, how
// many arguments it takes, whether `distinct` is allowed, the check of its argument and the
// type it gives, the kernel that computes it over the group numbers of a `Grouping`, its SQL
// in each dialect (in `summarize` and over a window) or the refusal that says why SQL cannot
// give the same answer, and its help with an example a test runs. The checker, the engine
// (`summarize` and `window`), the SQL compiler, `.help`, completion, the reference and the
// query fuzzer read these; none of them switches over aggregates.
//
// The kernels are the engine's: the grouped count and sum (AggregateKernels.swift) keep their
// fast paths, and a descriptor only points at them. `agg(x where c)` is not an aggregate's
// concern: the checker makes it `agg(if(c, x, null))`, which every aggregate skips alike.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

public final class AggregateFunction: FunctionDescriptor {
    public let name: String
    public let signature: String
    public let meaning: String
    public let example: String
    /// How many arguments it takes. The first is computed per row of the input; any other is
    /// a constant written in the query (percentile's p), which the check reads.
    package let arity: ClosedRange<Int>
    /// What an error about the number of arguments suggests writing, if anything.
    package let usage: String?
    /// Whether `name(distinct x)` is allowed.
    package let allowsDistinct: Bool
    public let forms: [CallForm]
    /// The argument checked and the result's type.
    package let check: @Sendable (inout AggregateCheck) throws -> DataType
    /// How the engine computes it, per group.
    package let kernel: @Sendable (GroupedCall) throws -> Column
    /// Its SQL in `summarize` or over a window, or a refusal saying what SQL cannot say.
    package let sql: @Sendable (SQLAggregateCall) throws(SQLError) -> String

    package init(_ name: String, signature: String, meaning: String, example: String,
                 arity: ClosedRange<Int> = 1...1, usage: String? = nil, allowsDistinct: Bool = false,
                 forms: [CallForm],
                 check: @escaping @Sendable (inout AggregateCheck) throws -> DataType,
                 kernel: @escaping @Sendable (GroupedCall) throws -> Column,
                 sql: @escaping @Sendable (SQLAggregateCall) throws(SQLError) -> String) {
        self.name = name
        self.signature = signature
        self.meaning = meaning
        self.example = example
        self.arity = arity
        self.usage = usage
        self.allowsDistinct = allowsDistinct
        self.forms = forms
        self.check = check
        self.kernel = kernel
        self.sql = sql
    }

    public static let byName = lookupTable(all)

    /// The error for `distinct` where it is not allowed, naming where it is.
    package static var distinctIsOnlyAllowed: DiagnosticMessage {
        DiagnosticMessage(FunctionDiagnostic.invalidDistinct, "'distinct' is only allowed in "
                          + all.filter(\.allowsDistinct).map { "\($0.name)(distinct ...)" }.joined(separator: " and "))
    }

}

// MARK: Checking

/// An aggregate call being checked: its first argument bound (its type), the arguments as
/// written (for constants such as percentile's p), and the helpers that word errors alike.
package struct AggregateCheck {
    package let function: AggregateFunction
    /// The type of the first argument, computed per row; nil for `count()`.
    package let argumentType: DataType?
    /// The arguments as written.
    package let arguments: [Expression]
    /// Whether the first argument is a name alone (`count(flag)`), not computed.
    package let argumentIsPlainName: Bool
    package let distinct: Bool
    /// The whole call.
    package let range: SourceRange

    /// Gives a warning (the call still checks).
    package let warn: (Diagnostic) -> Void
    /// percentile's p, from 0 to 100 (median's is 50).
    package var percentile: Double = 50

    package init(function: AggregateFunction, argumentType: DataType?, arguments: [Expression], argumentIsPlainName: Bool,
                 distinct: Bool, range: SourceRange, warn: @escaping (Diagnostic) -> Void) {
        self.function = function
        self.warn = warn
        self.argumentType = argumentType
        self.arguments = arguments
        self.argumentIsPlainName = argumentIsPlainName
        self.distinct = distinct
        self.range = range
    }

    /// The first argument's type: null when it is null or absent.
    package var type: DataType { argumentType ?? .null }

    /// The first argument must have a type `accepts` takes: "sum needs a number, found String".
    @discardableResult
    package func expect(_ what: String, _ accepts: (DataType) -> Bool) throws -> DataType {
        guard accepts(type) else { throw Diagnostic(.functionNeeds(function.name, what, type), at: arguments[0].range) }
        return type
    }

    /// The message when the number of arguments is wrong: "count takes at most one argument".
    package static func arityMessage(_ function: AggregateFunction, found: Int) -> DiagnosticMessage {
        let allowed = function.arity
        let words = ["no", "one", "two", "three"]
        func word(_ n: Int) -> String { n < words.count ? words[n] : "\(n)" }
        let number = allowed.lowerBound == 0 ? "at most \(word(allowed.upperBound))"
            : allowed.lowerBound == allowed.upperBound ? word(allowed.lowerBound) : "\(word(allowed.lowerBound)) to \(word(allowed.upperBound))"
        return .wrongArgumentCount(function.name, number, allowed.upperBound == 1 ? "" : "s", found)
    }
}

// MARK: Computing

/// A call over the rows of every group: the input column (the argument computed per row, with
/// the rows a `where` leaves out made null), the rows' group numbers, and what the check found.
package struct GroupedCall {
    package let function: AggregateFunction
    package let input: Column?
    package let aggregator: Aggregator
    package let distinct: Bool
    package let type: DataType
    package let percentile: Double
    package let range: SourceRange

    package init(function: AggregateFunction, input: Column?, aggregator: Aggregator, distinct: Bool, type: DataType,
                 percentile: Double, range: SourceRange) {
        self.function = function
        self.input = input
        self.aggregator = aggregator
        self.distinct = distinct
        self.type = type
        self.percentile = percentile
        self.range = range
    }
}

// MARK: SQL

/// An aggregate call being compiled: its argument as SQL, the dialect, and, over a window,
/// the OVER clauses. The same descriptor writes `SUM(x)` in `summarize` and
/// `SUM(x) OVER (PARTITION BY k)` in `window`.
package struct SQLAggregateCall {
    package let function: AggregateFunction
    package let dialect: SQLDialect
    /// The argument as SQL (a typed NULL when it is null); nil for `count()`.
    package let argument: String?
    /// The argument's type (null when there is none).
    package let argumentType: DataType
    package let distinct: Bool
    package let type: DataType
    package let percentile: Double
    /// The hidden column of the rows' order, for first, last and list.
    package let row: String
    package let range: SourceRange
    /// In a `window`: `OVER (PARTITION BY keys)`, and the same over the whole group in the
    /// window's order. Nil in `summarize`.
    package let window: SQLWindowClauses?

    package init(function: AggregateFunction, dialect: SQLDialect, argument: String?, argumentType: DataType, distinct: Bool,
                 type: DataType, percentile: Double, row: String, range: SourceRange, window: SQLWindowClauses?) {
        self.function = function
        self.dialect = dialect
        self.argument = argument
        self.argumentType = argumentType
        self.distinct = distinct
        self.type = type
        self.percentile = percentile
        self.row = row
        self.range = range
        self.window = window
    }

    /// The argument, or NULL without one.
    package var value: String { argument ?? "NULL" }

    /// Whether the argument is a list (first and last of lists are refused in some dialects).
    package var ofList: Bool { if case .list = argumentType { return true } else { return false } }

    /// `SQL OVER (PARTITION BY ...)` over a window, `SQL` in `summarize`.
    package func over(_ sql: String) throws(SQLError) -> String {
        guard let window else { return sql }
        return "\(sql) \(try window.partition())"
    }

    /// The refusal: "NAME() cannot be expressed in DIALECT SQL (WHY)" in `summarize`, and
    /// "NAME() over a window cannot be expressed in DIALECT SQL" in a window.
    package func refuse(_ why: String) -> SQLError {
        if window != nil { return refuseOverWindow() }
        return SQLError(.notExpressible("\(function.name)()", in: dialect, because: why), range: range)
    }

    package func refuseOverWindow(_ what: String? = nil) -> SQLError {
        SQLError(.notExpressible("\(what ?? "\(function.name)()") over a window", in: dialect), range: range)
    }
}

/// A window's OVER clauses, made when a call asks for them.
package struct SQLWindowClauses {
    /// `OVER (PARTITION BY keys)`: the whole group, no order.
    package let partition: () throws(SQLError) -> String
    /// `OVER (PARTITION BY keys ORDER BY ... ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED
    /// FOLLOWING)`: the whole group, in the window's order.
    package let wholeGroupInOrder: () throws(SQLError) -> String

    package init(partition: @escaping () throws(SQLError) -> String, wholeGroupInOrder: @escaping () throws(SQLError) -> String) {
        self.partition = partition
        self.wholeGroupInOrder = wholeGroupInOrder
    }
}
