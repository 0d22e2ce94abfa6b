// One snapshot per kind of diagnostic: the whole rendered message, caret included.

import ConflictQL
import XCTest

final class DiagnosticSnapshotTests: XCTestCase {
    func assertDiagnostic(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(diagnostics(text), expected, file: file, line: line)
    }

    func testUnknownColumnSuggestsTheClosest() {
        assertDiagnostic("groups\n| where desgnation has \"FTO\"", """
        <test>:2:9: error: unknown column 'desgnation'
         2 | | where desgnation has "FTO"
           |         ^~~~~~~~~~
        help: did you mean 'designation'?

        """)
    }

    func testUnknownTable() {
        assertDiagnostic("fundng | count", """
        <test>:1:1: error: unknown table 'fundng'
         1 | fundng | count
           | ^~~~~~
        help: did you mean 'funding'?

        """)
    }

    func testUnknownFunction() {
        assertDiagnostic("groups | extend y = yeer(founded)", """
        <test>:1:21: error: unknown function 'yeer'
         1 | groups | extend y = yeer(founded)
           |                     ^~~~
        help: did you mean 'year'?

        """)
    }

    func testUnknownStage() {
        assertDiagnostic("groups | filter founded is null", """
        <test>:1:10: error: unknown stage 'filter'
         1 | groups | filter founded is null
           |          ^~~~~~
        help: did you mean 'where'?

        """)
    }

    func testWrongArgumentType() {
        assertDiagnostic("groups | extend y = year(name)", """
        <test>:1:26: error: year needs a date, found String
         1 | groups | extend y = year(name)
           |                          ^~~~
        
        """)
    }

    func testAggregateOutsideSummarize() {
        assertDiagnostic("funding | where sum(amount_usd) > 5", """
        <test>:1:17: error: aggregate 'sum' is only allowed in 'summarize' or 'window'
         1 | funding | where sum(amount_usd) > 5
           |                 ^~~
        help: write: | summarize sum(...) [by COLUMN], or on every row: | window [by GROUP] NAME = sum(...)

        """)
    }

    func testUnaggregatedColumnInSummarize() {
        assertDiagnostic("funding | summarize donor, total = sum(amount_usd)", """
        <test>:1:21: error: column 'donor' must be inside an aggregate or listed after 'by'
         1 | funding | summarize donor, total = sum(amount_usd)
           |                     ^~~~~
        help: for example: sum(donor), or add 'by donor'

        """)
    }

    func testComparingIncompatibleTypes() {
        assertDiagnostic("missions | where deployed > \"2013-01-01\"", """
        <test>:1:27: error: cannot compare Date with String
         1 | missions | where deployed > "2013-01-01"
           |                           ^
        help: write a date as @YYYY-MM-DD, @YYYY-MM or @YYYY

        """)
    }

    func testAssignmentWhereComparisonWasMeant() {
        assertDiagnostic("funding | where donor = \"Saudi Arabia\"", """
        <test>:1:23: error: '=' is not a comparison
         1 | funding | where donor = "Saudi Arabia"
           |                       ^
        help: use '==' to compare

        """)
    }

    func testUnclosedBracketNamesWhereItOpened() {
        assertDiagnostic("groups | where abbrev in (\"AQIM\", \"JNIM\"\ntimeline | count", """
        <test>:2:1: error: expected ')' to close '(' at 1:26, found 'timeline'
         2 | timeline | count
           | ^~~~~~~~

        """)
    }

    func testIntegerOverflowAtRuntime() {
        assertDiagnostic("let big = 9223372036854775807\nbig + 1", """
        <test>:2:5: error: integer overflow: 9223372036854775807 + 1 does not fit in 64 bits
         2 | big + 1
           |     ^
        help: convert to Float first, for example by adding 0.0

        """)
    }

    func testDivisionByZero() {
        assertDiagnostic("funding | extend share = amount_usd / 0", """
        <test>:1:37: error: division by zero
         1 | funding | extend share = amount_usd / 0
           |                                     ^

        """)
    }

    func testWhereNeedsACondition() {
        assertDiagnostic("groups | where name", """
        <test>:1:16: error: 'where' needs a true/false condition, found String
         1 | groups | where name
           |                ^~~~
        help: compare it, for example: COLUMN == VALUE

        """)
    }

    func testTooLargeLiteral() {
        assertDiagnostic("figures | where value > 99999999999999999999", """
        <test>:1:25: error: integer literal '99999999999999999999' does not fit in a 64-bit integer
         1 | figures | where value > 99999999999999999999
           |                         ^~~~~~~~~~~~~~~~~~~~
        help: the largest Int is 9223372036854775807; write a decimal (with '.0') for larger numbers

        """)
    }

    func testEveryCheckErrorOfAScriptIsReported() {
        let text = diagnostics("groups | where nme == 1\nfunding | select dono")
        XCTAssertTrue(text.contains("<test>:1:16: error: unknown column 'nme'"), text)
        XCTAssertTrue(text.contains("<test>:2:18: error: unknown column 'dono'"), text)
    }

    func testNothingRunsWhenALaterStatementFailsToCheck() {
        // The first statement would print; the second does not check, so nothing runs.
        let session = Session()
        var results = 0
        XCTAssertThrowsError(try session.run(Source(name: "t", text: "groups | count\ngroups | where x"), onResult: { _ in results += 1 }))
        XCTAssertEqual(results, 0)
    }
}
