// Habits from SQL, KQL, pandas and dplyr get a "write it as" help line (ConflictQLSyntax/
// Habits.swift). The catalogue (check-habit-*.cq) holds the whole messages; these tests keep
// the table honest: a habit never names a real function, and its advice parses.

@testable import ConflictQLSyntax
@testable import ConflictQLFunctions
@testable import ConflictQLSemantics
import ConflictQL
import XCTest

final class HabitTests: XCTestCase {
    func testAHabitNeverShadowsAFunctionOfOurs() {
        for name in Habits.functions.keys {
            XCTAssertNil(ScalarFunction.named(name), name)
            XCTAssertNil(AggregateFunction.named(name), name)
            XCTAssertNil(WindowFunction.named(name), name)
            XCTAssertTrue(diagnostics("groups | extend x = \(name)(name)").contains("unknown function '\(name)'"), name)
        }
    }

    func testEachHabitShowsWhereItIsMade() {
        XCTAssertTrue(diagnostics("@2012-01-01 + 30d").contains("help: write 30 days (KQL's 30d)"))
        XCTAssertTrue(diagnostics("@2012-01-01 + 3h").contains("dates here are days, with no clock"))
        XCTAssertTrue(diagnostics("groups | summarize n_distinct(name)").contains("write count(distinct x)"))
        XCTAssertTrue(diagnostics("select name from groups").contains("a pipeline starts from its table"))
        XCTAssertTrue(diagnostics("groups | sort by name ascending").contains("write asc"))
        XCTAssertTrue(diagnostics("figures | where value > 1,000,000").contains("without a thousands separator"))
        // Not a habit: a comma elsewhere keeps its own message.
        XCTAssertFalse(diagnostics("groups | select name,, abbrev").contains("thousands"))
        // The advice is ConflictQL that runs.
        XCTAssertEqual(diagnostics("groups | summarize n = count(distinct name)"), "")
        XCTAssertEqual(diagnostics("figures | where value > 1_000 | sort by value desc | take 2"), "")
        XCTAssertEqual(diagnostics("timeline | where date > @2012-01-01 + 7 days | count"), "")
    }
}
