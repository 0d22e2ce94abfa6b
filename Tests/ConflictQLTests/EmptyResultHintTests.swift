// Hints when a result is empty (Engine/EmptyResultHints.swift): each kind, rendered whole, and
// none for a result with rows.

import ConflictQL
import Foundation
import XCTest

final class EmptyResultHintTests: XCTestCase {
    /// The hints `text` gives, rendered as the executable shows them.
    func hints(_ text: String) throws -> String {
        let session = Session()
        var rendered = ""
        try session.run(Source(name: "<test>", text: text),
                        onHint: { rendered += DiagnosticRenderer().render($0.diagnostics, in: $0.source) },
                        onCommand: { _ in }, onResult: { _ in })
        return rendered
    }

    func testAValueTheColumnLacksSuggestsTheClosest() throws {
        XCTAssertEqual(try hints(#"countries | where name == "Mail""#), #"""
        <test>:1:19: note: no row has name == "Mail"
         1 | countries | where name == "Mail"
           |                   ^~~~~~~~~~~~~~
        help: did you mean "Mali"?

        """#)
        // The same through `=~`, and for an element of a list (`has`).
        XCTAssertTrue(try hints(#"countries | where name =~ "Mail""#).contains(#"help: did you mean "Mali"?"#))
        XCTAssertTrue(try hints(#"groups | where designation has "FTOO""#).contains(#"help: did you mean "FTO"?"#))
        // `has` on text is a whole word: a word of the column is suggested, not a whole value.
        XCTAssertTrue(try hints(#"groups | where notes has "Tuaregz""#).contains(#"help: did you mean "Tuaregs"?"#))
    }

    func testACaseOnlyDifferenceIsNamed() throws {
        XCTAssertEqual(try hints(#"groups | where name == "ansar dine" | select name"#), #"""
        <test>:1:16: note: no row has name == "ansar dine"
         1 | groups | where name == "ansar dine" | select name
           |                ^~~~~~~~~~~~~~~~~~~~
        help: did you mean "Ansar Dine"? (the case differs; =~ ignores case)

        """#)
    }

    func testEachValueOfAnInListIsMatched() throws {
        XCTAssertEqual(try hints(#"countries | where name in ("Mail", "Nigr")"#), #"""
        <test>:1:19: note: no row has name in ("Mail", "Nigr")
         1 | countries | where name in ("Mail", "Nigr")
           |                   ^~~~~~~~~~~~~~~~~~~~~~~~
        help: did you mean "Mail" → "Mali", "Nigr" → "Niger"?

        """#)
    }

    func testAValueFarFromAllListsTheValues() throws {
        XCTAssertTrue(try hints(#"funding | where donor == "France""#)
            .contains(#"help: the values of donor are "European Union", "United States", "Saudi Arabia""#))
    }

    func testADateOutsideTheColumnsRangeGivesTheRange() throws {
        XCTAssertEqual(try hints("timeline | where date >= @2019-01"), """
        <test>:1:18: note: no row has date >= @2019-01
         1 | timeline | where date >= @2019-01
           |                  ^~~~~~~~~~~~~~~~
        help: date runs from 2011-10 to 2018

        """)
        // Numbers too; and only the condition that matches nothing is named.
        let hint = try hints(#"funding | where kind == "pledge" and amount_usd > 500000000"#)
        XCTAssertTrue(hint.contains("note: no row has amount_usd > 500000000"), hint)
        XCTAssertTrue(hint.contains("help: amount_usd runs from 56000000 to 100000000"), hint)
        XCTAssertEqual(hint.components(separatedBy: "note:").count, 2, hint)
    }

    func testAnAggregateOverNoRowsIsExplained() throws {
        XCTAssertTrue(try hints("timeline | where date >= @2019 | count").contains("help: date runs from 2011-10 to 2018"))
        XCTAssertTrue(try hints(#"funding | where donor == "Saudi Arabai" | summarize total = sum(amount_usd)"#)
            .contains(#"help: did you mean "Saudi Arabia"?"#))
        // A count that is not zero, a sum over rows: nothing to say.
        XCTAssertEqual(try hints("timeline | count"), "")
        XCTAssertEqual(try hints("funding | summarize total = sum(amount_usd)"), "")
    }

    func testAJoinThatMatchedNothingIsNamed() throws {
        XCTAssertEqual(try hints("funding | join (groups) on left.donor == right.abbrev | select donor"), """
        <test>:1:11: note: this join matched no row: no value of donor on the left (4 rows) is a value of abbrev on the right (9 rows)
         1 | funding | join (groups) on left.donor == right.abbrev | select donor
           |           ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        help: the left has "European Union", "United States", "Saudi Arabia"; the right has "AQIM", "ISGS", "JNIM", "MUJAO", "MNLA"

        """)
    }

    func testAWhereAfterALeftJoinThatMatchedNothingSaysSo() throws {
        let hint = try hints("funding | join kind=left groups on left.donor == right.abbrev | where founded > @2000")
        XCTAssertTrue(hint.contains("<test>:1:71: note: no row has founded > @2000"), hint)
        XCTAssertTrue(hint.contains("help: every value of founded here is null"), hint)
        XCTAssertTrue(hint.contains("<test>:1:11: note: the left join here matched no row (no value of donor on the left is a value of abbrev on the right), so its right columns are null on every row"), hint)
    }

    func testConditionsThatMatchOnlyApartAreCounted() throws {
        XCTAssertEqual(try hints(#"countries | where name == "Mali" and name == "Niger""#), #"""
        <test>:1:13: note: each condition matches some rows, but no row matches them all
         1 | countries | where name == "Mali" and name == "Niger"
           |             ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        name == "Mali" matches 1 of 12 rows
        name == "Niger" matches 1 of 12 rows

        """#)
    }

    func testAnEmptyTableAndAStageThatKeepsNothing() throws {
        XCTAssertTrue(try hints("let none = countries | where false\nnone | count").contains("note: table 'none' has no rows"))
        XCTAssertTrue(try hints("countries | take 0").contains("note: this stage keeps no rows"))
    }

    func testAResultWithRowsGetsNoHint() throws {
        XCTAssertEqual(try hints(#"countries | where name == "Mali""#), "")
        XCTAssertEqual(try hints(#"groups | where name == "ansar dine" or abbrev == "AQIM""#), "")
    }
}
