// One descriptor per scalar function, from which everything about it is derived: the name,
// how many arguments it takes and what the checker accepts, the type it gives, how the
// engine computes it over whole columns, its SQL in each dialect (or why SQL cannot say it
// exactly), whether it can fail on a row, and its help with an example that a test runs.
// The checker, the evaluator, the SQL compiler, the cost model, `.help`, completion and the
// language reference read these; none of them lists functions of its own, and nothing
// dispatches over function names with a `default:` that would hide a missing case.
//
// PRQL's standard library is the model: `std.prql` declares each function once, and
// `std.sql.prql` holds its SQL beside it, per dialect. Here a descriptor holds all of it.
// A function is added by writing its descriptor in the file of its family (Dates, Text,
// Numbers, Conditionals, Actors) and naming it in that file's list; nothing else changes.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

/// What a function is for, as `.help functions` and the reference group them.
public enum FunctionFamily: String, Sendable, CaseIterable {
    case dates, text, numbers, conditionals, actors

    public var title: String {
        switch self {
        case .dates: return "Dates"
        case .text: return "Text"
        case .numbers: return "Numbers and conversions"
        case .conditionals: return "Conditionals and nulls"
        case .actors: return "Actor names"
        }
    }
}

public final class ScalarFunction: FunctionDescriptor {
    public let name: String
    public let family: FunctionFamily
    public let signature: String
    public let meaning: String
    public let example: String
    /// How many arguments it takes.
    package let arity: ClosedRange<Int>
    /// What an error about its arguments suggests writing.
    package let usage: String
    /// Whether computing it can fail on some row (overflow, a bad conversion): the planner
    /// computes such expressions only on the rows a query reaches.
    package let mayFail: Bool
    /// Whether an argument may be a duration (`bin(d, 1 week)`); elsewhere a duration
    /// is only added to or taken from a date.
    package let takesDurations: Bool
    public let forms: [CallForm]
    /// The arguments checked and the result's type.
    package let check: @Sendable (inout FunctionCheck) throws -> DataType
    /// How the engine computes it.
    package let evaluation: Evaluation
    /// Its SQL, or a refusal saying what SQL cannot say exactly.
    package let sql: @Sendable (SQLFunctionCall) throws(SQLError) -> String

    package init(_ name: String, family: FunctionFamily, signature: String, meaning: String, example: String,
                 arity: ClosedRange<Int>, usage: String, mayFail: Bool = false, takesDurations: Bool = false,
                 forms: [CallForm],
                 check: @escaping @Sendable (inout FunctionCheck) throws -> DataType,
                 evaluation: Evaluation,
                 sql: @escaping @Sendable (SQLFunctionCall) throws(SQLError) -> String) {
        self.name = name
        self.family = family
        self.signature = signature
        self.meaning = meaning
        self.example = example
        self.arity = arity
        self.usage = usage
        self.mayFail = mayFail
        self.takesDurations = takesDurations
        self.forms = forms
        self.check = check
        self.evaluation = evaluation
        self.sql = sql
    }

    /// Every scalar function, in the order of the reference.
    public static let all: [ScalarFunction] = dates + text + numbers + conditionals + actors

    public static let byName = lookupTable(all)
}

/// How the engine computes a function.
package enum Evaluation: Sendable {
    /// Over the arguments' whole columns, all computed first.
    case columns(@Sendable (KernelCall) throws -> Column)
    /// `if` and `case`: each value computed only on the rows whose condition chose it.
    case conditional
    /// `coalesce`: each argument computed only on the rows still null.
    case coalesce
}

// MARK: Checking

/// A call being checked: its arguments' types, the ones written as constants, where each
/// is, and the helpers that word the errors alike for every function.
package struct FunctionCheck {
    package let function: ScalarFunction
    package let types: [DataType]
    /// Each argument's value when it is written as a constant in the query.
    package let constants: [Value?]
    package let ranges: [SourceRange]
    /// Each argument written as a duration (`1 week`): its count and unit.
    package let durations: [(count: Int64, unit: DurationUnit)?]
    /// The whole call.
    package let range: SourceRange
    /// For each Date argument, the precisions its values may have.
    package let datePrecisions: [DatePrecisions]
    let patternCheck: (Int) throws -> Void

    /// Arguments to convert from Int to Float, where the result's type is Float.
    package var widened: Set<Int> = []
    /// Constant arguments the check adds (the unit of `bin(d, 1 week)`).
    package var appended: [(Value, DataType)] = []
    /// For a Date result: the precisions its values may have. A check that gives a Date says
    /// what it knows; left alone, it is any precision (which only refuses SQL).
    package var resultDatePrecisions: DatePrecisions = .any

    package init(function: ScalarFunction, types: [DataType], constants: [Value?], ranges: [SourceRange],
                 durations: [(count: Int64, unit: DurationUnit)?], range: SourceRange,
                 datePrecisions: [DatePrecisions]? = nil,
                 patternCheck: @escaping (Int) throws -> Void) {
        self.function = function
        self.types = types
        self.datePrecisions = datePrecisions ?? types.map { _ in .any }
        self.constants = constants
        self.ranges = ranges
        self.durations = durations
        self.range = range
        self.patternCheck = patternCheck
    }

    package var count: Int { types.count }
    var name: String { function.name }

    /// The number of arguments against the function's arity.
    package func arity() throws {
        let allowed = function.arity
        guard !allowed.contains(count) else { return }
        let number: String
        if allowed.upperBound == Int.max {
            number = "at least \(allowed.lowerBound)"
        } else if allowed.lowerBound == allowed.upperBound {
            number = "\(allowed.lowerBound)"
        } else if allowed.upperBound == allowed.lowerBound + 1 {
            number = "\(allowed.lowerBound) or \(allowed.upperBound)"
        } else {
            number = "\(allowed.lowerBound) to \(allowed.upperBound)"
        }
        let plural = (allowed.upperBound == Int.max ? allowed.lowerBound : allowed.upperBound) == 1 ? "" : "s"
        throw Diagnostic(.wrongArgumentCount(name, number, plural, count), at: range,
                               help: "write: \(function.usage)")
    }

    /// Argument `index` must have a type `accepts` takes (or be null).
    package func expect(_ index: Int, _ what: String, _ accepts: (DataType) -> Bool) throws {
        let type = types[index]
        guard type == .null || accepts(type) else {
            throw Diagnostic(.functionNeeds(name, what, type), at: ranges[index])
        }
    }

    package func expect(_ index: Int, _ type: DataType, _ what: String) throws {
        try expect(index, what) { $0 == type }
    }

    /// Argument `index` is a condition: true or false.
    package func condition(_ index: Int) throws {
        let found = types[index]
        guard found == .bool || found == .null else {
            throw Diagnostic(.conditionOfFunction(name, found), at: ranges[index],
                                   help: "compare it, for example: fatalities > 0")
        }
    }

    /// The common type of the values at `indices` (Int widened to Float where they meet).
    package mutating func common(_ indices: [Int]) throws -> DataType {
        var type = DataType.null
        for i in indices {
            guard let next = DataType.common(type, types[i]) else {
                throw Diagnostic(.functionGivesOneType(name, type, types[i]), at: ranges[i],
                                       help: type == .string || types[i] == .string ? "convert with string(...)" : nil)
            }
            type = next
        }
        widen(indices, to: type)
        if type == .date { resultDatePrecisions = mergedDatePrecisions(indices) }
        return type
    }

    /// The Int arguments among `indices` become Floats when `type` is Float.
    package mutating func widen(_ indices: [Int], to type: DataType) {
        if type == .float { for i in indices where types[i] == .int { widened.insert(i) } }
    }

    /// The precisions of the Date values among `indices` (a null argument adds none): what
    /// a function that gives one of them (`if`, `coalesce`) gives.
    package func mergedDatePrecisions(_ indices: some Sequence<Int>) -> DatePrecisions {
        var merged: DatePrecisions? = nil
        for i in indices where types[i] == .date { merged = merged.map { $0.merged(with: datePrecisions[i]) } ?? datePrecisions[i] }
        return merged ?? .any
    }

    /// Argument `index` is a regular expression written in the query, compiled now.
    package func pattern(_ index: Int) throws { try patternCheck(index) }

    /// Argument `index` must be a constant written in the query.
    package func constant(_ index: Int, _ message: DiagnosticMessage) throws -> Value {
        guard let value = constants[index] else { throw Diagnostic(message, at: ranges[index]) }
        return value
    }

    package func error(_ message: DiagnosticMessage, at index: Int? = nil, help: String? = nil) -> Diagnostic {
        Diagnostic(message, at: index.map { ranges[$0] } ?? range, help: help)
    }
}

// MARK: Computing

/// A call over whole columns: every argument computed (a constant as a column of it too).
package struct KernelCall {
    package let function: ScalarFunction
    package let columns: [Column]
    /// Each argument's value when it is the same on every row.
    package let scalars: [Value?]
    package let rowCount: Int
    package let resultType: DataType
    package let range: SourceRange
    let cancelled: (SourceRange) throws -> Void

    package init(function: ScalarFunction, columns: [Column], scalars: [Value?], rowCount: Int, resultType: DataType,
                 range: SourceRange, cancelled: @escaping (SourceRange) throws -> Void) {
        self.function = function
        self.columns = columns
        self.scalars = scalars
        self.rowCount = rowCount
        self.resultType = resultType
        self.range = range
        self.cancelled = cancelled
    }

    /// For loops that do real work per row: looks at Ctrl-C every 1,024 rows.
    @inline(__always)
    package func poll(_ row: Int) throws {
        if row & 0x3FF == 0 { try cancelled(range) }
    }

    /// A column of nulls of the result's type.
    package func nulls() -> Column { Column(type: resultType, storage: .null, validity: nil, count: rowCount) }
}

// MARK: SQL

/// A call being compiled to SQL: its arguments compiled on demand, the dialect, and the
/// refusal that names the call.
package struct SQLFunctionCall {
    package let function: ScalarFunction
    package let dialect: SQLDialect
    package let types: [DataType]
    package let constants: [Value?]
    package let resultType: DataType
    /// For each Date argument, the precisions its values may have.
    package let datePrecisions: [DatePrecisions]
    let compile: (Int) throws(SQLError) -> String
    let refusal: (String) -> SQLError

    package init(function: ScalarFunction, dialect: SQLDialect, types: [DataType], constants: [Value?], resultType: DataType,
                 datePrecisions: [DatePrecisions]? = nil,
                 compile: @escaping (Int) throws(SQLError) -> String, refusal: @escaping (String) -> SQLError) {
        self.function = function
        self.dialect = dialect
        self.types = types
        self.constants = constants
        self.resultType = resultType
        self.datePrecisions = datePrecisions ?? types.map { _ in .any }
        self.compile = compile
        self.refusal = refusal
    }

    package var count: Int { types.count }

    /// Argument `index` as SQL.
    package func argument(_ index: Int) throws(SQLError) -> String { try compile(index) }

    /// Argument `index` as SQL; a bare null is given `type`, or engines cannot choose among
    /// their overloads (date_trunc of NULL).
    package func argument(_ index: Int, as type: DataType) throws(SQLError) -> String {
        types[index] == .null && type != .null ? "CAST(NULL AS \(try dialect.typeName(type)))" : try compile(index)
    }

    /// The refusal: "WHAT cannot be expressed in DIALECT SQL", at the call.
    package func refuse(_ what: String) -> SQLError { refusal(what) }

    /// The SQL of a function whose answer needs the Date arguments at `indices` known to
    /// `precision` and is null where one is not: `exact` when every value of each is known so
    /// well, a typed NULL when some argument has no value known so well, and a refusal naming
    /// the precisions when an argument may hold both (SQL dates are days and keep no precision).
    package func needing(_ precision: DatePrecision, of indices: [Int] = [0],
                         _ exact: () throws(SQLError) -> String) throws(SQLError) -> String {
        let dates = indices.filter { types[$0] == .date }
        if dates.contains(where: { datePrecisions[$0].noneKnown(to: precision) }) {
            return "CAST(NULL AS \(try dialect.typeName(resultType == .null ? .date : resultType)))"
        }
        if let mixed = dates.first(where: { !datePrecisions[$0].allKnown(to: precision) }) {
            throw refuseDatePrecision(needs: precision, holds: datePrecisions[mixed])
        }
        return try exact()
    }

    /// The refusal of a function over dates whose answer depends on a date's precision, for
    /// an argument that may hold dates known to different precisions.
    package func refuseDatePrecision(needs precision: DatePrecision, holds: DatePrecisions) -> SQLError {
        refuse("\(function.name)() of dates known \(holds.coarsest == .year && holds.finest == .day ? "to any precision" : "to the \(holds.coarsest) or the \(holds.finest)")"
               + " (it needs a date known to the \(precision), and SQL dates do not keep a precision)")
    }
}
