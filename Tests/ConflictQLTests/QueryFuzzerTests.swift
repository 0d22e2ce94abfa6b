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

/// The descriptors' forms (what the fuzzer writes calls from) say the truth: every form of
/// every function, aggregate and window function checks, runs, and gives the type it says.
final class CallFormTests: XCTestCase {
    /// A column of each type, and an argument of each kind over them.
    let table = "timeline | take 3 | extend i = 2, f = 1.5, s = \"Mali, Gao\", b = true, d = @2013-04-01, l = [\"a\", \"b\"]"

    func argument(_ kind: ArgumentKind) -> String {
        switch kind {
        case .of(.int): return "i"
        case .of(.float): return "f"
        case .of(.string): return "s"
        case .of(.bool): return "b"
        case .of(.date): return "d"
        case .of(.list(.string)): return "l"
        case .of(let type): return "unexpected \(type)"
        case .pattern: return #"r"[a-z]+""#
        case .percentage: return "90"
        case .rows: return "2"
        case .duration: return "1 week"
        case .digits: return "1"
        case .size(let type): return type == .float ? "2.5" : "5"
        case .position: return "2"
        case .nonEmptyText: return "\",\""
        }
    }

    func resultType(_ query: String, _ label: String) throws -> DataType? {
        let results = try Session().run(query)
        guard case .table(let table)? = results.last else { XCTFail("\(label): no table"); return nil }
        return table.schema.fields.last?.type
    }

    func testEveryFormChecksAndGivesItsType() throws {
        var forms = 0
        for function in ScalarFunction.all {
            for form in function.forms {
                let call = "\(function.name)(\(form.arguments.map(argument).joined(separator: ", ")))"
                XCTAssertEqual(try resultType("\(table) | extend r = \(call)", call), form.result, call)
                forms += 1
            }
        }
        for aggregate in AggregateFunction.all {
            for form in aggregate.forms {
                let call = "\(aggregate.name)(\(form.arguments.map(argument).joined(separator: ", ")))"
                XCTAssertEqual(try resultType("\(table) | summarize r = \(call)", call), form.result, call)
                XCTAssertEqual(try resultType("\(table) | window sort by i r = \(call)", call), form.result, "in a window: \(call)")
                forms += 1
            }
        }
        for function in WindowFunction.all {
            for form in function.forms {
                let call = "\(function.name)(\(form.arguments.map(argument).joined(separator: ", ")))"
                XCTAssertEqual(try resultType("\(table) | window sort by i r = \(call)", call), form.result, call)
                forms += 1
            }
        }
        XCTAssertGreaterThan(forms, 140)
    }
}
