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
        // SQL dates do not keep a precision, so quarter() of a column that holds years and
        // months is refused rather than guessed.
        XCTAssertTrue(diagnostics("explain sql duckdb timeline | select q = quarter(date)")
            .contains("quarter() of dates known to the year or the month (it needs a date known to the month"))
    }
}

extension DateFunctionTests {
    func testWeekdayIsISOMondayOneToSundaySeven() {
        XCTAssertEqual(value("weekday(@2024-12-02)"), .int(1))   // a Monday
        XCTAssertEqual(value("weekday(@2013-01-11)"), .int(5))   // a Friday
        XCTAssertEqual(value("weekday(@2024-12-08)"), .int(7))   // a Sunday
        XCTAssertEqual(value("weekday(@0001-01-01)"), .int(1))   // the proleptic calendar's first day
        XCTAssertEqual(value("weekday(@2013-01)"), .null)        // no day, no weekday
        // Seven days apart, the same weekday, across years and the epoch.
        for day in ["1969-12-25", "1970-01-01", "2000-02-29", "2023-12-31"] {
            XCTAssertEqual(value("weekday(@\(day))"), value("weekday(@\(day) + 7 days)"), day)
        }
    }

    func testFromUnixtimeIsTheUTCDayOfACLEDsTimestamp() {
        XCTAssertEqual(value("from_unixtime(0)"), value("@1970-01-01"))
        XCTAssertEqual(value("from_unixtime(86399)"), value("@1970-01-01"))
        XCTAssertEqual(value("from_unixtime(86400)"), value("@1970-01-02"))
        // Before 1970 the day is floored, not truncated toward zero.
        XCTAssertEqual(value("from_unixtime(-1)"), value("@1969-12-31"))
        XCTAssertEqual(value("from_unixtime(1618241234)"), value("@2021-04-12"))
        XCTAssertEqual(value("from_unixtime(null)"), .null)
        XCTAssertTrue(diagnostics("from_unixtime(999999999999999)").contains("is outside the years 1 to 9999"))
        XCTAssertTrue(diagnostics("from_unixtime(\"1618241234\")").contains("from_unixtime needs a whole number of seconds, found String"))
    }

    func testParseDateReadsTheFormatAndKeepsItsPrecision() {
        XCTAssertEqual(value("parse_date(\"12/03/2020\", \"%d/%m/%Y\")"), value("@2020-03-12"))
        XCTAssertEqual(value("parse_date(\"3 Mar 2020\", \"%d %b %Y\")"), value("@2020-03-03"))
        XCTAssertEqual(value("parse_date(\"March 2020\", \"%B %Y\")"), value("@2020-03"))
        XCTAssertEqual(value("parse_date(\"2020\", \"%Y\")"), value("@2020"))
        XCTAssertEqual(value("parse_date(null, \"%Y\")"), .null)
        // Text not in the format is an error, never a guessed date; a bad format is found
        // when the query is checked, with a caret in the format.
        XCTAssertTrue(diagnostics("parse_date(\"31/02/2020\", \"%d/%m/%Y\")").contains("not a date in that format"))
        XCTAssertTrue(diagnostics("parse_date(\"2020-01-01x\", \"%Y-%m-%d\")").contains("not a date in that format"))
        XCTAssertTrue(diagnostics("parse_date(\"x\", \"%d/%q\")").contains("'%q' is not a date directive"))
        XCTAssertTrue(diagnostics("parse_date(\"x\", \"%d/%m\")").contains("the format has no year"))
        XCTAssertTrue(diagnostics("groups | select parse_date(name, name)").contains("the format of parse_date must be written in the query"))
        // Over a column, once per distinct text; the texts of rows a `where` dropped are not
        // read, so they cannot fail.
        XCTAssertEqual(rows("groups | where founded is not null | extend t = string(founded) | where len(t) == 4 | extend back = parse_date(t, \"%Y\") | where back != founded | count"),
                       [[.int(0)]])
        XCTAssertEqual(rows("timeline | extend t = string(date) | where len(t) == 7 | extend back = parse_date(t, \"%Y-%m\") | where back == date | count"),
                       rows("timeline | where len(string(date)) == 7 | count"))
    }
}

final class TextFunctionTests: XCTestCase {
    func testCaseSensitiveSearchMatchesCaseExactly() {
        XCTAssertEqual(value("contains_cs(\"JNIM: Group for Support\", \"JNIM\")"), .bool(true))
        XCTAssertEqual(value("contains_cs(\"JNIM: Group for Support\", \"jnim\")"), .bool(false))
        XCTAssertEqual(value("\"JNIM: Group for Support\" contains \"jnim\""), .bool(true))
        XCTAssertEqual(value("contains_cs(\"Diafarabé\", \"rabé\")"), .bool(true))
        XCTAssertEqual(value("contains_cs(\"x\", \"\")"), .bool(true))
        XCTAssertEqual(value("startswith_cs(\"Military Forces of Mali\", \"Military\")"), .bool(true))
        XCTAssertEqual(value("startswith_cs(\"Military Forces of Mali\", \"military\")"), .bool(false))
        XCTAssertEqual(value("startswith_cs(null, \"a\")"), .null)
        XCTAssertEqual(rows("groups | where contains_cs(name, \"Al\") | count"), rows("groups | where name matches r\"Al\" | count"))
        XCTAssertTrue(diagnostics("contains_cs(1, \"a\")").contains("contains_cs needs text, found Int"))
    }
}
