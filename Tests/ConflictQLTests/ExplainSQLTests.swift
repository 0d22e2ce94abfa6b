// `explain sql [DIALECT] QUERY`: the SQL `--to-sql` writes for the query, in the session,
// with `let` values inlined; an unknown dialect or a construct the dialect cannot express is
// a checked error at its place.

import ConflictQL
import XCTest

final class ExplainSQLTests: XCTestCase {
    func testExplainSQLIsTheSQLOfToSQL() throws {
        let session = Session()
        let query = "funding | where amount_usd > 5 | count"
        for dialect in SQLDialect.allCases {
            guard case .value(.string(let explained), _)? = try session.run("explain sql \(dialect.rawValue) " + query).last,
                  case .rows(let compiled)? = try session.sql(for: Source(name: "q", text: query), dialect: dialect).last else {
                return XCTFail("no SQL for \(dialect)")
            }
            XCTAssertEqual(explained, compiled)
        }
        // DuckDB when no dialect is named; `let` values inlined.
        guard case .value(.string(let plain), _)? = try session.run("let floor = 50000000\nexplain sql funding | where amount_usd > $floor | count").last else {
            return XCTFail("no SQL")
        }
        XCTAssertTrue(plain.contains("WHERE (\"amount_usd\" > 50000000)"), plain)
    }

    /// A window output no later stage reads is not computed in the SQL either, nor the calls
    /// only it reads: the engine does not compute them, so a call that fails on some row
    /// (here a division by zero) must not make the SQL fail where ConflictQL answers.
    /// Found by the fuzzer once it drew window functions with computed arguments.
    /// A `where` that reads no column is computed only where there are rows, as here:
    /// PostgreSQL makes such a condition a one-time filter, computed even over no rows, and
    /// failed on a division by zero after a `where` that kept nothing, where ConflictQL
    /// answered (found by the differential test on a generated pipeline).
    func testAConditionOfNoColumnIsTiedToTheRows() throws {
        let session = Session()
        guard case .value(.string(let sql), _)? = try session.run(#"explain sql postgres funding | where amount_usd < 0 | where 1 / 0 > 1 | count"#).last else {
            return XCTFail("no SQL")
        }
        XCTAssertTrue(sql.contains(#"WHERE (CASE WHEN "_cq_row" IS NOT NULL THEN"#), sql)
        // A condition that reads a column is written as it is.
        guard case .value(.string(let plain), _)? = try session.run(#"explain sql postgres funding | where amount_usd < 0"#).last else {
            return XCTFail("no SQL")
        }
        XCTAssertFalse(plain.contains("CASE WHEN"), plain)
    }

    func testAnUnreadWindowCallIsNotInTheSQL() throws {
        let query = "figures | extend zero = 0 | window sort by value m = moving_avg(value / zero, 2), n = row_number() | select indicator, n"
        XCTAssertEqual(diagnostics(query), "")
        for dialect in SQLDialect.allCases {
            guard case .value(.string(let sql), _)? = try Session().run("explain sql \(dialect.rawValue) " + query).last else {
                return XCTFail("no SQL for \(dialect)")
            }
            XCTAssertFalse(sql.contains("AVG("), sql)
            XCTAssertTrue(sql.contains("ROW_NUMBER() OVER (ORDER BY"), sql)
        }
        // Read, it is computed, and fails alike.
        XCTAssertTrue(diagnostics(query.replacing("select indicator, n", with: "select indicator, m")).contains("division by zero"))
    }

    func testBadDialectsAndRefusalsAreCheckedErrors() {
        XCTAssertTrue(diagnostics("explain sql mysql funding").contains("unknown SQL dialect 'mysql'"))
        XCTAssertTrue(diagnostics("explain sql postgress funding").contains("did you mean 'postgres'?"))
        XCTAssertTrue(diagnostics("explain sql postgres funding | window m = median(amount_usd)")
            .contains("1:43: error: median() over a window cannot be expressed in postgres SQL"))
        // len and substring count graphemes here, code points in SQL: refused, with why.
        for dialect in SQLDialect.allCases {
            XCTAssertTrue(diagnostics("explain sql \(dialect) groups | select n = len(name)")
                .contains("error: len() of text (here it counts characters as they are seen, graphemes: 'é' written as e and an accent is one, and so is a CRLF; SQL counts code points) cannot be expressed in \(dialect) SQL"))
            XCTAssertTrue(diagnostics("explain sql \(dialect) groups | select s = substring(name, 1, 3)").contains("error: substring() (here it counts"))
            XCTAssertEqual(diagnostics("explain sql \(dialect) groups | select n = len(designation)"), "")
        }
        // A table called sql is still a table to explain.
        XCTAssertEqual(diagnostics("let sql = funding\nexplain sql"), "")
    }
}
