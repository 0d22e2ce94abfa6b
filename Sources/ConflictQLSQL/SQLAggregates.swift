// An aggregate call compiled to SQL through its descriptor, in `summarize` or over a window:
// the argument compiled here (an untyped NULL given a type, which PostgreSQL needs to choose
// among SUM's or MIN's overloads), the SQL itself or the refusal written by the descriptor
// (Sources/ConflictQLFunctions/Aggregates.swift). The order of first, last and list is the
// hidden row column, ConflictQL's input order.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension SQLCompiler {
    /// `window` holds the OVER clauses in a window, nil in `summarize`.
    func aggregateSQL(_ call: AggregateCall, _ e: SQLExpressionCompiler, window: SQLWindowClauses?) throws(SQLError) -> String {
        try call.function.sql(SQLAggregateCall(function: call.function, dialect: dialect, argument: try argumentSQL(call, e),
                                               argumentType: call.argument?.type ?? .null, distinct: call.distinct, type: call.type,
                                               percentile: call.percentile, row: row, range: call.range, window: window))
    }

    /// An aggregate's argument as SQL. An untyped NULL takes the one type the aggregate takes
    /// (a Bool for countif), or else the aggregate's own type (a list's element type; Int where
    /// the aggregate has no type of its own).
    func argumentSQL(_ call: AggregateCall, _ e: SQLExpressionCompiler) throws(SQLError) -> String? {
        guard let a = call.argument else { return nil }
        guard a.type == .null else { return try e.compile(a) }
        return "CAST(NULL AS \(try dialect.typeName(call.function.onlyArgumentType ?? nullArgumentType(call))))"
    }

    func nullArgumentType(_ call: AggregateCall) -> DataType {
        if case .list(let element) = call.type { return element == .null ? .int : element }
        return call.type == .null ? .int : call.type
    }
}
