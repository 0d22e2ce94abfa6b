// HXL hashtag rows: an HDX export (header, HXL row, CRLF, quoted notes) loads with the right
// types and no options, its tags are column metadata that `describe` shows and that passes
// through stages which keep a column's values; what is not an HXL row stays data.

import ConflictQL
import XCTest

final class HXLTests: XCTestCase {
    func load(_ text: String, _ options: LoadOptions = LoadOptions()) throws -> (Table, LoadReport) {
        try Array(text.utf8).withUnsafeBufferPointer { try loadTable(bytes: $0, name: "hxl.csv", options: options) }
    }

    func testAnHDXExportLoadsWithTheRightTypesAndItsTags() throws {
        let (table, report) = try loadTable(path: fixtures + "hdx_mali.csv")
        XCTAssertEqual(table.rowCount, 20)
        let fields = Dictionary(uniqueKeysWithValues: table.schema.fields.map { ($0.name, $0) })
        XCTAssertEqual(fields["fatalities"]?.type, .int)
        XCTAssertEqual(fields["event_date"]?.type, .date)
        XCTAssertEqual(fields["year"]?.type, .int)
        XCTAssertEqual(fields["latitude"]?.type, .float)
        XCTAssertEqual(fields["longitude"]?.type, .float)
        XCTAssertEqual(fields["fatalities"]?.hashtag, "#affected+killed")
        XCTAssertEqual(fields["admin1"]?.hashtag, "#adm1+name")
        XCTAssertEqual(fields["event_type"]?.hashtag, "#event+type")
        XCTAssertEqual(report.hashtagLine, 2)
        XCTAssertTrue(report.summary(table: "mali").hasSuffix("; HXL tags on line 2 kept as column metadata"),
                      report.summary(table: "mali"))
        XCTAssertNil(report.typeChangeNote(path: "hdx_mali.csv"))
        // The quoted notes keep their commas, quotes and CRLF line breaks.
        let notes = table.column(named: "notes")!.values.compactMap { value -> String? in
            if case .string(let s) = value { return s } else { return nil }
        }
        XCTAssertTrue(notes.contains { $0.contains("\r\nFollow-up: figures revised") })
        XCTAssertTrue(notes.contains { $0.contains(#"said: "they came at dawn, on motorbikes.""#) })
    }

    func testWithoutAHeaderThereIsNoHXLRow() throws {
        var options = LoadOptions()
        options.header = false
        let (table, report) = try load("a,b\r\n#x,#y+z\r\n1,2\r\n", options)
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertNil(report.hashtagLine)
        XCTAssertEqual(table.schema.fields.map(\.hashtag), [nil, nil])
        XCTAssertEqual(table.column(named: "column_1")?.values, [.string("a"), .string("#x"), .string("1")])
    }

    func testHashtagSyntaxAndItsNormalForm() throws {
        // Spaces around parts, capitals, quotes and empty cells are allowed; the form kept is
        // lower case without spaces.
        let (table, report) = try load("a,b,c,d\n#Adm1 +Name,\"#geo+lat\",,  #affected+killed+f \n1,2.5,x,3\n")
        XCTAssertEqual(report.hashtagLine, 2)
        XCTAssertEqual(table.schema.fields.map(\.hashtag), ["#adm1+name", "#geo+lat", nil, "#affected+killed+f"])
        XCTAssertEqual(table.schema.fields.map(\.type), [.int, .float, .string, .int])
        // Not hashtags: the row is data.
        for second in ["#,#b", "#1a,#b", "# a,#b", "#a+,#b", "#a-b,#b", "#a+1x,#b", "#a,b", ",", "#a #b,#c", "#a++b,#c"] {
            let (table, report) = try load("x,y\n\(second)\n")
            XCTAssertNil(report.hashtagLine, second)
            XCTAssertEqual(table.rowCount, 1, second)
        }
    }

    func testAColumnOfHashtagsIsData() throws {
        // An HXL row is followed by data: hashtags on the next line too are values.
        let (table, report) = try load("hashtag,n\n#mali,1\n#sahel,2\n")
        XCTAssertEqual(report.hashtagLine, nil)
        XCTAssertNil(report.typeChangeNote(path: "hxl.csv"))
        XCTAssertEqual(table.column(named: "hashtag")?.values, [.string("#mali"), .string("#sahel")])
        let (one, oneReport) = try load("hashtag\n#mali\n#sahel+niger\n")
        XCTAssertNil(oneReport.hashtagLine)
        XCTAssertEqual(one.rowCount, 2)
    }

    func testARowWithTooFewFieldsIsNotTakenForTags() throws {
        XCTAssertThrowsError(try load("a,b,c\n#x,#y\n1,2,3\n")) { error in
            XCTAssertEqual((error as? LoadError)?.description, "hxl.csv:2:1: a row has 2 fields, expected 3 like the header (a 'lenient' load skips such rows)")
        }
    }

    func testHashtagsFurtherDownAreDataWithANote() throws {
        let (table, report) = try load("a,n\nx,1\n#a,#n\ny,2\n")
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.schema.fields.map(\.type), [.string, .string])
        XCTAssertEqual(report.misplacedHashtagLine, 3)
        XCTAssertEqual(report.typeChangeNote(path: "hxl.csv"),
                       "note: hxl.csv: line 3 reads as HXL hashtags but is not the line under the header, so it is loaded as data")
        // A second line mostly of tags is data with a note; a tag or two among values is data.
        let (_, partial) = try load("a,b,n\n#a,Mopti,#n\ny,z,2\n")
        XCTAssertEqual(partial.typeChangeNote(path: "hxl.csv"),
                       "note: hxl.csv: line 2 starts like HXL hashtags, but 'Mopti' is not one, so it is loaded as data")
        XCTAssertNil(try load("a,n\n#a,Mopti\ny,2\n").1.typeChangeNote(path: "hxl.csv"))
        // A lone hashtag value further down is a value, not misplaced tags.
        XCTAssertNil(try load("tag,n\nx,1\n#mali,\n").1.typeChangeNote(path: "hxl.csv"))
    }

    func testTagsFollowColumnsThatKeepTheirValues() throws {
        let session = Session()
        try session.load(path: fixtures + "hdx_mali.csv", as: "mali")
        _ = try session.run("""
            let t = mali
            | where fatalities > 0
            | select event_date, region = admin1, fatalities, doubled = fatalities * 2
            | sort by event_date
            let j = t | join (mali | select event_id_cnty, event_date) on event_date
            let g = mali | summarize deaths = sum(fatalities) by admin1, decade = year / 10
            """)
        func tags(_ query: String) throws -> [String: Value] {
            guard case .table(let table)? = try session.run(query).last else { XCTFail(query); return [:] }
            var tags: [String: Value] = [:]
            for row in table.rows { if case .string(let name) = row[0] { tags[name] = row[3] } }
            return tags
        }
        XCTAssertEqual(try tags("describe t"), ["event_date": .string("#date+occurred"), "region": .string("#adm1+name"),
                                                "fatalities": .string("#affected+killed"), "doubled": .null])
        XCTAssertEqual(try tags("describe j")["event_id_cnty"], .string("#event+code"))
        XCTAssertEqual(try tags("describe g"), ["admin1": .string("#adm1+name"), "decade": .null, "deaths": .null])
        // A table without tags has no hxl column.
        guard case .table(let plain)? = try session.run("describe groups").last else { return XCTFail() }
        XCTAssertEqual(plain.schema.names, ["column", "type", "nulls"])
    }
}
