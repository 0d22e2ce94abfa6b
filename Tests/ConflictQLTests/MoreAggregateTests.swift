// The aggregates stdev, variance, percentile, mode, first, last and list, and the `where`
// filter inside any aggregate: values against hand-computed answers, the null rule (nulls
// skipped), and the edge cases: no rows, one row, all nulls, ties; in summarize and window.

import ConflictQL
import XCTest

final class MoreAggregateTests: XCTestCase {
    /// A one-column table `x` of `values` (a list literal), one row each.
    func table(_ values: String) -> String { "figures | take 1 | expand x = \(values) | select x" }

    func float(_ value: Value, file: StaticString = #filePath, line: UInt = #line) -> Double? {
        guard case .float(let x) = value else { return nil }
        return x
    }

    func testSampleStandardDeviationAndVariance() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squares 32, sample variance 32/7.
        let result = rows("\(table("[2, 4, 4, 4, null, 5, 5, 7, 9]")) | summarize v = variance(x), s = stdev(x)")[0]
        XCTAssertEqual(float(result[0])!, 32.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(float(result[1])!, (32.0 / 7).squareRoot(), accuracy: 1e-12)
        // Fewer than two values: null, as stddev_samp; a constant sample: 0.
        XCTAssertEqual(rows("\(table("[7, null]")) | summarize stdev(x), variance(x)"), [[.null, .null]])
        XCTAssertEqual(rows("\(table("[null, null]")) | summarize stdev(x)"), [[.null]])
        XCTAssertEqual(rows("\(table("[3.5, 3.5, 3.5]")) | summarize stdev(x)"), [[.float(0)]])
        XCTAssertEqual(rows("\(table("[1, 2]")) | where x > 5 | summarize stdev(x), variance(x)"), [[.null, .null]])
        // An infinite value makes the spread NaN, never 0.
        let infinite = rows("\(table("[1.0, 1e308 * 10, 3.0]")) | summarize stdev(x)")[0][0]
        XCTAssertTrue(float(infinite)?.isNaN == true, "\(infinite)")
        // Large offsets do not cancel (sum of squares minus square of sums would give 0 or worse).
        let far = rows("\(table("[1000000000.5, 1000000001.5, 1000000002.5]")) | summarize variance(x)")[0][0]
        XCTAssertEqual(float(far)!, 1, accuracy: 1e-6)
    }

    func testPercentileInterpolatesAsPercentileCont() {
        let values = table("[10, 20, 30, 40, null]")
        XCTAssertEqual(rows("\(values) | summarize percentile(x, 12.5), percentile(x, 90)").count, 1, "default names percentile_12_5_x, percentile_90_x")
        XCTAssertEqual(rows("\(values) | summarize percentile(x, 0), percentile(x, 25), percentile(x, 50), percentile(x, 90), percentile(x, 100), median(x)"),
                       [[.float(10), .float(17.5), .float(25), .float(37), .float(40), .float(25)]])
        // percentile(x, 50) is median(x), here with an odd count, in groups.
        XCTAssertEqual(rows("\(table("[5, 1, 3, 8, 2, 2, 9]")) | summarize p = percentile(x, 50), m = median(x) by odd = x % 2 == 1 | sort by odd"),
                       [[.bool(false), .float(2), .float(2)], [.bool(true), .float(4), .float(4)]])
        XCTAssertEqual(rows("\(table("[4]")) | summarize percentile(x, 10)"), [[.float(4)]])
        XCTAssertEqual(rows("\(table("[null, null]")) | summarize percentile(x, 10)"), [[.null]])
        XCTAssertEqual(rows("\(table("[1.5, 2.5]")) | summarize percentile(x, 12.5)"), [[.float(1.625)]])
    }

    func testModeIsTheMostFrequentAndTiesGoToTheSmallest() {
        XCTAssertEqual(rows("\(table("[3, 1, 3, null, null, null, 2]")) | summarize mode(x)"), [[.int(3)]])
        // 5 and 2 twice each: the smaller wins, whatever came first.
        XCTAssertEqual(rows("\(table("[5, 5, 2, 2, 9]")) | summarize mode(x)"), [[.int(2)]])
        XCTAssertEqual(rows("\(table("[\"b\", \"a\", \"b\", \"a\"]")) | summarize mode(x)"), [[.string("a")]])
        XCTAssertEqual(rows("\(table("[null, null]")) | summarize mode(x)"), [[.null]])
        XCTAssertEqual(rows("\(table("[@2020-01-02, @2020-01-01]")) | summarize m = string(mode(x))"), [[.string("2020-01-01")]])
        XCTAssertEqual(rows("funding | summarize mode(donor)"), [[.string("United States")]])
    }

    func testFirstLastAndListFollowTheRowsOrder() {
        let values = table("[null, 3, 1, null, 2, 1, null]")
        XCTAssertEqual(rows("\(values) | summarize first(x), last(x), list(x), list(distinct x)"),
                       [[.int(3), .int(1), .list([.int(3), .int(1), .int(2), .int(1)]), .list([.int(3), .int(1), .int(2)])]])
        // A sort before summarize gives the order.
        XCTAssertEqual(rows("\(values) | sort by x desc | summarize first(x), last(x), list(x)"),
                       [[.int(3), .int(1), .list([.int(3), .int(2), .int(1), .int(1)])]])
        // All nulls, or no rows: null, and the empty list.
        XCTAssertEqual(rows("\(table("[null, null]")) | summarize first(x), last(x), list(x)"), [[.null, .null, .list([])]])
        XCTAssertEqual(rows("\(values) | where x > 10 | summarize first(x), list(distinct x)"), [[.null, .list([])]])
        XCTAssertEqual(rows("funding | summarize donors = list(distinct donor), years = list(year) by recipient"), [
            [.string("G5 Sahel Joint Force"), .list([.string("European Union"), .string("United States"), .string("Saudi Arabia")]), .list([])],
            [.string("Government of Mali"), .list([.string("United States")]), .list([.int(2012)])],
        ])
    }

    func testWhereInsideAnAggregateKeepsOnlyItsRows() {
        let values = table("[1, 2, 3, 4, null]")
        XCTAssertEqual(rows("\(values) | summarize s = sum(x where x > 2), n = count(where x > 2), c = count(x where x > 10), a = avg(x where x % 2 == 0), l = list(x where x != 2)"),
                       [[.int(7), .int(2), .int(0), .float(3), .list([.int(1), .int(3), .int(4)])]])
        // No row passes: sum is null, counts are 0 (as SQL's FILTER).
        XCTAssertEqual(rows("\(values) | summarize sum(x where x > 10), count(where x > 10), count(distinct x where x > 10)"),
                       [[.null, .int(0), .int(0)]])
        // A null condition leaves the row out; per group.
        XCTAssertEqual(rows("\(values) | summarize n = count(where x > 1) by even = x % 2 == 0 | sort by even"),
                       [[.bool(false), .int(1)], [.bool(true), .int(2)], [.null, .int(0)]])
    }

    func testAFilterGuardsAComputedValue() {
        // The value is computed only on the rows that pass: no division by zero.
        XCTAssertEqual(rows("\(table("[0, 2, 4, null]")) | summarize s = sum(100 / x where x != 0), n = count(where x != 0)"),
                       [[.float(75), .int(2)]])
        XCTAssertEqual(rows("\(table("[0, 2]")) | summarize s = sum(x where null), f = first(x where x > 0)"), [[.null, .int(2)]])
    }

    func testIntegerOverflowInAFilteredSumIsAnError() {
        XCTAssertThrowsError(try Session().run("\(table("[9223372036854775807, 1, 5]")) | summarize sum(x where x < 3 or x > 4)")) { error in
            XCTAssertTrue("\(error)".contains("integer overflow in sum"), "\(error)")
        }
    }

    func testWindowAggregatesUseTheWindowsOrder() {
        XCTAssertEqual(rows("funding | window by donor sort by amount_usd desc top = first(amount_usd), all = list(amount_usd), n = count(where amount_usd > 0) | select donor, top, all, n"), [
            [.string("European Union"), .int(56_000_000), .list([.int(56_000_000)]), .int(1)],
            [.string("United States"), .int(60_000_000), .list([.int(60_000_000)]), .int(1)],
            [.string("Saudi Arabia"), .int(100_000_000), .list([.int(100_000_000)]), .int(1)],
            [.string("United States"), .int(60_000_000), .list([.int(60_000_000)]), .int(1)],
        ])
        XCTAssertEqual(rows("\(table("[1, 3, 2]")) | window sort by x desc f = first(x), l = last(x), xs = list(x)"), [
            [.int(1), .int(3), .int(1), .list([.int(3), .int(2), .int(1)])],
            [.int(3), .int(3), .int(1), .list([.int(3), .int(2), .int(1)])],
            [.int(2), .int(3), .int(1), .list([.int(3), .int(2), .int(1)])],
        ])
        let spread = rows("\(table("[1, 3, 2]")) | window s = stdev(x), p = percentile(x, 50), m = mode(x) | take 1")[0]
        XCTAssertEqual(spread, [.int(1), .float(1), .float(2), .int(1)])
    }

    func testCheckerMessages() {
        func message(_ query: String) -> String { diagnostics(query) }
        XCTAssertTrue(message("figures | summarize percentile(value, 101)").contains("percentile needs p from 0 to 100, found 101"))
        XCTAssertTrue(message("figures | summarize percentile(value, value)").contains("percentile needs a constant number"))
        XCTAssertTrue(message("funding | summarize variance(donor)").contains("variance needs a number, found String"))
        XCTAssertTrue(message("funding | summarize mode(distinct donor)").contains("'distinct' is only allowed in count(distinct ...) and list(distinct ...)"))
        XCTAssertTrue(message("funding | select lower(donor where year > 2000)").contains("'where' inside a call is only allowed in an aggregate"))
        XCTAssertTrue(message("funding | extend f = first(donor)").contains("aggregate 'first' is only allowed in 'summarize' or 'window'"))
    }
}

/// The SQL of the later aggregates: what each dialect writes, and what it refuses rather
/// than give a different answer (the differential tests compare the rest with DuckDB and
/// PostgreSQL).
final class MoreAggregateSQLTests: XCTestCase {
    func sql(_ query: String, _ dialect: SQLDialect) throws -> String {
        switch try Session().sql(for: Source(name: "q", text: query), dialect: dialect).last {
        case .rows(let text)?: return text
        case .refused(let diagnostic)?: return "refused: " + diagnostic.message
        default: return "none"
        }
    }

    func testEachDialectWritesOrRefuses() throws {
        for dialect in [SQLDialect.duckdb, .postgres, .spark, .bigquery] {
            XCTAssertTrue(try sql("figures | summarize stdev(value), variance(value)", dialect).contains("STDDEV_SAMP("), "\(dialect)")
            XCTAssertTrue(try sql("figures | window s = variance(value)", dialect).contains("VAR_SAMP("), "\(dialect)")
            // Each value where it first comes, the commonest value with the smallest first.
            XCTAssertFalse(try sql("funding | summarize list(distinct donor), mode(donor), first(donor), last(donor)", dialect).hasPrefix("refused"), "\(dialect)")
            XCTAssertFalse(try sql("figures | summarize median(value), percentile(value, 90)", dialect).hasPrefix("refused"), "\(dialect)")
        }
        XCTAssertTrue(try sql("funding | summarize mode(donor)", .duckdb).contains("list_sort(list_transform(map_entries(histogram(\"donor\"))"))
        XCTAssertTrue(try sql("funding | summarize mode(donor)", .spark).contains("mode(`donor`, true)"))
        XCTAssertTrue(try sql("funding | summarize mode(donor)", .postgres).contains("mode() WITHIN GROUP (ORDER BY (\"donor\" COLLATE \"C\"))"))
        XCTAssertTrue(try sql("funding | summarize first(donor)", .duckdb).contains("arg_min(\"donor\", \"_cq_row\") FILTER (WHERE \"donor\" IS NOT NULL)"))
        XCTAssertTrue(try sql("funding | summarize first(donor)", .spark).contains("min_by(`donor`, `_cq_row`) FILTER (WHERE `donor` IS NOT NULL)"))
        XCTAssertTrue(try sql("funding | summarize list(donor)", .spark).contains("transform(array_sort(collect_list(named_struct('r', `_cq_row`, 'v', `donor`))"))
        XCTAssertEqual(try sql("groups | summarize last(designation)", .postgres), "refused: last() cannot be expressed in postgres SQL (of a list)")
        XCTAssertTrue(try sql("groups | summarize last(designation)", .bigquery).contains("STRUCT(`designation` AS `_cq_v`)"))
        XCTAssertTrue(try sql("figures | summarize percentile(value, 90)", .bigquery)
            .contains("(SELECT PERCENTILE_CONT(`_cq_v`, 0.9) OVER () FROM UNNEST(ARRAY_AGG(CAST(`value` AS FLOAT64) IGNORE NULLS)) AS `_cq_v` LIMIT 1)"))
        XCTAssertTrue(try sql("figures | summarize percentile(value, 90)", .postgres).contains("percentile_cont(0.9) WITHIN GROUP"))
        XCTAssertTrue(try sql("figures | window p = percentile(value, 90)", .duckdb).contains("quantile_cont(CAST(\"value\" AS DOUBLE), 0.9) OVER ()"))
        XCTAssertEqual(try sql("figures | window p = percentile(value, 90)", .postgres), "refused: percentile() over a window cannot be expressed in postgres SQL")
        // Over a window: first, last and list in the window's order, over the whole group.
        XCTAssertTrue(try sql("funding | window by recipient sort by amount_usd f = first(donor)", .duckdb)
            .contains("FIRST_VALUE(\"donor\" IGNORE NULLS) OVER (PARTITION BY \"recipient\" ORDER BY \"amount_usd\" ASC NULLS LAST, \"_cq_row\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"))
        XCTAssertTrue(try sql("funding | window by recipient sort by amount_usd f = first(donor)", .spark).contains("first_value(`donor`, true) OVER (PARTITION BY"))
        XCTAssertEqual(try sql("funding | window l = list(donor)", .spark), "refused: list() over a window cannot be expressed in spark SQL")
        // The filter is a CASE inside the aggregate, which every dialect reads as FILTER.
        XCTAssertTrue(try sql("funding | summarize n = count(where amount_usd > 0)", .bigquery).contains("COUNT((CASE WHEN (`amount_usd` > 0) THEN TRUE ELSE CAST(NULL AS BOOL) END))"))
    }

    func testAnOverflowingConstantIsRefusedForPostgreSQL() throws {
        // PostgreSQL would compute it while planning, even though coalesce never reaches it.
        let query = "figures | where coalesce(true, (-9223372036854775807 * 100000) is null) | count"
        XCTAssertEqual(try sql(query, .postgres), "refused: an integer constant that overflows (PostgreSQL computes constants before any row is read) cannot be expressed in postgres SQL")
        XCTAssertFalse(try sql(query, .duckdb).hasPrefix("refused"))
        XCTAssertFalse(try sql("figures | where value > 3 * 4 - 2 | count", .postgres).hasPrefix("refused"))
    }
}

extension MoreAggregateTests {
    func testTabCompletesTheNewAggregates() {
        let completer = Completer(symbols: Session().symbols)
        XCTAssertTrue(completer.complete("figures | summarize ", word: "perc").contains("percentile"))
        XCTAssertTrue(completer.complete("figures | summarize ", word: "va").contains("variance"))
        XCTAssertTrue(completer.complete("funding | summarize ", word: "li").contains("list"))
    }
}

extension MoreAggregateTests {
    func testAPercentileBelowOneIsWarnedAsAPercentage() throws {
        var warnings: [Diagnostic] = []
        try Session().run(Source(name: "q", text: "figures | summarize percentile(value, 0.9)"),
                          onWarning: { warnings += $0.diagnostics }) { _ in }
        XCTAssertEqual(warnings.map(\.message), ["percentile's p is a percentage: 0.9 is the 0.9th percentile, near the smallest value"])
        XCTAssertEqual(warnings.first?.help, "for the 90th percentile, write 90")
        warnings = []
        try Session().run(Source(name: "q", text: "figures | summarize percentile(value, 1), percentile(value, 0)"),
                          onWarning: { warnings += $0.diagnostics }) { _ in }
        XCTAssertEqual(warnings.count, 0)
    }
}
