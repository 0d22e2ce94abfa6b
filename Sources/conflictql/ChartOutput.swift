// `--format svg`: the one chart a run draws, kept until the run ends and written whole, or a
// message and nothing written when the run gives anything that is not a chart (a table, a
// value, a second chart): an SVG file holds one picture, and never part of an answer.

import ConflictQL

struct SVGRefusal: Error {
    var diagnostic: DiagnosticMessage
}

struct SVGCollector {
    var chart: String?

    mutating func add(_ result: StatementResult, _ formatter: ResultFormatter) throws(SVGRefusal) {
        if let problem = ResultFormatter.svgProblem(result) { throw SVGRefusal(diagnostic: problem.adding(before: "--format svg: ")) }
        guard case .chart = result else { return }
        guard chart == nil else {
            throw SVGRefusal(diagnostic: .svgSecondChart)
        }
        chart = formatter.format(result)
    }

    func document() throws(SVGRefusal) -> String {
        guard let chart else {
            throw SVGRefusal(diagnostic: .svgNoChart)
        }
        return chart
    }
}

extension REPL {
    /// In SVG mode (`.mode svg`, or `.output FILE.svg`) only charts are written, and a file
    /// gets one: anything else is refused before a byte is written.
    func checkSVG(_ result: StatementResult) throws(SVGRefusal) {
        if let problem = ResultFormatter.svgProblem(result) {
            throw SVGRefusal(diagnostic: problem.adding(after: output == nil ? ", or '.mode table'" : ", or '.output' alone to see it "
                + "here"))
        }
        guard case .chart = result, let output else { return }
        if outputHoldsChart {
            throw SVGRefusal(diagnostic: .svgFileHoldsChart(output.path))
        }
        outputHoldsChart = true
    }
}
