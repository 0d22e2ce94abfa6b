// Pies as terminal text and as SVG. Slices run clockwise from twelve o'clock, the largest
// first, at most eight (the rest one slice, "other"); each is named with its number and share
// beside the pie, since angles are hard to compare (a bar chart of the same rows compares
// better, and the notes say the total). ChartData.makePie decides the slices once for both.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A share in per cent to a tenth, as the legends write it.
func percent(_ share: Double) -> String { formatNumber((share * 10).rounded() / 10) }

extension ChartData {
    /// Each slice's start and end, as fractions of the turn from twelve o'clock.
    var sliceTurns: [(start: Double, end: Double)] {
        var start = 0.0
        return labels.indices.map { i in
            let end = start + share(i) / 100
            defer { start = end }
            return (start, end)
        }
    }
}

extension ChartTerminal {
    /// Glyphs telling slices apart without colour.
    static let sliceGlyphs = ["█", "▓", "▒", "░", "▚", "▞", "▪", "·"]

    func pie(_ data: ChartData) -> [String] {
        guard !data.labels.isEmpty, data.share(0) > 0 else { return [dim("nothing to draw: no positive number")] }
        // A character is about twice as tall as wide: a disc of `radius` rows is 4 × radius columns.
        let radius = 6
        let turns = data.sliceTurns
        func slice(_ x: Double, _ y: Double) -> Int? {
            guard x * x + y * y <= Double(radius * radius) else { return nil }
            var turn = atan2(x, -y) / (2 * Double.pi)
            if turn < 0 { turn += 1 }
            return turns.firstIndex { turn < $0.end } ?? turns.count - 1
        }
        func glyph(_ i: Int) -> String {
            useColor ? color("█", i % ChartTerminal.palette.count) : ChartTerminal.sliceGlyphs[i % ChartTerminal.sliceGlyphs.count]
        }
        var disc: [String] = []
        for row in 0..<(2 * radius) {
            var line = ""
            for column in 0..<(4 * radius) {
                let x = (Double(column) + 0.5 - Double(2 * radius)) / 2, y = Double(row) + 0.5 - Double(radius)
                line += slice(x, y).map(glyph) ?? " "
            }
            disc.append(line)
        }
        let labelWidth = min(data.labels.map { displayWidth($0) }.max() ?? 0, max(6, width - 4 * radius - 24))
        let values = data.series.first?.values ?? []
        let legend = data.labels.indices.map { i in
            "\(glyph(i)) " + pad(fit(data.labels[i], labelWidth), labelWidth) + " " + (values[i].map(formatNumber) ?? "null")
                + " (\(percent(data.share(i))) %)"
        }
        // The legend beside the disc where it fits, under it where it does not.
        if 4 * radius + 3 + labelWidth + 20 <= width {
            return (0..<max(disc.count, legend.count)).map { i in
                let left = i < disc.count ? disc[i] : String(repeating: " ", count: 4 * radius)
                return "  " + left + "  " + (i < legend.count ? legend[i] : "")
            }
        }
        return disc.map { "  " + $0 } + legend.map { "  " + $0 }
    }
}

extension ChartSVG {
    /// The slices' colours: Okabe and Ito's six, their yellow, and grey for the last (often "other").
    static let sliceColours = palette + ["#f0e442", "#999999"]

    func pie(_ data: ChartData, _ body: inout [String]) -> Double {
        let top = 50.0
        let radius = min(plotHeight / 2, width / 4)
        let cx = 40 + radius, cy = top + radius
        let values = data.series.first?.values ?? []
        for (i, turn) in data.sliceTurns.enumerated() where turn.end > turn.start {
            let colour = ChartSVG.sliceColours[i % ChartSVG.sliceColours.count]
            let tip = escape("\(data.labels[i]): \(values[i].map(formatNumber) ?? "null") (\(percent(data.share(i))) %)")
            func at(_ turn: Double) -> (Double, Double) {
                (cx + radius * sin(turn * 2 * Double.pi), cy - radius * cos(turn * 2 * Double.pi))
            }
            let shape: String
            if turn.end - turn.start >= 0.9999 {
                shape = "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(radius))\""
            } else {
                let (x0, y0) = at(turn.start), (x1, y1) = at(turn.end)
                let large = turn.end - turn.start > 0.5 ? 1 : 0
                shape = "<path d=\"M\(n(cx)) \(n(cy))L\(n(x0)) \(n(y0))A\(n(radius)) \(n(radius)) 0 \(large) 1 \(n(x1)) \(n(y1))Z\""
            }
            let value = values[i].map { " data-value=\"\($0)\"" } ?? ""
            body.append(shape + " fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"1.5\" data-label=\"\(escape(data.labels[i]))\"\(value)>"
                        + "<title>\(tip)</title>" + (shape.hasPrefix("<circle") ? "</circle>" : "</path>"))
            // `labels`: the share written on slices wide enough to hold it.
            if data.options.labels, turn.end - turn.start >= 0.05 {
                let (x, y) = (cx + radius * 0.65 * sin((turn.start + turn.end) * Double.pi),
                              cy - radius * 0.65 * cos((turn.start + turn.end) * Double.pi))
                body.append(text(x, y + 4, "\(formatNumber(data.share(i).rounded())) %", anchor: "middle",
                                 extra: ##" fill="#fff" font-weight="bold""##))
            }
        }
        // The legend: each slice's colour, name, number and share.
        let legendX = cx + radius + 40
        var y = top + 14
        for i in data.labels.indices {
            let colour = ChartSVG.sliceColours[i % ChartSVG.sliceColours.count]
            body.append("<rect x=\"\(n(legendX))\" y=\"\(n(y - 11))\" width=\"14\" height=\"14\" fill=\"\(colour)\"/>")
            let words = "\(clipped(data.labels[i], 40)): \(values[i].map(formatNumber) ?? "null") (\(percent(data.share(i))) %)"
            body.append(text(legendX + 20, y, words))
            y += 22
        }
        return max(cy + radius + 30, y + 12)
    }
}
