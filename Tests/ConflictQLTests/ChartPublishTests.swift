// Charts fit to publish: the SVG's accessible title and description, axis titles, tooltips
// naming the series, value labels, a ten-year daily line that stays small and is ticked at
// year starts, the options and their errors, and the new kinds (stacked, scatter, map).

import ConflictQL
import Foundation
import XCTest

final class ChartPublishTests: XCTestCase {
    func svg(_ session: Session, _ query: String) throws -> String {
        try session.run(query).map { ResultFormatter(format: .svg, maxWidth: 80).format($0) }.joined()
    }

    func session() throws -> Session {
        let session = Session()
        _ = try session.run("""
            load "\(repositoryRoot)/Samples/data/weekly-events.csv" as weekly
            load "\(repositoryRoot)/Tests/ConflictQLTests/Fixtures/ged_sahel.csv" as ged
            """)
        return session
    }

    func testTheSVGHasATitleADescriptionAndARole() throws {
        let drawn = try svg(try session(), "weekly | summarize fatalities = sum(fatalities) by week = to_week(event_date), country | chart line title \"Deaths\"")
        let head = drawn.split(separator: "\n").prefix(4).joined(separator: "\n")
        XCTAssertTrue(head.contains(#"role="img""#) && head.contains(#"aria-label="Deaths""#), head)
        XCTAssertTrue(head.contains("<title>Deaths</title>"), head)
        XCTAssertTrue(head.contains("<desc id=\"chart-desc\">a line chart in 2 series (Mali, Niger); total 100"), head)
        // Every point's tooltip names its series.
        XCTAssertTrue(drawn.contains("<title>Mali · 2024-01-01: "), drawn)
        XCTAssertTrue(drawn.contains("<title>Niger · 2024-01-01: "), drawn)
    }

    func testAxisTitlesAndValueLabels() throws {
        let session = try session()
        let drawn = try svg(session, "weekly | summarize fatalities = sum(fatalities) by month = to_month(event_date) | chart column labels ytitle \"deaths a month\" xtitle \"month of 2024\"")
        XCTAssertTrue(drawn.contains(#"transform="rotate(-90"#) && drawn.contains(">deaths a month</text>"), drawn)
        XCTAssertTrue(drawn.contains(">month of 2024</text>"))
        // The value of each column written above it, as the table has it.
        let table = try session.run("weekly | summarize fatalities = sum(fatalities) by month = to_month(event_date)")
        guard case .table(let months)? = table.last else { return XCTFail("no table") }
        for row in 0..<months.rowCount {
            let label = "font-size=\"10\" fill=\"#333\">\(months.columns[1].value(at: row))</text>"
            XCTAssertTrue(drawn.contains(label), label)
        }
        // Without the option, the y axis says the measure: the column's name.
        let plain = try svg(session, "weekly | summarize fatalities = sum(fatalities) by month = to_month(event_date) | chart column")
        XCTAssertTrue(plain.contains(">fatalities</text>") && !plain.contains(#"font-size="10""#))
    }

    func testATenYearDailyLineIsSmallAndTickedAtYearStarts() throws {
        let drawn = try svg(Session(), ChartTests.daily + " | chart line")
        XCTAssertLessThan(drawn.utf8.count, 200_000, "a daily line of ten years")
        let ticks = drawn.split(separator: "\n").filter { $0.contains(#"y="348""#) && $0.contains("<text") }
        let texts = ticks.compactMap { $0.split(separator: ">").dropFirst().first?.split(separator: "<").first.map(String.init) }
        XCTAssertEqual(texts, ["2014", "2016", "2018", "2020", "2022"], "\(ticks)")
        // Wider, there is room for every year.
        let wide = try svg(Session(), ChartTests.daily + " | chart line width 1400")
        XCTAssertTrue(wide.contains(#"width="1400""#))
        XCTAssertTrue(wide.contains(">2015</text>") && wide.contains(">2021</text>"))
    }

    func testOptionsAreCheckedWithTheirRanges() {
        XCTAssertTrue(diagnostics("funding | select recipient, amount_usd | chart bar width 50")
            .contains("the width of a chart is from 300 to 4000 pixels, found 50"))
        XCTAssertTrue(diagnostics("funding | select recipient, amount_usd | chart bar widht 900").contains("did you mean 'width'?"))
        XCTAssertTrue(diagnostics("funding | select recipient, amount_usd | chart bar title \"a\" title \"b\"").contains("'title' is given twice"))
        XCTAssertTrue(diagnostics("funding | select recipient, amount_usd | chart bar ytitle 3").contains("expected a text in quotes after 'ytitle'"))
        XCTAssertTrue(diagnostics("places | select latitude, longitude | chart map labels").contains("'labels' writes values on bars, columns and pies"))
        XCTAssertTrue(diagnostics("places | select name, latitude | chart map").contains("there is no number column named latitude (or lat) and longitude"))
        XCTAssertTrue(diagnostics("places | select latitude | chart scatter").contains("select the two numbers, x then y"))
        XCTAssertTrue(diagnostics("funding | select recipient, amount_usd | chart stacked").contains("there is no Date column"))
    }

    func testAMapDrawsTheOutlinesAndEveryPoint() throws {
        let session = try session()
        let query = #"ged | where country in ("Mali", "Niger", "Burkina Faso") | select latitude, longitude, best, where_description | chart map"#
        let drawn = try svg(session, query)
        XCTAssertEqual(drawn.components(separatedBy: "data-latitude=").count - 1, 12)
        XCTAssertTrue(drawn.contains("<title>Mali</title></path>") && drawn.contains("<title>Niger</title></path>"))
        XCTAssertTrue(drawn.contains(" km</text>") && drawn.contains("standard parallel, equirectangular"))
        XCTAssertTrue(drawn.contains("Natural Earth"), "the outlines' source")
        // With no kind, latitude and longitude choose a map.
        let chosen = try svg(session, "places | select latitude, longitude, name | chart")
        XCTAssertEqual(chosen.components(separatedBy: "data-latitude=").count - 1, 14)
        // In the terminal: the points as marks, a scale, the sizes' legend.
        let text = try session.run(query).map { ResultFormatter(format: .table, maxWidth: 80).format($0) }.joined()
        XCTAssertTrue(text.contains("●") && text.contains(" km") && text.contains("best: ● over"), text)
    }

    func testAMapOfPriogridCellsFillsEachCell() throws {
        let session = try session()
        let query = #"ged | where country in ("Mali", "Niger", "Burkina Faso") | summarize deaths = sum(best) by priogrid = priogrid_gid"#
        guard case .table(let table)? = try session.run(query).last else { return XCTFail("no table") }
        let expected = Set((0..<table.rowCount).map { table.columns[0].value(at: $0).description })
        let drawn = try svg(session, query + " | chart map")
        let cells = drawn.components(separatedBy: "data-cell=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        XCTAssertEqual(Set(cells), expected, "each cell drawn where UCDP's id puts it")
        XCTAssertEqual(cells.count, table.rowCount)
        XCTAssertTrue(drawn.contains("PRIO-GRID cells of 0.5°"))
        let text = try session.run(query + " | chart map").map { ResultFormatter(format: .table, maxWidth: 80).format($0) }.joined()
        XCTAssertTrue(text.contains("deaths: ░ 0"), text)
        XCTAssertTrue(diagnostics("places | select cell = priogrid(latitude, longitude) | chart map").contains("fills each with a number"))
    }

    func testAScatterHasAPointPerRowAndSeriesInTheLegend() throws {
        let session = try session()
        let drawn = try svg(session, "ged | select deaths_civilians, best, country | chart scatter")
        XCTAssertEqual(drawn.components(separatedBy: "data-x=").count - 1, 15)
        XCTAssertTrue(drawn.contains("<title>Mali · deaths_civilians "), "tooltips name the series")
        let stacked = try svg(session, "weekly | summarize fatalities = sum(fatalities) by month = to_month(event_date), country | chart stacked labels")
        XCTAssertTrue(stacked.contains("a stacked column chart in 2 series"))
    }

    /// A map of regions: each name found (UCDP's "Mopti region" folded to Mopti), filled by its
    /// number; a name no outline has is said, not drawn.
    func testAMapOfRegionsFillsEachRegionItNames() throws {
        let session = try session()
        let query = "ged | where adm_1 is not null | summarize deaths = sum(best) by adm_1"
        guard case .table(let table)? = try session.run(query).last else { return XCTFail("no table") }
        let drawn = try svg(session, query + " | chart map")
        let regions = drawn.components(separatedBy: "data-region=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        let named = (0..<table.rowCount).compactMap { row -> String? in
            guard case .string(let name) = table.columns[0].value(at: row) else { return nil }
            return Boundaries.region(named: name)?.name
        }
        XCTAssertFalse(named.isEmpty)
        XCTAssertEqual(regions.sorted(), named.sorted(), "one filled outline per region the rows name")
        XCTAssertTrue(drawn.contains("<title>Mopti: deaths "), drawn)
        XCTAssertTrue(drawn.contains("GeoNames"), "the regions' source")
        // Its notes (the long source line among them) are wrapped to the chart's 800 pixels, not cut off.
        let notes = drawn.components(separatedBy: "fill=\"#555\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        XCTAssertTrue(notes.contains { $0.contains("GeoNames") }, drawn)
        for note in notes {
            XCTAssertLessThanOrEqual(Double(note.count) * 6.6, 760, "a note wider than the chart: \(note)")
        }
        let text = try session.run(query + " | chart map").map { ResultFormatter(format: .table, maxWidth: 80).format($0) }.joined()
        XCTAssertTrue(text.contains("deaths: ░ 0") && text.contains("Mopti "), text)
        // Asked for bars, a count by region stays bars; a region without a number is an error.
        XCTAssertTrue(try svg(session, query + " | chart").contains("a bar chart"))
        XCTAssertTrue(diagnostics("places | select region = name | chart map").contains("fills each with a number"))
        let unknown = try session.run("places | select region = name, n = 1 | chart map").map {
            ResultFormatter(format: .table, maxWidth: 80).format($0)
        }.joined()
        XCTAssertTrue(unknown.contains("naming no outline kept here left out"), unknown)
    }

    /// A pie: a slice per row, largest first, shares adding to the whole; negatives left out.
    func testAPieHasASlicePerRowAndTheirShares() throws {
        let session = try session()
        let query = "ged | summarize deaths = sum(best) by country | where deaths > 0"
        guard case .table(let table)? = try session.run(query).last else { return XCTFail("no table") }
        let drawn = try svg(session, query + " | chart pie labels")
        XCTAssertTrue(drawn.contains("a pie chart"))
        let values = drawn.components(separatedBy: "data-value=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        XCTAssertEqual(values.count, table.rowCount)
        XCTAssertEqual(values, values.sorted(by: >), "the largest slice first")
        let total = (0..<table.rowCount).compactMap { row -> Double? in
            if case .int(let n) = table.columns[1].value(at: row) { return Double(n) } else { return nil }
        }.reduce(0, +)
        XCTAssertEqual(values.reduce(0, +), total)
        XCTAssertTrue(drawn.contains(" %)</text>"), "each slice's share in the legend")
        let text = try session.run(query + " | chart pie").map { ResultFormatter(format: .table, maxWidth: 80).format($0) }.joined()
        XCTAssertTrue(text.contains("█ ") && text.contains(" %)"), text)
        let negative = try session.run("places | select name, n = latitude - 14 | chart pie").map {
            ResultFormatter(format: .table, maxWidth: 80).format($0)
        }.joined()
        XCTAssertTrue(negative.contains("with a negative or null n left out"), negative)
    }

    /// `labels` writes each column's value above it in the terminal too.
    func testTerminalColumnsCarryTheirValuesWithLabels() throws {
        let session = try session()
        let query = "weekly | summarize fatalities = sum(fatalities) by month = to_month(event_date)"
        guard case .table(let months)? = try session.run(query).last else { return XCTFail("no table") }
        let text = try session.run(query + " | chart column labels").map { ResultFormatter(format: .table, maxWidth: 80).format($0) }.joined()
        let plain = try session.run(query + " | chart column").map { ResultFormatter(format: .table, maxWidth: 80).format($0) }.joined()
        XCTAssertNotEqual(text, plain)
        for row in 0..<months.rowCount {
            let value = "\(months.columns[1].value(at: row))"
            XCTAssertTrue(text.split(separator: "\n").dropLast(3).contains { $0.split(separator: " ").contains(Substring(value)) }, value + "\n" + text)
        }
    }
}
