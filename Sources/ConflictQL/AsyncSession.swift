// A session for Swift concurrency: an actor over a `Session`, for servers (Hummingbird,
// Vapor) and apps that call it from many tasks. The `Session` itself is a plain class run on
// one thread at a time; here it lives on a serial dispatch queue of its own, so statements run
// in order without blocking a thread of Swift's cooperative pool (a remote engine's call
// waits on NIO there), and every call is `async`. Cancelling the calling task cancels the
// running statement, as Ctrl-C does in the REPL: the session's `Cancellation` is set, loops
// stop at their next batch, and a remote query is cancelled on its engine.

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
import Synchronization

public actor AsyncSession {
    /// The session, touched only on `queue`: the actor hands it work, never runs it itself.
    private let box: SessionBox
    private let queue = DispatchQueue(label: "conflictql.session")

    /// A session over the embedded briefing tables (or another catalog); as `Session.init`.
    public init(catalog: Catalog = Briefing.catalog, allowsFileAccess: Bool = true) {
        box = SessionBox(Session(catalog: catalog, allowsFileAccess: allowsFileAccess))
    }

    /// Runs `text` (statements and dot-free script text) and gives each statement's result.
    /// Throws `DiagnosticError` as `Session.run` does, or `CancellationError` when the task
    /// was cancelled before or while it ran.
    public func run(_ text: String, name: String = "<input>") async throws -> [StatementResult] {
        try await perform { session in try session.run(text, name: name) }
    }

    /// Checks `text` against the session's tables without running it: the errors and
    /// warnings, each with its range; empty when the script would run.
    public func check(_ text: String, name: String = "<input>") async -> [Diagnostic] {
        (try? await perform { session -> [Diagnostic] in
            let source = Source(name: name, text: text)
            let parsed = parse(source)
            if !parsed.diagnostics.isEmpty { return parsed.diagnostics }
            let checked = ConflictQLSemantics.check(parsed.script, in: session.symbols, allowsFileAccess: session.allowsFileAccess,
                                                    source: source)
            return checked.diagnostics + checked.warnings
        }) ?? []
    }

    /// Checks and plans a query once, for `run(_ query:)` as often as wanted (as `Session.prepare`).
    public func prepare(_ text: String, name: String = "<query>") async throws -> PreparedQuery {
        try await perform { session in try session.prepare(text, name: name) }
    }

    /// Runs a prepared query over the session's tables as they are now, giving a typed table.
    public func run(_ query: PreparedQuery) async throws -> Table {
        try await perform { session in try session.run(query) }
    }

    /// Each statement's result as soon as it is ready, for scripts whose first results should
    /// be shown before the last are computed. Ending the iteration early cancels the rest.
    public nonisolated func results(_ text: String, name: String = "<input>") -> AsyncThrowingStream<StatementResult, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.perform { session in
                        try session.run(Source(name: name, text: text)) { result in
                            if case .terminated = continuation.yield(result) { throw CancellationError() }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Loads a file as a table (as `Session.load`).
    @discardableResult
    public func load(path: String, as name: String? = nil, options: LoadOptions = LoadOptions()) async throws -> LoadReport {
        try await perform { session in try session.load(path: path, as: name, options: options) }
    }

    /// Connects to a remote engine (as `Session.connect`).
    @discardableResult
    public func connect(_ address: String) async throws -> ConnectReport {
        try await perform { session in try session.connect(address) }
    }

    /// The tables the session knows, in order, with their schemas.
    public var tables: [(name: String, schema: Schema)] {
        get async {
            (try? await perform { session in session.symbols.names.compactMap { name in session.symbols.schema(ofTable: name).map { (name, $0) } } })
                ?? []
        }
    }

    /// Runs `body` with the session, on the session's queue: for what has no async form here.
    /// `body` must not keep the session or hand it to another thread.
    public func withSession<T: Sendable>(_ body: @escaping @Sendable (Session) throws -> T) async throws -> T {
        try await perform(body)
    }

    /// Runs `body` on the queue; the calling task's cancellation cancels the session's statement.
    private func perform<T: Sendable>(_ body: @escaping @Sendable (Session) throws -> T) async throws -> T {
        let box = self.box
        let cancelled = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.async {
                    if cancelled.isSet { continuation.resume(throwing: CancellationError()); return }
                    do {
                        let value = try body(box.session)
                        continuation.resume(returning: value)
                    } catch let error as DiagnosticError
                                where cancelled.isSet && error.diagnostics.contains(where: { $0.message.hasPrefix("cancelled") }) {
                        continuation.resume(throwing: CancellationError())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        } onCancel: {
            cancelled.set()
            box.session.cancellation.cancel()
        }
    }
}

/// The session, sendable because only the actor's serial queue touches it (its
/// `cancellation`, which is Sendable, excepted).
private final class SessionBox: @unchecked Sendable {
    let session: Session
    init(_ session: Session) { self.session = session }
}

private final class CancelFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
