// Dates in SQL: the checker knows each date expression's precisions (DatePrecisions), so the
// functions that depend on a date's precision compile exactly over a column of days, give
// NULL where no value is precise enough, and are refused with the reason only where a
// column mixes precisions. The answers themselves are compared on DuckDB and PostgreSQL by
// SQLDifferentialTests.testDatesOfKnownPrecisionGiveTheSameRows.

import ConflictQL
import Foundation
import XCTest

final class SQLDateTests: XCTestCase {
    /// A file of ISO days: its `d` column is a date known to the day.
    static func dayFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cq-days-\(getpid()).csv").path
        try Data(SQLDateTests.days.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Month ends, leap days, ISO weeks across new year, Sundays, dates before 1970 and a null.
    static let days = """
        id,d,e,n
        1,2020-01-31,2020-03-01,3
        2,2020-02-29,2021-02-28,-2
        3,2021-01-03,2021-01-04,10
        4,2020-12-28,2019-12-30,0
        5,1969-12-28,1970-01-05,400
        6,1900-02-28,2000-02-29,-13
        7,2024-12-08,2024-12-02,25
        8,,2015-06-20,1
        9,2015-07-20,,7

        """

    /// Every function that depends on a date's precision, over a column of days.
    static let queries = [
        "to_month(d)", "to_week(d)", "to_year(d)", "month(d)", "day(d)", "quarter(d)", "weekday(d)", "week(d)", "year(d)",
        "d + 30 days", "d - 2 weeks", "d + 1 month", "d - 13 months", "d + 1 year", "add_days(d, n)", "add_months(d, n)", "add_years(d, n)",
        "days_between(d, e)", "e - d", "bin(d, 1 day)", "bin(d, 10 days)", "bin(d, 1 week)", "bin(d, 3 weeks)",
        "bin(d, 1 month)", "bin(d, 5 months)", "bin(d, 1 year)", "bin(d, 7 years)",
        // The result's precision is known too: a month has no day, a year no month.
        "day(to_month(d))", "month(to_year(d))", "to_week(to_month(d))", "to_month(d) + 1 month", "days_between(to_month(d), e)",
        "coalesce(d, e) + 1 day", "if(n > 0, d, e) + 1 day", "day(if(n > 0, d, e))",
    ].map { "x = \($0)" }

    func testFunctionsOfDaysCompileInEveryDialect() throws {
        let path = try SQLDateTests.dayFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        for dialect in SQLDialect.allCases {
            var script = "load \"\(path)\" as days\n"
            for query in SQLDateTests.queries { script += "days | select id, \(query)\n" }
            script += "days | summarize span = max(d) - min(d), first = min(d) + 1 month, weeks = count(distinct to_week(d)) by m = to_month(e) | extend q = month(m)\n"
            script += "days | window sort by id previous = prev(d) | extend gap = d - previous\n"
            let statements = try Session().sql(for: Source(name: "<days>", text: script), dialect: dialect)
            for case .refused(let diagnostic) in statements {
                XCTFail("\(dialect): \(diagnostic.message)")
            }
        }
    }

    func testWhatNoValueKnowsIsNullInSQL() throws {
        let path = try SQLDateTests.dayFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let statements = try Session().sql(for: Source(name: "<days>", text: "load \"\(path)\" as days\ndays | select x = day(to_month(d)), y = month(to_year(d)), z = to_year(d) + 1 day"),
                                           dialect: .postgres)
        guard case .rows(let sql)? = statements.last else { return XCTFail("refused: \(statements)") }
        XCTAssertTrue(sql.contains("CAST(NULL AS BIGINT) AS \"x\""), sql)
        XCTAssertTrue(sql.contains("CAST(NULL AS BIGINT) AS \"y\""), sql)
        XCTAssertTrue(sql.contains("CAST(NULL AS DATE) AS \"z\""), sql)
    }

    /// Weeks start on Monday in every dialect, as ISO weeks do here.
    func testWeeksAreISOWeeksInEveryDialect() throws {
        let expected: [SQLDialect: [String]] = [
            .duckdb: ["CAST(date_trunc('week', DATE '2021-01-03') AS DATE)", "CAST(EXTRACT(ISODOW FROM DATE '2021-01-03') AS BIGINT)",
                      "CAST(EXTRACT(WEEK FROM DATE '2021-01-03') AS BIGINT)"],
            .postgres: ["CAST(date_trunc('week', DATE '2021-01-03') AS DATE)", "CAST(EXTRACT(ISODOW FROM DATE '2021-01-03') AS BIGINT)",
                        "CAST(EXTRACT(WEEK FROM DATE '2021-01-03') AS BIGINT)"],
            .spark: ["trunc(DATE '2021-01-03', 'WEEK')", "CAST((weekday(DATE '2021-01-03') + 1) AS BIGINT)", "CAST(weekofyear(DATE '2021-01-03') AS BIGINT)"],
            .bigquery: ["DATE_TRUNC(DATE '2021-01-03', ISOWEEK)", "CAST((MOD(EXTRACT(DAYOFWEEK FROM DATE '2021-01-03') + 5, 7) + 1) AS INT64)",
                        "CAST(EXTRACT(ISOWEEK FROM DATE '2021-01-03') AS INT64)"],
        ]
        for (dialect, parts) in expected {
            let statements = try Session().sql(for: Source(name: "<weeks>", text: "missions | take 1 | select w = to_week(@2021-01-03), d = weekday(@2021-01-03), n = week(@2021-01-03)"),
                                               dialect: dialect)
            guard case .rows(let sql)? = statements.last else { XCTFail("\(dialect) refused"); continue }
            for part in parts { XCTAssertTrue(sql.contains(part), "\(dialect): \(part) not in\n\(sql)") }
        }
    }

    /// A column that holds dates of several precisions is refused, with the reason; the
    /// functions that do not depend on the precision still compile.
    func testMixedPrecisionsAreRefusedWithTheReason() throws {
        for dialect in SQLDialect.allCases {
            // recorded_date holds months and days; date holds years and months.
            let refusals = [
                ("timeline | select x = day(recorded_date)", "day()", "day"),
                ("timeline | select x = recorded_date + 30 days", "add_days()", "day"),
                ("timeline | summarize x = max(recorded_date) - min(recorded_date)", "days_between()", "day"),
                ("timeline | select x = quarter(date)", "quarter()", "month"),
            ]
            for (query, function, needs) in refusals {
                let statements = try Session().sql(for: Source(name: "<mixed>", text: query), dialect: dialect)
                guard case .refused(let diagnostic)? = statements.last else { XCTFail("\(dialect): not refused: \(query)"); continue }
                let holds = query.contains("recorded_date") ? "the month or the day" : "the year or the month"
                XCTAssertEqual(diagnostic.message, "\(function) of dates known to \(holds) (it needs a date known to the \(needs), and SQL dates do not keep a precision) cannot be expressed in \(dialect) SQL")
            }
            for query in ["timeline | select a = year(date), b = to_year(date), c = date + 2 years, d = to_month(recorded_date), e = month(recorded_date), f = recorded_date + 1 month",
                          // No value of date is known to the day: null, as here.
                          "timeline | select a = day(date), b = date + 1 day"] {
                let statements = try Session().sql(for: Source(name: "<mixed>", text: query), dialect: dialect)
                guard case .rows? = statements.last else { XCTFail("\(dialect): refused: \(query)"); continue }
            }
        }
    }

    /// Precisions travel through stages: a union of days and months is mixed, a key of
    /// `summarize` keeps its expression's, a `let` table keeps its plan's.
    func testPrecisionsTravelThroughStages() throws {
        let path = try SQLDateTests.dayFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = """
            load "\(path)" as days
            let months = days | summarize n = count() by m = to_month(d)
            months | select x = m + 1 month
            months | select x = day(m)
            days | select m = d | union (months | select m) | select x = day(m)
            """
        let statements = try Session().sql(for: Source(name: "<stages>", text: script), dialect: .duckdb)
        XCTAssertEqual(statements.count, 5)
        guard case .rows(let shifted) = statements[2], case .rows(let day) = statements[3] else { return XCTFail("\(statements)") }
        XCTAssertTrue(shifted.contains("to_months"), shifted)
        XCTAssertTrue(day.contains("CAST(NULL AS BIGINT) AS \"x\""), day)
        guard case .refused(let mixed) = statements[4] else { return XCTFail("a union of days and months compiled: \(statements[4])") }
        XCTAssertTrue(mixed.message.hasPrefix("day() of dates known to the month or the day"), mixed.message)
    }
}
