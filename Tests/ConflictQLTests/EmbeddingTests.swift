// The embedding API as Sources/ConflictQL/ConflictQL.docc/Embedding.md shows it, run: a
// program that opens a session, loads a file, prepares a query (diagnostics as values), reads
// its plan and its typed columns, runs it again after the data changed, and gets its SQL. Keep
// this and the article's example in step.

import ConflictQL
import XCTest

final class EmbeddingTests: XCTestCase {
    func testTheDocumentedExample() throws {
        // --- as in Embedding.md ---
        let session = Session()                                    // the briefing's tables
        try session.load(path: repositoryRoot + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv", as: "ged")
        let query = try session.prepare("ged | summarize events = count(), deaths = sum(best) by country | sort by deaths desc")
        XCTAssertEqual(query.schema.names, ["country", "events", "deaths"])
        let table = try session.run(query)
        guard case .int(let deaths) = table.column(named: "deaths")?.storage else { return XCTFail("deaths is not Int") }
        XCTAssertEqual(table.rowCount, 5)
        XCTAssertEqual(deaths.reduce(0, +), 161)
        XCTAssertEqual(table.row(0), [.string("Mali"), .int(7), .int(92)])
        do {
            _ = try session.prepare(#"ged | where cuntry == "Mali""#)
            XCTFail("an unknown column must not prepare")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].message, "unknown column 'cuntry'")
            XCTAssertEqual(error.diagnostics[0].help, "did you mean 'country'?")
            XCTAssertEqual(error.diagnostics[0].range, SourceRange(start: 12, end: 18))
        }
        let sql = try session.sql(for: Source(name: "q", text: query.text), dialect: .postgres)
        guard case .rows(let text)? = sql.first else { return XCTFail("no SQL") }
        XCTAssertTrue(text.hasPrefix("WITH _cq_s0 AS (SELECT"), text)
        // --- end ---

        // The plan is values too.
        XCTAssertEqual(query.nodes.map(\.label), ["ged", "summarize events = count(), deaths = sum(best) by country",
                                                  "sort by deaths desc"])
        XCTAssertEqual(query.nodes.map(\.neededColumns), [2, 3, 3])
        XCTAssertEqual(query.nodes.first?.estimatedRows, "15")
        // The plan is printable and stable.
        XCTAssertTrue(query.description.hasPrefix("plan "), query.description)
        XCTAssertTrue(query.description.contains("sort by deaths desc"), query.description)
        // Run many times: the same answer, and a new one once the data changed.
        XCTAssertEqual(try session.run(query).rows, table.rows)
        try session.run("let ged = ged | where country == \"Mali\"", name: "<test>").forEach { _ in }
        XCTAssertEqual(try session.run(query).rows, [[.string("Mali"), .int(7), .int(92)]])
        // A table whose columns changed makes the prepared query stale, with a message.
        _ = try session.run("let ged = funding")
        XCTAssertThrowsError(try session.run(query)) { error in
            XCTAssertEqual((error as? DiagnosticError)?.diagnostics.first?.message,
                           "table 'ged' has changed since the query was checked; check it again")
        }
    }

    func testThePlanIsTypedValues() throws {
        let session = Session()
        let query = try session.prepare("""
            groups | where designated_year >= 2000 | join kind=left (funding | summarize n = count() by donor) on left.name == right.donor
            | extend label = upper(name) | sort by n desc, name | take 3 | select name, n
            """)
        XCTAssertEqual(query.nodes.map(\.depth), [0, 0, 0, 1, 1, 0, 0, 0])
        XCTAssertEqual(query.nodes.map(\.operation), [
            .scan(table: "groups"),
            .filter(condition: "designated_year >= 2000"),
            .join(kind: .left, leftKeys: ["name"], rightKeys: ["donor"], condition: nil),
            .scan(table: "funding"),
            .summarize(keys: ["donor"], aggregates: ["n"]),
            .extend(columns: ["label"]),
            .top(count: "3", keys: [PlanSortKey(expression: "n", descending: true), PlanSortKey(expression: "name", descending: false)]),
            .project(columns: ["name", "n"]),
        ])
        XCTAssertEqual(query.nodes.map(\.rewrite), [nil, nil, nil, nil, nil, nil, "as top-N", nil])
        XCTAssertEqual(query.nodes.last?.schema, Schema([Field("name", .string), Field("n", .int)]))
        XCTAssertEqual(query.nodes[4].schema.names, ["donor", "n"])
        // Expressions read back as written, parentheses and all.
        let filter = #"(designated_year >= 2000 or  founded < @2000) and lower(name) != "a (b""#
        let filtered = try session.prepare("groups | where " + filter + " | count")
        XCTAssertEqual(filtered.nodes[1].operation, .filter(condition: filter.replacingOccurrences(of: "  ", with: " ")))
    }
}
