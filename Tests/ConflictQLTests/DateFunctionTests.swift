// The date functions added through the descriptor table (ConflictQLFunctions): each
// checked for its values, its null rule, its errors and its SQL.

import XCTest
import ConflictQL

final class DateFunctionTests: XCTestCase {
    func testQuarterIsTheMonthsThreeByThreeAndNullForAYear() throws {
        XCTAssertEqual(value("quarter(@2013-01-01)"), .int(1))
        XCTAssertEqual(value("quarter(@2013-03-31)"), .int(1))
        XCTAssertEqual(value("quarter(@2013-04-01)"), .int(2))
        XCTAssertEqual(value("quarter(@2013-08)"), .int(3))
        XCTAssertEqual(value("quarter(@2013-12-31)"), .int(4))
        // A date known only to the year has no quarter: null, not an invented one.
        XCTAssertEqual(value("quarter(@2013)"), .null)
        XCTAssertTrue(diagnostics("quarter(\"2013-01-01\")").contains("quarter needs a date, found String"))
        XCTAssertTrue(diagnostics("quartr(@2020-01-01)").contains("did you mean 'quarter'?"))
        // Over a column: the briefing's 2012-2013 events by quarter; the year-only dates
        // stay together under null.
        XCTAssertEqual(rows("timeline | where date >= @2012-01-01 and date < @2014-01-01 | summarize n = count() by q = quarter(date) | sort by q"),
                       [[.int(1), .int(1)], [.int(2), .int(1)], [.null, .int(4)]])
        // SQL dates do not keep a precision, so quarter() is refused rather than guessed.
        XCTAssertTrue(diagnostics("explain sql duckdb timeline | select q = quarter(date)").contains("quarter() (it depends on a date's precision"))
    }
}
