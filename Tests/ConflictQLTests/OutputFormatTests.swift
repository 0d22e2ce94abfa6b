// The record formats beside the table: `line` (one `column = value` per line, long values
// wrapped under themselves), HTML (escaped), NDJSON (one object a line) and TSV, whose
// ACLED-shaped events (notes with quotes and line breaks) load back as they were.

import ConflictQL
import XCTest

final class OutputFormatTests: XCTestCase {
    let sample = Table(schema: Schema([Field("event", .string), Field("fatalities", .int), Field("notes", .string)]), rows: [
        [.string("MLI1"), .int(4), .string("Clash near Boni <Mopti> & \"Douentza\"; two units engaged in the afternoon")],
        [.string("MLI2"), .null, .string("first line\nsecond line")],
    ])

    func testLineShowsOneColumnALineAndWrapsLongValuesUnderThemselves() {
        XCTAssertEqual(ResultFormatter(format: .line).format(.table(sample)), """
                 event = MLI1
            fatalities = 4
                 notes = Clash near Boni <Mopti> & "Douentza"; two units engaged in the afternoon

                 event = MLI2
            fatalities = null
                 notes = first line
                         second line

            """)
        var narrow = ResultFormatter(format: .line, maxRows: 1, maxWidth: 40)
        narrow.dimNulls = false
        XCTAssertEqual(narrow.format(.table(sample)), """
                 event = MLI1
            fatalities = 4
                 notes = Clash near Boni <Mopti> &
                         "Douentza"; two units
                         engaged in the afternoon

            … 1 more row

            """)
    }

    func testHTMLIsATableWithEveryTextEscaped() {
        XCTAssertEqual(ResultFormatter(format: .html).format(.table(sample)), """
            <table>
            <thead>
            <tr><th>event</th><th>fatalities</th><th>notes</th></tr>
            </thead>
            <tbody>
            <tr><td>MLI1</td><td class="number">4</td><td>Clash near Boni &lt;Mopti&gt; &amp; &quot;Douentza&quot;; two units engaged in the afternoon</td></tr>
            <tr><td>MLI2</td><td class="null"></td><td>first line
            second line</td></tr>
            </tbody>
            </table>

            """)
    }

    func testNDJSONIsOneObjectALine() {
        XCTAssertEqual(ResultFormatter(format: .ndjson).format(.table(sample)), """
            {"event":"MLI1","fatalities":4,"notes":"Clash near Boni <Mopti> & \\"Douentza\\"; two units engaged in the afternoon"}
            {"event":"MLI2","fatalities":null,"notes":"first line\\nsecond line"}

            """)
        XCTAssertEqual(output("funding | take 2 | select kind, amount_usd", format: .ndjson).split(separator: "\n").count, 2)
    }

    /// The ACLED-shaped events, written as TSV and as NDJSON, load back as they were.
    func testACLEDShapedEventsComeBackFromTSVAndNDJSON() throws {
        let events = try loadTable(path: formatFixtures + "acled_events.xlsx").0
        for format in [OutputFormat.tsv, .ndjson] {
            XCTAssertNil(roundTripMismatch(events, format: format), "\(format)")
        }
        // Written in pieces, a megabyte at a time: the same text as whole.
        var pieces: [String] = []
        let many = Table(schema: events.schema, rows: Array(repeating: events.rows, count: 300).flatMap { $0 })
        ResultFormatter(format: .tsv).write(.table(many)) { pieces.append($0) }
        XCTAssertGreaterThan(pieces.count, 2)
        XCTAssertEqual(pieces.joined(), ResultFormatter(format: .tsv).format(.table(many)))
    }
}
