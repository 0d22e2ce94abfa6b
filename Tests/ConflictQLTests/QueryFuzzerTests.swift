// A few hundred random valid pipelines on every test run (the long runs are
// `swift run -c release conflictql-fuzz fuzz|oracle SECONDS`): no trap, no hang, every error
// a diagnostic with a source range, and the ternary-logic partitions of count, sum, min and
// max agree with the whole. Fixed seeds, so a failure here reproduces.

import ConflictQL
import QueryFuzzing
import XCTest

final class QueryFuzzerTests: XCTestCase {
    func session() throws -> Session {
        try fuzzingSession(fixture: repositoryRoot + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv")
    }

    func testGeneratedPipelinesRunOrFailWithADiagnostic() throws {
        let session = try session()
        let runner = QueryRunner(session: session)
        var generator = QueryGenerator(seed: 20261129, environment: session.environment)
        var outcomes: [Outcome] = []
        for _ in 0..<400 {
            let query = generator.pipeline().text
            do {
                outcomes.append(try runner.run(query).0)
            } catch {
                XCTFail("\(error)")
            }
        }
        // The generator writes valid pipelines: the checker accepts (nearly) all of them, and
        // most run to a result; the rest end in a runtime error such as an overflow.
        let rejected = outcomes.filter { $0 == .checkError }.count
        let ran = outcomes.filter { if case .rows = $0 { return true } else { return false } }.count
        XCTAssertLessThan(rejected, 20, "the generator's model of the columns has drifted from the checker")
        XCTAssertGreaterThan(ran, 300)
    }

    func testPartitionsByAPredicateAddUpToTheWhole() throws {
        let session = try session()
        let oracle = PartitionOracle(runner: QueryRunner(session: session))
        var generator = QueryGenerator(seed: 7, environment: session.environment)
        var checked = 0
        for _ in 0..<150 {
            let (table, columns) = generator.pipeline(maxStages: 4)
            let predicate = generator.expression(.bool, columns, depth: 3)
            let column = columns.first { [.int, .float, .string, .date].contains($0.type) }
            do {
                if try oracle.check(table: table, predicate: predicate, column: column) { checked += 1 }
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testTheOracleCatchesAWrongAnswer() throws {
        // The oracle itself must be able to fail: a "predicate" whose negation is not its
        // complement (a different condition under `not`) cannot partition the table.
        let oracle = PartitionOracle(runner: QueryRunner(session: try session()))
        XCTAssertThrowsError(try oracle.check(table: "funding", predicate: "amount_usd > 0) or (true",
                                              column: ModelColumn(name: "amount_usd", type: .int))) { error in
            XCTAssertTrue("\(error)".contains("partitions disagree: n: whole 4"), "\(error)")
        }
        XCTAssertEqual(try oracle.check(table: "funding", predicate: "amount_usd > 60000000",
                                        column: ModelColumn(name: "amount_usd", type: .int)), true)
    }
}
