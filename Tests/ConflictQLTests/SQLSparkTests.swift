// The Spark and BigQuery SQL of what failed there (issue 24): `int` of a Float, integer sums
// whose partial sums overflow. No Spark runs in CI, so the SQL itself is checked; the
// DuckDB and PostgreSQL answers of the same pipelines are compared by SQLDifferentialTests.

import ConflictQL
import XCTest

final class SQLSparkTests: XCTestCase {
    func sql(_ query: String, _ dialect: SQLDialect) throws -> String {
        guard case .rows(let sql)? = try Session().sql(for: Source(name: "<spark>", text: query), dialect: dialect).last else {
            XCTFail("refused in \(dialect): \(query)")
            return ""
        }
        return sql
    }

    /// Spark's `trunc` takes a date and a unit; one argument is an error there. Its cast of a
    /// DOUBLE to BIGINT truncates toward zero, as int() does.
    func testIntOfAFloatIsACastInSpark() throws {
        let spark = try sql("funding | select n = int(amount_usd / 3)", .spark)
        XCTAssertFalse(spark.contains("trunc("), spark)
        XCTAssertTrue(spark.contains("CAST((CAST(`amount_usd` AS DOUBLE) / CAST(3 AS DOUBLE)) AS BIGINT) AS `n`"), spark)
        // The other dialects keep trunc, which BigQuery's cast (rounding) needs.
        XCTAssertTrue(try sql("funding | select n = int(amount_usd / 3)", .bigquery).contains("CAST(trunc("))
    }

    /// Only the total of an integer sum must fit in 64 bits: Spark in ANSI mode and BigQuery
    /// fail on an overflowing partial sum of BIGINTs, so they sum decimals and cast back.
    func testIntegerSumsAreDecimalsInSparkAndBigQuery() throws {
        let spark = try sql("funding | summarize s = sum(amount_usd) by donor", .spark)
        XCTAssertTrue(spark.contains("CAST(SUM(CAST(`amount_usd` AS DECIMAL(38, 0))) AS BIGINT) AS `a0`"), spark)
        let bigquery = try sql("funding | summarize s = sum(amount_usd) by donor", .bigquery)
        XCTAssertTrue(bigquery.contains("CAST(SUM(CAST(`amount_usd` AS NUMERIC)) AS INT64) AS `a0`"), bigquery)
        let window = try sql("funding | window by donor sort by year total = running_sum(amount_usd), all = sum(amount_usd)", .spark)
        XCTAssertTrue(window.contains("CAST(SUM(CAST(`amount_usd` AS DECIMAL(38, 0))) OVER (PARTITION BY `donor` ORDER BY"), window)
        XCTAssertTrue(window.contains("CAST(SUM(CAST(`amount_usd` AS DECIMAL(38, 0))) OVER (PARTITION BY `donor`) AS BIGINT)"), window)
        XCTAssertFalse(try sql("funding | summarize s = sum(amount_usd)", .duckdb).contains("DECIMAL"))
    }
}
