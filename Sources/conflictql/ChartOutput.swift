// `--format svg`: the one chart a run draws, kept until the run ends and written whole, or a
// message and nothing written when the run gives anything that is not a chart (a table, a
// value, a second chart): an SVG file holds one picture, and never part of an answer.

import ConflictQL

struct SVGRefusal: Error {
    var message: String
}

struct SVGCollector {
    var chart: String?

    mutating func add(_ result: StatementResult, _ formatter: ResultFormatter) throws(SVGRefusal) {
        if let problem = ResultFormatter.svgProblem(result) { throw SVGRefusal(message: "--format svg: " + problem) }
        guard case .chart = result else { return }
        guard chart == nil else {
            throw SVGRefusal(message: "--format svg writes one chart, and this run draws a second; run each chart on its own")
        }
        chart = formatter.format(result)
    }

    func document() throws(SVGRefusal) -> String {
        guard let chart else {
            throw SVGRefusal(message: "--format svg writes a chart, and this run draws none; end a query with '| chart'")
        }
        return chart
    }
}

extension REPL {
    /// In SVG mode (`.mode svg`, or `.output FILE.svg`) only charts are written, and a file
    /// gets one: anything else is refused before a byte is written.
    func checkSVG(_ result: StatementResult) throws(SVGRefusal) {
        if let problem = ResultFormatter.svgProblem(result) {
            throw SVGRefusal(message: problem + (output == nil ? ", or '.mode table'" : ", or '.output' alone to see it here"))
        }
        guard case .chart = result, let output else { return }
        if outputHoldsChart {
            throw SVGRefusal(message: "'\(output.path)' already holds a chart, and an SVG file holds one; '.output FILE.svg' again for the next")
        }
        outputHoldsChart = true
    }
}
