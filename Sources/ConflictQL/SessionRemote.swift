// A session connected to a remote engine (`--engine postgres://...`, `.connect URL`): the
// engine's tables join the symbol table by name, with their schemas and no rows, so checking,
// completion and `describe` see them before any query runs. A pipeline that reads only remote
// tables is compiled to the engine's SQL (ConflictQLSQL, with the catalogue's SELECT for each
// table) and runs there; its rows come back as one of our tables, so formats, charts,
// `.output` and `let` take it as they take a local one. A pipeline that reads remote and local
// tables is refused with what to do: nothing fetches a whole remote table behind the user's back.
//
// A remote table hides a local one of the same name while connected; `.disconnect` gives it
// back. A table loaded or bound later under a remote name is local again (it has rows).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput
import ConflictQLRemote
import Dispatch
import ConflictQLSpark

/// The engine a session is connected to and what connecting changed in its symbol table.
final class RemoteConnection {
    let engine: any RemoteEngine
    var tables: [String: RemoteTable] = [:]
    /// Local tables a remote one hides, given back by `disconnect`.
    var hidden: [String: (table: Table, description: String)] = [:]

    init(engine: any RemoteEngine) { self.engine = engine }
}

/// What `connect` found.
public struct ConnectReport: Sendable {
    /// The engine as it may be shown (no password).
    public var engine: String
    public var tables: [String]
    /// Columns of types ConflictQL cannot read, by table; left out of the schemas.
    public var skippedColumns: [String: [String]]
    /// Local tables the engine's tables of the same name hide until `disconnect`.
    public var hidden: [String]
    /// What psql would warn of in the settings (a password file others may read, ignored).
    public var warnings: [String] = []

    /// The lines the shell shows after connecting.
    public var summary: String {
        var lines = ["connected to \(engine): \(tables.count) table\(tables.count == 1 ? "" : "s")"
                     + (tables.isEmpty ? "" : " (\(tables.prefix(8).joined(separator: ", "))\(tables.count > 8 ? ", …" : ""))")]
        lines += warnings.map { "warning: " + $0 }
        if !hidden.isEmpty { lines.append("note: the engine's \(hidden.joined(separator: ", ")) hide the local tables of that name until .disconnect") }
        for (table, columns) in skippedColumns.sorted(by: { $0.key < $1.key }) where !columns.isEmpty {
            lines.append("note: \(table): columns of types ConflictQL cannot read are left out: \(columns.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }
}

extension Session {
    /// The engine the session is connected to, as it may be shown; nil when local only.
    public var remoteEngine: String? { remote?.engine.display }

    /// Connects to the engine at `address` and makes its tables queryable by name: a Spark
    /// Connect server (`sc://HOST:PORT`), or PostgreSQL (a `postgres://` URL or psql's
    /// key=value words, with PGPASSWORD, ~/.pgpass and sslmode as psql reads them). A session
    /// already connected disconnects first.
    @discardableResult
    public func connect(_ address: String) throws(RemoteError) -> ConnectReport {
        let engine: any RemoteEngine
        var warnings: [String] = []
        if SparkTarget.isSparkAddress(address) {
            engine = SparkEngine(target: try SparkTarget(parsing: address))
        } else {
            let target = try PostgresTarget(parsing: address)
            warnings = target.warnings
            engine = PostgresEngine(target: target)
        }
        try engine.connect(cancellation: cancellation)
        let tables = try engine.catalogue(cancellation: cancellation)
        disconnect()
        let connection = RemoteConnection(engine: engine)
        var report = ConnectReport(engine: engine.display, tables: [], skippedColumns: [:], hidden: [], warnings: warnings)
        for table in tables {
            if let local = symbols.table(named: table.name) {
                connection.hidden[table.name] = (local, symbols.description(of: table.name) ?? "")
                report.hidden.append(table.name)
            } else if symbols.scalarType(table.name) != nil {
                // A `let` value keeps its name; the table is not reachable under it.
                report.skippedColumns[table.name] = ["(the whole table: '\(table.name)' is a value here)"]
                continue
            }
            connection.tables[table.name] = table
            symbols.addTable(table.name, table.schema, description: "in \(engine.display)")
            report.tables.append(table.name)
            if !table.skippedColumns.isEmpty { report.skippedColumns[table.name] = table.skippedColumns }
        }
        remote = connection
        return report
    }

    /// Closes the connection; the engine's tables leave the session and the local tables they
    /// hid come back. Gives the engine that was connected, nil when there was none.
    @discardableResult
    public func disconnect() -> String? {
        guard let connection = remote else { return nil }
        remote = nil
        connection.engine.close()
        for name in connection.tables.keys where isRemoteTable(name, in: connection) {
            symbols.remove(name)
        }
        for (name, local) in connection.hidden where symbols.symbol(name) == nil {
            symbols.add(name, local.table, description: local.description)
        }
        return connection.engine.display
    }

    /// Whether `name` is still the engine's table: not loaded or bound here since.
    func isRemoteTable(_ name: String, in connection: RemoteConnection? = nil) -> Bool {
        guard let connection = connection ?? remote, connection.tables[name] != nil else { return false }
        if case .table(_, nil, _)? = symbols.symbol(name) { return true }
        return false
    }

    /// The engine `plan` runs on: nil when it reads only local tables; an error at `range`
    /// when it reads both kinds.
    func remotePlacement(of plan: Plan, at range: SourceRange) throws -> RemoteConnection? {
        guard let connection = remote else { return nil }
        var read: [String] = []
        plan.tablesRead(into: &read)
        let remoteNames = read.filter { isRemoteTable($0, in: connection) }
        if remoteNames.isEmpty { return nil }
        let localNames = read.filter { !isRemoteTable($0, in: connection) }
        if localNames.isEmpty && !plan.readsCatalogListing { return connection }
        let quotedRemote = remoteNames.map { "'\($0)'" }.joined(separator: ", ")
        let quotedLocal = localNames.map { "'\($0)'" }.joined(separator: ", ")
        throw Diagnostic(
            .mixedEngines(remote: quotedRemote, engine: connection.engine.display,
                          local: localNames.isEmpty ? "the table listing" : quotedLocal),
            at: range,
            help: "bring the rows you need here first (let small = \(remoteNames[0]) | where ... | take N), "
                + "or put \(localNames.first.map { "'\($0)'" } ?? "the table") in the engine "
                + "(conflictql --to-sql \(connection.engine.dialect.rawValue) --schema writes it)")
    }

    /// The SQL that runs `plan` on the engine, every column cast to its checked type.
    func remoteSQL(of plan: Plan, _ connection: RemoteConnection, at range: SourceRange) throws -> String {
        try remoteQuery(of: plan, connection, at: range).sql
    }

    /// The SQL that runs `plan` on the engine, and the stage each of its steps came from.
    func remoteQuery(of plan: Plan, _ connection: RemoteConnection, at range: SourceRange) throws -> (sql: String, steps: SQLSteps) {
        var compiler = compilerWithValues(connection.engine.dialect)
        compiler.tableSources = connection.tables.mapValues(\.source)
        do throws(SQLError) {
            let sql = try compiler.query(plan, castingOutputs: true)
            return (sql, compiler.steps)
        } catch {
            throw Diagnostic(.notExpressibleThere(error.message, engine: connection.engine.display),
                             at: error.range ?? range,
                                   help: "bring the rows here first with let, then run the rest in ConflictQL")
        }
    }

    /// Runs `plan` on the engine and gives its rows as a table of ours: every row, within the
    /// memory a result may take, or the first `shown` and the count of the rest. Connects
    /// again when the connection was lost since the last statement.
    func runRemote(_ plan: Plan, _ connection: RemoteConnection, at range: SourceRange, shown: Int? = nil) throws -> Table {
        let (sql, steps) = try remoteQuery(of: plan, connection, at: range)
        var table: Table
        let started = DispatchTime.now()
        do throws(RemoteError) {
            try connection.engine.connect(cancellation: cancellation)
            let fetching: RemoteFetch = shown.map { .first($0, countingTheRest: true) } ?? .all(within: remoteResultBudget())
            table = try connection.engine.table(of: sql, schema: plan.schema, fetching: fetching, cancellation: cancellation)
        } catch {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            throw remoteDiagnostic(error, connection, sql: sql, at: range,
                                   place: remoteErrorPlace(error, steps: steps, connection, failedAfter: seconds))
        }
        if showsSources {
            var read: [String] = []
            plan.tablesRead(into: &read)
            let queried = "queried \(Session.wallClockText())"
            table.provenance = Provenance(files: ["\(read.joined(separator: ", ")) in \(connection.engine.display) (\(queried))"])
        }
        return table
    }

    /// The memory a remote result may take: `remoteMemoryLimit`, or half of what a load may
    /// take now; nil when neither is known.
    public func remoteResultBudget() -> RemoteBudget? {
        if let remoteMemoryLimit { return RemoteBudget(bytes: remoteMemoryLimit, source: "Session.remoteMemoryLimit") }
        return memoryBudget().map { RemoteBudget(bytes: $0.bytes / 2, source: "half of \($0.sourceDescription)") }
    }

    /// `explain` of a remote pipeline: where it runs and its SQL; with `analyze`, the
    /// engine's own EXPLAIN ANALYZE of it.
    func explainRemote(_ plan: Plan, _ connection: RemoteConnection, analyze: Bool, at range: SourceRange) throws -> Table {
        let sql = try remoteSQL(of: plan, connection, at: range)
        let engine = connection.engine
        var lines = ["runs on \(engine.display) (\(engine.kind)) as:"]
        lines += sql.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        if analyze {
            do throws(RemoteError) {
                try connection.engine.connect(cancellation: cancellation)
                lines.append("\(engine.kind)'s EXPLAIN ANALYZE:")
                lines += try engine.explain(sql, analyze: true, cancellation: cancellation).map { "  " + $0 }
            } catch {
                throw remoteDiagnostic(error, connection, sql: sql, at: range)
            }
        }
        return Table(schema: Schema([Field("plan", .string)]), rows: lines.map { [.string($0)] })
    }

    /// The stage whose SQL raised `error`: the step holding the position the engine gave, or,
    /// for an error without one (PostgreSQL gives none for an error raised while running), the
    /// first step that raises it again when run alone. The probes run only after a query that
    /// failed within `probeBudget` seconds, and stop when they have taken as long again: each
    /// computes a part of the failed query, so they cost at most what it cost, a few times over.
    func remoteErrorPlace(_ error: RemoteError, steps: SQLSteps, _ connection: RemoteConnection,
                          failedAfter seconds: Double) -> SourceRange? {
        // The engine's code for the error (PostgreSQL's SQLSTATE, Spark's error class) is what
        // a probe's error is compared with.
        guard error.kind == .query, let state = error.sqlState else { return nil }
        if let position = error.position {
            return steps.step(atCharacter: position).flatMap { steps.ranges[$0] }
        }
        guard seconds < Session.probeBudget else { return nil }
        let started = DispatchTime.now()
        for index in steps.definitions.indices {
            guard let range = steps.ranges[index] else { continue }
            // A stage's last step computes the whole stage.
            if index + 1 < steps.definitions.count, steps.ranges[index + 1] == range { continue }
            if Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 > Session.probeBudget
                || cancellation.isCancelled { return nil }
            do throws(RemoteError) {
                let probe = steps.probe(index, dialect: connection.engine.dialect)
                _ = try connection.engine.rows(of: probe, types: [.int], budget: nil, cancellation: cancellation)
            } catch {
                return error.sqlState == state ? range : nil
            }
        }
        return nil
    }

    /// Seconds a failed remote query may have taken for its error to be looked for stage by
    /// stage, and the most the looking may take.
    static let probeBudget = 10.0

    func remoteDiagnostic(_ error: RemoteError, _ connection: RemoteConnection, sql: String, at range: SourceRange,
                          place: SourceRange? = nil) -> Diagnostic {
        switch error.kind {
        case .cancelled: return Diagnostic(.cancelled, at: range)
        case .connection: return Diagnostic(.engineFailed(error.message), at: range, help: error.help)
        case .signIn: return Diagnostic(.cannotConnect(error.message, signIn: true), at: range, help: error.help)
        case .query: break
        }
        // Not the engine's own error (a result over the row limit, a value that does not decode).
        guard error.sqlState != nil else {
            return Diagnostic(error.unreadableAnswer ? .engineAnswerUnreadable(error.message) : .engineFailed(error.message),
                              at: range, help: error.help)
        }
        var diagnostic = Diagnostic(.engineQueryFailed(error.message), at: place ?? range, help: error.help)
        if place != nil {
            diagnostic.notes.append(Diagnostic.Note("\(connection.engine.kind) raised it running the SQL of this stage"))
        } else if let position = error.position {
            // The SQL around where the engine put the error: ConflictQL's checker let it
            // through, so it is a difference between the engines, worth reporting.
            let characters = Array(sql.unicodeScalars)
            let at = min(max(position - 1, 0), characters.count)
            let lineStart = characters[..<at].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let lineEnd = characters[at...].firstIndex(of: "\n") ?? characters.count
            var line = String.UnicodeScalarView()
            line.append(contentsOf: characters[lineStart..<lineEnd])
            diagnostic.notes.append(Diagnostic.Note("in the SQL sent: " + String(line).trimmingCharacters(limit: 160)))
        }
        return diagnostic
    }
}

extension Plan {
    /// Whether the plan, or one it reads, starts from the `tables` listing.
    var readsCatalogListing: Bool {
        if case .catalogListing = source { return true }
        if case .plan(let inner) = source, inner.readsCatalogListing { return true }
        for (stage, _, _) in stages {
            if case .join(_, let right, _, _, _, _) = stage, right.readsCatalogListing { return true }
            if case .union(let inputs) = stage, inputs.plans.contains(where: \.readsCatalogListing) { return true }
        }
        return false
    }
}

extension String {
    func trimmingCharacters(limit: Int) -> String {
        let trimmed = self.drop { $0 == " " }
        return trimmed.count > limit ? String(trimmed.prefix(limit)) + "…" : String(trimmed)
    }
}
