// Charts as terminal text: horizontal bars (and histograms) with eighth-block ends, drawn
// from ChartData to a given width, in colour only when asked. Time charts (columns and braille
// lines) are in ChartTerminalTime.swift. The library returns the text; it never prints.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

struct ChartTerminal {
    /// The whole chart fits in this many columns.
    var width: Int
    var useColor: Bool

    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    /// ANSI colours of the series, in order: cyan, yellow, magenta, green, blue, red.
    static let palette = [36, 33, 35, 32, 34, 31]

    init(width: Int?, useColor: Bool) {
        self.width = max(30, width ?? 80)
        self.useColor = useColor
    }

    func render(_ data: ChartData) -> String {
        let data = data.forTerminal
        var lines = [bold(fit(data.title ?? defaultTitle(data), width))]
        switch data.shape {
        case .bars, .histogram: lines += bars(data)
        case .columns: lines += columns(data)
        case .stacked: lines += stackedColumns(data)
        case .lines: lines += lineChart(data)
        case .scatter: lines += scatter(data)
        case .map: lines += map(data)
        case .pie: lines += pie(data)
        }
        lines += data.notes.flatMap { wrapped($0, width) }.map(dim)
        return lines.map(trimmedRight).joined(separator: "\n") + "\n"
    }

    func defaultTitle(_ data: ChartData) -> String { ChartSVG().defaultTitle(data) }

    // MARK: Bars

    func bars(_ data: ChartData) -> [String] {
        let values = data.series.first?.values ?? []
        guard !values.isEmpty else { return [] }
        let texts = values.map { $0.map(formatNumber) ?? "null" }
        let present = values.compactMap { $0 }
        let ticks = axisTicks(present.min() ?? 0, present.max() ?? 0, count: 4)
        let low = ticks.first!, high = ticks.last!
        let valueWidth = texts.map(\.count).max() ?? 0
        let labelWidth = min(data.labels.map { displayWidth($0) }.max() ?? 0, max(6, width / 3))
        // label, space, the plot, space, the value after the longest bar.
        let plot = max(8, width - labelWidth - 2 - valueWidth - 1)
        let zero = toCells((-low / (high - low) * Double(plot)).rounded())
        func eighthsOf(_ v: Double) -> Int { toCells((abs(v) / (high - low) * Double(plot * 8)).rounded()) }
        var lines: [String] = []
        for (i, value) in values.enumerated() {
            let label = pad(fit(data.labels[i], labelWidth), labelWidth)
            var left = String(repeating: " ", count: zero)
            var right = ""
            if let value, value < 0 {
                let length = min(zero * 8, max(1, eighthsOf(value)))
                let full = length / 8, part = length % 8
                let bar = (part >= 4 ? "▐" : part > 0 ? "▕" : "") + String(repeating: "█", count: full)
                left = String(repeating: " ", count: max(0, zero - bar.count)) + color(bar, 0)
                right = " " + texts[i]
            } else if let value {
                let length = value == 0 ? 0 : min((plot - zero) * 8, max(1, eighthsOf(value)))
                let bar = String(repeating: "█", count: length / 8) + (length % 8 > 0 ? String(ChartTerminal.eighths[length % 8 - 1]) : "")
                right = color(bar, 0) + " " + texts[i]
            } else {
                right = " " + dim("null")
            }
            lines.append(label + " " + left + "│" + right)
        }
        if let other = data.other {
            let label = pad(fit("\(withThousands(other.count)) more", labelWidth), labelWidth)
            lines.append(label + " " + String(repeating: " ", count: zero) + "│ " + dim(fit((other.total.map(formatNumber) ?? "null") + " together, not drawn", plot)))
        }
        // The axis: ticks where they fit, each label centred on its tick.
        let indent = labelWidth + 1
        var axis = String(repeating: " ", count: indent) + String(repeating: "─", count: zero) + (zero > 0 ? "┼" : "└")
            + String(repeating: "─", count: max(0, plot - zero))
        if zero == 0 { axis = String(repeating: " ", count: indent) + "└" + String(repeating: "─", count: plot) }
        lines.append(dim(axis))
        lines.append(dim(tickLine(ticks.map { (indent + toCells((($0 - low) / (high - low) * Double(plot)).rounded()), formatNumber($0)) })))
        return lines
    }

    /// Labels placed at columns, centred where they can be, skipping any that would overlap.
    func tickLine(_ ticks: [(column: Int, text: String)]) -> String {
        var line: [Character] = Array(repeating: " ", count: width)
        var free = 0
        for tick in ticks {
            let count = tick.text.count
            var start = tick.column - count / 2
            start = max(start, 0)
            if start + count > width { start = width - count }
            guard start >= free, start >= 0 else { continue }
            for (k, c) in tick.text.enumerated() { line[start + k] = c }
            free = start + count + 2
        }
        return String(line)
    }

    // MARK: Text helpers

    /// `text` in lines of at most `width`, broken at spaces.
    func wrapped(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = "  "
            }
            line += (line.isEmpty || line == "  " ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { fit($0, width) }
    }

    func fit(_ text: String, _ width: Int) -> String { truncated(text, toWidth: width) }

    func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - displayWidth(text)))
    }

    func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - displayWidth(text))) + text
    }

    func trimmedRight(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    func color(_ text: String, _ series: Int) -> String {
        guard useColor, !text.isEmpty else { return text }
        return "\u{1B}[\(ChartTerminal.palette[series % ChartTerminal.palette.count])m\(text)\u{1B}[0m"
    }

    func dim(_ text: String) -> String { useColor && !text.isEmpty ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { useColor && !text.isEmpty ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
}

extension ChartData {
    /// The chart with every text a user or a file wrote (title, labels, names, notes) made
    /// safe for a terminal: controls, line separators and bidirectional controls escaped.
    var forTerminal: ChartData {
        var data = self
        data.title = title.map { escapingControlCharacters($0) }
        data.labels = labels.map { escapingControlCharacters($0) }
        data.valueName = escapingControlCharacters(valueName)
        data.labelName = escapingControlCharacters(labelName)
        data.notes = notes.map { escapingControlCharacters($0) }
        for i in data.series.indices { data.series[i].name = escapingControlCharacters(series[i].name) }
        return data
    }
}
