// `pivot`: one column per listed value, holding the aggregate over that value's rows; the
// same answer as the summarize of filtered aggregates it stands for; checked values.

import ConflictQL
import XCTest

final class PivotTests: XCTestCase {
    func testPivotIsASummarizeOfFilteredAggregates() {
        XCTAssertEqual(rows("funding | pivot kind in (\"pledge\", \"cut off\") count() by donor"), [
            [.string("European Union"), .int(1), .int(0)], [.string("United States"), .int(1), .int(1)], [.string("Saudi Arabia"), .int(1), .int(0)],
        ])
        XCTAssertEqual(rows("funding | pivot kind in (\"pledge\", \"cut off\") sum(amount_usd) by donor"),
                       rows("funding | summarize pledge = sum(if(kind == \"pledge\", amount_usd, null)), `cut off` = sum(if(kind == \"cut off\", amount_usd, null)) by donor"))
        // Aggregates inside an expression, and countif, are filtered too; no 'by' gives one row.
        XCTAssertEqual(rows("funding | pivot kind in (\"pledge\") sum(amount_usd) / 1000000"), [[.float(216)]])
        XCTAssertEqual(rows("funding | pivot donor in (\"United States\") countif(kind == \"pledge\")"), [[.int(1)]])
        guard case .table(let table)? = try? Session().run("funding | pivot year in (2012, 2013) count()").last else { return XCTFail("no table") }
        XCTAssertEqual(table.schema.names, ["2012", "2013"])
        XCTAssertEqual(table.rows, [[.int(1), .int(0)]])
    }

    func testValuesAreChecked() {
        XCTAssertTrue(diagnostics("funding | pivot year in (\"x\") count()").contains("cannot compare Int with String"))
        XCTAssertTrue(diagnostics("funding | pivot kind in (donor) count()").contains("a pivot's values are constants written in the query"))
        XCTAssertTrue(diagnostics("funding | pivot kind in (\"a\", \"a\") count()").contains("'a' is listed twice"))
        XCTAssertTrue(diagnostics("funding | pivot kind in (\"pledge\") donor").contains("a pivot's cells need an aggregate"))
        XCTAssertTrue(diagnostics("funding | pivot kind in (\"pledge\") count() by pledge = donor").contains("has the name of a pivot value"))
        XCTAssertTrue(diagnostics("funding | pivot kind (\"pledge\") count()").contains("'in (...)' after the pivot's column"))
    }
}

final class UnpivotTests: XCTestCase {
    func testUnpivotUndoesPivot() {
        XCTAssertEqual(rows("funding | pivot kind in (\"pledge\", \"cut off\") count() by donor | unpivot pledge, `cut off` into kind, n"), [
            [.string("European Union"), .string("pledge"), .int(1)], [.string("European Union"), .string("cut off"), .int(0)],
            [.string("United States"), .string("pledge"), .int(1)], [.string("United States"), .string("cut off"), .int(1)],
            [.string("Saudi Arabia"), .string("pledge"), .int(1)], [.string("Saudi Arabia"), .string("cut off"), .int(0)],
        ])
        // Int with Float gives Float; nulls stay; no rows give no rows.
        XCTAssertEqual(rows("funding | take 1 | select a = 1, b = 2.5, c = null | unpivot a, b, c into k, v"),
                       [[.string("a"), .float(1)], [.string("b"), .float(2.5)], [.string("c"), .null]])
        XCTAssertEqual(value("funding | where false | unpivot year into k, v | count"), .int(0))
    }

    func testUnpivotIsChecked() {
        XCTAssertTrue(diagnostics("funding | unpivot donor, amount_usd into a, b").contains("the values of an unpivot share one type"))
        XCTAssertTrue(diagnostics("funding | unpivot year into donor, v").contains("'donor' is already a column"))
        XCTAssertTrue(diagnostics("funding | unpivot yeer into k, v").contains("did you mean 'year'?"))
        XCTAssertTrue(diagnostics("funding | unpivot year, year into k, v").contains("'year' is listed twice"))
        XCTAssertTrue(diagnostics("funding | unpivot year k, v").contains("'into NAME, VALUE'"))
    }
}
