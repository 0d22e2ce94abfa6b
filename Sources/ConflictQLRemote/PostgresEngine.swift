// A PostgreSQL engine the session sends whole pipelines to, through postgres-nio. The session
// is synchronous and single-threaded (the REPL's thread, or an AsyncSession's queue), so each
// call here blocks on NIO's futures, never on Swift's cooperative pool, and polls the
// session's `Cancellation` meanwhile: Ctrl-C sends `pg_cancel_backend` for the running query
// over a second, short connection (postgres-nio has no CancelRequest message), and the query
// ends with PostgreSQL's own "canceling statement" error.
//
// Results come back in binary form and are decoded by the type the checker gave each column,
// never by what PostgreSQL would pick: the compiled SQL casts every output column to that type
// (`SQLCompiler.query(_:castingOutputs:)`), so a column here is BIGINT, DOUBLE PRECISION,
// TEXT, BOOLEAN, DATE or an array of those, and nothing else reaches this decoder.

import ConflictQLCore
import ConflictQLSQL
import Dispatch
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class PostgresEngine: RemoteEngine {
    public let target: PostgresTarget
    public var display: String { target.display }
    public var kind: String { "PostgreSQL" }
    public var dialect: SQLDialect { .postgres }
    private var connection: PostgresConnection?
    /// The server's process for this connection, to cancel its query from another connection.
    private var backend: Int32 = 0
    private let logger: Logger = {
        var logger = Logger(label: "conflictql.postgres")
        logger.logLevel = .critical
        return logger
    }()

    public init(target: PostgresTarget) { self.target = target }

    deinit { close() }

    public var isConnected: Bool { connection.map { !$0.isClosed } ?? false }

    /// Opens the connection (again, after one was lost). Nothing is sent but the sign-in and
    /// `SELECT pg_backend_pid()`.
    public func connect(cancellation: Cancellation? = nil) throws(RemoteError) {
        if isConnected { return }
        connection = nil
        let opened = try wait(for: open(), cancellation: cancellation) {}
        connection = opened
        let pid = try rows(of: "SELECT pg_backend_pid()", types: [.int], budget: nil, cancellation: cancellation)
        if case .int(let value)? = pid.columns.first.flatMap({ $0.count == 1 ? $0.value(at: 0) : nil }) {
            backend = Int32(truncatingIfNeeded: value)
        }
    }

    public func close() {
        guard let connection else { return }
        self.connection = nil
        _ = try? connection.close().wait()
    }

    private func open() throws(RemoteError) -> EventLoopFuture<PostgresConnection> {
        var configuration: PostgresConnection.Configuration
        if target.isUnixSocket {
            configuration = .init(unixSocketPath: target.socketPath, username: target.user, password: target.password,
                                  database: target.database)
        } else {
            configuration = .init(host: target.host, port: target.port, username: target.user, password: target.password,
                                  database: target.database, tls: try tls())
        }
        configuration.options.connectTimeout = .seconds(15)
        return PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                          id: 1, logger: logger)
    }

    /// TLS as `sslmode` says (PostgresTarget.TLSMode), the certificate verified against the
    /// root certificates libpq would use (`sslrootcert`, ~/.postgresql/root.crt, or `system`).
    private func tls() throws(RemoteError) -> PostgresConnection.Configuration.TLS {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch target.tls {
        case .disable: return .disable
        case .prefer, .require: settings.certificateVerification = .none
        case .verifyCA: settings.certificateVerification = .noHostnameVerification
        case .verifyFull: settings.certificateVerification = .fullVerification
        }
        if target.tls == .verifyCA || target.tls == .verifyFull {
            switch target.rootCertificates {
            case .system: settings.trustRoots = .default
            case .file(let path):
                guard access(path, R_OK) == 0 else {
                    throw RemoteError("cannot read the root certificate file \"\(path)\" (sslrootcert)", kind: .signIn)
                }
                settings.trustRoots = .file(path)
            case .missing(let path):
                throw RemoteError("root certificate file \"\(path)\" does not exist, and sslmode=\(target.tls.rawValue) needs one",
                                  help: "give it with sslrootcert=FILE, use the system's trusted roots with sslrootcert=system, "
                                      + "or connect with sslmode=require (not verified)", kind: .signIn)
            }
        }
        if let client = target.clientCertificate {
            try PostgresEngine.useClientCertificate(client.certificate, key: client.key, in: &settings)
        }
        do {
            let context = try NIOSSLContext(configuration: settings)
            return target.tls == .prefer ? .prefer(context) : .require(context)
        } catch {
            throw RemoteError("cannot set up TLS for \(target.display): \(error)", kind: .signIn)
        }
    }

    /// The client certificate and key for `settings`, read now so that a file that is
    /// missing, unreadable or not PEM is said before connecting; a key others may read is
    /// refused, as libpq refuses it.
    private static func useClientCertificate(_ certificate: String, key: String,
                                             in settings: inout TLSConfiguration) throws(RemoteError) {
        for (path, what) in [(certificate, "client certificate (sslcert)"), (key, "private key (sslkey)")]
        where access(path, R_OK) != 0 {
            throw RemoteError("cannot read the \(what) file \"\(path)\"", kind: .signIn)
        }
        var status = stat()
        if stat(key, &status) == 0, status.st_mode & 0o077 != 0, status.st_uid == getuid() {
            throw RemoteError("private key file \"\(key)\" has group or world access; permissions should be u=rw (0600) or less",
                              help: "chmod 600 \(key)", kind: .signIn)
        }
        do {
            settings.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
        } catch {
            throw RemoteError("the client certificate \"\(certificate)\" is not a PEM certificate: \(error)", kind: .signIn)
        }
        do {
            settings.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        } catch {
            throw RemoteError("the private key \"\(key)\" is not a PEM private key: \(error)", kind: .signIn)
        }
    }

    // MARK: Asking

    /// PostgreSQL's EXPLAIN (ANALYZE) of `sql`.
    public func explain(_ sql: String, analyze: Bool, cancellation: Cancellation?) throws(RemoteError) -> [String] {
        try lines(of: (analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") + sql, cancellation: cancellation)
    }

    /// The text lines of a statement whose rows are one text column (`EXPLAIN ...`).
    public func lines(of sql: String, cancellation: Cancellation?) throws(RemoteError) -> [String] {
        let table = try rows(of: sql, types: [.string], budget: nil, cancellation: cancellation)
        return (0..<table.rowCount).compactMap { if case .string(let s) = table.columns[0].value(at: $0) { s } else { nil } }
    }

    /// Runs `sql`, decoding its columns as `types` row by row as they arrive (on the
    /// connection's event loop, so the rows are never held twice), and stopping once the
    /// values read pass `budget` bytes: the stream is dropped and the query cancelled.
    public func rows(of sql: String, types: [DataType], budget: Int?, cancellation: Cancellation?) throws(RemoteError) -> Table {
        guard let connection, !connection.isClosed else {
            throw RemoteError("not connected to \(target.display)", connectionLost: true)
        }
        let decoding = RowDecoding(types: types, budget: budget)
        let future = connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) { row in try decoding.add(row) }
        let cancel = { [target, backend, logger] in PostgresEngine.cancel(backend: backend, target: target, logger: logger) }
        do throws(RemoteError) {
            _ = try wait(for: future, cancellation: cancellation, onCancel: cancel)
        } catch {
            // A stream that reading the rows stopped ends as cancelled, whatever stopped it:
            // the reason is the decoder's. Over the budget, the rest of the rows are not
            // wanted, so the server need not send them; the connection drops what is already
            // on its way. A cancel arriving once the backend is idle is ignored.
            guard let failure = decoding.failure else { throw error }
            if failure.stopped != nil { cancel() }
            throw failure
        }
        return Table(schema: Schema(types.enumerated().map { Field("c\($0.offset)", $0.element) }),
                     columns: decoding.builders.map { $0.finish() }, rowCount: decoding.rows)
    }

    /// The columns being read from a row stream. Only the connection's event loop touches it
    /// until the query's future completes, and only the session's thread after.
    private final class RowDecoding: @unchecked Sendable {
        let types: [DataType]
        let budget: Int?
        var builders: [ColumnBuilder]
        var rows = 0
        var bytes = 0
        /// Why reading stopped, when it did: a value that does not decode, or the rows passing
        /// the budget (its `stopped` then says how many had been read, and their bytes).
        var failure: RemoteError?

        init(types: [DataType], budget: Int?) {
            self.types = types
            self.budget = budget
            builders = types.map { ColumnBuilder(type: $0) }
        }

        func add(_ row: PostgresRow) throws(RemoteError) {
            do throws(RemoteError) {
                try read(row)
            } catch {
                failure = error
                throw error
            }
        }

        private func read(_ row: PostgresRow) throws(RemoteError) {
            var index = 0
            for cell in row where index < builders.count {
                bytes += cell.bytes?.readableBytes ?? 0
                builders[index].append(try PostgresEngine.value(cell, as: types[index]))
                index += 1
            }
            guard index == builders.count else {
                throw RemoteError("the engine answered \(index) columns where \(builders.count) were expected")
            }
            rows += 1
            if let budget, bytes > budget {
                var stop = RemoteError("the result is over its budget")
                stop.stopped = (rows, bytes)
                throw stop
            }
        }
    }

    /// Waits for `future`, calling `onCancel` once if `cancellation` is set meanwhile.
    private func wait<T: Sendable>(for future: @autoclosure () throws(RemoteError) -> EventLoopFuture<T>,
                                   cancellation: Cancellation?, onCancel: () -> Void) throws(RemoteError) -> T {
        let future = try future()
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { _ in done.signal() }
        var cancelled = false
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if !cancelled, cancellation?.isCancelled == true {
                cancelled = true
                onCancel()
            }
        }
        do {
            return try future.wait()
        } catch let own as RemoteError {
            // Raised while reading the rows (RowDecoding): the connection is fine.
            throw own
        } catch {
            let failure = describe(error)
            if failure.connectionLost { close() }
            throw failure
        }
    }

    /// `pg_cancel_backend` for `backend`, over a connection of its own, waited for briefly.
    private static func cancel(backend: Int32, target: PostgresTarget, logger: Logger) {
        guard backend != 0 else { return }
        let canceller = PostgresEngine(target: target)
        guard let connection = try? canceller.wait(for: canceller.open(), cancellation: nil, onCancel: {}) else { return }
        canceller.connection = connection
        _ = try? connection.query(PostgresQuery(unsafeSQL: "SELECT pg_cancel_backend(\(backend))"), logger: logger).wait()
        canceller.close()
    }

    /// A postgres-nio error as a message a person can act on, without the password (the
    /// library's own description hides everything; its parts are read here).
    private func describe(_ error: any Error) -> RemoteError {
        guard let error = error as? PSQLError else {
            return RemoteError("cannot reach \(target.display): \(error)", help: "is the server running, and is the address right?",
                               connectionLost: true)
        }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState] ?? ""
            let position = info[.position].flatMap { Int($0) }
            switch state {
            case "57014": return .cancelled
            case "28P01", "28000":
                let help = message.contains("certificate")
                    ? "give a client certificate: sslcert=FILE sslkey=FILE, PGSSLCERT and PGSSLKEY, or ~/.postgresql/postgresql.crt and .key"
                    : "give the password in the address, PGPASSWORD or ~/.pgpass (as psql reads them)"
                return RemoteError("\(target.display) refused the sign-in: \(message)", help: help,
                                   connectionLost: true, kind: .signIn, sqlState: state)
            case "3D000": return RemoteError("\(target.display): \(message)", connectionLost: true, kind: .signIn, sqlState: state)
            case "57P01", "57P02", "57P03":
                return RemoteError("\(target.display) stopped: \(message)", help: "the next statement connects again", connectionLost: true)
            default:
                let hint = info[.hint]
                return RemoteError("PostgreSQL: \(message) (SQLSTATE \(state))", help: hint, position: position, sqlState: state)
            }
        }
        switch error.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
            if let underlying = error.underlying, underlying is NIOSSLError || underlying is NIOSSLExtraError
                || underlying is BoringSSLError {
                return tlsFailure(underlying)
            }
            var cause = ""
            if let underlying = error.underlying { cause = ": \(underlying)" }
            return RemoteError("the connection to \(target.display) was lost\(cause)",
                               help: "the next statement connects again", connectionLost: true)
        case .sslUnsupported:
            return RemoteError("\(target.display) does not offer TLS, which sslmode=\(target.tls.rawValue) requires",
                               help: "connect with sslmode=prefer or disable", connectionLost: true, kind: .signIn)
        case .authMechanismRequiresPassword:
            return RemoteError("\(target.display) asks for a password", help: "give it in PGPASSWORD or ~/.pgpass (as psql reads them)",
                               connectionLost: true, kind: .signIn)
        case .queryCancelled:
            return .cancelled
        default:
            return RemoteError("\(target.display) failed: \(error.code)", connectionLost: true)
        }
    }

    /// A TLS handshake that failed, said as psql would: the certificate did not verify, or
    /// does not name the host.
    private func tlsFailure(_ underlying: any Error) -> RemoteError {
        let text = "\(underlying)"
        let what: String
        let help: String
        if let extra = underlying as? NIOSSLExtraError, extra == .failedToValidateHostname {
            what = "the server's certificate does not name '\(target.host)'"
            help = "connect by a host name the certificate names, or with sslmode=verify-ca"
        } else if text.contains("CERTIFICATE_VERIFY_FAILED") {
            what = "the server's certificate does not verify against \(target.rootCertificates.described)"
            help = "give the certificate authority that signed it with sslrootcert=FILE"
        } else {
            what = text
            help = "check sslmode and sslrootcert"
        }
        return RemoteError("TLS with \(target.display) failed (sslmode=\(target.tls.rawValue)): \(what)", help: help,
                           connectionLost: true, kind: .signIn)
    }

    // MARK: Decoding

    /// One cell as a value of `type`, from PostgreSQL's binary form.
    static func value(_ cell: PostgresCell, as type: DataType) throws(RemoteError) -> Value {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .text {
            // Only text columns come back as text in practice; the SQL casts everything else.
            return .string(bytes.readString(length: bytes.readableBytes) ?? "")
        }
        return try value(&bytes, as: type, column: cell.columnName)
    }

    static func value(_ bytes: inout ByteBuffer, as type: DataType, column: String) throws(RemoteError) -> Value {
        func bad() -> RemoteError { RemoteError("the engine's value for '\(column)' is not a \(type)") }
        switch type {
        case .int:
            switch bytes.readableBytes {
            case 8: return .int(bytes.readInteger(as: Int64.self)!)
            case 4: return .int(Int64(bytes.readInteger(as: Int32.self)!))
            case 2: return .int(Int64(bytes.readInteger(as: Int16.self)!))
            default: throw bad()
            }
        case .float:
            switch bytes.readableBytes {
            case 8: return .float(Double(bitPattern: bytes.readInteger(as: UInt64.self)!))
            case 4: return .float(Double(Float(bitPattern: bytes.readInteger(as: UInt32.self)!)))
            default: throw bad()
            }
        case .string:
            return .string(bytes.readString(length: bytes.readableBytes) ?? "")
        case .bool:
            guard bytes.readableBytes == 1 else { throw bad() }
            return .bool(bytes.readInteger(as: UInt8.self)! != 0)
        case .date:
            guard bytes.readableBytes == 4, let days = bytes.readInteger(as: Int32.self) else { throw bad() }
            // Days since 2000-01-01; ±infinity are Int32's ends.
            guard days != Int32.max, days != Int32.min else {
                throw RemoteError("the engine's date in '\(column)' is infinite, which ConflictQL has no value for")
            }
            let (since1970, overflow) = days.addingReportingOverflow(10_957)
            guard !overflow else { throw bad() }
            return .date(DateValue(days: since1970, precision: .day))
        case .null:
            return .null
        case .list(let element):
            // ndim, has-nulls, element type, then per dimension its size and lower bound.
            guard let dimensions = bytes.readInteger(as: Int32.self), bytes.readInteger(as: Int32.self) != nil,
                  bytes.readInteger(as: UInt32.self) != nil else { throw bad() }
            if dimensions == 0 { return .list([]) }
            guard dimensions == 1, let count = bytes.readInteger(as: Int32.self), count >= 0,
                  bytes.readInteger(as: Int32.self) != nil else { throw bad() }
            var items: [Value] = []
            for _ in 0..<count {
                guard let length = bytes.readInteger(as: Int32.self) else { throw bad() }
                if length < 0 { items.append(.null); continue }
                guard var item = bytes.readSlice(length: Int(length)) else { throw bad() }
                items.append(try value(&item, as: element, column: column))
            }
            return .list(items)
        }
    }
}
