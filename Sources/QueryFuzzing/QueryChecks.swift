// What the query fuzzer asserts of each generated query, and the partitioning oracle.
//
// Fuzzing: a query runs in the library with a watchdog; it must finish (or be cancelled by
// the watchdog within a second), and every error must be a diagnostic with a source range.
// A trap ends the process: the driver writes each query to a file before running it, so the
// last one is the reproducer.
//
// Oracle (ternary-logic partitioning, as SQLancer's TLP): for a table T and a predicate p,
// every row of T has p true, false or null, so
//     T | count  ==  T | where p | count  +  T | where not p | count  +  T | where p is null | count
// and sum, min and max of a column over T combine from the same three parts. A mismatch is a
// wrong answer.

import ConflictQL
import Foundation

public enum Finding: Error, CustomStringConvertible {
    case errorWithoutRange(query: String, message: String)
    case hang(query: String, seconds: Double)
    case partitionMismatch(query: String, detail: String)

    public var description: String {
        switch self {
        case .errorWithoutRange(let q, let m): return "error without a source range: \(m)\n--- query:\n\(q)"
        case .hang(let q, let s): return "query ran \(s) s (the watchdog cancelled it)\n--- query:\n\(q)"
        case .partitionMismatch(let q, let d): return "partitions disagree: \(d)\n--- query:\n\(q)"
        }
    }
}

public enum Outcome: Equatable {
    case rows(Int)
    case checkError
    case runtimeError
}

/// The setting every generated query runs in: the briefing, a small UCDP fixture, an empty
/// table and a table whose columns are all null.
public func fuzzingSession(fixture: String?) throws -> Session {
    let session = Session(allowsFileAccess: fixture != nil)
    var setup = """
        let empty_groups = groups | take 0
        let null_funding = funding | where amount_usd is null and year is null
        let unpledged = funding | extend amount_usd = coalesce(amount_usd * 0 + null, amount_usd * 0 + null) | where true
        let p_int = 2
        let p_text = "Mali"
        let p_date = @2013-04
        let p_flag = true
        let p_none = float(null)
        """
    if let fixture { setup = "load \"\(fixture)\" as ged\n" + setup }
    _ = try session.run(setup, name: "<setup>")
    return session
}

public struct QueryRunner {
    public let session: Session
    /// A query still running after this is cancelled and reported as a hang.
    public var timeLimit: Double = 10

    public init(session: Session) { self.session = session }

    /// Runs `query`, returning its outcome and the last table it produced.
    public func run(_ query: String) throws(Finding) -> (Outcome, Table?) {
        let source = Source(name: "<generated>", text: query)
        let started = Date()
        let done = DispatchSemaphore(value: 0)
        let cancellation = session.cancellation
        let limit = timeLimit
        let watchdog = Thread {
            if done.wait(timeout: .now() + limit) == .timedOut { cancellation.cancel() }
        }
        watchdog.start()
        defer { done.signal() }
        var table: Table? = nil
        // Empty answers are explained too (Engine/EmptyResultHints.swift): every hint must
        // point somewhere, like every error.
        var unplacedHint: String? = nil
        do {
            try session.run(source, onHint: { hints in
                for hint in hints.diagnostics where hint.range == nil { unplacedHint = hint.message }
            }, onCommand: { _ in }, onResult: { result in
                if case .table(let t) = result { table = t }
            })
        } catch let error as DiagnosticError {
            let elapsed = Date().timeIntervalSince(started)
            if elapsed >= limit { throw .hang(query: query, seconds: elapsed) }
            for diagnostic in error.diagnostics where diagnostic.range == nil {
                throw .errorWithoutRange(query: query, message: diagnostic.message)
            }
            let parsed = parse(source)
            let checked = parsed.diagnostics.isEmpty && check(parsed.script, in: session.environment).diagnostics.isEmpty
            return (checked ? .runtimeError : .checkError, nil)
        } catch {
            throw .errorWithoutRange(query: query, message: "\(error)")
        }
        let elapsed = Date().timeIntervalSince(started)
        if elapsed >= limit { throw .hang(query: query, seconds: elapsed) }
        if let unplacedHint { throw .errorWithoutRange(query: query, message: "hint: " + unplacedHint) }
        return (.rows(table?.rowCount ?? 0), table)
    }
}

/// The partitioning oracle over one table pipeline and one predicate.
public struct PartitionOracle {
    public let runner: QueryRunner

    public init(runner: QueryRunner) { self.runner = runner }

    /// Checks count, and sum/min/max of `column` when given, over the three partitions.
    /// Returns false when the queries did not run (an error in T or in p), true when checked.
    public func check(table: String, predicate: String, column: ModelColumn?) throws(Finding) -> Bool {
        let parts = ["where (\(predicate))", "where not (\(predicate))", "where (\(predicate)) is null"]
        var aggregates = "n = count()"
        if let column {
            let name = quoted(column.name)
            aggregates += ", lo = min(\(name)), hi = max(\(name))"
            if column.type == .int || column.type == .float { aggregates += ", total = sum(\(name))" }
        }
        let whole = "(\(table))\n| summarize \(aggregates)"
        guard case (.rows(1), let wholeTable?) = try runner.run(whole) else { return false }
        var partTables: [Table] = []
        for part in parts {
            let query = "(\(table))\n| \(part)\n| summarize \(aggregates)"
            guard case (.rows(1), let t?) = try runner.run(query) else { return false }
            partTables.append(t)
        }
        let all = wholeTable.row(0)
        let rows = partTables.map { $0.row(0) }
        let names = wholeTable.schema.names
        let context = "T = (\(table)), p = \(predicate)"
        for (index, name) in names.enumerated() {
            let values = rows.map { $0[index] }
            let combined: Value
            switch name {
            case "n", "total": combined = sum(values)
            case "lo": combined = extreme(values, lowest: true)
            default: combined = extreme(values, lowest: false)
            }
            if !same(combined, all[index]) {
                throw .partitionMismatch(query: context, detail: "\(name): whole \(all[index]), parts \(values) combine to \(combined)")
            }
        }
        return true
    }

    func sum(_ values: [Value]) -> Value {
        var total: Value = .null
        for v in values {
            switch (total, v) {
            case (_, .null): continue
            case (.null, _): total = v
            case (.int(let a), .int(let b)):
                let (s, overflow) = a.addingReportingOverflow(b)
                total = overflow ? .float(Double(a) + Double(b)) : .int(s)
            default: total = .float((total.asDouble ?? 0) + (v.asDouble ?? 0))
            }
        }
        return total
    }

    func extreme(_ values: [Value], lowest: Bool) -> Value {
        let present = values.filter { !$0.isNull }
        guard var best = present.first else { return .null }
        for v in present.dropFirst() where lowest ? v.sortsBefore(best) : best.sortsBefore(v) { best = v }
        return best
    }

    func same(_ a: Value, _ b: Value) -> Bool {
        if case .float(let x) = a, case .float(let y) = b {
            // Float sums in another order differ in the last bits.
            return x == y || Swift.abs(x - y) <= 1e-9 * max(Swift.abs(x), Swift.abs(y))
        }
        if case .int(let x) = a, case .float(let y) = b { return Double(x) == y }
        // Dates that fall on the same day (2013 and 2013-01-01) tie for min and max.
        if case .date(let x) = a, case .date(let y) = b { return x.days == y.days }
        return a == b
    }
}

extension Value {
    /// The order `min` and `max` use: numbers by value, text by UTF-8 bytes, dates by day.
    func sortsBefore(_ other: Value) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a < b
        case (.string(let a), .string(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.bool(let a), .bool(let b)): return !a && b
        case (.date(let a), .date(let b)): return a.days < b.days
        default:
            if let a = asDouble, let b = other.asDouble { return a < b }
            return false
        }
    }

    var asDouble: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        default: return nil
        }
    }
}
