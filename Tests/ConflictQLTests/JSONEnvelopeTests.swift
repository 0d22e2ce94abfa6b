// API responses load as tables with no options (ACLED's `data`, UCDP's `Result`), any other
// wrapper with `records = "a.b"`, and a column of quoted numbers is a column of numbers.
// The fixtures are made up, shaped like each API's answer.

@testable import ConflictQLCore
@testable import ConflictQLSyntax
@testable import ConflictQLData
@testable import ConflictQLFunctions
@testable import ConflictQLSemantics
@testable import ConflictQLPlanning
@testable import ConflictQLEngine
@testable import ConflictQLSQL
@testable import ConflictQLOutput
@testable import ConflictQL
import XCTest

final class JSONEnvelopeTests: XCTestCase {
    let fixtures = repositoryRoot + "/Tests/ConflictQLTests/Fixtures/"

    func load(_ text: String, records: String? = nil, lenient: Bool = false) throws(LoadError) -> (Table, LoadReport) {
        var options = LoadOptions()
        options.format = .json
        options.records = records
        options.lenient = lenient
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { pointer throws(LoadError) in
            try loadTable(bytes: pointer, name: "t.json", options: options)
        }
    }

    func failure(_ text: String, records: String? = nil) -> String? {
        do {
            _ = try load(text, records: records)
            return nil
        } catch {
            return error.description
        }
    }

    func types(_ table: Table) -> [String] { table.schema.fields.map { "\($0.name): \($0.type)" } }

    func testACLEDResponseLoadsWithTypesAndNoOptions() throws {
        let (table, report) = try loadTable(path: fixtures + "acled_api.json")
        XCTAssertEqual(table.rowCount, 4)
        let typed = Dictionary(uniqueKeysWithValues: table.schema.fields.map { ($0.name, $0.type) })
        XCTAssertEqual(typed["fatalities"], .int)
        XCTAssertEqual(typed["year"], .int)
        XCTAssertEqual(typed["latitude"], .float)
        XCTAssertEqual(typed["event_date"], .date)
        XCTAssertEqual(typed["assoc_actor_1"], .string, "a column of empty strings stays text")
        XCTAssertNil(typed["status"], "the envelope's own members are not columns")
        XCTAssertEqual(table.column(named: "fatalities")?.value(at: 1), .int(7))
        XCTAssertEqual(table.column(named: "latitude")?.value(at: 0), .float(14.4469))
        XCTAssertEqual(report.summary(table: "acled").split(separator: ";").last.map(String.init),
                       " read the records of its 'data' array")
        XCTAssertNil(report.incompleteNote)
    }

    func testUCDPResponseLoadsWithTypesAndNoOptions() throws {
        let (table, report) = try loadTable(path: fixtures + "ucdp_api.json")
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.schema.fields.first?.name, "id")
        let typed = Dictionary(uniqueKeysWithValues: table.schema.fields.map { ($0.name, $0.type) })
        XCTAssertEqual(typed["best"], .int)
        XCTAssertEqual(typed["date_start"], .date, "a date-time at midnight is that day")
        XCTAssertEqual(table.column(named: "date_start")?.value(at: 0), .date(DateValue(year: 2019, month: 3, day: 2)!))
        XCTAssertEqual(typed["active_year"], .bool)
        XCTAssertEqual(typed["gwnoa"], .int, "quoted codes with nulls read as numbers")
        XCTAssertEqual(report.remarks, ["read the records of its 'Result' array"])
        let session = Session()
        try session.load(path: fixtures + "ucdp_api.json", as: "ged")
        let result = try session.run("ged | summarize deaths = sum(best)")
        guard case .table(let sums) = result[0] else { return XCTFail() }
        XCTAssertEqual(sums.rows, [[.int(25)]])
    }

    func testOnePageOfSeveralIsSaid() throws {
        let page = #"{"TotalCount": 40, "TotalPages": 20, "PreviousPageUrl": "", "NextPageUrl": "https://example.org/p=1", "Result": [{"id": 1}, {"id": 2}]}"#
        let (table, report) = try load(page)
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(report.incompleteNote,
                       "the response counts 40 records in all (TotalCount) and the file holds 2: the others are on further pages (NextPageUrl)")
        XCTAssertEqual(report.incompleteNote(path: "p.json"), "note: p.json: " + report.incompleteNote!)
        XCTAssertTrue(report.summary(table: "t").hasSuffix("(NextPageUrl)"))
    }

    func testPagesSavedOneAfterAnotherAreAllRead() throws {
        let pages = """
            {"TotalCount": 3, "NextPageUrl": "u", "Result": [{"id": 1, "best": 2}, {"id": 2, "best": 3}]}
            {"TotalCount": 3, "NextPageUrl": "", "Result": [{"id": 3, "best": 4, "late": "x"}]}

            """
        let (table, report) = try load(pages)
        XCTAssertEqual(table.rows, [[.int(1), .int(2), .null], [.int(2), .int(3), .null], [.int(3), .int(4), .string("x")]])
        XCTAssertEqual(report.remarks, ["read the records of the 'Result' arrays of 2 responses"])
        XCTAssertNil(report.incompleteNote)
    }

    func testAnyOtherWrapperByItsPath() throws {
        let text = #"{"meta": {"n": 2}, "response": {"total": 2, "items": [{"a": "1"}, {"a": "2", "b": true}]}}"#
        let (table, report) = try load(text, records: "response.items")
        XCTAssertEqual(types(table), ["a: Int", "b: Bool"])
        XCTAssertEqual(table.rows, [[.int(1), .null], [.int(2), .bool(true)]])
        XCTAssertEqual(report.remarks, ["read the records of its 'response.items' array"])
    }

    func testTheOnlyArrayOfObjectsIsFoundWithoutAPath() throws {
        let (table, report) = try load(#"{"page": 1, "tags": ["x"], "events": [{"a": 1}, {"a": 2}]}"#)
        XCTAssertEqual(table.rows, [[.int(1)], [.int(2)]])
        XCTAssertEqual(report.remarks, ["read the records of its 'events' array"])
    }

    func testTheArrayNearestTheTopIsFoundWithoutAPath() throws {
        let (table, report) = try loadTable(path: fixtures + "wrapped_response.json")
        XCTAssertEqual(types(table), ["region: String", "week: Date", "incidents: Int", "displaced_people: Int"])
        XCTAssertEqual(report.remarks, ["read the records of its 'response.items' array"])
        let (top, topReport) = try load(#"{"meta": {"links": [{"x": 1}]}, "events": [{"a": 1}]}"#)
        XCTAssertEqual(top.rows, [[.int(1)]])
        XCTAssertEqual(topReport.remarks, ["read the records of its 'events' array"])
        XCTAssertEqual(failure(#"{"a": {"x": [{"k": 1}]}, "b": {"y": [{"k": 2}]}}"#),
                       #"t.json:1:1: the JSON object has 2 arrays of records ('a.x', 'b.y'); name the one to read: records = "a.x""#)
    }

    func testAnObjectWithoutArraysOfObjectsIsStillOneRecord() throws {
        let (table, report) = try load(#"{"a": 1, "b": [1, 2], "c": {"d": 1}}"#)
        XCTAssertEqual(table.rowCount, 1)
        XCTAssertEqual(types(table), ["a: Int", "b: List<Int>", "c: String"])
        XCTAssertEqual(report.remarks, [])
    }

    func testObjectsOnLinesKeepTheirNestedArraysOfObjects() throws {
        // One object per line whose records hold arrays of objects: still one row a line.
        let (table, report) = try load("{\"id\": 1, \"actors\": [{\"n\": \"x\"}]}\n{\"id\": 2, \"actors\": [{\"n\": \"y\"}]}\n")
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(types(table), ["id: Int", "actors: List<String>"])
        XCTAssertEqual(report.remarks, [])
    }

    func testALenientLoadOfLinesStillSkipsABrokenFirstLine() throws {
        let (table, report) = try load("{\"a\": 1,,}\n{\"a\": 2}\n", lenient: true)
        XCTAssertEqual(table.rows, [[.int(2)]])
        XCTAssertEqual(report.skippedRows, 1)
    }

    func testResponsesWithoutTheirRecordsAreErrors() {
        XCTAssertEqual(failure(#"{"status": 200, "success": true, "count": 0, "data": {"x": [{"a": 1}]}}"#),
                       #"t.json:1:54: 'data' is an object, not an array of records; did you mean records = "data.x"?"#)
        XCTAssertEqual(failure(#"{"data": [1, 2]}"#), "t.json:1:10: 'data' is an array of numbers, not an array of records")
        XCTAssertEqual(failure(#"{"data": [{"a": 1}, 2]}"#),
                       "t.json:1:21: expected a record (an object) in the 'data' array, found a number")
        XCTAssertEqual(failure(#"{"data": [], "Result": []}"#),
                       #"t.json:1:24: the JSON object has both a 'data' and a 'Result' array; name the one to read: records = "data""#)
        XCTAssertEqual(failure(#"{"TotalCount": 0, "TotalPages": 0}"#),
                       "t.json:1:1: the JSON object looks like an UCDP API response (it has 'TotalCount', 'TotalPages') but has no 'Result' array of records")
        XCTAssertEqual(failure(#"{"a": {"b": 1}}"#, records: "a.events"), "t.json:1:7: 'a' has no key 'events' (its keys are 'b')")
        XCTAssertEqual(failure(#"{"a": {}}"#, records: "a.c"), "t.json:1:7: 'a' has no key 'c' (it has no keys)")
        XCTAssertEqual(failure(#"{"a": [{"x": 1}]} [1]"#, records: "a"),
                       "t.json:1:19: expected another API response (an object) after the last")
    }

    func testQuotedValuesAreTypedOnlyWhenEveryValueReadsAsOne() throws {
        let text = """
            [{"n": "3", "f": "1.50", "code": "007", "mixed": 1, "d": "2020-01-15", "b": "true", "e": "", "big": "9007199254740993", "half": "2"},
             {"n": "-4", "f": "2", "code": "12", "mixed": "2", "d": "", "b": "False", "e": "", "big": "1.5", "half": "x"}]
            """
        let (table, _) = try load(text)
        XCTAssertEqual(types(table), ["n: Int", "f: Float", "code: String", "mixed: String", "d: Date", "b: Bool", "e: String",
                                      "big: String", "half: String"])
        XCTAssertEqual(table.rows[0], [.int(3), .float(1.5), .string("007"), .string("1"), .date(DateValue(year: 2020, month: 1, day: 15)!),
                                       .bool(true), .string(""), .string("9007199254740993"), .string("2")])
        XCTAssertEqual(table.rows[1][4], .null, "an empty string in a typed column is null")
    }

    func testOnlyMidnightDateTimesAreDays() throws {
        let (days, _) = try load(#"[{"d": "2010-05-13T00:00:00"}, {"d": "2010-05-14T00:00:00Z"}]"#)
        XCTAssertEqual(days.rows, [[.date(DateValue(year: 2010, month: 5, day: 13)!)], [.date(DateValue(year: 2010, month: 5, day: 14)!)]])
        let (times, _) = try load(#"[{"d": "2010-05-13T00:00:00"}, {"d": "2010-05-14T06:30:00"}]"#)
        XCTAssertEqual(types(times), ["d: String"], "a time of day would be lost: the column stays text")
        XCTAssertEqual(times.rows[1], [.string("2010-05-14T06:30:00")])
    }

    func testADeclaredTypeTakesQuotedValues() throws {
        var options = LoadOptions()
        options.types = ["n": .int, "f": .float]
        options.format = .json
        let bytes = Array(#"[{"n": "3", "f": "2.5"}, {"n": 4, "f": ""}]"#.utf8)
        let table = try bytes.withUnsafeBufferPointer { try loadTable(bytes: $0, name: "t.json", options: options).0 }
        XCTAssertEqual(table.rows, [[.int(3), .float(2.5)], [.int(4), .null]])
    }
}
