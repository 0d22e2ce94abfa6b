// Every output format that can be read back comes back whole: tables of awkward values
// (RoundTrip.swift) written as CSV and JSON and loaded again; Markdown keeps its shape.

import ConflictQL
import XCTest

final class RoundTripTests: XCTestCase {
    /// A fixed generator (SplitMix64), so a failure is the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    func testRandomTablesComeBackWhole() {
        var generator = Generator(state: 2026_11_29)
        for _ in 0..<2000 {
            var values = AwkwardValues(generator.bytes(Int(generator.next() % 400)))
            let table = values.table()
            for format in [OutputFormat.csv, .tsv, .json, .ndjson] {
                if let mismatch = roundTripMismatch(table, format: format) { return XCTFail(mismatch) }
            }
            if let mismatch = markdownShapeMismatch(table) { return XCTFail(mismatch) }
        }
    }

    /// The briefing's own tables (lists, dates of every precision, nulls, long text) and
    /// results made from them come back whole.
    func testTheBriefingsTablesAndResultsComeBackWhole() throws {
        let session = Session()
        var tables = session.catalog.names.compactMap { session.catalog.table(named: $0) }
        for query in ["timeline | extend n = len(actors), y = year(date), f = 1 / 3",
                      "groups | summarize n = count(), first = min(founded) by affiliation",
                      "countries | expand role = roles | extend g = g5_member and role contains \"donor\""] {
            guard case .table(let result)? = try session.run(query).last else { return XCTFail(query) }
            tables.append(result)
        }
        XCTAssertGreaterThanOrEqual(tables.count, 9)
        for table in tables {
            for format in [OutputFormat.csv, .tsv, .json, .ndjson] {
                XCTAssertNil(roundTripMismatch(table, format: format), "\(table.schema.names)")
            }
            XCTAssertNil(markdownShapeMismatch(table))
        }
    }

    /// Each awkward piece alone, as a value and as part of a column name, in every type.
    func testEachAwkwardPieceComesBackWhole() {
        for piece in AwkwardValues.pieces + ["", "\"\u{301},b", "a\"\u{301},b", "|\u{301}", "\\|", " lead", "trail "] {
            let fields = [Field("name" + piece + "_", .string), Field("list", .list(.string)), Field("n", .int)]
            let table = Table(schema: Schema(fields), rows: [
                [.string(piece), .list([.string(piece), .null]), .int(Int64.min)],
                [.null, .null, .null],
                [.string(""), .list([]), .int(Int64.max)],
            ])
            for format in [OutputFormat.csv, .tsv, .json, .ndjson] {
                XCTAssertNil(roundTripMismatch(table, format: format), piece.debugDescription)
            }
            XCTAssertNil(markdownShapeMismatch(table), piece.debugDescription)
        }
    }

    /// The reproducer of the issue, through the formatter: the quote before a combining mark
    /// is doubled, and the pipe before one is escaped.
    func testAQuoteOrPipeBeforeACombiningMarkIsEscaped() {
        XCTAssertEqual(output("funding | take 1 | select x = \"a\\\"\\u{301},b\"", format: .csv), "x\n\"a\"\"\u{301},b\"\n")
        XCTAssertEqual(output("funding | take 1 | select x = \"a|\\u{301}b\"", format: .markdown), "| x |\n|---|\n| a\\|\u{301}b |\n")
    }

    func testFloatsAndDatesOfEveryPrecisionComeBackExactly() {
        let floats: [Value] = [0.1, 1e-5, 1e300, -2.5, 123456789012345680.0, 1e15, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude].map { .float($0) }
        let dates: [Value] = [DateValue(year: 2011, month: 10, precision: .month)!, DateValue(year: 2013, precision: .year)!,
                              DateValue(year: 2020, month: 7, day: 31)!, DateValue(year: 1, precision: .year)!].map { .date($0) }
        let table = Table(schema: Schema([Field("f", .float), Field("d", .date)]),
                          rows: (0..<8).map { [floats[$0], dates[$0 % dates.count]] })
        for format in [OutputFormat.csv, .tsv, .json, .ndjson] {
            XCTAssertNil(roundTripMismatch(table, format: format))
        }
    }

    /// In a file of one column a null is a blank line; it must not be skipped, and an empty
    /// list (`""`) must not come back as a null.
    func testNullsOfAOneColumnFileAndEmptyListsComeBack() {
        let text = Table(schema: Schema([Field("x", .string)]), rows: [[.null], [.string("")], [.null]])
        XCTAssertEqual(ResultFormatter(format: .csv).format(.table(text)), "x\n\n\"\"\n\n")
        XCTAssertNil(roundTripMismatch(text, format: .csv))
        let lists = Table(schema: Schema([Field("l", .list(.int)), Field("n", .int)]), rows: [[.list([]), .null], [.null, .int(1)]])
        XCTAssertEqual(ResultFormatter(format: .csv).format(.table(lists)), "l,n\n\"\",\n,1\n")
        XCTAssertNil(roundTripMismatch(lists, format: .csv))
        XCTAssertNil(roundTripMismatch(lists, format: .json))
    }
}
