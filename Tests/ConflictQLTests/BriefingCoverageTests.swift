// Every sentence of the briefing maps to rows of the embedded tables. The briefing's text is
// kept as a fixture (Fixtures/mali-conflict.txt, the project's seed); it is cut into
// sentences and headings, and each must have an entry here whose queries all find rows that
// pin the sentence's own facts. A sentence added to the briefing without rows fails the test.

import ConflictQL
import Foundation
import XCTest

final class BriefingCoverageTests: XCTestCase {
    /// The first words of each sentence, and the queries that find its facts.
    let coverage: [(String, [String])] = [
        ("Mali has been in turmoil", [#"timeline | where event contains "separatist uprising" and year(date) == 2012"#]),
        ("Following the collapse", [#"timeline | where event contains "foreign military intervention" and date_qualifier == "early""#]),
        ("The UN Multidimensional", [#"missions | where name contains "MINUSMA" and deployed == @2013-04"#,
                                     #"missions | where lead == "G5 Sahel countries" and deployed == @2013-04"#]),
        ("France has taken the lead", [#"figures | where indicator startswith "French soldiers" and value == 1600 and qualifier == "roughly""#,
                                       #"missions | where name == "Operation Barkhane" and purpose contains "protect civilians""#]),
        ("Despite The Peace", [#"timeline | where event == "Peace and Reconciliation agreement" and year(date) == 2017"#,
                               #"concerns | where concern == "terrorism and instability""#]),
        ("Over 13,000", [#"missions | where personnel == 13000 and personnel_qualifier == "over" and purpose contains "most dangerous""#,
                         #"concerns | where concern == "attacks on peacekeepers""#]),
        ("The complex security situation", [#"concerns | where concern == "food shortages" and area == "Sahel""#,
                                            #"concerns | where concern == "floods""#,
                                            #"figures | where indicator == "lives affected by floods" and value == 3000000 and qualifier == "over""#]),
        ("Primary Terrorist Presence", [#"groups | where category == "primary terrorist presence" | count | where count == 5"#]),
        ("Al Qaeda in the Islamic Maghreb (AQIM) is", [#"groups | where abbrev == "AQIM" and designation has "FTO" and area == "Sahara and Sahel""#]),
        ("The group’s objectives", [#"groups | where abbrev == "AQIM" and aims contains "eliminating Western influence""#,
                                    #"countries | where roles has "government AQIM deems traitor" | count | where count == 6"#]),
        ("Islamic State in the Greater Sahara", [#"groups | where abbrev == "ISGS" and area == "Mali-Niger border""#]),
        ("Jama’at Nusrat al-Islam wal-Muslimin", [#"groups | where abbrev == "JNIM" and affiliation == "Al-Qaeda""#]),
        ("JNIM wages attacks", [#"groups | where abbrev == "JNIM" and targets contains "peacekeeping""#]),
        ("Ansar Dine, translated", [#"groups | where name == "Ansar Dine" and founded == @2011-12 and notes contains "Defenders of the Faith""#,
                                    #"timeline | where event contains "2012 coup" and actors has "Ansar Dine""#]),
        ("Ansar Dine, designated", [#"groups | where name == "Ansar Dine" and designated_year == 2013 and targets == "western civilians""#]),
        ("Movement for Unity and Jihad", [#"groups | where abbrev == "MUJAO" and designation has "SDGT""#]),
        ("This Al Qaeda-linked group", [#"groups | where abbrev == "MUJAO" and aims == "implement sharia law" and area == "northern Mali""#]),
        ("Other Groups Engaged", [#"groups | where category == "other engaged" | count | where count == 4"#]),
        ("The National Movement for the Liberation", [#"groups | where abbrev == "MNLA" and founded == @2011-10 and notes contains "Tuaregs""#]),
        ("The Tuaregs have rebelled", [#"groups | where abbrev == "MNLA" and aims contains "autonomy""#]),
        ("G5 Sahel Joint Force is", [#"groups | where name == "G5 Sahel Joint Force" and area contains "Chad""#,
                                     #"countries | where g5_member | count | where count == 5"#]),
        ("It is endorsed", [#"groups | where name == "G5 Sahel Joint Force" and notes contains "African Union""#]),
        ("The EU pledged", [#"funding | where kind == "pledge" and recipient == "G5 Sahel Joint Force" | count | where count == 3"#]),
        ("France launched", [#"missions | where name == "French military intervention in Mali" and purpose contains "Tuareg uprising""#]),
        ("Operation Barkhane is", [#"missions | where name == "Operation Barkhane" and personnel == 4000 and source == "HRW""#]),
        ("The United States cut off", [#"funding | where kind == "cut off" and year == 2012"#,
                                       #"missions | where name contains "drone" and deployed == @2013-03"#]),
        ("Human Rights, Human Trafficking", [#"concerns | where concern == "human trafficking""#,
                                             #"figures | where indicator == "Malian refugees""#]),
        ("There are an estimated", [#"figures | where source == "CFR" and as_of_qualifier == "late" | count | where count == 2"#]),
        ("Mali is a source", [#"concerns | where concern == "human trafficking" and detail contains "forced labor""#]),
        ("Militant groups in the Sahel", [#"concerns | where concern startswith "taxing" and kind == "humanitarian and security""#]),
        ("Other restrictions on Humanitarian Aid", [#"concerns | where concern == "attacks on aid delivery""#]),
        ("Humanitarian agencies", [#"concerns | where detail contains "local bandits" and source == "HRW""#]),
        ("In the past four years", [#"figures | where value == 118 and period == "past four years" and source == "Washington Post""#,
                                    #"concerns | where concern == "peacekeeper deaths" and source == "Washington Post""#]),
    ]

    /// The briefing's sentences and headings, in order. "U.S." and "U.N." are not ends.
    func sentences() throws -> [String] {
        let path = repositoryRoot + "/Tests/ConflictQLTests/Fixtures/mali-conflict.txt"
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "U.S.", with: "US").replacingOccurrences(of: "U.N.", with: "UN")
            .replacingOccurrences(of: "\u{A0}", with: " ")
        var result: [String] = []
        for line in text.split(separator: "\n") {
            var current = ""
            let characters = Array(line.trimmingCharacters(in: .whitespaces).drop(while: { $0 == "•" }))
            for (i, c) in characters.enumerated() {
                current.append(c)
                let atEnd = i + 1 == characters.count || characters[i + 1].isWhitespace
                if (c == "." || c == ":"), atEnd {
                    result.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                }
            }
            let rest = current.trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty { result.append(rest) }
        }
        return result
    }

    func testEverySentenceOfTheBriefingHasRows() throws {
        let all = try sentences()
        XCTAssertGreaterThan(all.count, 30)
        // The one heading with nothing under it (see shared/seed/README.md).
        let sentences = all.filter { $0 != "Helpful Links:" }
        XCTAssertEqual(sentences.count, all.count - 1, "the briefing ends with an empty 'Helpful Links:' heading")
        for sentence in sentences {
            let entries = coverage.filter { sentence.hasPrefix($0.0) }
            XCTAssertEqual(entries.count, 1, "no rows map this sentence of the briefing: \(sentence)")
        }
        for (prefix, queries) in coverage {
            XCTAssertTrue(sentences.contains { $0.hasPrefix(prefix) }, "no sentence starts with '\(prefix)'")
            for query in queries {
                XCTAssertFalse(rows(query).isEmpty, "no row for '\(prefix)…': \(query)")
            }
        }
    }
}
