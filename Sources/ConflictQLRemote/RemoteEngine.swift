// What the session needs of an engine it sends whole pipelines to, whichever it is: its name
// as it may be shown (never a credential), the SQL dialect its pipelines are compiled to, its
// catalogue, and its answers read into our tables. PostgreSQL (PostgresEngine) and Spark
// (SparkEngine, in ConflictQLSpark) implement it; the session picks one by the address's scheme.

import ConflictQLCore

public protocol RemoteEngine: AnyObject {
    /// The engine as it may be shown anywhere (`tables`, `explain`, errors): no password, no token.
    var display: String { get }
    /// What the engine is, for `explain`: "PostgreSQL", "Spark".
    var kind: String { get }
    /// The dialect its pipelines are compiled to.
    var dialect: SQLDialect { get }
    var isConnected: Bool { get }

    /// Opens the connection (again, after one was lost).
    func connect(cancellation: Cancellation?) throws(RemoteError)
    func close()
    /// The engine's tables, with the columns ConflictQL can read.
    func catalogue(cancellation: Cancellation?) throws(RemoteError) -> [RemoteTable]
    /// Runs `sql` and gives its rows as a table with `schema`'s columns (read by position). At
    /// most `rowLimit` rows are fetched; with `refusingMore`, a result that has more is
    /// refused with its row count rather than read whole.
    func table(of sql: String, schema: Schema, rowLimit: Int, cancellation: Cancellation?,
               refusingMore: Bool) throws(RemoteError) -> Table
    /// The number of rows `sql` gives, counted on the engine.
    func count(of sql: String, cancellation: Cancellation?) throws(RemoteError) -> Int64
    /// The engine's own plan of `sql` as lines of text; with `analyze`, run and timed.
    func explain(_ sql: String, analyze: Bool, cancellation: Cancellation?) throws(RemoteError) -> [String]
}

extension RemoteEngine {
    /// `table(of:...)` refusing a result of more than `rowLimit` rows.
    public func table(of sql: String, schema: Schema, rowLimit: Int, cancellation: Cancellation?) throws(RemoteError) -> Table {
        try table(of: sql, schema: schema, rowLimit: rowLimit, cancellation: cancellation, refusingMore: true)
    }
}

extension Table {
    /// SQL's dates are days: a column the checker knows to hold months or years only
    /// (`bin(date, month)`) gets that precision back, as the local run would show it.
    package mutating func restoreDatePrecisions(_ schema: Schema) {
        for (index, field) in schema.fields.enumerated() where field.type == .date
            && field.datePrecisions.coarsest == field.datePrecisions.finest && field.datePrecisions.finest != .day {
            var builder = ColumnBuilder(type: .date, capacity: rowCount)
            for row in 0..<rowCount {
                if case .date(let date) = columns[index].value(at: row) {
                    builder.append(.date(DateValue(days: date.days, precision: field.datePrecisions.finest)))
                } else {
                    builder.append(.null)
                }
            }
            columns[index] = builder.finish()
        }
    }
}
