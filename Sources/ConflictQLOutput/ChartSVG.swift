// Charts as standalone SVG, for a report: the chart ChartData describes (the same one the
// terminal draws) with axes, round ticks, real dates, a title, a legend and the notes. Every
// bar and point carries its label and value as data attributes; text is escaped for XML.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

struct ChartSVG {
    static let width = 800.0
    static let palette = ["#3b75af", "#ef8636", "#519e3e", "#c53a32", "#8d69b8", "#84584e"]
    /// Roughly the width of a character of 12px sans-serif, for laying out labels.
    static let characterWidth = 6.6

    func render(_ data: ChartData) -> String {
        var body: [String] = []
        let title = data.title ?? (data.shape == .histogram ? "rows by \(data.labelName)" : "\(data.valueName) by \(data.labelName)")
        body.append(text(ChartSVG.width / 2, 26, title, anchor: "middle", extra: ##" font-size="16" font-weight="bold""##))
        let height: Double
        switch data.shape {
        case .bars, .histogram: height = bars(data, &body)
        case .columns, .lines: height = timeChart(data, &body)
        }
        var y = height
        for note in data.notes {
            body.append(text(20, y, note, extra: ##" fill="#555""##))
            y += 18
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(ChartSVG.width))" height="\(Int(y + 4))" viewBox="0 0 \(Int(ChartSVG.width)) \(Int(y + 4))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    // MARK: Bars

    /// Draws horizontal bars; returns where the notes start.
    func bars(_ data: ChartData, _ body: inout [String]) -> Double {
        let values = data.series.first?.values ?? []
        let present = values.compactMap { $0 }
        let ticks = axisTicks(present.min() ?? 0, present.max() ?? 0, count: 5)
        let low = ticks.first!, high = ticks.last!
        let labels = data.labels.map { clipped($0, 40) }
        let labelWidth = min(300, Double(labels.map(\.count).max() ?? 0) * ChartSVG.characterWidth + 12)
        let left = 20 + labelWidth, right = ChartSVG.width - 90
        let top = 50.0, rowHeight = 24.0
        let bottom = top + rowHeight * Double(values.count)
        func x(_ v: Double) -> Double { left + (v - low) / (high - low) * (right - left) }
        for tick in ticks {
            body.append(line(x(tick), top - 4, x(tick), bottom, stroke: tick == 0 ? "#333" : "#ddd"))
            body.append(text(x(tick), bottom + 18, formatNumber(tick), anchor: "middle", extra: ##" fill="#333""##))
        }
        for (i, value) in values.enumerated() {
            let y = top + rowHeight * Double(i)
            body.append(text(left - 8, y + 16, labels[i], anchor: "end"))
            guard let value else {
                body.append(text(x(0) + 6, y + 16, "null", extra: ##" fill="#888" data-label="\##(escape(data.labels[i]))" data-value="null""##))
                continue
            }
            let from = min(x(0), x(value)), to = max(x(0), x(value))
            body.append("<rect x=\"\(n(from))\" y=\"\(n(y + 4))\" width=\"\(n(to - from))\" height=\"\(n(rowHeight - 8))\" fill=\"\(ChartSVG.palette[0])\" data-label=\"\(escape(data.labels[i]))\" data-value=\"\(value)\"><title>\(escape(data.labels[i])): \(formatNumber(value))</title></rect>")
            body.append(text(value < 0 ? x(0) + 6 : to + 6, y + 16, formatNumber(value)))
        }
        body.append(text((left + right) / 2, bottom + 38, data.shape == .histogram ? "rows" : data.valueName, anchor: "middle", extra: ##" fill="#333""##))
        guard let other = data.other else { return bottom + 64 }
        body.append(text(left - 8, bottom + 62, "\(withThousands(other.count)) more", anchor: "end"))
        body.append(text(left + 6, bottom + 62, (other.total.map(formatNumber) ?? "null") + " together, not drawn", extra: ##" fill="#555""##))
        return bottom + 88
    }

    // MARK: Time

    /// Draws columns or lines over the time axis; returns where the notes start.
    func timeChart(_ data: ChartData, _ body: inout [String]) -> Double {
        let ticks = axisTicks(data.allValues.min() ?? 0, data.allValues.max() ?? 0, count: 5)
        let low = ticks.first!, high = ticks.last!
        let tickWidth = Double(ticks.map { formatNumber($0).count }.max() ?? 1) * ChartSVG.characterWidth
        let left = 30 + tickWidth, right = ChartSVG.width - 20, top = 50.0, bottom = 330.0
        let count = data.labels.count
        let band = (right - left) / Double(max(1, count))
        func y(_ v: Double) -> Double { bottom - (v - low) / (high - low) * (bottom - top) }
        func center(_ i: Int) -> Double { left + band * (Double(i) + 0.5) }
        for tick in ticks {
            body.append(line(left, y(tick), right, y(tick), stroke: tick == 0 ? "#333" : "#ddd"))
            body.append(text(left - 6, y(tick) + 4, formatNumber(tick), anchor: "end", extra: ##" fill="#333""##))
        }
        body.append(line(left, top - 4, left, bottom, stroke: "#333"))
        // What the numbers are, above their axis (several series have the legend instead).
        if data.series.count == 1 { body.append(text(left, top - 20, data.valueName, anchor: "middle", extra: ##" fill="#333""##)) }
        // Date labels, as many as fit side by side.
        let labelWidth = Double(data.labels.map(\.count).max() ?? 1) * ChartSVG.characterWidth + 10
        let stride = max(1, toCells((labelWidth / band).rounded(.up)))
        for i in Swift.stride(from: 0, to: count, by: stride) {
            body.append(line(center(i), bottom, center(i), bottom + 4, stroke: "#333"))
            body.append(text(center(i), bottom + 18, data.labels[i], anchor: "middle", extra: ##" fill="#333""##))
        }
        body.append(text((left + right) / 2, bottom + 40, data.labelName, anchor: "middle", extra: ##" fill="#333""##))
        for (s, series) in data.series.enumerated() {
            let colour = ChartSVG.palette[s % ChartSVG.palette.count]
            if data.shape == .columns {
                let width = band * 0.8 / Double(data.series.count)
                for (i, value) in series.values.enumerated() {
                    guard let value else { continue }
                    let x = left + band * (Double(i) + 0.1) + width * Double(s)
                    let (a, b) = (min(y(0), y(value)), max(y(0), y(value)))
                    body.append("<rect x=\"\(n(x))\" y=\"\(n(a))\" width=\"\(n(max(0.5, width - 1)))\" height=\"\(n(b - a))\" fill=\"\(colour)\" data-series=\"\(escape(series.name))\" data-label=\"\(escape(data.labels[i]))\" data-value=\"\(value)\"><title>\(escape(data.labels[i])): \(formatNumber(value))</title></rect>")
                }
            } else {
                // A null breaks the line; each run of values is one polyline.
                var run: [String] = []
                func flush() {
                    if run.count > 1 { body.append("<polyline points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>") }
                    run = []
                }
                for (i, value) in series.values.enumerated() {
                    guard let value else { flush(); continue }
                    run.append("\(n(center(i))),\(n(y(value)))")
                    body.append("<circle cx=\"\(n(center(i)))\" cy=\"\(n(y(value)))\" r=\"\(count > 120 ? 1 : 2.5)\" fill=\"\(colour)\" data-series=\"\(escape(series.name))\" data-label=\"\(escape(data.labels[i]))\" data-value=\"\(value)\"><title>\(escape(data.labels[i])): \(formatNumber(value))</title></circle>")
                }
                flush()
            }
        }
        var legendY = bottom + 62
        if data.series.count > 1 {
            var x = left
            for (s, series) in data.series.enumerated() {
                let name = clipped(series.name, 30)
                body.append("<rect x=\"\(n(x))\" y=\"\(n(legendY - 10))\" width=\"12\" height=\"12\" fill=\"\(ChartSVG.palette[s % ChartSVG.palette.count])\"/>")
                body.append(text(x + 18, legendY, name))
                x += 18 + Double(name.count) * ChartSVG.characterWidth + 24
                if x > right - 100 && s < data.series.count - 1 { x = left; legendY += 20 }
            }
            legendY += 26
        }
        return legendY
    }

    // MARK: Elements

    func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", extra: String = "") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(extra)>\(escape(content))</text>"
    }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\"/>"
    }

    /// A coordinate with one decimal.
    func n(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e12 else { return "0" }
        let whole = Int64(tenths)
        return whole % 10 == 0 ? String(whole / 10) : String(format1(whole))
    }

    func format1(_ tenths: Int64) -> String {
        (tenths < 0 ? "-" : "") + String(tenths.magnitude / 10) + "." + String(tenths.magnitude % 10)
    }

    func clipped(_ text: String, _ count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
    }

    /// Text as XML character data or an attribute value: the five special characters as
    /// entities, and characters XML 1.0 cannot carry (controls other than tab and line ends)
    /// as U+FFFD, so that any value of a result makes a valid file.
    func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out += "&#\(scalar.value);"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
