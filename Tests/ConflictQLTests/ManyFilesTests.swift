// Loading many files as one table: a pattern or a list, appended by name with a column of
// file names; types reconciled as one file holding every row would have them (Int with Float
// is Float, an empty column takes the others' type, any other clash is String spelled as in
// the files); the same table whatever the number of threads; one progress for all files.

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
import Foundation
import Synchronization
import XCTest

final class ManyFilesTests: XCTestCase {
    let folder = repositoryRoot + "/Tests/ConflictQLTests/Fixtures/many"

    func testAPatternLoadsEveryFileWithItsNameAndTypesReconciled() throws {
        let session = Session()
        let report = try session.load(paths: [folder + "/events_*.csv"], as: "sahel")
        XCTAssertEqual(report.files, 3)
        XCTAssertEqual(report.rows, 7)
        let table = try XCTUnwrap(session.symbols.table(named: "sahel"))
        XCTAssertEqual(table.schema.fields, [
            Field("file", .string), Field("event_id", .string), Field("country", .string), Field("event_date", .date, datePrecisions: .only(.day)),
            // Int in two files, empty in the third: Int. Int in one, Float in another: Float.
            // Columns in the order the files (sorted) bring them: bfa has latitude, mli admin1.
            Field("fatalities", .int), Field("latitude", .float), Field("admin1", .string),
        ])
        // Files in sorted order, each in its own row order.
        XCTAssertEqual(table.column(named: "event_id")?.values, ["BFA1", "BFA2", "MLI1", "MLI2", "MLI3", "NER1", "NER2"].map(Value.string))
        XCTAssertEqual(table.column(named: "file")?.values.first, .string(folder + "/events_bfa.csv"))
        XCTAssertEqual(try session.run("sahel | summarize n = count(), deaths = sum(fatalities) by country, year = year(event_date)").last.flatMap(tableRows),
                       [[.string("Burkina Faso"), .int(2020), .int(1), .null], [.string("Burkina Faso"), .int(2021), .int(1), .null],
                        [.string("Mali"), .int(2020), .int(2), .int(3)], [.string("Mali"), .int(2021), .int(1), .int(7)],
                        [.string("Niger"), .int(2020), .int(1), .int(2)], [.string("Niger"), .int(2021), .int(1), .int(5)]])
        XCTAssertEqual(table.column(named: "latitude")?.values.prefix(3), [.float(13.1), .float(12.4), .float(14)])
        XCTAssertEqual(table.column(named: "admin1")?.values.prefix(3), [.null, .null, .string("Mopti")])
    }

    func testTypesThatCannotWidenBecomeTextAsWritten() throws {
        let catalogue = repositoryRoot + "/Tests/ConflictQLTests/Catalogue/data/many"
        let (table, report) = try loadTables(patterns: [catalogue + "/a_mli.csv", catalogue + "/a_tcd.csv"])
        XCTAssertEqual(table.schema.fields.map(\.type), [.string, .string, .string, .string, .string])
        // Read again as text, not printed back from a Date or an Int.
        XCTAssertEqual(table.column(named: "event_date")?.values, [.string("2020-01-05"), .string("2020")])
        XCTAssertEqual(table.column(named: "fatalities")?.values, [.string("3"), .string("unknown")])
        XCTAssertEqual(report.notes.count, 2, "\(report.notes)")
        XCTAssertTrue(report.summary(table: "t").contains("'fatalities' is String: Int in \(catalogue)/a_mli.csv, String in \(catalogue)/a_tcd.csv"),
                      report.summary(table: "t"))
    }

    func testTheTableIsTheSameWhateverTheThreadsAndProgressCoversEveryFile() throws {
        var one = LoadOptions()
        one.threads = 1
        let (serial, _) = try loadTables(patterns: [folder + "/events_*.csv"], options: one)
        let seen = Mutex<[(Int, Int)]>([])
        let (parallel, _) = try loadTables(patterns: [folder + "/events_*.csv"]) { done, total, _ in seen.withLock { $0.append((done, total)) } }
        XCTAssertEqual(serial.rows, parallel.rows)
        XCTAssertEqual(serial.schema, parallel.schema)
        let total = try [("bfa"), ("mli"), ("ner")].reduce(0) { sum, country in
            sum + (try FileManager.default.attributesOfItem(atPath: folder + "/events_\(country).csv")[.size] as! Int)
        }
        seen.withLock { calls in
            XCTAssertTrue(calls.allSatisfy { $0.1 == total }, "\(calls)")
            XCTAssertEqual(calls.map(\.0).max(), total)
        }
    }

    func testAListIsLoadedInItsOwnOrderAndTheSourceColumnCanBeNamed() throws {
        let session = Session()
        _ = try session.run("load [\"\(folder)/events_ner.csv\", \"\(folder)/events_mli.csv\"] as two with (source = origin)")
        XCTAssertEqual(try session.run("two | summarize n = count() by origin").last.flatMap(tableRows),
                       [[.string(folder + "/events_ner.csv"), .int(2)], [.string(folder + "/events_mli.csv"), .int(3)]])
    }

    func testAPatternNamesItsTableAfterItsFixedPart() {
        XCTAssertEqual(tableName(forPattern: "data/conflict_data_*.csv"), "conflict_data")
        XCTAssertEqual(tableName(forPattern: "2020-*.csv"), "t_2020")
        XCTAssertNil(tableName(forPattern: "*.csv"))
    }

    func tableRows(_ result: StatementResult) -> [[Value]]? {
        if case .table(let table) = result { return table.rows }
        return nil
    }
}
