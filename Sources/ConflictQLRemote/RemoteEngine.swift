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
    /// Runs `sql`, reading its columns as `types` (by position), as the engine sends them.
    /// With a `budget`, stops once the values read pass that many bytes (as they travel: a
    /// number's 8, a text's length) and throws an error whose `stopped` says how far it got;
    /// the engine is told to stop too.
    func rows(of sql: String, types: [DataType], budget: Int?, cancellation: Cancellation?) throws(RemoteError) -> Table
    /// The engine's own plan of `sql` as lines of text; with `analyze`, run and timed.
    func explain(_ sql: String, analyze: Bool, cancellation: Cancellation?) throws(RemoteError) -> [String]
}

/// How much of a result the session fetches from an engine.
public enum RemoteFetch: Sendable {
    /// Every row. With a budget, a result that would take more memory than it allows is
    /// refused with its row count (counted on the engine) as soon as the rows read pass it:
    /// what was read is dropped and the rest is never sent.
    case all(within: RemoteBudget?)
    /// The first `n` rows, in the result's order: the rows a terminal shows (`.maxrows`), or a
    /// sample. With `countingTheRest`, when there are more, they are counted on the engine
    /// and left there (the table's `rowsLeft`).
    case first(Int, countingTheRest: Bool)

    /// The longest a count of the rows left or refused may take; past it they are "more".
    public static let countingSeconds = 5.0
}

/// The memory a remote result may take here, and what says so (for the refusal).
public struct RemoteBudget: Sendable, Equatable {
    public var bytes: Int
    public var source: String

    public init(bytes: Int, source: String) {
        self.bytes = bytes
        self.source = source
    }
}

extension RemoteEngine {
    /// Runs `sql` and gives its rows as a table with `schema`'s columns (the checked plan's,
    /// read by position), as much of it as `fetching` says.
    public func table(of sql: String, schema: Schema, fetching: RemoteFetch, cancellation: Cancellation?) throws(RemoteError) -> Table {
        let types = schema.fields.map(\.type)
        var table: Table
        switch fetching {
        case .all(let budget):
            do throws(RemoteError) {
                table = try rows(of: sql, types: types, budget: budget?.bytes, cancellation: cancellation)
            } catch {
                guard let stopped = error.stopped, let budget else { throw error }
                let count = try? self.count(of: sql, cancellation: Cancellation(within: RemoteFetch.countingSeconds, of: cancellation))
                if cancellation?.isCancelled == true { throw .cancelled }
                throw .tooLarge(rows: count, stopped: stopped, budget: budget)
            }
        case .first(let n, let countingTheRest):
            // A subquery keeps its ORDER BY's order through the LIMIT (PostgreSQL reads it as
            // a plain scan of the sorted input; Spark plans it as a TakeOrdered).
            let prefix = "SELECT * FROM ("
            let limited = prefix + sql + ") AS _cq_limited LIMIT \(countingTheRest ? n + 1 : n)"
            do throws(RemoteError) {
                table = try rows(of: limited, types: types, budget: nil, cancellation: cancellation)
            } catch {
                throw error.inside(prefix)
            }
            if countingTheRest && table.rowCount > n {
                table = table.gather((0..<Int32(n)).map { $0 })
                do throws(RemoteError) {
                    let count = try self.count(of: sql, cancellation: Cancellation(within: RemoteFetch.countingSeconds, of: cancellation))
                    table.rowsLeft = .counted(max(1, Int(count) - n))
                } catch {
                    // Ctrl-C cancels the statement; a count over its time leaves the rows uncounted.
                    if error.kind != .cancelled || cancellation?.isCancelled == true { throw error }
                    table.rowsLeft = .uncounted
                }
            }
        }
        table.schema = schema
        table.restoreDatePrecisions(schema)
        return table
    }

    /// The number of rows `sql` gives, counted on the engine.
    public func count(of sql: String, cancellation: Cancellation?) throws(RemoteError) -> Int64 {
        let counted = try rows(of: "SELECT COUNT(*) FROM (\(sql)) AS _cq_counted", types: [.int], budget: nil,
                               cancellation: cancellation)
        if counted.rowCount == 1, case .int(let n) = counted.columns[0].value(at: 0) { return n }
        throw RemoteError("\(kind) did not count the rows", unreadableAnswer: true)
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
