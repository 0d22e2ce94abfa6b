// A test per figure of the briefing: the embedded tables say what the briefing says.

import ConflictQL
import XCTest

final class BriefingTests: XCTestCase {
    func testTablesOfTheBriefingAndItsActorNames() {
        XCTAssertEqual(Briefing.catalog.names, ["groups", "missions", "funding", "figures", "timeline", "countries", "concerns", "actors", "relations", "designations", "places"])
    }

    func testNineGroupsInTwoLists() {
        XCTAssertEqual(value("groups | count"), .int(9))
        XCTAssertEqual(rows("groups | summarize n = count() by category"),
                       [[.string("primary terrorist presence"), .int(5)], [.string("other engaged"), .int(4)]])
    }

    func testDesignations() {
        XCTAssertEqual(rows("groups | where designation has \"FTO\" | select abbrev, name").map { $0[1] },
                       [.string("Al Qaeda in the Islamic Maghreb"), .string("Ansar Dine")])
        XCTAssertEqual(rows("groups | where abbrev == \"MUJAO\" | select designation"), [[.list([.string("SDGT")])]])
        XCTAssertEqual(rows("groups | where name == \"Ansar Dine\" | select designated_year, designated_by"),
                       [[.int(2013), .string("United States")]])
        // The briefing gives no designation for ISGS or JNIM: null, not an empty list.
        XCTAssertEqual(rows("groups | where abbrev in (\"ISGS\", \"JNIM\") | select designation"), [[.null], [.null]])
    }

    func testFoundingDatesAreMonthPrecise() {
        XCTAssertEqual(rows("groups | where founded is not null | sort by founded | select abbrev, founded")
            .map { [$0[0].description, $0[1].description] },
            [["MNLA", "2011-10"], ["null", "2011-12"]])
    }

    func testG5PledgesSumTo216Million() {
        XCTAssertEqual(value("funding | where recipient == \"G5 Sahel Joint Force\" | summarize sum(amount_usd)"),
                       .int(216_000_000))
        XCTAssertEqual(rows("funding | where kind == \"pledge\" | sort by amount_usd | select donor, amount_usd, source"), [
            [.string("European Union"), .int(56_000_000), .string("HRW")],
            [.string("United States"), .int(60_000_000), .string("HRW")],
            [.string("Saudi Arabia"), .int(100_000_000), .string("HRW")],
        ])
    }

    func testFiveG5Members() {
        XCTAssertEqual(rows("countries | where g5_member | sort by name | select name").map { $0[0] },
                       ["Burkina Faso", "Chad", "Mali", "Mauritania", "Niger"].map(Value.string))
    }

    func testDisplacementFiguresKeepQualifiersAndSources() {
        XCTAssertEqual(rows("figures | where indicator == \"Malian refugees\" | select value, qualifier, as_of, as_of_qualifier, source")
            .map { $0.map(\.description) }, [["140100", "estimated", "2018", "late", "CFR"]])
        XCTAssertEqual(rows("figures | where indicator == \"internally displaced persons\" | select value, qualifier, source")
            .map { $0.map(\.description) }, [["51960", "approximately", "CFR"]])
    }

    func testSecurityFigures() {
        XCTAssertEqual(rows("figures | where indicator == \"peacekeepers killed\" | select value, period, source")
            .map { $0.map(\.description) }, [["118", "past four years", "Washington Post"]])
        XCTAssertEqual(rows("figures | where indicator startswith \"French soldiers\" | select value, qualifier")
            .map { $0.map(\.description) }, [["1600", "roughly"]])
        XCTAssertEqual(rows("figures | where indicator == \"peacekeepers working in Mali\" | select value, qualifier")
            .map { $0.map(\.description) }, [["13000", "over"]])
        XCTAssertEqual(rows("figures | where indicator == \"lives affected by floods\" | select value, qualifier, period")
            .map { $0.map(\.description) }, [["3000000", "over", "last five years"]])
    }

    func testMissions() {
        XCTAssertEqual(rows("missions | where name contains \"MINUSMA\" | select deployed, personnel, personnel_qualifier")
            .map { $0.map(\.description) }, [["2013-04", "13000", "over"]])
        XCTAssertEqual(rows("missions | where name == \"Operation Barkhane\" | select lead, personnel, source")
            .map { $0.map(\.description) }, [["France", "4000", "HRW"]])
        XCTAssertEqual(rows("missions | where name contains \"drone\" | select deployed, location")
            .map { $0.map(\.description) }, [["2013-03", "Niger"]])
    }

    func testTimeline() {
        XCTAssertEqual(value("timeline | where year(date) == 2013 | count"), .int(4))
        XCTAssertEqual(rows("timeline | where event contains \"agreement\" | select date").map { $0[0].description }, ["2017"])
        // The record beside the briefing: the agreement was signed in 2015; the briefing's 2017 stays.
        XCTAssertEqual(rows("timeline | where event contains \"agreement\" | select date, recorded_date, record_note")
            .map { $0.map(\.description) },
                       [["2017", "2015-05-15", "contradicts: the Agreement for Peace and Reconciliation in Mali was signed in Bamako on 15 May and 20 June 2015"]])
        XCTAssertEqual(value("timeline | where record_note startswith \"contradicts\" | count"), .int(1))
        XCTAssertEqual(value("timeline | where recorded_date is not null and record_source is null | count"), .int(0))
    }

    func testEveryRowNamesItsSource() {
        for table in ["groups", "missions", "funding", "figures", "timeline", "countries", "concerns", "actors", "relations", "designations",
                      "places"] {
            XCTAssertEqual(value("\(table) | where source is null or source == \"\" | count"), .int(0), table)
        }
        XCTAssertEqual(rows("figures | distinct source | sort by source").map { $0[0].description },
                       ["CFR", "HRW", "Washington Post", "briefing"])
    }

    func testOfficialDesignationsAreApartFromTheBriefingsWords() {
        // The briefing names no designation for JNIM and ISGS; the official lists do.
        XCTAssertEqual(rows(#"designations | where name == "Jama’at Nusrat al-Islam wal-Muslimin" | sort by listed | select list, listed"#)
            .map { $0.map(\.description) },
                       [["US SDGT (E.O. 13224)", "2018-09-05"], ["US FTO", "2018-09-06"],
                        ["UN ISIL (Da'esh) & Al-Qaida sanctions list", "2018-10-04"], ["UK proscribed organisations", "2019-03-01"]])
        XCTAssertEqual(rows(#"designations | where name == "Islamic State in the Greater Sahara" and list == "US FTO" | select listed, reference"#)
            .map { $0.map(\.description) }, [["2018-05-23", "83 FR 23987"]])
        XCTAssertEqual(rows(#"designations | where name == "Ansar Dine" and list startswith "UN" | select listed_as, reference, listed"#)
            .map { $0.map(\.description) }, [["Ansar Eddine", "QDe.135", "2013-03-20"]])
        // groups.designation keeps the briefing's words.
        XCTAssertEqual(rows("groups | where abbrev in (\"ISGS\", \"JNIM\") | select designation"), [[.null], [.null]])
    }

    func testEveryDesignationCarriesAnAddress() {
        XCTAssertEqual(value(#"designations | where url is null or not (url startswith "https://") | count"#), .int(0))
        // A date no record gave stays null (the UK's 2014 order for al-Murabitun).
        XCTAssertEqual(rows("designations | where listed is null | select name, list").map { $0.map(\.description) },
                       [["al-Mourabitoun", "UK proscribed organisations"]])
        // Every listed group resolves from event data or is named by a relation.
        XCTAssertEqual(value("designations | distinct name | count"), .int(9))
    }
}
