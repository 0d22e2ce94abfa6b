// Charts: golden renderings at fixed widths (Snapshots/charts/NAME-WIDTH.txt; regenerate with
// CONFLICTQL_UPDATE_SNAPSHOTS=1 and read the diff), the SVG parsed back for its values, and
// the chart stage's place in explain, SQL and the other output formats.

import ConflictQL
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class ChartTests: XCTestCase {
    let fixtures = repositoryRoot + "/Tests/ConflictQLTests/Fixtures/charts"
    let goldens = repositoryRoot + "/Tests/ConflictQLTests/Snapshots/charts"

    /// A session with the chart fixtures loaded: `regions`, `monthly`, `weekly` and `places`
    /// (10,000 made-up places with a number each).
    func session() throws -> Session {
        let session = Session()
        let places = NSTemporaryDirectory() + "chart-places-\(getpid()).csv"
        var csv = "place,events\n"
        for i in 0..<10_000 { csv += "place \(i),\((i * 7919) % 1000)\n" }
        try csv.write(toFile: places, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: places) }
        _ = try session.run("""
            load "\(fixtures)/regions.csv" as regions with (unknown: Int)
            load "\(fixtures)/monthly.csv" as monthly with (month: Date)
            load "\(repositoryRoot)/Samples/data/weekly-events.csv" as weekly
            load "\(places)" as places
            load "\(repositoryRoot)/Tests/ConflictQLTests/Fixtures/ged_sahel.csv" as ged
            """)
        return session
    }

    func draw(_ session: Session, _ query: String, width: Int, color: Bool = false, format: OutputFormat = .table) throws -> String {
        var formatter = ResultFormatter(format: format, maxWidth: width)
        formatter.chartColor = color
        return try session.run(query).map { formatter.format($0) }.joined()
    }

    static let cases: [(name: String, query: String)] = [
        ("one-bar", "regions | take 1 | select region, events | chart bar"),
        ("negative", #"regions | select region, change | chart bar title "Change in events on last year""#),
        ("all-null", "regions | select region, unknown | chart bar"),
        ("long-label", "regions | select region, events | chart"),
        ("ten-thousand", "places | chart bar"),
        ("one-date", "weekly | where event_date == @2024-01-02 | summarize fatalities = sum(fatalities) by month = to_month(event_date) "
            + "| chart"),
        ("several-series", "weekly | summarize fatalities = sum(fatalities) by week = to_week(event_date), country | chart"),
        ("month-gap", "monthly | summarize fatalities = sum(fatalities) by month | chart column"),
        ("month-gap-series", "monthly | chart column"),
        ("histogram", "places | select events | chart"),
        ("line", "weekly | summarize fatalities = sum(fatalities) by week = to_week(event_date) | chart line"),
        ("stacked", "weekly | summarize fatalities = sum(fatalities) by month = to_month(event_date), country | chart stacked"),
        ("scatter", "ged | select deaths_civilians, best, country | chart scatter"),
        ("map", #"ged | where country in ("Mali", "Niger", "Burkina Faso") | select latitude, longitude, best | chart map"#),
        ("daily", ChartTests.daily + " | chart line"),
    ]

    /// Ten years of days (2013 to 2022), made up: an Int that wanders, and grows.
    static let daily = "places | take 1 | select day = @2013-01-01, n = 0 | fill day step 1 day to @2022-12-31 with n = 0"
        + " | extend k = day - @2013-01-01 | extend n = (k * 37) % 23 + k / 300 | select day, n"

    func testGoldenRenderingsAtFixedWidths() throws {
        let session = try session()
        let update = ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_SNAPSHOTS"] != nil
        for (name, query) in ChartTests.cases {
            for width in [40, 80, 120] {
                let drawn = try draw(session, query, width: width)
                let path = "\(goldens)/\(name)-\(width).txt"
                if update { try drawn.write(toFile: path, atomically: true, encoding: .utf8) }
                XCTAssertEqual(drawn, try String(contentsOfFile: path, encoding: .utf8), "\(name) at \(width) columns")
                for line in drawn.split(separator: "\n") {
                    XCTAssertLessThanOrEqual(line.count, width, "\(name) at \(width): \(line)")
                }
            }
        }
    }

    func testWhatTheGoldensShow() throws {
        let session = try session()
        // Zero-filled months: December and January are on the axis with nothing drawn.
        let gap = try draw(session, "monthly | summarize fatalities = sum(fatalities) by month | chart column", width: 80)
        XCTAssertTrue(gap.contains("total 87 · 6 months, 2023-10 to 2024-03"), gap)
        // 10,000 categories: the 24 largest and one bar adding up the rest, whose total is the result's.
        let many = try draw(session, "places | chart bar", width: 80)
        XCTAssertTrue(many.contains("9,976 more │ 4,971,042 together, not drawn"), many)
        XCTAssertTrue(many.contains("the 24 largest of 10,000 bars"), many)
        let total = (0..<10_000).reduce(0) { $0 + ($1 * 7919) % 1000 }
        let digits = String(total).reversed().enumerated().map { $0 > 0 && $0 % 3 == 0 ? ",\($1)" : "\($1)" }
        XCTAssertTrue(many.contains("total \(String(digits.joined().reversed())) · 10,000 bars"), many)
        // A label longer than its column ends in an ellipsis; the line still fits.
        let long = try draw(session, "regions | select region, events | chart bar", width: 40)
        XCTAssertTrue(long.contains("Kidal, writt… │"), long)
        // Negative values are drawn left of the zero line.
        let negative = try draw(session, "regions | select region, change | chart bar", width: 60)
        let gao = negative.split(separator: "\n").first { $0.hasPrefix("Gao") }!
        XCTAssertTrue(gao.contains("█┼") || gao.contains("█│"), negative)
        // All nulls: no bar, a note, no division by zero.
        let nulls = try draw(session, "regions | select region, unknown | chart bar", width: 60)
        XCTAssertTrue(nulls.contains("no values to draw: unknown is null in every row"), nulls)
    }

    func testColourOnlyWhenAsked() throws {
        let session = try session()
        let plain = try draw(session, "weekly | summarize fatalities = sum(fatalities) by week = to_week(event_date), country | "
            + "chart", width: 80)
        XCTAssertFalse(plain.contains("\u{1B}["))
        let coloured = try draw(session, "weekly | summarize fatalities = sum(fatalities) by week = to_week(event_date), country | "
            + "chart", width: 80, color: true)
        XCTAssertTrue(coloured.contains("\u{1B}[36m") && coloured.contains("\u{1B}[33m"), "two series, two colours")
        // With colour the series are lines of braille; without, markers tell them apart.
        XCTAssertTrue(coloured.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        XCTAssertTrue(plain.contains("* Mali  o Niger"), plain)
    }

    // MARK: SVG

    func testSVGParsesAndCarriesTheValues() throws {
        let session = try session()
        let svg = try draw(session, "regions | select region, events | chart bar title \"Events <by> region & "
            + "\\\"more\\\"\"", width: 80, format: .svg)
        let parsed = try parseSVG(svg)
        XCTAssertEqual(parsed.values, ["41.0", "87.0", "13.0", "29.0", "0.0"])
        XCTAssertEqual(parsed.labels.first, "Gao")
        XCTAssertTrue(parsed.texts.contains("Events <by> region & \"more\""), "\(parsed.texts)")
        // A time chart: one point per month, the empty months as zero.
        let months = try parseSVG(try draw(session, "monthly | summarize fatalities = sum(fatalities) by month | chart "
            + "line", width: 80, format: .svg))
        XCTAssertEqual(months.labels, ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"])
        XCTAssertEqual(months.values, ["20.0", "20.0", "0.0", "0.0", "25.0", "22.0"])
    }

    func testSVGOfAwkwardTextIsValidXML() throws {
        let session = Session()
        let svg = try draw(session, #"countries | extend name = name + "\u{1}<&>\t'" | select name, n = len(name) | chart bar"#,
                           width: 80, format: .svg)
        let parsed = try parseSVG(svg)
        XCTAssertEqual(parsed.values.count, 12)
        // In labels, as in the table, a control character shows as its escape and a tab as →.
        XCTAssertTrue(parsed.labels.allSatisfy { $0.hasSuffix("\\u{1}<&>→'") }, "\(parsed.labels)")
    }

    func testOtherFormatsGetTheChartsRows() throws {
        let session = Session()
        let csv = try draw(session, "funding | summarize total = sum(amount_usd) by donor | chart", width: 80, format: .csv)
        XCTAssertEqual(csv, try draw(session, "funding | summarize total = sum(amount_usd) by donor", width: 80, format: .csv))
    }

    func testExplainAndSQLShowTheChart() throws {
        let session = Session()
        guard case .table(let plan)? = try session.run("explain funding | summarize total = sum(amount_usd) by donor | chart").first else {
            return XCTFail("no plan")
        }
        XCTAssertEqual(plan.rows.last?[0], .string("chart (bar, chosen from the result's shape)"))
        XCTAssertEqual(plan.rows.last?[3], plan.rows[plan.rowCount - 2][3])
        guard case .value(.string(let sql), _)? = try session.run("explain sql funding | summarize total = sum(amount_usd) by donor | "
            + "chart bar").first,
              case .value(.string(let plain), _)? = try session.run("explain sql funding | summarize total = sum(amount_usd) by "
                  + "donor").first else {
            return XCTFail("no SQL")
        }
        XCTAssertEqual(sql, "-- chart bar: drawn by conflictql from the rows of this query, not by SQL\n" + plain)
        let script = try session.sql(for: Source(name: "<test>", text: "timeline | summarize n = count() by y = to_year(date) | chart "
            + "line"), dialect: .postgres)
        XCTAssertTrue(script.first?.text?.hasPrefix("-- chart line: drawn by conflictql") == true)
    }

    func testAnEmbeddingProgramGetsTheChartAndPrepareSaysWhyNot() throws {
        let session = Session()
        guard case .chart(let chart)? = try session.run("funding | summarize total = sum(amount_usd) by donor | chart bar title "
            + "\"Pledges\"").first else {
            return XCTFail("no chart")
        }
        XCTAssertEqual(chart.spec, ChartSpec(kind: .bar, chosen: false, title: "Pledges", category: 0, series: [], values: [1]))
        XCTAssertEqual(chart.table.rowCount, 3)
        XCTAssertThrowsError(try session.prepare("funding | summarize total = sum(amount_usd) by donor | chart")) { error in
            XCTAssertEqual((error as? DiagnosticError)?.diagnostics.first?.message,
                           "prepare takes a query of rows, and 'chart' draws them; prepare the query without it")
        }
    }

    func testTabCompletesTheStageAndItsWords() {
        let completer = Completer(symbols: Session().symbols)
        XCTAssertTrue(completer.complete("funding | ", word: "ch").contains("chart"))
        XCTAssertEqual(completer.complete("funding | chart ", word: ""),
                       ["bar", "column", "height", "histogram", "labels", "line", "map", "pie", "scatter", "stacked", "title",
                        "width", "xtitle", "ytitle"])
        XCTAssertEqual(completer.complete("funding | chart ", word: "hi"), ["histogram"])
        XCTAssertEqual(completer.complete("funding | chart bar ", word: ""), ["height", "labels", "title", "width", "xtitle", "ytitle"])
        XCTAssertEqual(completer.complete("funding | chart bar width 900 ", word: "yt"), ["ytitle"])
    }

    // MARK: The executable

    func conflictql(_ arguments: [String],
                    environment extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { $1 }
        return try runProcess(executable, arguments, environment: environment, directory: repositoryRoot)
    }

    func testFormatSVGWritesTheOneChartOrNothing() throws {
        let chart = try conflictql(["--format", "svg", "-c", "funding | summarize total = sum(amount_usd) by donor | chart"])
        XCTAssertEqual(chart.status, 0, chart.stderr)
        XCTAssertEqual(try parseSVG(chart.stdout).values, ["56000000.0", "60000000.0", "100000000.0"])
        // A table, a second chart, or no chart: a message, status 1, and not a byte written.
        let table = try conflictql(["--format", "svg", "-c", "funding | summarize total = sum(amount_usd) by donor | "
            + "chart", "-c", "funding"])
        XCTAssertEqual(table.status, 1)
        XCTAssertEqual(table.stdout, "")
        XCTAssertEqual(table.stderr, "conflictql: error: --format svg: SVG output draws a chart, and this result is a table; end the "
            + "query with '| chart'\n")
        let two = try conflictql(["--format", "svg", "-c", "funding | summarize total = sum(amount_usd) by donor | "
            + "chart", "-c", "funding | summarize total = sum(amount_usd) by kind | chart"])
        XCTAssertEqual(two.status, 1)
        XCTAssertEqual(two.stdout, "")
        XCTAssertEqual(two.stderr, "conflictql: error: --format svg writes one chart, and this run draws a second; run each chart on its "
            + "own\n")
        let none = try conflictql(["--format", "svg", "-c", "let x = 1"])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stderr, "conflictql: error: --format svg writes a chart, and this run draws none; end a query with '| chart'\n")
    }

    func testTheCommandLineDrawsEightyColumnsWithoutColourWhenNotATerminal() throws {
        let drawn = try conflictql(["-c", "funding | summarize total = sum(amount_usd) by donor | chart"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(drawn.status, 0)
        XCTAssertFalse(drawn.stdout.contains("\u{1B}"))
        XCTAssertEqual(drawn.stdout.split(separator: "\n").map(\.count).max(), 80)
        let explained = try conflictql(["--explain", "-c", "funding | summarize total = sum(amount_usd) by donor | chart"])
        XCTAssertTrue(explained.stdout.contains("chart (bar, chosen from the result's shape)"), explained.stdout)
        let sql = try conflictql(["--to-sql", "duckdb", "-c", "funding | summarize total = sum(amount_usd) by donor | chart"])
        XCTAssertTrue(sql.stdout.hasPrefix("-- chart (bar, chosen from the result's shape): drawn by conflictql from the rows of this "
            + "query, not by SQL\nWITH"), sql.stdout)
    }

    // MARK: Helpers

    struct ParsedSVG {
        var labels: [String] = []
        var values: [String] = []
        var texts: [String] = []
    }

    func parseSVG(_ svg: String) throws -> ParsedSVG {
        final class Delegate: NSObject, XMLParserDelegate {
            var parsed = ParsedSVG()
            var text: String?
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if let value = attributes["data-value"], let label = attributes["data-label"] {
                    parsed.values.append(value)
                    parsed.labels.append(label)
                }
                if name == "text" { text = "" }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "text", let text { parsed.texts.append(text) }
                if name == "text" { text = nil }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else { throw parser.parserError ?? NSError(domain: "svg", code: 1) }
        XCTAssertTrue(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        return delegate.parsed
    }
}

final class ChartEdgeTests: XCTestCase {
    /// Results at the edges: no rows, values at the ends of Float's range, infinities, a
    /// span of Int years too wide to fill, dates nine thousand years apart. Each draws (or
    /// says why it cannot) within its width, in both renderers, and never traps.
    func testEdgesDrawWithinTheWidth() throws {
        let session = Session()
        let queries = [
            "funding | where false | summarize total = sum(amount_usd) by donor | chart bar",
            "funding | where false | summarize n = count() by year = to_year(@2020-01) | chart column",
            "funding | where false | select amount_usd | chart histogram",
            "funding | summarize total = sum(amount_usd) by donor | extend total = float(total) * 1e300 * 1e8 | chart bar",
            "funding | summarize total = sum(amount_usd) by donor | extend total = if(donor == \"Saudi Arabia\", -1.7e308, 1.7e308) | "
                + "chart bar",
            "funding | summarize total = sum(amount_usd) by donor | extend total = 1.0 / 0 | chart bar",
            "funding | extend x = if(donor == \"Saudi Arabia\", -9223372036854775807, 9223372036854775807) | select x | chart histogram",
            "funding | extend year = if(donor == \"Saudi Arabia\", -9223372036854775807, 9223372036854775807) | summarize n = count() by "
                + "year | chart line",
            "funding | extend d = if(donor == \"Saudi Arabia\", @0001-01-01, @9999-12-31) | summarize n = count() by d | chart",
            "funding | summarize total = sum(amount_usd) by year | chart",
        ]
        for query in queries {
            for width in [40, 80] {
                var formatter = ResultFormatter(maxWidth: width)
                let results: [StatementResult]
                do { results = try session.run(query) } catch { continue }  // an error with a message is fine
                let text = results.map { formatter.format($0) }.joined()
                XCTAssertFalse(text.isEmpty, query)
                for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, width + 12, "\(query): \(line)") }
                formatter.format = .svg
                XCTAssertTrue(results.map { formatter.format($0) }.joined().hasSuffix("</svg>\n"), query)
            }
        }
    }
}
