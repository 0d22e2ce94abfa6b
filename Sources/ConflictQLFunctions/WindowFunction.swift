// One descriptor per window function (row_number, rank, running_sum, prev, ...), as for
// scalar functions and aggregates: the name, the arguments, whether it needs the window's
// order and reads its ties, the check, the kernel over the rows in the window's order, the
// SQL (a window function OVER the partition in that order) and the help. The aggregates in a
// `window` are the aggregates' descriptors (AggregateFunction.swift), over the row's group.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

public final class WindowFunction: FunctionDescriptor {
    public let name: String
    public let signature: String
    public let meaning: String
    public let example: String
    /// How many arguments it takes: the first is computed per row, the second (prev, next,
    /// moving_avg) is a number of rows written in the query.
    package let arity: ClosedRange<Int>
    /// What an error about the number of arguments suggests writing.
    package let usage: String
    /// Whether the answer depends on the window's order (an error without `sort by`).
    package let needsOrder: Bool
    /// Whether it reads which rows tie in the order (rank, dense_rank).
    package let readsTies: Bool
    public let forms: [CallForm]
    package let check: @Sendable (inout WindowCheck) throws -> DataType
    package let kernel: @Sendable (WindowKernelCall) throws -> Column
    package let sql: @Sendable (SQLWindowCall) throws(SQLError) -> String

    package init(_ name: String, signature: String, meaning: String, example: String, arity: ClosedRange<Int>, usage: String,
                 needsOrder: Bool = true, readsTies: Bool = false, forms: [CallForm],
                 check: @escaping @Sendable (inout WindowCheck) throws -> DataType,
                 kernel: @escaping @Sendable (WindowKernelCall) throws -> Column,
                 sql: @escaping @Sendable (SQLWindowCall) throws(SQLError) -> String) {
        self.name = name
        self.signature = signature
        self.meaning = meaning
        self.example = example
        self.arity = arity
        self.usage = usage
        self.needsOrder = needsOrder
        self.readsTies = readsTies
        self.forms = forms
        self.check = check
        self.kernel = kernel
        self.sql = sql
    }

    public static let byName = lookupTable(all)
}

// MARK: Checking

/// A window function's call being checked: its first argument bound per row (its type), the
/// arguments as written, and the number of rows its second argument gives.
package struct WindowCheck {
    package let function: WindowFunction
    package let argumentType: DataType?
    package let arguments: [Expression]
    package let range: SourceRange
    /// The constant at an index, a whole number from 1 to 1,000,000 (the checker binds it).
    let constantCount: (Int, String) throws -> Int
    /// prev/next: how many rows away; moving_avg: how many rows.
    package var offset = 1

    package init(function: WindowFunction, argumentType: DataType?, arguments: [Expression], range: SourceRange,
                 constantCount: @escaping (Int, String) throws -> Int) {
        self.function = function
        self.argumentType = argumentType
        self.arguments = arguments
        self.range = range
        self.constantCount = constantCount
    }

    package var type: DataType { argumentType ?? .null }

    /// The first argument must have a type `accepts` takes: "running_sum needs a number, found String".
    @discardableResult
    package func expect(_ what: String, _ accepts: (DataType) -> Bool) throws -> DataType {
        guard accepts(type) else { throw Diagnostic(.functionNeeds(function.name, what, type), at: arguments[0].range) }
        return type
    }

    /// The number of rows written as argument `index`.
    package mutating func rows(_ index: Int) throws { offset = try constantCount(index, "the number of rows") }

    /// "prev takes 1 or 2 arguments, found 3".
    package static func arityMessage(_ function: WindowFunction, found: Int) -> DiagnosticMessage {
        let allowed = function.arity
        let number = allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) or \(allowed.upperBound)"
        return .wrongArgumentCount(function.name, number, allowed.upperBound == 1 ? "" : "s", found)
    }
}

// MARK: Computing

/// A call over the rows in the window's order: `order[p]` is the row at place p, `starts[p]`
/// whether a group starts there, `ties[p]` whether it ties with the row before (computed only
/// when a call reads ties). The result is in the rows' own places.
package struct WindowKernelCall {
    package let function: WindowFunction
    package let input: Column?
    package let order: [Int32]
    package let starts: [Bool]
    package let ties: [Bool]
    package let offset: Int
    package let type: DataType
    package let range: SourceRange
    package let rowCount: Int

    package init(function: WindowFunction, input: Column?, order: [Int32], starts: [Bool], ties: [Bool], offset: Int,
                 type: DataType, range: SourceRange, rowCount: Int) {
        self.function = function
        self.input = input
        self.order = order
        self.starts = starts
        self.ties = ties
        self.offset = offset
        self.type = type
        self.range = range
        self.rowCount = rowCount
    }

    /// A column of nulls of the result's type.
    package func nulls() -> Column { Column(type: type, storage: .null, validity: nil, count: rowCount) }
}

// MARK: SQL

/// A window function's call being compiled: its argument as SQL and the OVER clause in the
/// window's order, with or without the hidden row column and with a frame.
package struct SQLWindowCall {
    package let function: WindowFunction
    package let dialect: SQLDialect
    /// The argument as SQL (a typed NULL when it is null); NULL without one.
    package let argument: String
    package let type: DataType
    package let offset: Int
    package let range: SourceRange
    let overClause: (_ withRow: Bool, _ frame: String) throws(SQLError) -> String

    package init(function: WindowFunction, dialect: SQLDialect, argument: String, type: DataType, offset: Int, range: SourceRange,
                 over: @escaping (_ withRow: Bool, _ frame: String) throws(SQLError) -> String) {
        self.function = function
        self.dialect = dialect
        self.argument = argument
        self.type = type
        self.offset = offset
        self.range = range
        self.overClause = over
    }

    /// `OVER (PARTITION BY keys ORDER BY order[, row][ frame])`: ties broken by the rows'
    /// order unless `withRow` is false (rank's ties are ties).
    package func over(withRow: Bool = true, frame: String = "") throws(SQLError) -> String { try overClause(withRow, frame) }

    package func refuse(_ what: String) -> SQLError {
        SQLError(.notExpressible(what, in: dialect), range: range)
    }
}
