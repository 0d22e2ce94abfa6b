// `explain` of every query of every sample, kept as golden snapshots in Snapshots/, so a
// change to the planner (pruning, estimates) shows in review as a diff of plans. Regenerate
// after a deliberate change with CONFLICTQL_UPDATE_SNAPSHOTS=1 swift test --filter ExplainTests
// and read the diff.

import ConflictQL
import Foundation
import XCTest

final class ExplainTests: XCTestCase {
    /// Each statement of `script` in turn: queries as `explain`, the rest (let, load) run.
    func explained(_ script: String, name: String) throws -> String {
        let session = Session()
        let formatter = ResultFormatter(format: .table)
        let source = Source(name: name, text: script)
        var out = ""
        for statement in parse(source).script.statements {
            let text = source.text(of: statement.range)
            if case .query = statement.kind {
                do {
                    out += "explain " + text + "\n"
                    try session.run(Source(name: name, text: "explain " + text)) { out += formatter.format($0) }
                    out += "\n"
                    continue
                } catch is DiagnosticError {
                    // A bare expression has no plan: run it as it is.
                    out = String(out.dropLast(("explain " + text + "\n").count))
                }
            }
            try session.run(Source(name: name, text: text)) { _ in }
        }
        return out
    }

    func testEverySamplesPlansMatchTheirSnapshots() throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let update = ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_SNAPSHOTS"] != nil
        let samples = try FileManager.default.contentsOfDirectory(atPath: "Samples").filter { $0.hasSuffix(".cq") }.sorted()
        for sample in samples {
            let plans = try explained(try String(contentsOfFile: "Samples/" + sample, encoding: .utf8), name: sample)
            let snapshot = "Tests/ConflictQLTests/Snapshots/explain-" + sample.dropLast(3) + ".txt"
            if update { try plans.write(toFile: snapshot, atomically: true, encoding: .utf8) }
            XCTAssertEqual(plans, try String(contentsOfFile: snapshot, encoding: .utf8), "plans of Samples/\(sample)")
            XCTAssertTrue(plans.contains("│ needed │ rows"), sample)
        }
    }

    func testAnalyzeCountsTheRowsOfEveryStage() throws {
        let results = try Session().run("""
            explain analyze funding
            | where kind == "pledge"
            | join kind=left (countries | where g5_member == false) on left.donor == right.name
            | summarize n = count() by donor
            """)
        guard case .table(let table)? = results.last else { return XCTFail("no table") }
        XCTAssertEqual(table.schema.names, ["plan", "columns", "needed", "rows", "ms"])
        XCTAssertEqual(table.rows.map { $0[0] }, [.string("funding"), .string("where kind == \"pledge\""),
                                                  .string("join kind=left (countries | where g5_member == false) on left.donor =…"),
                                                  .string("  └ countries"), .string("  └ where g5_member == false"),
                                                  .string("summarize n = count() by donor")])
        XCTAssertEqual(table.rows.map { $0[3] }, [.int(4), .int(3), .int(3), .int(12), .int(7), .int(3)])
        // Column pruning is visible: after the filter, later stages need the donor alone.
        XCTAssertEqual(table.rows[1][2], .int(1))
        XCTAssertTrue(table.rows.allSatisfy { if case .float(let ms) = $0[4] { return ms >= 0 } else { return false } })
    }

    func testAnalyzeListsTheNodesExplainDoes() throws {
        // Both print the planned tree: the same nodes, labels and columns, whatever the shape.
        for query in [
            "tables | where rows > 5 | count",
            "(funding | where kind == \"pledge\") | union (funding | where kind == \"cut\") | sort by year | take 2",
            "funding | join kind=left (countries | where g5_member) on left.donor == right.name | where amount_usd > 0",
            "groups | summarize n = count() by category | sort by n desc",
        ] {
            let session = Session()
            guard case .table(let plain)? = try session.run("explain " + query).last,
                  case .table(let analyzed)? = try session.run("explain analyze " + query).last else { return XCTFail(query) }
            XCTAssertEqual(plain.rows.map { Array($0.prefix(3)) }, analyzed.rows.map { Array($0.prefix(3)) }, query)
            XCTAssertTrue(analyzed.rows.allSatisfy { $0[3] != .null }, query)
        }
    }

    func testExplainAloneIsStillATableName() throws {
        XCTAssertEqual(try Session().run("let explain = funding | take 1\nexplain | count").count, 2)
        XCTAssertTrue(diagnostics("explain").contains("unknown name 'explain'"))
    }
}
