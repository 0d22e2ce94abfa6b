// ACLED's layouts recognised at load: the export tool's monadic file (one row per actor) is
// named with its numbers and the fix, and `layout = "events"` folds it to one row per event.
// UCDP GED's estimates are named too.

@testable import ConflictQLData
import ConflictQL
import XCTest

final class LayoutTests: XCTestCase {
    let monadic = fixtures + "acled_monadic.csv"

    func testMonadicFileIsNamedWithItsNumbersAndTheFix() throws {
        let session = Session()
        let report = try session.load(path: monadic, as: "m")
        XCTAssertEqual(report.rows, 13)
        XCTAssertEqual(report.layoutWarning(path: "acled_monadic.csv"),
                       "warning: acled_monadic.csv: 13 rows but 7 distinct events: this is ACLED's monadic layout, one row per actor; "
                       + "count events with count(distinct event_id_cnty), or load with (layout = \"events\")")
        // The rows are kept as they are: counting them counts each event once per actor.
        guard case .table(let table) = try session.run("m | summarize rows = count(), events = count(distinct event_id_cnty)").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(table.rows, [[.int(13), .int(7)]])
    }

    func testFoldedToOneRowPerEventWithItsActors() throws {
        let session = Session()
        let report = try session.load(path: monadic, as: "e", options: { var o = LoadOptions(); o.layout = .events; return o }())
        XCTAssertNil(report.layoutWarning)
        XCTAssertEqual(report.rows, 7)
        XCTAssertTrue(report.summary(table: "e").contains("folded 13 rows into 7 events"), report.summary(table: "e"))
        guard case .table(let table) = try session.run("""
            e | summarize events = count(), fatalities = sum(fatalities) by year | sort by year
            """).last else { return XCTFail("no table") }
        XCTAssertEqual(table.rows, [[.int(2016), .int(1), .int(5)], [.int(2017), .int(2), .int(10)],
                                    [.int(2018), .int(3), .int(5)], [.int(2019), .int(1), .int(7)]])
        guard case .table(let actors) = try session.run(#"e | where event_id_cnty == "MLI105" | select actors"#).last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(actors.rows, [[.list([.string("MNLA: National Movement for the Liberation of Azawad"),
                                             .string("Islamic State (West Africa) - Greater Sahara Faction")])]])
    }

    func testOneRowPerEventSaysNothing() throws {
        let report = try Session().load(path: fixtures + "hdx_mali.csv", as: "h")
        XCTAssertNil(report.layoutWarning)
    }

    func testBadLayoutsAreErrors() throws {
        XCTAssertTrue(diagnostics(#"load "x.csv" as e with (layout = "event")"#).contains("unknown layout 'event'"))
        XCTAssertTrue(diagnostics(#"load "x.csv" as e with (layout = "event")"#).contains(#"did you mean "events"?"#))
        var options = LoadOptions()
        options.layout = .events
        XCTAssertThrowsError(try Session().load(path: fixtures + "ged_sahel.csv", as: "g", options: options)) { error in
            XCTAssertTrue((error as? LoadError)?.message.contains("and the file has no such column") == true, "\(error)")
        }
    }

    func testUCDPEstimatesAreNamed() throws {
        let report = try Session().load(path: fixtures + "ged_sahel.csv", as: "g")
        XCTAssertTrue(report.summary(table: "g").contains("sum 'best' for a total; 'low' and 'high' bound it"), report.summary(table: "g"))
    }
}

extension LayoutTests {
    /// Ids are matched by their bytes whether the loader deduplicated the dictionary or not
    /// (a column of many distinct values is not deduplicated: equal ids are then separate
    /// entries), and a null id is no event.
    func testEventsAreFoundByTheIdsBytesInEitherKindOfDictionary() {
        for unique in [true, false] {
            let entries = unique ? ["MLI1", "MLI2"] : ["MLI1", "MLI2", "MLI1", "MLI1"]
            let codes: [Int32] = unique ? [0, 1, 0, 0, 1] : [0, 1, 2, 3, 1]
            var validity = Bitmap(count: 5, allValid: true)
            validity[4] = false
            let ids = Column(type: .string, storage: .string(codes: StringCodes(codes),
                dictionary: StringDictionary(entries, isUnique: unique)),
                             validity: validity, count: 5)
            let (eventOfRow, firstRows) = events(of: ids)
            XCTAssertEqual(eventOfRow, [0, 1, 0, 0, -1], "unique: \(unique)")
            XCTAssertEqual(firstRows, [0, 1], "unique: \(unique)")
        }
    }
}
