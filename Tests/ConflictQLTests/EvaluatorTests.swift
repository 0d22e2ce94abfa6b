import ConflictQL
import XCTest

final class EvaluatorTests: XCTestCase {
    func testArithmetic() {
        XCTAssertEqual(value("140100 + 51960"), .int(192_060))
        XCTAssertEqual(value("7 % 3"), .int(1))
        XCTAssertEqual(value("118 / 4"), .float(29.5))
        XCTAssertEqual(value("1 + 2.5"), .float(3.5))
        XCTAssertEqual(value("\"G5\" + \" Sahel\""), .string("G5 Sahel"))
    }

    func testNullRules() {
        // Arithmetic and comparison with null give null.
        XCTAssertEqual(value("1 + null"), .null)
        XCTAssertEqual(value("null == null"), .null)
        XCTAssertEqual(value("1 < null"), .null)
        // Three-valued logic.
        XCTAssertEqual(value("false and null"), .bool(false))
        XCTAssertEqual(value("true and null"), .null)
        XCTAssertEqual(value("true or null"), .bool(true))
        XCTAssertEqual(value("false or null"), .null)
        XCTAssertEqual(value("not null"), .null)
        XCTAssertEqual(value("null is null"), .bool(true))
        XCTAssertEqual(value("1 is not null"), .bool(true))
        XCTAssertEqual(value("coalesce(null, 3)"), .int(3))
        // `where` keeps only true: rows whose test is null are dropped.
        XCTAssertEqual(value("groups | where designated_year == 2013 | count"), .int(1))
        XCTAssertEqual(value("groups | where designated_year != 2013 | count"), .int(0))
        XCTAssertEqual(value("groups | where not (designated_year == 2013) | count"), .int(0))
        // Aggregates skip nulls; count() counts rows.
        XCTAssertEqual(rows("funding | summarize rows = count(), amounts = count(amount_usd), total = sum(amount_usd)"),
                       [[.int(4), .int(3), .int(216_000_000)]])
        XCTAssertEqual(rows("funding | where amount_usd is null | summarize total = sum(amount_usd), low = min(amount_usd), mean = avg(amount_usd)"),
                       [[.null, .null, .null]])
    }

    func testIntegerOverflowIsAnErrorNotATrap() {
        XCTAssertTrue(diagnostics("9223372036854775807 * 2").contains("integer overflow"))
        XCTAssertTrue(diagnostics("-9223372036854775807 - 2").contains("integer overflow"))
        XCTAssertTrue(diagnostics("abs(-9223372036854775807 - 1)").contains("integer overflow: abs"))
        XCTAssertTrue(diagnostics("-(-9223372036854775807 - 1)").contains("integer overflow"))
        XCTAssertTrue(diagnostics("(-9223372036854775807 - 1) % -1").contains("integer overflow"))
        XCTAssertEqual(value("-9223372036854775808"), .int(.min))
        XCTAssertTrue(diagnostics("5 - 9223372036854775808").contains("does not fit in a 64-bit integer"))
        XCTAssertTrue(diagnostics("figures | extend huge = 9223372036854775807 | summarize sum(huge)").contains("integer overflow in sum"))
        XCTAssertTrue(diagnostics("5 % 0").contains("modulo by zero"))
        XCTAssertTrue(diagnostics("5.0 / 0.0").contains("division by zero"))
    }

    func testConversionsReadNumbersAsTheLoaderDoes() {
        XCTAssertEqual(value("int(\"+5\")"), .int(5))
        XCTAssertEqual(value("int(\"-0\")"), .int(0))
        XCTAssertEqual(value("int(\"-9223372036854775808\")"), .int(.min))
        XCTAssertTrue(diagnostics("int(\"-\")").contains("not a whole number"))
        XCTAssertEqual(value("int(\"007\")"), .int(7))
        XCTAssertEqual(value("int(\"-007\")"), .int(-7))
        XCTAssertEqual(value("float(\"-1.5e2\")"), .float(-150))
        XCTAssertEqual(value("float(\"0.05\")"), .float(0.05))
        XCTAssertEqual(value("float(\"12345678901234567890.5\")"), .float(12345678901234567890.5))
        XCTAssertTrue(diagnostics("float(\"+\")").contains("not a number"))
        XCTAssertEqual(value("string(3.0)"), .string("3.0"))
    }

    func testRoundAndAbs() {
        XCTAssertEqual(value("round(2.345, 2)"), .float(2.35))
        XCTAssertEqual(value("round(2.5)"), .float(3))
        XCTAssertEqual(value("round(140100, -3)"), .int(140_000))
        XCTAssertEqual(value("round(51960, -2)"), .int(52_000))
        XCTAssertEqual(value("round(1.0e308, 5)"), .float(1.0e308))
        XCTAssertEqual(value("abs(-3)"), .int(3))
        XCTAssertEqual(value("abs(-2.5)"), .float(2.5))
    }

    func testStringPredicates() {
        XCTAssertEqual(value("\"U.S.-designated FTO list\" has \"fto\""), .bool(true))
        XCTAssertEqual(value("\"FTOs\" has \"FTO\""), .bool(false))
        XCTAssertEqual(value("\"Ansar Dine\" contains \"SAR D\""), .bool(true))
        XCTAssertEqual(value("\"Ansar Dine\" startswith \"ansar\""), .bool(true))
        // Over a column: ASCII entries are searched as bytes, others as text; same answers.
        XCTAssertEqual(rows("groups | where name contains \"AL-isl\" | select abbrev"), [[.string("JNIM")]])
        XCTAssertEqual(rows("groups | where name contains \"jama’at\" | select abbrev"), [[.string("JNIM")]])
        XCTAssertEqual(rows("groups | where name startswith \"islamic\" | select abbrev"), [[.string("ISGS")]])
        XCTAssertEqual(rows("groups | where name startswith \"state\" | count"), [[.int(0)]])
        XCTAssertEqual(rows("groups | where name contains \"\" | count"), [[.int(9)]])
        XCTAssertEqual(value("len(\"Jama’at\")"), .int(7))
        XCTAssertEqual(value("upper(\"mali\")"), .string("MALI"))
        XCTAssertEqual(value("\"b\" < \"a\""), .bool(false))
        XCTAssertEqual(value("2 in (1, 2, 3)"), .bool(true))
        XCTAssertEqual(value("2 not in (1, 3)"), .bool(true))
        XCTAssertEqual(value("2 in (1, null)"), .null)
        XCTAssertEqual(value("5 between 1 and 5"), .bool(true))
        XCTAssertEqual(value("5 not between 1 and 4"), .bool(true))
    }

    func testListsAndHas() {
        XCTAssertEqual(value("[\"FTO\", \"SDGT\"] has \"sdgt\""), .bool(true))
        XCTAssertEqual(value("len([1, 2, 3])"), .int(3))
        XCTAssertEqual(rows("groups | where designation has \"SDGT\" | select abbrev"), [[.string("MUJAO")]])
    }

    func testDatesKeepPrecision() {
        XCTAssertEqual(value("year(@2011-10)"), .int(2011))
        XCTAssertEqual(value("month(@2011-10)"), .int(10))
        XCTAssertEqual(value("day(@2011-10)"), .null)
        XCTAssertEqual(value("month(@2013)"), .null)
        XCTAssertEqual(value("@2013-03 < @2013-04"), .bool(true))
        XCTAssertEqual(value("@2024-02-29"), .date(DateValue(year: 2024, month: 2, day: 29)!))
        XCTAssertEqual(output("groups | where abbrev == \"MNLA\" | select founded"), """
        founded
        ───────
        2011-10
        (1 row)
        source: briefing

        """)
    }

    func testSortTopTakeDistinct() {
        XCTAssertEqual(rows("figures | top 2 by value | select indicator"),
                       [[.string("lives affected by floods")], [.string("Malian refugees")]])
        XCTAssertEqual(rows("figures | sort by value asc | take 1 | select value"), [[.int(5)]])
        // Nulls sort last in both directions.
        XCTAssertEqual(rows("missions | sort by personnel desc | select personnel").map { $0[0] },
                       [.int(13000), .int(4000), .null, .null, .null])
        XCTAssertEqual(rows("missions | sort by personnel | select personnel").map { $0[0] },
                       [.int(4000), .int(13000), .null, .null, .null])
        XCTAssertEqual(rows("funding | distinct kind").count, 2)
        XCTAssertEqual(rows("funding | take 0").count, 0)
    }

    func testTopOfManyRowsEqualsSortThenTake() throws {
        // 2,000 rows with ties and nulls: `top` keeps the best rows in one pass, `sort` sorts
        // all; both must give the same rows in the same order.
        var random = EventsBenchmark.Random(seed: 3)
        let rows: [[Value]] = (0..<2000).map { i in
            [.int(Int64(i)), random.below(10) == 0 ? .null : .int(Int64(random.below(50))), .string("s\(random.below(30))")]
        }
        var catalog = Catalog()
        catalog.add("t", Table(schema: Schema([Field("id", .int), Field("x", .int), Field("s", .string)]), rows: rows), description: "")
        let session = Session(catalog: catalog)
        for keys in ["x desc", "x asc", "s desc, x asc", "x asc, s desc"] {
            guard case .table(let top) = try session.run("t | top 7 by \(keys)").last,
                  case .table(let sorted) = try session.run("t | sort by \(keys) | take 7").last else { return XCTFail() }
            XCTAssertEqual(top.rows, sorted.rows, keys)
        }
    }

    func testSummarizeWithExpressionsOverAggregates() {
        XCTAssertEqual(rows("funding | where kind == \"pledge\" | summarize millions = sum(amount_usd) / 1000000, n = count()"),
                       [[.float(216), .int(3)]])
        XCTAssertEqual(rows("funding | summarize by kind"), [[.string("pledge")], [.string("cut off")]])
        XCTAssertEqual(rows("timeline | summarize events = count() by y = year(date) | sort by y | take 2"),
                       [[.int(2011), .int(2)], [.int(2012), .int(2)]])
        XCTAssertEqual(rows("figures | summarize median(value)"), [[.float(8500)]])
        XCTAssertEqual(rows("groups | where name == \"nobody\" | summarize n = count(), s = sum(designated_year)"),
                       [[.int(0), .null]])
        XCTAssertEqual(rows("groups | where name == \"nobody\" | summarize n = count() by kind"), [])
    }

    func testGroupingKeysOfEveryKind() {
        // Ints in a small range, with negatives; ints with nulls; dates; bools; lists expanded.
        XCTAssertEqual(rows("figures | summarize n = count() by sign = value % 2 - 1 | sort by sign"),
                       [[.int(-1), .int(7)], [.int(0), .int(1)]])
        XCTAssertEqual(rows("groups | summarize n = count() by designated_year | sort by designated_year"),
                       [[.int(2013), .int(1)], [.null, .int(8)]])
        XCTAssertEqual(rows("timeline | summarize n = count() by year = to_year(date) | sort by year | take 2")
            .map { $0.map(\.description) }, [["2011", "2"], ["2012", "2"]])
        XCTAssertEqual(rows("countries | summarize n = count() by g5_member | sort by g5_member"),
                       [[.bool(false), .int(7)], [.bool(true), .int(5)]])
        XCTAssertEqual(rows("countries | expand role = roles | summarize members = count(distinct name) by role | top 1 by members"),
                       [[.string("government AQIM deems traitor"), .int(6)]])
    }

    func testJoins() {
        XCTAssertEqual(rows("funding | where kind == \"pledge\" | join countries on left.donor == right.name | select donor, g5_member"),
                       [[.string("United States"), .bool(false)], [.string("Saudi Arabia"), .bool(false)]])
        XCTAssertEqual(rows("funding | join kind=left countries on left.donor == right.name | count"), [[.int(4)]])
        let joined = rows("let g5 = (countries | where g5_member)\ncountries | join g5 on name | count")
        XCTAssertEqual(joined, [[.int(5)]])
    }

    func testExpand() {
        XCTAssertEqual(rows("timeline | expand actors | where actors == \"France\" | select event").count, 1)
        XCTAssertEqual(rows("countries | expand role = roles | where role == \"G5 Sahel member\" | count"), [[.int(5)]])
    }

    func testLetBindsTablesAndScalars() {
        XCTAssertEqual(value("let displaced = 140100 + 51960\ndisplaced * 2"), .int(384_120))
        XCTAssertEqual(value("let threshold = 100000\nfigures | where value > threshold | count"), .int(2))
        XCTAssertEqual(value("let fto = groups | where designation has \"FTO\"\nfto | count"), .int(2))
    }
}
