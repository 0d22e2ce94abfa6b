// Sources under the answer (Engine/Lineage.swift): which `source` values a result's rows came
// from through each kind of stage, files and their load times, qualifiers kept beside a figure.

import ConflictQL
import Foundation
import XCTest

final class ProvenanceTests: XCTestCase {
    func provenance(_ text: String, session: Session = Session()) throws -> Provenance? {
        var last: Provenance?
        try session.run(Source(name: "<test>", text: text)) { result in
            if case .table(let table) = result { last = table.provenance }
        }
        return last
    }

    func sources(_ text: String) throws -> [String] {
        try provenance(text)?.sources ?? []
    }

    func testRowsKeepTheirSourcesThroughFiltersAndSorts() throws {
        XCTAssertEqual(try sources("funding"), ["HRW", "briefing"])
        XCTAssertEqual(try sources(#"funding | where kind == "pledge""#), ["HRW"])
        XCTAssertEqual(try sources(#"funding | where kind == "cut off" | select donor"#), ["briefing"])
        // The rows that survive `take` and `top`, not the rows they passed over.
        XCTAssertEqual(try sources("figures | sort by value desc | take 1 | select indicator"), ["briefing"])
        XCTAssertEqual(try sources("figures | top 1 by value asc"), ["briefing"])
        XCTAssertEqual(try sources("figures | where value > 100 | top 2 by value asc | select indicator"), ["Washington Post", "briefing"])
    }

    func testGroupsMergeTheSourcesOfTheirRows() throws {
        XCTAssertEqual(try sources("funding | summarize total = sum(amount_usd) by recipient"), ["HRW", "briefing"])
        XCTAssertEqual(try sources("funding | summarize total = sum(amount_usd) by recipient | where total > 0"), ["HRW"])
        XCTAssertEqual(try sources(#"funding | where kind == "pledge" | count"#), ["HRW"])
        XCTAssertEqual(try sources("funding | distinct kind"), ["HRW", "briefing"])
    }

    func testJoinsUnionBothSidesAndUnionsKeepEachInput() throws {
        // Saudi Arabia's pledge and country row are both HRW's; the United States' row is the briefing's.
        XCTAssertEqual(try sources(#"funding | where kind == "pledge" | join (countries | where name == "Saudi Arabia") on left.donor == right.name | select donor"#),
                       ["HRW"])
        XCTAssertEqual(try sources(#"funding | where kind == "pledge" | join countries on left.donor == right.name | select donor"#),
                       ["HRW", "briefing"])
        XCTAssertEqual(try sources(#"funding | where kind == "pledge" | join kind=left (countries | where name == "Chad") on left.donor == right.name"#),
                       ["HRW"])
        XCTAssertEqual(try sources(#"missions | where lead == "France" | select name | union (funding | where kind == "pledge" | select name = donor)"#),
                       ["HRW", "briefing"])
    }

    func testALetTableCarriesTheSourcesOfItsRows() throws {
        let session = Session()
        _ = try session.run(#"let pledges = funding | where kind == "pledge""#)
        XCTAssertEqual(try provenance("pledges | count", session: session)?.sources, ["HRW"])
    }

    func testALoadedFileIsNamedWithItsLoadTime() throws {
        setenv("SOURCE_DATE_EPOCH", fixedClock, 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let session = Session()
        _ = try session.run(#"load "\#(repositoryRoot)/Tests/ConflictQLTests/Fixtures/ged_sahel.csv" as ged"#)
        let found = try provenance("ged | count", session: session)
        XCTAssertEqual(found?.files, ["\(repositoryRoot)/Tests/ConflictQLTests/Fixtures/ged_sahel.csv (loaded 2026-11-29 10:00 UTC)"])
        XCTAssertEqual(found?.sources, [])
    }

    func testTheTableFormatShowsSourcesUnderTheCount() {
        XCTAssertEqual(output(#"funding | where donor == "European Union" | select donor, amount_usd"#), """
        donor          │ amount_usd
        ───────────────┼───────────
        European Union │   56000000
        (1 row)
        source: HRW

        """)
        // Not in CSV or JSON.
        XCTAssertEqual(output(#"funding | where donor == "European Union" | select donor"#, format: .csv), "donor\nEuropean Union\n")
    }

    func testAFigureShownAloneKeepsItsQualifier() {
        XCTAssertEqual(output("missions | where personnel > 10000 | select personnel"), """
         personnel
        ──────────
        over 13000
        (1 row)
        source: briefing

        """)
        // Beside its qualifier column it is the number alone; computed from it, no longer the figure.
        XCTAssertTrue(output("missions | where personnel > 10000 | select personnel, personnel_qualifier").contains("\n    13000 │ over\n"))
        XCTAssertTrue(output("missions | where personnel > 10000 | extend personnel = personnel * 2 | select personnel").contains("    26000\n"))
        XCTAssertTrue(output(#"figures | where indicator == "peacekeepers working in Mali" | select value"#).contains("over 13000"))
    }

    func testSourcesCanBeTurnedOff() throws {
        let session = Session()
        session.showsSources = false
        XCTAssertNil(try provenance("funding", session: session))
        XCTAssertNil(try provenance("tables"))
    }
}
