// The SQL of the aggregates beside count, sum, avg, min, max and median: stdev, variance,
// percentile, mode, first, last and list, per dialect, or refused where the dialect cannot
// give the same answer (mode's tie rule, first/last/list without an ordered aggregate). The
// order of first, last and list is the hidden row column, ConflictQL's input order.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension SQLCompiler {
    /// `argument` is the compiled argument (a typed NULL when it is null).
    func moreAggregate(_ call: AggregateCall, _ argument: String) throws(SQLError) -> String {
        let float = try dialect.typeName(.float)
        func refuse(_ why: String) -> SQLError {
            SQLError(message: "\(call.function.rawValue)() cannot be expressed in \(dialect.rawValue) SQL (\(why))", range: call.range)
        }
        let isList: Bool
        if case .list = call.argument?.type { isList = true } else { isList = false }
        switch call.function {
        case .stdev: return "STDDEV_SAMP(CAST(\(argument) AS \(float)))"
        case .variance: return "VAR_SAMP(CAST(\(argument) AS \(float)))"
        case .median, .percentile:
            if dialect == .bigquery { throw refuse("PERCENTILE_CONT is not an aggregate there") }
            return "CAST(\(dialect.percentile("CAST(\(argument) AS \(float))", call.percentile / 100)) AS \(float))"
        case .mode:
            // PostgreSQL's mode() reads the values in order and keeps the first of the most
            // frequent, the smallest; DuckDB, Spark and BigQuery leave ties unspecified.
            guard dialect == .postgres else { throw refuse("its ties are not broken by the smallest value there") }
            return "mode() WITHIN GROUP (ORDER BY \(dialect.bytewise(argument, call.type)))"
        case .first, .last:
            let direction = call.function == .first ? "ASC" : "DESC"
            switch dialect {
            case .duckdb:
                return "\(call.function == .first ? "arg_min" : "arg_max")(\(argument), \(row)) FILTER (WHERE \(argument) IS NOT NULL)"
            case .postgres where !isList:
                return "(array_agg(\(argument) ORDER BY \(row) \(direction)) FILTER (WHERE \(argument) IS NOT NULL))[1]"
            case .bigquery where !isList:
                return "ARRAY_AGG(\(argument) IGNORE NULLS ORDER BY \(row) \(direction) LIMIT 1)[SAFE_OFFSET(0)]"
            default:
                throw refuse(isList ? "of a list" : "no aggregate there keeps the rows' order")
            }
        case .list:
            if call.distinct { throw refuse("of distinct values in their first order") }
            var element = DataType.null
            if case .list(let e) = call.type { element = e }
            let elementName = try dialect.typeName(element == .null ? .int : element)
            switch dialect {
            case .duckdb:
                return "COALESCE(list(\(argument) ORDER BY \(row)) FILTER (WHERE \(argument) IS NOT NULL), CAST([] AS \(elementName)[]))"
            case .postgres:
                return "COALESCE(array_agg(\(argument) ORDER BY \(row)) FILTER (WHERE \(argument) IS NOT NULL), CAST(ARRAY[] AS \(elementName)[]))"
            case .bigquery:
                return "IFNULL(ARRAY_AGG(\(argument) IGNORE NULLS ORDER BY \(row)), [])"
            case .spark:
                throw refuse("collect_list does not keep the rows' order")
            }
        case .count, .countif, .sum, .avg, .min, .max:
            throw refuse("internal: not one of the later aggregates")
        }
    }

    /// The SQL type of a null argument: the aggregate's own type, a list's element type, Int
    /// where the aggregate has no type of its own (PostgreSQL cannot choose for an unknown).
    /// An aggregate's argument as SQL. An untyped NULL takes the aggregate's type (a Bool
    /// for countif): PostgreSQL cannot choose among SUM's or MIN's overloads for an unknown.
    func argumentSQL(_ call: AggregateCall, _ e: SQLExpressionCompiler) throws(SQLError) -> String? {
        guard let a = call.argument else { return nil }
        guard a.type == .null else { return try e.compile(a) }
        return "CAST(NULL AS \(try dialect.typeName(call.function == .countif ? .bool : nullArgumentType(call))))"
    }

    func nullArgumentType(_ call: AggregateCall) -> DataType {
        if case .list(let element) = call.type { return element == .null ? .int : element }
        return call.type == .null ? .int : call.type
    }

    /// The later aggregates over a window's groups. stdev and variance as in `summarize`;
    /// first, last and list over the whole group in the window's order (its `sort by`, then
    /// the rows' order), which DuckDB and PostgreSQL aggregate in frame order; the others
    /// need an ordered-set aggregate, which SQL does not allow with OVER.
    func moreWindowAggregate(_ call: AggregateCall, _ argument: String, _ over: String, _ ordered: String) throws(SQLError) -> String {
        func refuse() -> SQLError {
            SQLError(message: "\(call.function.rawValue)() over a window cannot be expressed in \(dialect.rawValue) SQL", range: call.range)
        }
        let isList: Bool
        if case .list = call.argument?.type { isList = true } else { isList = false }
        let present = "FILTER (WHERE \(argument) IS NOT NULL)"
        switch (call.function, dialect) {
        case (.stdev, _), (.variance, _): return "\(try moreAggregate(call, argument)) \(over)"
        case (.first, .duckdb): return "FIRST_VALUE(\(argument) IGNORE NULLS) \(ordered)"
        case (.last, .duckdb): return "LAST_VALUE(\(argument) IGNORE NULLS) \(ordered)"
        case (.first, .postgres) where !isList: return "(array_agg(\(argument)) \(present) \(ordered))[1]"
        case (.last, .postgres) where !isList:
            return "(array_agg(\(argument)) \(present) \(ordered))[COUNT(\(argument)) \(ordered)]"
        case (.list, .duckdb), (.list, .postgres):
            if call.distinct { throw refuse() }
            var element = DataType.null
            if case .list(let e) = call.type { element = e }
            let elementName = try dialect.typeName(element == .null ? .int : element)
            let empty = dialect == .duckdb ? "CAST([] AS \(elementName)[])" : "CAST(ARRAY[] AS \(elementName)[])"
            return "COALESCE(\(dialect == .duckdb ? "list" : "array_agg")(\(argument)) \(present) \(ordered), \(empty))"
        default:
            throw refuse()
        }
    }
}
