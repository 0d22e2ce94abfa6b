// The concurrent embedding API as Embedding.md shows it, run: many tasks on one AsyncSession,
// check without running, results streamed as each is ready, and cancellation of the calling
// task stopping a statement that would run for minutes. Keep this and the article in step.

import ConflictQL
import Foundation
import XCTest

final class AsyncSessionTests: XCTestCase {
    /// A 3,990-row table joined with itself on a constant key: 15.9 million rows, and a
    /// `contains` between two columns over them runs for minutes (CancellationTests' query).
    static let longQuery = "t | extend k = 1 | join (t | extend k = 1) on k | where a contains b_right | count"

    func makeTable() throws -> String {
        let path = NSTemporaryDirectory() + "conflictql-async-\(getpid()).csv"
        let words = ["attack", "Gao", "Mopti", "kidnapped", "JNIM", "ISGS", "army", "village", "market", "convoy"]
        var text = "id,a,b\n"
        for i in 0..<3990 { text += "\(i),\(words[i % 10]) \(words[(i / 10) % 10]),\(words[(i / 7) % 10])\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTheDocumentedExample() async throws {
        let table = try makeTable()
        defer { unlink(table) }
        let longQuery = AsyncSessionTests.longQuery
        // --- as in Embedding.md ---
        let session = AsyncSession()                                // the briefing's tables
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for name in ["groups", "funding", "countries"] {
                group.addTask {
                    guard case .table(let table)? = try await session.run("\(name) | count").last,
                          case .int(let n) = table.row(0)[0] else { return 0 }
                    return Int(n)
                }
            }
            return try await group.reduce(0, +)
        }
        let problems = await session.check("groups | where foundd > 2000")
        var streamed: [Int] = []
        for try await result in session.results("groups | take 1\nfunding | take 2") {
            if case .table(let t) = result { streamed.append(t.rowCount) }
        }
        try await session.load(path: table, as: "t")
        let running = Task { try await session.run(longQuery) }
        try await Task.sleep(nanoseconds: 500_000_000)
        let started = Date()
        running.cancel()
        // --- end ---
        let local = Session()
        let expected = try ["groups", "funding", "countries"].map { name -> Int in
            guard case .table(let t)? = try local.run("\(name) | count").last, case .int(let n) = t.row(0)[0] else { return -1 }
            return Int(n)
        }.reduce(0, +)
        XCTAssertEqual(counts, expected)
        XCTAssertGreaterThan(counts, 20)
        XCTAssertEqual(problems.map(\.message), ["unknown column 'foundd'"])
        XCTAssertEqual(problems.first?.help, "did you mean 'founded'?")
        XCTAssertEqual(streamed, [1, 2])
        do {
            _ = try await running.value
            XCTFail("a cancelled task must not answer")
        } catch is CancellationError {
        }
        // Uncancelled, the query runs for minutes: 30 s tells a cancelled query from a finished
        // one without timing the cancellation (5 s failed once on a machine busy with a build).
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "cancellation took too long")
        // The session goes on after a cancelled statement.
        guard case .table(let after)? = try await session.run("t | count").last else { return XCTFail("no table") }
        XCTAssertEqual(after.row(0), [.int(3990)])
    }

    /// A task cancelled before its statement starts never runs it.
    func testACancelledTaskDoesNotStart() async throws {
        let session = AsyncSession()
        let task = Task {
            try await Task.sleep(nanoseconds: 200_000_000)
            return try await session.run("let x = 1")
        }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled task must not run")
        } catch is CancellationError {
        }
        let bound = try await session.withSession { $0.symbols.scalarType("x") }
        XCTAssertNil(bound)
    }
}
