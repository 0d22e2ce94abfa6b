// Joins on a condition, and semi and anti joins, against a reference: every pair of rows
// tested one by one in the test (a nested loop over values), on random tables with nulls,
// repeated keys and both hash keys and other conditions. Also the guards and the messages.

import ConflictQL
import XCTest

final class ConditionJoinTests: XCTestCase {
    struct Rows {
        var left: [[Value]]
        var right: [[Value]]
    }

    /// Random small tables: l(k Int, a Int, s String) and r(k Int, b Int, t String).
    func random(_ seed: inout UInt64) -> Rows {
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        func int() -> Value { next(6) == 0 ? .null : .int(Int64(next(5))) }
        func text() -> Value { next(6) == 0 ? .null : .string(["Mali", "Niger", "Gao, Mali", "mali", ""][next(5)]) }
        return Rows(left: (0..<next(12)).map { _ in [int(), int(), text()] },
                    right: (0..<next(9)).map { _ in [int(), int(), text()] })
    }

    func session(_ rows: Rows) -> Session {
        var catalog = Catalog()
        catalog.add("l", Table(schema: Schema([Field("k", .int), Field("a", .int), Field("s", .string)]), rows: rows.left), description: "left")
        catalog.add("r", Table(schema: Schema([Field("k", .int), Field("b", .int), Field("t", .string)]), rows: rows.right), description: "right")
        return Session(catalog: catalog)
    }

    func run(_ session: Session, _ query: String) throws -> [[Value]] {
        guard case .table(let table) = try session.run(query).last else { return [] }
        return table.rows
    }

    /// The conditions, each with the same test written over one pair of rows.
    let conditions: [(String, ([Value], [Value]) -> Bool)] = [
        ("left.k == right.k and left.a < right.b", { l, r in equal(l[0], r[0]) && less(l[1], r[1]) }),
        ("left.a < right.b", { l, r in less(l[1], r[1]) }),
        ("left.s contains right.t", { l, r in contains(l[2], r[2]) }),
        ("left.k == right.k and (left.s contains right.t or right.b is null)", { l, r in
            equal(l[0], r[0]) && (contains(l[2], r[2]) || r[1] == .null) }),
        ("right.k == left.k", { l, r in equal(l[0], r[0]) }),
        // One-side parts, computed once per row of their side (left, right, both).
        ("upper(left.s) == upper(right.t)", { l, r in
            if case .string(let x) = l[2], case .string(let y) = r[2] { return x.uppercased() == y.uppercased() }
            return false }),
        ("split(left.s, \", \") has right.t", { l, r in
            guard case .string(let x) = l[2], case .string(let y) = r[2] else { return false }
            return x.split(separator: ", ", omittingEmptySubsequences: false).contains { $0.lowercased() == y.lowercased() } }),
        ("left.a is null or right.b is null", { l, r in l[1] == .null || r[1] == .null }),
        ("left.k == right.k and not (left.s in (\"Mali\", \"mali\")) and right.t is not null", { l, r in
            equal(l[0], r[0]) && l[2] != .null && !["Mali", "mali"].contains(l[2].description) && r[2] != .null }),
    ]

    func testConditionJoinsAgreeWithEveryPairTestedOneByOne() throws {
        var seed: UInt64 = 2026
        for _ in 0..<60 {
            let data = random(&seed)
            let session = self.session(data)
            for (condition, holds) in conditions {
                var inner: [[Value]] = [], left: [[Value]] = [], semi: [[Value]] = [], anti: [[Value]] = []
                for l in data.left {
                    let matches = data.right.filter { holds(l, $0) }
                    inner += matches.map { l + $0 }
                    left += matches.isEmpty ? [l + [.null, .null, .null]] : matches.map { l + $0 }
                    if matches.isEmpty { anti.append(l) } else { semi.append(l) }
                }
                XCTAssertEqual(try run(session, "l | join r on \(condition)"), inner, condition)
                XCTAssertEqual(try run(session, "l | join kind=left r on \(condition)"), left, condition)
                XCTAssertEqual(try run(session, "l | join kind=semi r on \(condition)"), semi, condition)
                XCTAssertEqual(try run(session, "l | join kind=anti r on \(condition)"), anti, condition)
            }
        }
    }

    func testEqualityKeysAreHashedAndTheRestIsTheCondition() throws {
        let session = self.session(Rows(left: [], right: []))
        let query = try session.prepare("l | join kind=semi r on left.a < right.b and right.k == left.k and left.s contains right.t")
        guard case .join(.semi, ["k"], ["k"], let condition?) = query.nodes[1].operation else {
            return XCTFail("\(query.nodes[1].operation)")
        }
        XCTAssertEqual(condition.description, "left.a < right.b and left.s contains right.t")
        XCTAssertEqual(query.nodes[1].schema.names, ["k", "a", "s"])
        let keysOnly = try session.prepare("l | join r on left.k == right.k and left.a == right.b")
        XCTAssertEqual(keysOnly.nodes[1].operation, .join(kind: .inner, leftKeys: ["k", "a"], rightKeys: ["k", "b"], condition: nil))
    }

    func testSemiAndAntiKeepEachLeftRowOnce() throws {
        // A left row with three matches is kept once by semi, and never by anti.
        let data = Rows(left: [[.int(1), .int(0), .string("x")], [.int(2), .int(0), .string("y")]],
                        right: [[.int(1), .int(0), .null], [.int(1), .int(0), .null], [.int(1), .int(0), .null]])
        let session = self.session(data)
        XCTAssertEqual(try run(session, "l | join kind=semi r on k | select s"), [[.string("x")]])
        XCTAssertEqual(try run(session, "l | join kind=anti r on k | select s"), [[.string("y")]])
        XCTAssertEqual(try run(session, "l | join r on k | count"), [[.int(3)]])
    }

    func testAPairwiseConditionPastTheLimitIsRefusedBeforeItRuns() throws {
        // 20,000 × 10,001 pairs: more than 200,000,000, refused without testing one.
        let left = (0..<20_000).map { [Value.int(Int64($0)), .int(0), .null] }
        let right = (0..<10_001).map { [Value.int(Int64($0)), .int(0), .null] }
        let session = self.session(Rows(left: left, right: right))
        XCTAssertThrowsError(try session.run("l | join r on left.a < right.b | count")) { error in
            let message = (error as? DiagnosticError)?.diagnostics.first?.message ?? ""
            XCTAssertEqual(message, "this join compares every left row with every right row: 20000 × 10001 pairs, more than 200000000")
        }
        // With an equality part it is a hash join, and runs.
        XCTAssertEqual(try run(session, "l | join r on left.k == right.k and left.a <= right.b | count"), [[.int(10_001)]])
    }

    func testMessages() {
        XCTAssertTrue(diagnostics(#"groups | join countries on name contains "a""#).contains("'name' is a column of both sides of the join"))
        XCTAssertTrue(diagnostics("groups | join countries on left.founded").contains("a join condition must be true or false, not Date"))
        XCTAssertTrue(diagnostics("groups | join countries on left.name == right.nme").contains("unknown column 'nme' on the right side of the join"))
    }
}

/// SQL's comparisons, as ConflictQL evaluates them: null never matches.
private func equal(_ a: Value, _ b: Value) -> Bool {
    if case .int(let x) = a, case .int(let y) = b { return x == y }
    return false
}

private func less(_ a: Value, _ b: Value) -> Bool {
    if case .int(let x) = a, case .int(let y) = b { return x < y }
    return false
}

/// `contains` ignores case; null on either side is not a match.
private func contains(_ a: Value, _ b: Value) -> Bool {
    if case .string(let x) = a, case .string(let y) = b { return y.isEmpty || x.lowercased().contains(y.lowercased()) }
    return false
}
