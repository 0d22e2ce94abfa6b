// A Spark Connect server the session sends whole pipelines to, as Spark SQL (the `spark`
// dialect of ConflictQLSQL), over gRPC (grpc-swift-2, HTTP/2 from grpc-swift-nio-transport)
// with the protobuf messages generated once from Spark's .proto files (Generated/). Four of
// the service's calls are used: ExecutePlan (a SQL relation; its rows come back as Arrow IPC
// streams, read by ArrowStream.swift), AnalyzePlan (the Spark version when connecting, each
// table's schema, `explain`'s plan), and Interrupt (Ctrl-C: the running operation, by the id
// this client gave it).
//
// The session is synchronous and single-threaded, so each call runs as a task and the
// session's thread waits for it, polling the session's `Cancellation` meanwhile. A call that
// fails because the server is gone (gRPC's `unavailable`) closes the client; the next
// statement opens a new one.

import ConflictQLCore
import ConflictQLRemote
import ConflictQLSQL
import Dispatch
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

public final class SparkEngine: RemoteEngine {
    public let target: SparkTarget
    public var display: String { target.display }
    public var kind: String { "Spark" }
    public var dialect: SQLDialect { .spark }
    /// The server's Spark version, read when connecting.
    public private(set) var version: String?

    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>
    private var client: Client?
    private var running: Task<Void, Never>?
    private var sessionID = SparkEngine.uuid()

    public init(target: SparkTarget) {
        self.target = target
        if let chosen = target.sessionID { sessionID = chosen }
    }

    deinit { close() }

    public var isConnected: Bool { client != nil }

    /// Opens the client (again, after one was lost) and asks the server its version: nothing
    /// else is sent.
    public func connect(cancellation: Cancellation? = nil) throws(RemoteError) {
        if client != nil { return }
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(target: .dns(host: target.host, port: target.port),
                                                       transportSecurity: target.usesTLS ? .tls : .plaintext)
        } catch {
            throw RemoteError("cannot set up a connection to \(display): \(error)")
        }
        let opened = Client(transport: transport)
        running = Task { try? await opened.runConnections() }
        client = opened
        var request = analyzeRequest()
        request.sparkVersion = Spark_Connect_AnalyzePlanRequest.SparkVersion()
        let answer = try analyze(request, cancellation: cancellation, connecting: true)
        version = answer.sparkVersion.version
    }

    public func close() {
        guard let client else { return }
        self.client = nil
        client.beginGracefulShutdown()
        running?.cancel()
        running = nil
    }

    // MARK: Asking

    /// Spark's formatted plan of `sql`; with `analyze` (Spark has no EXPLAIN ANALYZE), the
    /// query is also run, and its time and row count follow the plan.
    public func explain(_ sql: String, analyze: Bool, cancellation: Cancellation?) throws(RemoteError) -> [String] {
        var request = analyzeRequest()
        var explain = Spark_Connect_AnalyzePlanRequest.Explain()
        explain.plan = SparkEngine.plan(sql)
        explain.explainMode = .formatted
        request.explain = explain
        var lines = try self.analyze(request, cancellation: cancellation).explain.explainString
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        if analyze {
            let started = DispatchTime.now().uptimeNanoseconds
            let rows = try count(of: sql, cancellation: cancellation)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            lines.append("ran in \(String(format: "%.3f", seconds)) s, \(rows) row\(rows == 1 ? "" : "s") (counted on the engine)")
        }
        return lines
    }

    /// Arrow IPC streams (the batches of one answer) read into a table with `schema`'s columns,
    /// by position.
    public static func table(fromArrowStreams streams: [[UInt8]], schema: Schema) throws(RemoteError) -> Table {
        var reader = ArrowStreamReader(types: schema.fields.map(\.type))
        for stream in streams { try reader.read(stream) }
        return Table(schema: schema, columns: reader.finish(), rowCount: reader.rowCount)
    }

    /// Runs `sql`, reading its columns as `types`; with a `budget`, the answer's Arrow batches
    /// may come to that many bytes, and past it the call stops and the operation is interrupted.
    public func rows(of sql: String, types: [DataType], budget: Int?, cancellation: Cancellation?) throws(RemoteError) -> Table {
        var reader = ArrowStreamReader(types: types)
        try execute(SparkEngine.plan(sql), cancellation: cancellation, budget: budget) { data throws(RemoteError) in try reader.read(data) }
        if reader.fields == nil, reader.rowCount == 0 {
            // An empty answer may come without any batch: no rows, whatever the schema.
            reader = ArrowStreamReader(types: types)
        }
        return Table(schema: Schema(types.enumerated().map { Field("c\($0.offset)", $0.element) }), columns: reader.finish(),
                     rowCount: reader.rowCount)
    }

    /// Runs a SQL statement that makes or changes something (CREATE, INSERT, DROP), as a command.
    public func run(statement sql: String, cancellation: Cancellation? = nil) throws(RemoteError) {
        var command = Spark_Connect_SqlCommand()
        var input = Spark_Connect_Relation()
        var text = Spark_Connect_SQL()
        text.query = sql
        input.sql = text
        command.input = input
        var plan = Spark_Connect_Plan()
        var wrapped = Spark_Connect_Command()
        wrapped.sqlCommand = command
        plan.command = wrapped
        try execute(plan, cancellation: cancellation) { _ throws(RemoteError) in }
    }

    static func plan(_ sql: String) -> Spark_Connect_Plan {
        var query = Spark_Connect_SQL()
        query.query = sql
        var relation = Spark_Connect_Relation()
        relation.sql = query
        var plan = Spark_Connect_Plan()
        plan.root = relation
        return plan
    }

    // MARK: The calls

    static let service = "spark.connect.SparkConnectService"
    static let executePlan = MethodDescriptor(fullyQualifiedService: service, method: "ExecutePlan", type: .serverStreaming)
    static let analyzePlan = MethodDescriptor(fullyQualifiedService: service, method: "AnalyzePlan", type: .unary)
    static let interrupt = MethodDescriptor(fullyQualifiedService: service, method: "Interrupt", type: .unary)

    var userContext: Spark_Connect_UserContext {
        var context = Spark_Connect_UserContext()
        context.userID = target.userID
        return context
    }

    static let clientType = "conflictql"

    var metadata: Metadata {
        var metadata: Metadata = [:]
        if let token = target.token { metadata.addString("Bearer \(token)", forKey: "authorization") }
        return metadata
    }

    var options: CallOptions {
        var options = CallOptions.defaults
        // Fail at once when the server is gone, rather than wait for it to come back.
        options.waitForReady = false
        options.maxResponseMessageBytes = 256 << 20
        return options
    }

    func analyzeRequest() -> Spark_Connect_AnalyzePlanRequest {
        var request = Spark_Connect_AnalyzePlanRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = SparkEngine.clientType
        return request
    }

    func analyze(_ request: Spark_Connect_AnalyzePlanRequest, cancellation: Cancellation?,
                 connecting: Bool = false) throws(RemoteError) -> Spark_Connect_AnalyzePlanResponse {
        let client = try connected()
        let (metadata, options) = (self.metadata, self.options)
        return try wait(cancellation: cancellation, connecting: connecting, onCancel: {}) {
            try await client.unary(request: ClientRequest(message: request, metadata: metadata), descriptor: SparkEngine.analyzePlan,
                                   serializer: ProtobufSerializer<Spark_Connect_AnalyzePlanRequest>(),
                                   deserializer: ProtobufDeserializer<Spark_Connect_AnalyzePlanResponse>(),
                                   options: options) { try $0.message }
        }
    }

    /// Runs `plan` as one operation, handing each Arrow batch to `onBatch` in the order the
    /// server sends them. Cancelling interrupts the operation on the server, as does an answer
    /// whose batches pass `budget` bytes (an error whose `stopped` says how far it got).
    func execute(_ plan: Spark_Connect_Plan, cancellation: Cancellation?, budget: Int? = nil,
                 onBatch: (_ data: [UInt8]) throws(RemoteError) -> Void) throws(RemoteError) {
        let client = try connected()
        var request = Spark_Connect_ExecutePlanRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = SparkEngine.clientType
        request.operationID = SparkEngine.uuid()
        request.plan = plan
        let (metadata, options, sent) = (self.metadata, self.options, request)
        // The SQL sent, to place an error Spark raised while running it.
        var sql: String? = nil
        if case .root(let relation)? = plan.opType, case .sql(let text)? = relation.relType { sql = text.query }
        let batches: [[UInt8]]
        do throws(RemoteError) {
            batches = try wait(cancellation: cancellation, sql: sql, onCancel: { [weak self] in self?.interrupt(sent.operationID) }) {
                try await client.serverStreaming(request: ClientRequest(message: sent, metadata: metadata),
                                                 descriptor: SparkEngine.executePlan,
                                                 serializer: ProtobufSerializer<Spark_Connect_ExecutePlanRequest>(),
                                                 deserializer: ProtobufDeserializer<Spark_Connect_ExecutePlanResponse>(),
                                                 options: options) { response in
                    var batches: [[UInt8]] = []
                    var (rows, bytes) = (0, 0)
                    for try await message in response.messages {
                        guard case .arrowBatch(let batch)? = message.responseType else { continue }
                        batches.append([UInt8](batch.data))
                        rows += Int(batch.rowCount)
                        bytes += batch.data.count
                        if let budget, bytes > budget {
                            var stop = RemoteError("the result is over its budget")
                            stop.stopped = (rows, bytes)
                            throw stop
                        }
                    }
                    return batches
                }
            }
        } catch {
            // Over the budget: the server need not compute the rest.
            if error.stopped != nil { interrupt(sent.operationID) }
            throw error
        }
        for batch in batches { try onBatch(batch) }
    }

    /// Asks the server to stop operation `id` (Ctrl-C), waited for briefly.
    func interrupt(_ id: String) {
        guard let client else { return }
        var request = Spark_Connect_InterruptRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = SparkEngine.clientType
        request.interruptType = .operationID
        request.operationID = id
        let (metadata, options) = (self.metadata, self.options)
        let done = DispatchSemaphore(value: 0)
        Task {
            _ = try? await client.unary(request: ClientRequest(message: request, metadata: metadata), descriptor: SparkEngine.interrupt,
                                        serializer: ProtobufSerializer<Spark_Connect_InterruptRequest>(),
                                        deserializer: ProtobufDeserializer<Spark_Connect_InterruptResponse>(),
                                        options: options) { try $0.message }
            done.signal()
        }
        _ = done.wait(timeout: .now() + .seconds(5))
    }

    func connected() throws(RemoteError) -> Client {
        guard let client else { throw RemoteError("not connected to \(display)", connectionLost: true) }
        return client
    }

    /// Runs `body` as a task and waits for it, calling `onCancel` once when `cancellation` is
    /// set meanwhile, and then giving up on the call.
    private func wait<T: Sendable>(cancellation: Cancellation?, connecting: Bool = false, sql: String? = nil, onCancel: () -> Void,
                                   _ body: @escaping @Sendable () async throws -> T) throws(RemoteError) -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        var cancelled = false
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if !cancelled, cancellation?.isCancelled == true {
                cancelled = true
                onCancel()
                task.cancel()
            }
        }
        if cancelled { throw .cancelled }
        switch outcome.withLock({ $0 })! {
        case .success(let value): return value
        case .failure(let own as RemoteError):
            // Raised while reading the answer (over its budget): the connection is fine.
            throw own
        case .failure(let error):
            let failure = describe(error, connecting: connecting, sql: sql)
            if failure.connectionLost { close() }
            throw failure
        }
    }

    /// An error of the transport or the server as the session shows it.
    func describe(_ error: any Error, connecting: Bool, sql: String? = nil) -> RemoteError {
        guard let rpc = error as? RPCError else { return RemoteError("\(display) failed: \(error)", connectionLost: true) }
        switch rpc.code {
        case .unavailable:
            return RemoteError(connecting ? "cannot reach \(display): \(SparkEngine.firstLine(rpc.message))"
                                          : "the connection to \(display) was lost: \(SparkEngine.firstLine(rpc.message))",
                               help: connecting ? "is a Spark Connect server running there? (Tests/Spark/spark.sh start)"
                                                : "the next statement connects again",
                               connectionLost: true)
        case .unauthenticated, .permissionDenied:
            return RemoteError("\(display) refused the connection: \(SparkEngine.firstLine(rpc.message))", connectionLost: true)
        case .cancelled:
            return .cancelled
        default:
            // A server shutting down still answers for a moment, with its SparkContext gone.
            if rpc.message.contains("stopped SparkContext") {
                return RemoteError("the connection to \(display) was lost: the server is stopping",
                                   help: "the next statement connects again", connectionLost: true)
            }
            var position: Int? = nil
            if let place = SparkEngine.queryContext(rpc.message), let sql { position = SparkEngine.character(at: place, in: sql) }
            return RemoteError("Spark: " + SparkEngine.firstLine(rpc.message), position: position,
                               sqlState: SparkEngine.errorClass(rpc.message))
        }
    }

    /// Spark's error class, the word in brackets its messages start with (`[DIVIDE_BY_ZERO]
    /// Division by zero. ...`), perhaps after the exception's class in parentheses: what a
    /// probe's error is compared with, as PostgreSQL's SQLSTATE is.
    static func errorClass(_ message: String) -> String? {
        var text = Substring(message)
        if text.hasPrefix("(") { text = text.drop { $0 != ")" }.dropFirst().drop { $0 == " " } }
        guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return nil }
        let name = text[text.index(after: text.startIndex)..<close]
        return !name.isEmpty && name.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" || $0 == "." }) ? String(name) : nil
    }

    /// The 1-based character (code point, as PostgreSQL counts) of `place` in `sql`.
    static func character(at place: (line: Int, position: Int), in sql: String) -> Int? {
        var line = 1, character = 0
        for scalar in sql.unicodeScalars {
            if line == place.line { break }
            character += 1
            if scalar == "\n" { line += 1 }
        }
        return line == place.line ? character + place.position : nil
    }

    /// Where in the SQL sent Spark put an error raised while running, from the query context
    /// its message ends with (`== SQL (line 3, position 12) ==`): the line and the 1-based
    /// position in it.
    static func queryContext(_ message: String) -> (line: Int, position: Int)? {
        guard let marker = message.range(of: "== SQL (line ") else { return nil }
        let rest = message[marker.upperBound...]
        let numbers = rest.prefix { $0 != ")" }.split(separator: ",").map { $0.filter(\.isNumber) }
        guard numbers.count == 2, let line = Int(numbers[0]), let position = Int(numbers[1]), line >= 1, position >= 1 else { return nil }
        return (line, position)
    }

    /// Spark's messages carry a JVM stack trace after the first lines; the message is the
    /// first line, cut at 600 characters.
    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
        return line.count > 600 ? String(line.prefix(600)) + "…" : line
    }

    /// A random (version 4) UUID, as Spark Connect wants its session and operation ids.
    static func uuid() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }
}
