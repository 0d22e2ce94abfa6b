// Resolving event actor names to the briefing's groups: exact names only, and every trap the
// event data sets (similar names, joint attributions, several associated actors,
// year-qualified names, UCDP's short names and its worldwide "IS").

import ConflictQL
import XCTest

final class ActorResolutionTests: XCTestCase {
    let jnim = "Jama’at Nusrat al-Islam wal-Muslimin"
    let isgs = "Islamic State in the Greater Sahara"

    func testExactNamesOfBothDatasets() {
        XCTAssertEqual(Actors.group(of: "JNIM: Group for Support of Islam and Muslims"), jnim)
        XCTAssertEqual(Actors.group(of: "JNIM"), jnim)  // UCDP's short name
        XCTAssertEqual(Actors.group(of: "Islamic State (Greater Sahara)"), isgs)
        XCTAssertEqual(Actors.group(of: "Islamic State (West Africa) - Greater Sahara Faction"), isgs)
        XCTAssertEqual(Actors.group(of: "Ansar Dine"), "Ansar Dine")  // no abbreviation at all
        XCTAssertEqual(Actors.group(of: "MUJAO: Movement for Unity and Jihad in West Africa"), "Movement for Unity and Jihad in West Africa")
        XCTAssertEqual(Actors.group(of: "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-)"),
                       "UN Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)")
    }

    func testSimilarNamesAreNotTheGroup() {
        for name in ["Civilians (France)", "Ansaroul Islam", "Kel Ansar Ethnic Militia (Mali)", "Islamic State",
                     "Military Forces of Mali (2013-2020)", "JNIM: Group for Support of Islam", "jnim", "Ansar Dine (Mali)"] {
            XCTAssertNil(Actors.group(of: name), name)
            XCTAssertEqual(Actors.groups(of: [name]), [], name)
        }
    }

    func testWholeNamesAreExactAndPartsAreTrimmed() {
        XCTAssertNil(Actors.group(of: " JNIM"))
        XCTAssertEqual(Actors.groups(of: [" JNIM"]), ["Jama’at Nusrat al-Islam wal-Muslimin"])
    }

    func testYearQualifiedNames() {
        XCTAssertEqual(Actors.group(of: "Military Forces of France (2012-2017)"), "France")
        XCTAssertEqual(Actors.group(of: "Military Forces of France (2017-)"), "France")
        // Another period is another name: not guessed.
        XCTAssertNil(Actors.group(of: "Military Forces of France (2017-2022)"))
        XCTAssertEqual(rows(#"actors | where alias startswith "Military Forces of France" | sort by from_year | select from_year, to_year"#),
                       [[.int(2012), .int(2017)], [.int(2017), .null]])
    }

    func testUCDPsISIsTheISGSOnlyInTheSahel() {
        XCTAssertEqual(Actors.group(of: "IS", country: "Mali"), isgs)
        XCTAssertEqual(Actors.group(of: "IS", country: "Burkina Faso"), isgs)
        XCTAssertNil(Actors.group(of: "IS", country: "Syria"))
        XCTAssertNil(Actors.group(of: "IS"))  // without the country it cannot be told
        XCTAssertEqual(Actors.groups(of: ["IS", "Civilians"], country: "Niger"), [isgs])
        XCTAssertEqual(Actors.groups(of: ["Government of Syria", "IS"], country: "Syria"), [])
    }

    func testJointAttributionNamesEachGroupOnce() {
        let joint = "JNIM: Group for Support of Islam and Muslims and/or Islamic State (West Africa) - Greater Sahara Faction"
        XCTAssertNil(Actors.group(of: joint))  // two groups: not one
        XCTAssertTrue(Actors.isJoint(joint))
        XCTAssertFalse(Actors.isJoint("JNIM: Group for Support of Islam and Muslims"))
        XCTAssertEqual(Actors.groups(of: [joint]), [jnim, isgs])
        XCTAssertEqual(Actors.groups(of: [joint, "JNIM: Group for Support of Islam and Muslims"]), [jnim, isgs])
    }

    func testSeveralAssociatedActors() {
        let assoc = "AQIM: Al Qaeda in the Islamic Maghreb; MUJAO: Movement for Unity and Jihad in West Africa; Civilians (France)"
        XCTAssertNil(Actors.group(of: assoc))
        XCTAssertEqual(Actors.groups(of: [assoc]), ["Al Qaeda in the Islamic Maghreb", "Movement for Unity and Jihad in West Africa"])
        // UCDP lists the actors of a side with commas.
        XCTAssertEqual(Actors.groups(of: ["GATIA, MSA", "IS"], country: "Mali"), [isgs])
    }

    func testEveryAliasNamesOneGroupAndItsSource() {
        XCTAssertEqual(value(#"actors | summarize n = count(distinct name) by alias, dataset | where n > 1 | count"#), .int(0))
        XCTAssertEqual(value(#"actors | where source is null or evidence is null or dataset is null | count"#), .int(0))
        // Each name is a group of the briefing, or MINUSMA of its missions.
        XCTAssertEqual(value(#"actors | where table == "groups" | join kind=anti groups on name | count"#), .int(0))
        XCTAssertEqual(value(#"actors | where table == "missions" | join kind=anti missions on name | count"#), .int(0))
        // A group the briefing does not list (Katiba Macina) is named by a relation.
        XCTAssertEqual(value(#"actors | where table == "relations" | join kind=anti relations on name | count"#), .int(0))
        XCTAssertEqual(value(#"actors | where table not in ("groups", "missions", "relations") | count"#), .int(0))
        for alias in Actors.aliases where alias.countries == nil {
            XCTAssertEqual(Actors.group(of: alias.alias), alias.name, alias.alias)
        }
    }

    func testFunctionsOverColumns() {
        let script = """
        let t = groups | where abbrev in ("JNIM", "ISGS") | extend actor = if(abbrev == "JNIM", "JNIM", "IS")
        """
        XCTAssertEqual(rows(script + "\nt | extend g = group_of(actor), h = group_of(actor, \"Niger\") | sort by abbrev | select g, h"),
                       [[.null, .string(isgs)], [.string(jnim), .string(jnim)]])
        XCTAssertEqual(value(#"groups_of(["Ansar Dine", null, "Civilians (Mali)"])"#), .list([.string("Ansar Dine")]))
        XCTAssertEqual(value(#"groups_of(null)"#), .null)
        XCTAssertEqual(value(#"is_joint("Islamic State and/or JNIM")"#), .bool(true))
    }

    /// The column-at-a-time path (each field's groups once per distinct name) against the
    /// rules applied to each row on its own.
    func testGroupsOfOverColumnsAgreesWithTheRulesRowByRow() throws {
        let names: [Value] = [.null, .string("IS"), .string("JNIM"), .string("Civilians (France)"), .string("GATIA, MSA"),
                              .string("JNIM: Group for Support of Islam and Muslims and/or Islamic State (West Africa) - Greater Sahara Faction"),
                              .string("AQIM: Al Qaeda in the Islamic Maghreb; IS; Ansar Dine"), .string("Military Forces of France (2017-)")]
        let places: [Value] = [.null, .string("Mali"), .string("Syria")]
        var seed: UInt64 = 12
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let table = (0..<400).map { _ in [names[next(names.count)], names[next(names.count)], places[next(places.count)]] }
        var catalog = Catalog()
        catalog.add("t", Table(schema: Schema([Field("a", .string), Field("b", .string), Field("c", .string)]), rows: table), description: "test")
        let session = Session(catalog: catalog)
        guard case .table(let result) = try session.run("t | select g = groups_of([a, b], c), h = groups_of([a, b])").last else {
            return XCTFail("no table")
        }
        func text(_ v: Value) -> String? { if case .string(let s) = v { return s }; return nil }
        for (row, values) in zip(result.rows, table) {
            let fields = [values[0], values[1]].compactMap(text)
            XCTAssertEqual(row[0], .list(Actors.groups(of: fields, country: text(values[2])).map(Value.string)), "\(values)")
            XCTAssertEqual(row[1], .list(Actors.groups(of: fields).map(Value.string)), "\(values)")
        }
    }

    func testResolutionErrors() {
        XCTAssertTrue(diagnostics(#"group_of(1)"#).contains("group_of needs an actor name (text), found Int"), diagnostics(#"group_of(1)"#))
        XCTAssertTrue(diagnostics(#"groups_of([1, 2])"#).contains("groups_of needs an actor name or a list of them"))
        XCTAssertTrue(diagnostics(#"group_of("a", "b", "c")"#).contains("group_of takes 1 or 2 arguments, found 3"))
    }

    func testEveryActorOfTheBriefingThatTheDataNameResolves() {
        XCTAssertEqual(Actors.group(of: "MNLA: National Movement for the Liberation of Azawad"), "National Movement for the Liberation of Azawad")
        XCTAssertEqual(Actors.group(of: "Katiba Macina"), "Katiba Macina")
        XCTAssertEqual(Actors.group(of: "Military Forces of the United States (2017-2021)"), "United States")
        XCTAssertEqual(Actors.group(of: "Islamic State Sahel Province"), isgs)
        // Civilians of the United States are not its forces.
        XCTAssertNil(Actors.group(of: "Civilians (United States)"))
    }

    /// `groups_on`: units and merged groups fold into their group from the relation's date on, never before.
    func testUnitsAndPredecessorsOnTheEventsDate() {
        XCTAssertEqual(Relations.groups(of: ["Katiba Macina"], on: DateValue(year: 2017, month: 3, day: 1)), ["Katiba Macina"])
        XCTAssertEqual(Relations.groups(of: ["Katiba Macina"], on: DateValue(year: 2017, month: 3, day: 2)), ["Katiba Macina", jnim])
        XCTAssertEqual(Relations.groups(of: ["Ansar Dine"], on: DateValue(year: 2015, month: 6, day: 1)), ["Ansar Dine"])
        // MUJAO: al-Mourabitoun from August 2013, then JNIM from March 2017.
        let mujao = "MUJAO: Movement for Unity and Jihad in West Africa"
        XCTAssertEqual(Relations.groups(of: [mujao], on: DateValue(year: 2014, month: 1, day: 1)),
                       ["Movement for Unity and Jihad in West Africa", "al-Mourabitoun"])
        XCTAssertEqual(Relations.groups(of: [mujao], on: DateValue(year: 2018, month: 1, day: 1)),
                       ["Movement for Unity and Jihad in West Africa", "al-Mourabitoun", jnim])
        // A renamed group and a split are recorded, not folded; no date folds nothing.
        XCTAssertEqual(Relations.groups(of: ["Islamic State (Greater Sahara)"], on: DateValue(year: 2023, month: 1, day: 1)), [isgs])
        XCTAssertEqual(Relations.groups(of: ["Katiba Macina"], on: nil), ["Katiba Macina"])
        XCTAssertEqual(value(#"groups_on(["Katiba Macina", "JNIM"], @2018-01-10)"#), .list([.string("Katiba Macina"), .string(jnim)]))
        XCTAssertEqual(value(#"groups_on("IS", @2020-01-10, "Mali")"#), .list([.string(isgs)]))
        XCTAssertEqual(value(#"groups_on("Katiba Macina", null)"#), .list([.string("Katiba Macina")]))
        XCTAssertTrue(diagnostics(#"groups_on("Katiba Macina", "2018")"#).contains("groups_on needs the event's date"),
                      diagnostics(#"groups_on("Katiba Macina", "2018")"#))
        XCTAssertTrue(diagnostics(#"groups_on("Katiba Macina")"#).contains("groups_on takes 2 or 3 arguments, found 1"))
    }
}
