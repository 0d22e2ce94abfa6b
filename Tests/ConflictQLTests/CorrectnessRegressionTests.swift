// Regressions of the faults found in review (issue 8): each test failed before its fix.
// A trap on `top 0`, guards that did not guard, a `let` silently shadowed by a column,
// misleading suggestions, and `count` of a condition.

import ConflictQL
import XCTest

final class CorrectnessRegressionTests: XCTestCase {
    // MARK: Counts of rows

    func testEveryRowCountAcceptsZero() {
        for stage in ["take 0", "top 0 by name", "top 0 by name asc", "sort by name | take 0"] {
            XCTAssertEqual(value("groups | \(stage) | count"), .int(0), stage)
        }
        XCTAssertEqual(value("groups | where false | top 3 by name | count"), .int(0))
        XCTAssertEqual(value("groups | top 1 by name asc | count"), .int(1))
        XCTAssertEqual(value("groups | top 9223372036854775807 by name | count"), .int(9))
    }

    func testNegativeCountsAreCheckedWithACaret() {
        XCTAssertEqual(diagnostics("groups | top -1 by name"), """
            <test>:1:14: error: 'top' needs a number of rows of 0 or more, found -1
             1 | groups | top -1 by name
               |              ^~

            """)
        XCTAssertTrue(diagnostics("let n = -2\ngroups | take n").contains("2:15: error: the number of rows must be 0 or more, found -2"))
    }

    // MARK: Short-circuit

    func testAndGuardsItsRightSide() {
        // Before: "division by zero", both sides were evaluated on every row.
        XCTAssertEqual(value("figures | extend z = value - value | where z != 0 and value / z > 1 | count"), .int(0))
        XCTAssertEqual(value("figures | extend z = value - value | where z == 0 or value / z > 1 | count"), .int(8))
        // Rows the left side leaves open still fail on the right.
        XCTAssertTrue(diagnostics("figures | extend z = value - value | where z == 0 and value / z > 1 | count").contains("division by zero"))
        // A scalar left side decides without the right side.
        XCTAssertEqual(value("false and 1 / 0 > 1"), .bool(false))
        XCTAssertEqual(value("true or 1 / 0 > 1"), .bool(true))
    }

    func testShortCircuitKeepsThreeValuedLogic() {
        // The right side evaluated on a subset must give the same answers as on every row.
        XCTAssertEqual(rows("groups | select a = designated_year > 2012 and abbrev is not null, o = designated_year > 2012 or abbrev is null"),
                       rows("groups | select a = designated_year > 2012 and not (abbrev is null), o = not (designated_year <= 2012) or abbrev is null"))
        XCTAssertEqual(rows("figures | where value > 100000 and as_of is not null | select indicator"),
                       [[.string("Malian refugees")]])
        XCTAssertEqual(rows("figures | summarize n = countif(value > 10000 and qualifier is null), m = countif(value < 200 or qualifier == \"over\")"),
                       [[.int(0), .int(4)]])
    }

    func testCoalesceEvaluatesLaterArgumentsOnlyWhereNeeded() {
        // `1 / 0` is only reached on rows where `value` is null: there are none.
        XCTAssertEqual(value("figures | where coalesce(value, 1 / 0) > 100000 | count"), .int(2))
        XCTAssertEqual(rows("funding | select a = coalesce(amount_usd, year, -1)").map { $0[0] },
                       [.int(56_000_000), .int(60_000_000), .int(100_000_000), .int(2012)])
        XCTAssertEqual(rows("funding | select a = coalesce(year, null, -1)").map { $0[0] },
                       [.int(-1), .int(-1), .int(-1), .int(2012)])
        XCTAssertEqual(rows("funding | select a = coalesce(year, amount_usd * 1.5)").map { $0[0] },
                       [.float(84_000_000), .float(90_000_000), .float(150_000_000), .float(2012)])
        XCTAssertTrue(diagnostics("funding | select a = coalesce(amount_usd, 1 / 0)").contains("division by zero"))
    }

    // MARK: let and columns

    func testALetNamedLikeAColumnIsAnErrorNamingBoth() {
        XCTAssertEqual(diagnostics("let name = \"Ansar Dine\"\ngroups | where name == \"x\""), """
            <test>:2:16: error: 'name' is both a column and a value bound by 'let name = ...'
             2 | groups | where name == "x"
               |                ^~~~
            help: write this.name for the column, or $name for the value

            """)
        XCTAssertEqual(value("let name = \"Ansar Dine\"\ngroups | where this.name == $name | count"), .int(1))
        XCTAssertEqual(value("let region = \"Gao\"\nfunding | where donor != $region | count"), .int(4))
        // In summarize, a grouping key is a column too.
        XCTAssertTrue(diagnostics("let kind = 1\nfunding | summarize n = count() by kind").contains("'kind' is both a column"))
        XCTAssertEqual(rows("let kind = 1\nfunding | summarize n = count() by k = this.kind | sort by k").map { $0[1] }, [.int(1), .int(3)])
        // A name that is only a value still reads plainly.
        XCTAssertEqual(value("let limit = 2\nfunding | where amount_usd > 0 | take limit | count"), .int(2))
    }

    func testDollarNamesOnlyValues() {
        XCTAssertTrue(diagnostics("$nothing").contains("no value is bound to '$nothing'"))
        XCTAssertTrue(diagnostics("let nme = 1\n$name").contains("did you mean '$nme'?"))
        XCTAssertTrue(diagnostics("$groups").contains("'$groups' names a table"))
        XCTAssertTrue(diagnostics("groups | where this.nme == 1").contains("did you mean 'this.name'?"))
    }

    // MARK: Messages

    func testSuggestionsArePlausibleAndNeverTheNameItself() {
        XCTAssertEqual(rows("describe tables").map { $0[0] }, [.string("name"), .string("rows"), .string("columns"), .string("description")])
        XCTAssertFalse(diagnostics("funding | where bar > 1").contains("did you mean"))
        XCTAssertFalse(diagnostics("figures | select to_week(as_of)").contains("did you mean"))
        XCTAssertTrue(diagnostics("groups | where desgnation has \"FTO\"").contains("did you mean 'designation'?"))
        XCTAssertTrue(diagnostics("funding | summarize total = sum(amount_usd) by recipent").contains("did you mean 'recipient'?"))
        for name in ["groups", "funding", "tables", "year", "count"] {
            XCTAssertNil(closestName(to: name, in: [name]), name)
        }
    }

    func testCountifAndTheWarningOnCountOfACondition() throws {
        XCTAssertEqual(value("funding | summarize countif(amount_usd > 56000000)"), .int(2))
        XCTAssertEqual(value("funding | summarize countif(amount_usd > 0 or true)"), .int(4))
        XCTAssertTrue(diagnostics("funding | summarize countif(amount_usd)").contains("countif needs a condition (Bool), found Int"))
        var warnings: [Diagnostic] = []
        try Session().run(Source(name: "<test>", text: "funding | summarize n = count(amount_usd > 0)"),
                          onWarning: { warnings += $0.diagnostics }) { _ in }
        XCTAssertEqual(warnings.map(\.severity), [.warning])
        XCTAssertEqual(warnings.first?.help, "to count the rows where it holds, write countif(...) or count(where ...)")
        // A Bool column counted by name is a count of its values: no warning.
        warnings = []
        try Session().run(Source(name: "<test>", text: "countries | summarize count(g5_member)"),
                          onWarning: { warnings += $0.diagnostics }) { _ in }
        XCTAssertEqual(warnings, [])
    }

    // MARK: Found by the query fuzzer

    func testInListMixingAConstantAndAColumnIsNotATrap() {
        // Each item compared in turn: a constant against a constant gave one row, not many.
        XCTAssertEqual(value("funding | where \"United States\" in (donor, \"FTO\") | count"), .int(2))
        XCTAssertEqual(value("funding | where \"Mali\" not in (donor, \"FTO\", \"Gao\") | count"), .int(4))
    }

    func testStringColumnsWithOnlyNullsCompareWithoutATrap() {
        // A string column of nulls had codes but no dictionary entry for them to index.
        XCTAssertEqual(value("missions | where (null + upper(location)) not in (string(personnel), \"Mali\") | count"), .int(0))
        let emptyRight = "funding | join kind=left (countries | take 0) on left.donor == right.name"
        XCTAssertEqual(value(emptyRight + " | where name < source or name contains \"a\" | count"), .int(0))
        XCTAssertEqual(value(emptyRight + " | where name is null | count"), .int(4))
    }

    func testAFunctionOfAGuardedConditionThatIsOneValue() {
        // Found by the query fuzzer after the short-circuit: `between` became a single false
        // (its left side decides), and int() evaluated its argument again over a table of no
        // columns, reading 'year' out of range (a trap).
        XCTAssertEqual(rows("funding | extend a = 1.5 | extend b = int(-100000 between int(-1.5) and year) | select b").map { $0[0] },
                       [.int(0), .int(0), .int(0), .int(0)])
        XCTAssertEqual(rows("funding | select s = string(false and year > 1), l = len(upper(string(true or year > 1)))").first,
                       [.string("false"), .int(4)])
    }

    // MARK: The planner

    func testSortThenTakeIsTopWithTheSameRowsAndOrder() throws {
        // Rewritten as top-N by the planner: ties keep input order, nulls stay last, both ways.
        for keys in ["value desc", "value", "qualifier", "qualifier desc, value", "as_of desc, indicator"] {
            for n in [0, 1, 3, 8, 100] {
                let sorted = rows("figures | sort by \(keys) | select indicator, value, qualifier, as_of").prefix(n)
                XCTAssertEqual(rows("figures | sort by \(keys) | take \(n) | select indicator, value, qualifier, as_of"),
                               Array(sorted), "sort by \(keys) | take \(n)")
            }
        }
        guard case .table(let plan)? = try Session().run("explain figures | sort by value desc | take 3").last else { return XCTFail() }
        XCTAssertEqual(plan.rows[1][0], .string("sort by value desc | take 3 (as top-N)"))
    }

    func testAWhereAfterAJoinMovesBelowItWithTheSameAnswer() throws {
        let join = "funding | join kind=left countries on left.donor == right.name"
        for condition in ["kind == \"pledge\"", "amount_usd > 56000000 or year is not null", "donor in (\"United States\", \"x\")",
                          "g5_member == false", "kind == \"pledge\" and g5_member is null"] {
            // An extend between the join and the where keeps the where where it is written.
            XCTAssertEqual(rows("\(join) | where \(condition) | select donor, amount_usd, g5_member"),
                           rows("\(join) | extend z = 1 | where \(condition) | select donor, amount_usd, g5_member"), condition)
        }
        guard case .table(let plan)? = try Session().run("explain \(join) | where kind == \"pledge\"").last else { return XCTFail() }
        XCTAssertEqual(plan.rows[1][0], .string("where kind == \"pledge\" (pushed below the join)"))
        // Right-side columns, and conditions that can fail, stay above the join.
        guard case .table(let kept)? = try Session().run("explain \(join) | where g5_member == false").last else { return XCTFail() }
        XCTAssertEqual(kept.rows.last?[0], .string("where g5_member == false"))
        guard case .table(let fallible)? = try Session().run("explain \(join) | where amount_usd / 2 > 1").last else { return XCTFail() }
        XCTAssertEqual(fallible.rows.last?[0], .string("where amount_usd / 2 > 1"))
    }
}
