// `window`: running totals, ranks with ties, previous and next values, moving averages and
// shares of a group, every row kept in its place; checked errors for a missing order and
// window functions outside `window`; and the edge cases: no rows, one row, all nulls, ties.

import ConflictQL
import Foundation
import XCTest

final class WindowTests: XCTestCase {
    let pledges = "funding | where amount_usd is not null"

    func testRunningTotalsAndSharesPerGroup() {
        XCTAssertEqual(rows("\(pledges) | window sort by amount_usd total = running_sum(amount_usd), share = round(amount_usd * 100 / sum(amount_usd), 1) | select amount_usd, total, share"), [
            [.int(56_000_000), .int(56_000_000), .float(25.9)],
            [.int(60_000_000), .int(116_000_000), .float(27.8)],
            [.int(100_000_000), .int(216_000_000), .float(46.3)],
        ])
        // Rows stay where they were: the window's order is not the output's.
        XCTAssertEqual(rows("\(pledges) | window sort by amount_usd desc n = row_number() | select n"), [[.int(3)], [.int(2)], [.int(1)]])
        // Per group: United States has two rows, one of them null.
        XCTAssertEqual(rows("funding | window by donor sort by year n = row_number(), t = running_sum(amount_usd), c = count() | select donor, n, t, c"), [
            [.string("European Union"), .int(1), .int(56_000_000), .int(1)],
            [.string("United States"), .int(2), .int(60_000_000), .int(2)],
            [.string("Saudi Arabia"), .int(1), .int(100_000_000), .int(1)],
            [.string("United States"), .int(1), .null, .int(2)],
        ])
    }

    func testRanksShareTiesAndDenseRanksLeaveNoGap() {
        let query = "(figures | select v = value % 3) | window sort by v r = rank(), d = dense_rank(), n = row_number() | sort by n | select v, r, d"
        XCTAssertEqual(rows(query), [
            [.int(0), .int(1), .int(1)], [.int(0), .int(1), .int(1)], [.int(0), .int(1), .int(1)],
            [.int(1), .int(4), .int(2)], [.int(1), .int(4), .int(2)], [.int(1), .int(4), .int(2)], [.int(1), .int(4), .int(2)],
            [.int(2), .int(8), .int(3)],
        ])
    }

    func testPreviousNextAndMovingAverages() {
        XCTAssertEqual(rows("\(pledges) | window sort by amount_usd p = prev(amount_usd), q = next(amount_usd), p2 = prev(amount_usd, 2), m = moving_avg(amount_usd, 2) | select p, q, p2, m"), [
            [.null, .int(60_000_000), .null, .float(56_000_000)],
            [.int(56_000_000), .int(100_000_000), .null, .float(58_000_000)],
            [.int(60_000_000), .null, .int(56_000_000), .float(80_000_000)],
        ])
    }

    func testEdgeCases() {
        // No rows, one row, all nulls.
        XCTAssertEqual(rows("funding | where false | window sort by year t = running_sum(amount_usd) | count"), [[.int(0)]])
        XCTAssertEqual(rows("funding | take 1 | window sort by year t = running_sum(amount_usd), r = rank(), p = prev(donor) | select t, r, p"),
                       [[.int(56_000_000), .int(1), .null]])
        XCTAssertEqual(rows("funding | window sort by year t = running_sum(year * 0 + null), s = sum(year * 0 + null) | select t, s | take 1"), [[.null, .null]])
        // A name the window computes replaces the column of that name.
        XCTAssertEqual(rows("\(pledges) | window sort by amount_usd amount_usd = row_number() | select amount_usd"), [[.int(1)], [.int(2)], [.int(3)]])
        XCTAssertTrue(diagnostics("funding | window sort by year t = running_sum(9223372036854775807)").contains("integer overflow in running_sum"))
    }

    func testChecks() {
        XCTAssertEqual(diagnostics("funding | window by donor t = running_sum(amount_usd)"), """
            <test>:1:31: error: running_sum needs an order: the rows before and after depend on it
             1 | funding | window by donor t = running_sum(amount_usd)
               |                               ^~~~~~~~~~~~~~~~~~~~~~~
            help: write: window by ... sort by COLUMN t = ...

            """)
        XCTAssertTrue(diagnostics("funding | extend r = rank()").contains("'rank' is a window function, only allowed in 'window'"))
        XCTAssertTrue(diagnostics("funding | window sort by year r = running_sum(donor)").contains("running_sum needs a number, found String"))
        XCTAssertTrue(diagnostics("funding | window sort by year r = prev(donor, 0)").contains("the number of rows is a whole number from 1"))
        XCTAssertTrue(diagnostics("funding | window sort by year").contains("NAME = EXPRESSION"))
        // Without an order, group aggregates are fine.
        XCTAssertEqual(rows("funding | window by recipient n = count() | select n"), [[.int(3)], [.int(3)], [.int(3)], [.int(1)]])
    }

    /// A list over a window is copied to every row of its group: 15,000 rows in one group
    /// would store 225,000,000 values. Refused before they are stored (it used to allocate
    /// until the process aborted), and not computed at all when nothing reads it.
    func testAListOverAWindowIsCountedBeforeItIsStored() throws {
        let session = try session(loading: "v,g\n" + (0..<15_000).map { "\($0),\($0 % 1000)" }.joined(separator: "\n") + "\n")
        let started = Date()
        XCTAssertThrowsError(try session.run("t | window l = list(v) | summarize n = max(len(l))")) { error in
            let rendered = (error as? DiagnosticError).map { DiagnosticRenderer().render($0.diagnostics, in: $0.source) } ?? "\(error)"
            XCTAssertTrue(rendered.contains("error: this window's list would make 225000000 values, more than 200000000"), rendered)
            XCTAssertTrue(rendered.contains("help: a list over a window is copied to every row of its group"), rendered)
        }
        // Unread: `count` reads no column, `select v` not the list; neither computes it.
        guard case .table(let counted)? = try session.run("t | window l = list(v) | count").last,
              case .table(let selected)? = try session.run("t | window by g sort by v l = list(v), n = row_number() | where n <= 2 | select v").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(counted.rows, [[.int(15_000)]])
        XCTAssertEqual(selected.rows, (0..<2000).map { [.int(Int64($0))] })
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }
}
