// Charts as standalone SVG, for a report: the chart ChartData describes (the same one the
// terminal draws) with axes and their titles, round ticks, dates ticked on calendar
// boundaries, a title, a legend and the notes. Every bar and point carries its label and value
// as data attributes and a tooltip naming its series; text is escaped for XML. The document
// has a <title> and a <desc> and role="img", for screen readers. A line of more points than
// pixels is drawn through each pixel column's lowest and highest value, so ten years of days
// stay a small file. Scatters and maps are in ChartSVGPlots.swift.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

struct ChartSVG {
    /// The document's width in pixels (`chart ... width N`, 800 without).
    var width = 800.0
    /// The plot's height for time charts, scatters and maps (`height N` less the margins).
    var plotHeight = 280.0
    /// Okabe and Ito's colour-blind-safe palette (blue, orange, bluish green, vermillion,
    /// reddish purple, sky blue).
    static let palette = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9"]
    /// Roughly the width of a character of 12px sans-serif, for laying out labels.
    static let characterWidth = 6.6

    init(options: ChartOptions = ChartOptions()) {
        width = Double(options.width ?? 800)
        plotHeight = max(120, Double(options.height ?? 400) - 120)
    }

    /// `note` in lines that fit `pixels` at `characterWidth`, broken at spaces: a source line
    /// longer than the chart is wrapped, not cut off at its edge.
    static func lines(of note: String, fitting pixels: Double) -> [String] {
        let columns = max(20, Int(pixels / characterWidth))
        var lines: [String] = [], line = ""
        for word in note.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > columns {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    func render(_ data: ChartData) -> String {
        var body: [String] = []
        let title = data.title ?? defaultTitle(data)
        body.append(text(width / 2, 26, title, anchor: "middle", extra: ##" font-size="16" font-weight="bold""##))
        let height: Double
        switch data.shape {
        case .bars, .histogram: height = bars(data, &body)
        case .columns, .lines, .stacked: height = timeChart(data, &body)
        case .scatter: height = scatter(data, &body)
        case .map: height = map(data, &body)
        case .pie: height = pie(data, &body)
        }
        var y = height
        for note in data.notes {
            for line in Self.lines(of: note, fitting: width - 40) {
                body.append(text(20, y, line, extra: ##" fill="#555""##))
                y += 18
            }
        }
        let description = ([describe(data)] + data.notes).joined(separator: "; ")
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(y + 4))" viewBox="0 0 \(Int(width)) \(Int(y + 4))" role="img" aria-label="\(escape(title))" aria-describedby="chart-desc" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <desc id="chart-desc">\(escape(description))</desc>
        <rect width="100%" height="100%" fill="white"/>
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    func defaultTitle(_ data: ChartData) -> String {
        switch data.shape {
        case .histogram: return "rows by \(data.labelName)"
        case .scatter: return "\(data.yName) against \(data.xName)"
        case .map: return data.valueName.isEmpty ? "places" : "\(data.valueName) by place"
        case .bars, .columns, .stacked, .lines, .pie: return "\(data.valueName) by \(data.labelName)"
        }
    }

    /// What the chart shows, in words, for the <desc> a screen reader reads.
    func describe(_ data: ChartData) -> String {
        let kind: String
        switch data.shape {
        case .bars: kind = "bar chart"
        case .histogram: kind = "histogram"
        case .columns: kind = "column chart"
        case .stacked: kind = "stacked column chart"
        case .lines: kind = "line chart"
        case .scatter: kind = "scatter plot"
        case .pie: kind = "pie chart"
        case .map: kind = "map"
        }
        let series = data.series.count > 1 ? " in \(data.series.count) series (\(data.series.map(\.name).joined(separator: ", ")))" : ""
        return "a \(kind)\(series)"
    }

    /// A tooltip: the series when there are several, the label and the value.
    func tooltip(_ data: ChartData, series: Int, label: String, value: Double) -> String {
        let name = data.series.count > 1 ? data.series[series].name + " · " : ""
        return escape("\(name)\(label): \(formatNumber(value))")
    }

    /// A y axis's title, turned to read upwards, left of the ticks.
    func yTitle(_ title: String, x: Double, top: Double, bottom: Double) -> String {
        let y = (top + bottom) / 2
        return "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"middle\" transform=\"rotate(-90 \(n(x)) \(n(y)))\" fill=\"#333\">\(escape(title))</text>"
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
        let left = 20 + labelWidth, right = width - 90
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
            body.append("<rect x=\"\(n(from))\" y=\"\(n(y + 4))\" width=\"\(n(to - from))\" height=\"\(n(rowHeight - 8))\" fill=\"\(ChartSVG.palette[0])\" data-label=\"\(escape(data.labels[i]))\" data-value=\"\(value)\"><title>\(tooltip(data, series: 0, label: data.labels[i], value: value))</title></rect>")
            body.append(text(value < 0 ? x(0) + 6 : to + 6, y + 16, formatNumber(value)))
        }
        let valueTitle = data.options.yTitle ?? (data.shape == .histogram ? "rows" : data.valueName)
        body.append(text((left + right) / 2, bottom + 38, valueTitle, anchor: "middle", extra: ##" fill="#333""##))
        if let labelTitle = data.options.xTitle ?? (data.shape == .histogram ? data.labelName : nil) {
            body.append(yTitle(labelTitle, x: 14, top: top, bottom: bottom))
        }
        guard let other = data.other else { return bottom + 64 }
        body.append(text(left - 8, bottom + 62, "\(withThousands(other.count)) more", anchor: "end"))
        body.append(text(left + 6, bottom + 62, (other.total.map(formatNumber) ?? "null") + " together, not drawn", extra: ##" fill="#555""##))
        return bottom + 88
    }

    // MARK: Time

    /// Draws columns, stacked columns or lines over the time axis; returns where the notes start.
    func timeChart(_ data: ChartData, _ body: inout [String]) -> Double {
        let count = data.labels.count
        // Stacked columns reach their totals: the positive values added up above zero, the
        // negative below.
        var extremes = data.allValues
        if data.shape == .stacked {
            extremes = (0..<count).flatMap { i -> [Double] in
                let values = data.series.compactMap { $0.values[i] }
                return [values.filter { $0 > 0 }.reduce(0, +), values.filter { $0 < 0 }.reduce(0, +)]
            }
        }
        let ticks = axisTicks(extremes.min() ?? 0, extremes.max() ?? 0, count: 5)
        let low = ticks.first!, high = ticks.last!
        let tickWidth = Double(ticks.map { formatNumber($0).count }.max() ?? 1) * ChartSVG.characterWidth
        let left = 48 + tickWidth, right = width - 20, top = 50.0, bottom = top + plotHeight
        let band = (right - left) / Double(max(1, count))
        func y(_ v: Double) -> Double { bottom - (v - low) / (high - low) * (bottom - top) }
        func center(_ i: Int) -> Double { left + band * (Double(i) + 0.5) }
        for tick in ticks {
            body.append(line(left, y(tick), right, y(tick), stroke: tick == 0 ? "#333" : "#ddd"))
            body.append(text(left - 6, y(tick) + 4, formatNumber(tick), anchor: "end", extra: ##" fill="#333""##))
        }
        body.append(line(left, top - 4, left, bottom, stroke: "#333"))
        // What the numbers are, along their axis (several series also have the legend).
        let valueTitle = data.options.yTitle ?? (data.series.count == 1 ? data.valueName : data.valueName + " (by series)")
        body.append(yTitle(valueTitle, x: 16, top: top, bottom: bottom))
        // Dates ticked on calendar boundaries, as many as fit side by side.
        let labelWidth = Double(min(10, data.labels.map(\.count).max() ?? 1)) * ChartSVG.characterWidth + 14
        for tick in calendarTicks(data.labels, fitting: max(2, Int((right - left) / labelWidth))) {
            let x = center(tick.index)
            body.append(line(x, bottom, x, bottom + 4, stroke: "#333"))
            body.append(text(x, bottom + 18, tick.text, anchor: "middle", extra: ##" fill="#333""##))
        }
        body.append(text((left + right) / 2, bottom + 40, data.options.xTitle ?? data.labelName, anchor: "middle", extra: ##" fill="#333""##))
        switch data.shape {
        case .columns, .stacked: columns(data, &body, band: band, left: left, y: y)
        default: lines(data, &body, left: left, right: right, center: center, y: y)
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

    func columns(_ data: ChartData, _ body: inout [String], band: Double, left: Double, y: (Double) -> Double) {
        let stacked = data.shape == .stacked
        let width = band * 0.8 / Double(stacked ? 1 : data.series.count)
        var above = [Double](repeating: 0, count: data.labels.count), below = above
        for (s, series) in data.series.enumerated() {
            let colour = ChartSVG.palette[s % ChartSVG.palette.count]
            for (i, value) in series.values.enumerated() {
                guard let value else { continue }
                let x = left + band * (Double(i) + 0.1) + (stacked ? 0 : width * Double(s))
                var base = 0.0
                if stacked {
                    base = value >= 0 ? above[i] : below[i]
                    if value >= 0 { above[i] += value } else { below[i] += value }
                }
                let (a, b) = (min(y(base), y(base + value)), max(y(base), y(base + value)))
                body.append("<rect x=\"\(n(x))\" y=\"\(n(a))\" width=\"\(n(max(0.5, width - 1)))\" height=\"\(n(b - a))\" fill=\"\(colour)\" data-series=\"\(escape(series.name))\" data-label=\"\(escape(data.labels[i]))\" data-value=\"\(value)\"><title>\(tooltip(data, series: s, label: data.labels[i], value: value))</title></rect>")
                if data.options.labels && !stacked {
                    body.append(text(x + width / 2, value >= 0 ? a - 3 : b + 11, formatNumber(value), anchor: "middle", extra: ##" font-size="10" fill="#333""##))
                }
            }
        }
        if data.options.labels && stacked {
            for i in data.labels.indices where above[i] != 0 {
                body.append(text(left + band * (Double(i) + 0.5), y(above[i]) - 3, formatNumber(above[i]), anchor: "middle", extra: ##" font-size="10" fill="#333""##))
            }
        }
    }

    /// Lines: a point per step with its tooltip, or, past one step a pixel, the lowest and
    /// highest value of each pixel column in the order they come (no tooltip per point).
    func lines(_ data: ChartData, _ body: inout [String], left: Double, right: Double, center: (Int) -> Double, y: (Double) -> Double) {
        let count = data.labels.count
        let pixels = max(1, Int(right - left))
        let thinned = count > pixels
        for (s, series) in data.series.enumerated() {
            let colour = ChartSVG.palette[s % ChartSVG.palette.count]
            // A null breaks the line; each run of values is one polyline.
            var run: [String] = []
            var drawn = 0
            func flush() {
                if run.count > 1 {
                    let summary = escape("\(data.series.count > 1 ? series.name + ": " : "")\(data.valueName), \(drawn) steps")
                    body.append("<polyline points=\"\(run.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(thinned ? 1.2 : 2)\" stroke-linejoin=\"round\"><title>\(summary)</title></polyline>")
                }
                run = []
                drawn = 0
            }
            var i = 0
            while i < count {
                guard let value = series.values[i] else { flush(); i += 1; continue }
                if !thinned {
                    run.append("\(n(center(i))),\(n(y(value)))")
                    drawn += 1
                    body.append("<circle cx=\"\(n(center(i)))\" cy=\"\(n(y(value)))\" r=\"\(count > 120 ? 1 : 2.5)\" fill=\"\(colour)\" data-series=\"\(escape(series.name))\" data-label=\"\(escape(data.labels[i]))\" data-value=\"\(value)\"><title>\(tooltip(data, series: s, label: data.labels[i], value: value))</title></circle>")
                    i += 1
                    continue
                }
                // The steps of this pixel column, up to a null.
                let pixel = Int(center(i) - left)
                var lowest = (i, value), highest = (i, value)
                var j = i + 1
                while j < count, Int(center(j) - left) == pixel, let next = series.values[j] {
                    if next < lowest.1 { lowest = (j, next) }
                    if next > highest.1 { highest = (j, next) }
                    j += 1
                }
                let x = n(left + Double(pixel) + 0.5)
                for (_, v) in (lowest.0 <= highest.0 ? [lowest, highest] : [highest, lowest]) where run.last != "\(x),\(n(y(v)))" {
                    run.append("\(x),\(n(y(v)))")
                }
                drawn += j - i
                i = j
            }
            flush()
        }
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
