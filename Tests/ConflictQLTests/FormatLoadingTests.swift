// Excel workbooks and Stata files, made by openpyxl and pandas (Fixtures/formats/
// make_fixtures.py): they load with the types and values of the CSV the same script wrote;
// sheets are chosen by name or number; what a spreadsheet has beyond cells is reported; a
// damaged file is an error, never a crash.

import ConflictQL
@testable import ConflictQLData
import Foundation
import XCTest

let formatFixtures = fixtures + "formats/"

final class FormatLoadingTests: XCTestCase {
    func load(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> (Table, LoadReport) {
        try loadTable(path: formatFixtures + name, options: options)
    }

    func message(_ name: String, _ options: LoadOptions = LoadOptions()) -> String? {
        do {
            _ = try loadTable(path: formatFixtures + name, options: options)
            return nil
        } catch {
            return error.message
        }
    }

    /// The error loading `bytes` gives, or nil when they load.
    func loadError(_ bytes: [UInt8], name: String) -> LoadError? {
        bytes.withUnsafeBufferPointer { buffer in
            do throws(LoadError) {
                _ = try loadTable(bytes: buffer, name: name)
                return nil
            } catch {
                return error
            }
        }
    }

    func assertSameTable(_ a: Table, _ b: Table, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.schema.fields.map { "\($0.name): \($0.type)" }, b.schema.fields.map { "\($0.name): \($0.type)" },
                       file: file, line: line)
        XCTAssertEqual(a.rowCount, b.rowCount, file: file, line: line)
        for (k, (rowA, rowB)) in zip(a.rows, b.rows).enumerated() where rowA != rowB {
            XCTFail("row \(k + 1) differs: \(rowA) against \(rowB)", file: file, line: line)
            break
        }
    }

    // MARK: Excel

    func testAnACLEDShapedWorkbookLoadsAsItsCSV() throws {
        let (workbook, report) = try load("acled_events.xlsx")
        let (csv, _) = try load("acled_events.csv")
        assertSameTable(workbook, csv)
        XCTAssertEqual(workbook.rowCount, 60)
        XCTAssertEqual(workbook.schema.fields.count, 24)
        XCTAssertEqual(workbook.schema.fields[workbook.schema.index(of: "event_date")!].type, .date)
        XCTAssertEqual(workbook.schema.fields[workbook.schema.index(of: "latitude")!].type, .float)
        XCTAssertEqual(workbook.schema.fields[workbook.schema.index(of: "fatalities")!].type, .int)
        // Notes keep their quotes and line breaks.
        XCTAssertTrue(workbook.rows[0].contains { $0.description.contains("\"5 killed\"") && $0.description.contains("\nA second") })
        XCTAssertTrue(report.remarks.contains("read sheet 'Events', the first of 3 (sheet = \"NAME\" or a number picks another)"),
                      "\(report.remarks)")
    }

    /// pandas through XlsxWriter writes shared strings, as Excel does, and dates as date-times.
    func testTheSameEventsFromPandasLoadAsTheCSV() throws {
        assertSameTable(try load("acled_events_pandas.xlsx").0, try load("acled_events.csv").0)
    }

    func testASheetByNameOrNumberWithItsDatesBooleansAndReports() throws {
        var options = LoadOptions()
        options.sheet = .name("casualty figures")
        let (byName, report) = try load("acled_events.xlsx", options)
        options.sheet = .index(2)
        let (byNumber, _) = try load("acled_events.xlsx", options)
        assertSameTable(byName, byNumber)
        XCTAssertEqual(byName.schema.fields.map { "\($0.name): \($0.type)" },
                       ["region: String", "reported: Int", "column_3: Int", "verified: Bool", "when: String", "at: String", "early: Date"])
        XCTAssertEqual(byName.rows.map { $0.map(\.description) }, [
            ["Mopti", "12", "10", "true", "2022-03-01 14:30:00", "06:15:00", "1900-01-15"],
            // Either side of the 29 February 1900 that Excel counts.
            ["Gao", "4", "4", "false", "2022-03-02", "23:59:59", "1900-03-01"],
            ["Menaka", "null", "null", "null", "null", "null", "null"],
        ])
        XCTAssertEqual(report.remarks, [
            "header cells B1:C1 are merged: the name is the first column's, and the others get names column_N",
            "1 cell holds an Excel error (such as #N/A), loaded as null",
            "1 formula cell has no saved value (the program that wrote the workbook did not calculate it; open and save it in a spreadsheet), loaded as null",
        ])
    }

    func testAMissingSheetIsNamedWithTheSheetsThereAre() {
        var options = LoadOptions()
        options.sheet = .name("Casualty figure")
        XCTAssertEqual(message("acled_events.xlsx", options),
            "the workbook has no sheet 'Casualty figure'; did you mean 'Casualty figures'?")
        options.sheet = .index(4)
        XCTAssertEqual(message("acled_events.xlsx", options),
                       "sheet = 4, but the workbook has 3 sheets, numbered from 1: 'Events', 'Casualty figures', 'Sources'")
        options.sheet = nil
        options.delimiter = UInt8(ascii: ";")
        XCTAssertEqual(message("acled_events.xlsx", options),
                       "'delimiter' is for text files, and this is an Excel workbook, whose cells are already apart")
        options.delimiter = nil
        options.labels = .codes
        XCTAssertEqual(message("acled_events.xlsx", options),
                       "'labels' is for a Stata file's value labels, and this is an Excel workbook")
        options.labels = nil
        options.sheet = .index(2)
        XCTAssertEqual(message("acled_events.csv", options), "'sheet' picks a sheet of an Excel workbook, and this is a text file")
    }

    /// Parts as Excel writes them and openpyxl does not: inline strings, rich text with a
    /// phonetic run, `_x000D_`, entities, prefixed tags, the 1904 date system, a sheet that
    /// starts at B2 with an empty row in it.
    func testPartsExcelWritesAndOpenpyxlDoesNot() throws {
        let (table, _) = try load("handmade.xlsx")
        XCTAssertEqual(table.schema.fields.map { "\($0.name): \($0.type)" }, ["town: String", "day: Date", "count: Float"])
        XCTAssertEqual(table.rows.map { $0.map(\.description) }, [
            ["Tombouctou (Timbuktu)", "2019-08-01", "1500.0"],
            ["Gao\r\nline & <two>", "1904-01-01", "-7.0"],
        ])
        var options = LoadOptions()
        options.sheet = .name("data & NOTES")
        XCTAssertEqual(try load("handmade.xlsx", options).0.rowCount, 2)
    }

    /// Every prefix of a workbook, and every byte flipped in a stretch of it, is an error or
    /// a table; never a crash.
    func testADamagedWorkbookIsAnError() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: formatFixtures + "handmade.xlsx")))
        func outcome(_ bytes: [UInt8]) -> String {
            bytes.withUnsafeBufferPointer { buffer in
                do throws(LoadError) {
                    return "table of \(try loadTable(bytes: buffer, name: "book.xlsx").0.rowCount)"
                } catch {
                    return error.message
                }
            }
        }
        for length in stride(from: 0, to: bytes.count, by: 7) {
            XCTAssertFalse(outcome(Array(bytes.prefix(length))).hasPrefix("table"), "prefix \(length)")
        }
        var errors = 0
        for offset in stride(from: 0, to: bytes.count, by: 3) {
            var flipped = bytes
            flipped[offset] ^= 0x5A
            if !outcome(flipped).hasPrefix("table") { errors += 1 }
        }
        XCTAssertGreaterThan(errors, bytes.count / 6)
    }

    func testAnOldExcelWorkbookIsRefusedWithWhatToDo() {
        let header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        XCTAssertEqual(loadError(header, name: "events.xls")?.message,
                       "this is an Excel 97-2003 workbook (.xls), which is not read; save it as .xlsx (Excel Workbook) or CSV and load that")
    }

    func testAnRFileIsRefusedWithHowToExportCSV() throws {
        let path = NSTemporaryDirectory() + "conflictql-\(getpid()).rds"
        try Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        XCTAssertThrowsError(try loadTable(path: path)) { error in
            XCTAssertEqual((error as? LoadError)?.message, "R's own files (.rds, .RData) are not read; in R, write the data frame as CSV "
                               + "(write.csv(events, \"events.csv\", row.names = FALSE)) and load that")
        }
    }

    func testCellReferencesAndSerialDates() {
        XCTAssertEqual(cellReference("B12")?.column, 1)
        XCTAssertEqual(cellReference("AA3")?.column, 26)
        XCTAssertEqual(cellReference("XFD1048576")?.column, 16383)
        XCTAssertNil(cellReference("12"))
        XCTAssertEqual(cellName(26, 3), "AA3")
        XCTAssertEqual(CellStyles.custom("yyyy-mm-dd"), .date)
        XCTAssertEqual(CellStyles.custom("d\\ mmmm\\ yyyy;@"), .date)
        XCTAssertEqual(CellStyles.custom("[h]:mm"), .number)
        XCTAssertEqual(CellStyles.custom("0.00E+00"), .number)
        XCTAssertEqual(CellStyles.custom("\"day\" 0"), .number)
        XCTAssertEqual(CellStyles.custom("yyyy-mm-dd h:mm:ss"), .dateTime)
    }

    // MARK: Stata

    func testStataFilesOfEachVersionLoadAsTheirCSV() throws {
        let (csv, _) = try load("acled_events_stata.csv")
        for version in [114, 117, 118, 119] {
            let (stata, report) = try load("acled_events_\(version).dta")
            assertSameTable(stata, csv)
            XCTAssertEqual(stata.schema.fields[stata.schema.index(of: "event_date")!].type, .date, "\(version)")
            XCTAssertEqual(stata.schema.fields[stata.schema.index(of: "small")!].type, .int, "\(version)")
            XCTAssertEqual(stata.schema.fields[stata.schema.index(of: "fatalities")!].type, .float, "\(version)")
            // Stata's missing value, and missing strings.
            XCTAssertEqual(stata.rows[3][stata.schema.names.firstIndex(of: "fatalities")!], .null)
            XCTAssertTrue(report.remarks.contains { $0.hasPrefix("1 labelled column loaded as the labels' text") }, "\(report.remarks)")
        }
    }

    func testStataValueLabelsAsCodesOrBoth() throws {
        let (csv, _) = try load("acled_events_stata.csv")
        var options = LoadOptions()
        options.labels = .codes
        let (codes, _) = try load("acled_events_118.dta", options)
        XCTAssertEqual(codes.schema.fields[codes.schema.index(of: "event_type")!].type, .int)
        options.labels = .both
        let (both, _) = try load("acled_events_118.dta", options)
        let names = both.schema.names
        XCTAssertEqual(names[names.firstIndex(of: "event_type")! + 1], "event_type_label")
        let codeColumn = names.firstIndex(of: "event_type")!
        XCTAssertEqual(both.rows.map { $0[codeColumn] }, codes.rows.map { $0[codeColumn] })
        XCTAssertEqual(both.rows.map { $0[codeColumn + 1] }, csv.rows.map { $0[csv.schema.names.firstIndex(of: "event_type")!] })
    }

    func testADamagedStataFileIsAnError() throws {
        for version in [114, 118] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: formatFixtures + "acled_events_\(version).dta")))
            for length in stride(from: 11, to: bytes.count, by: 997) {
                XCTAssertNotNil(loadError(Array(bytes.prefix(length)), name: "events.dta"), "\(version), prefix \(length)")
            }
        }
    }

}
