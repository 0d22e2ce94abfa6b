// Time charts as terminal text: columns of eighth blocks, or lines in braille dots (2 x 4 per
// character), over a y axis of round values and an x axis of real dates. Several series get
// colours and a legend; without colour, columns get shades and lines get markers.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

extension ChartTerminal {
    /// Rows of the plot between two ticks of the y axis.
    static let rowsPerTick = 3

    struct YAxis {
        var ticks: [Double]
        var height: Int
        var labelWidth: Int
        var low: Double { ticks.first! }
        var high: Double { ticks.last! }

        init(_ values: [Double]) {
            ticks = axisTicks(values.min() ?? 0, values.max() ?? 0, count: 4)
            height = ChartTerminal.rowsPerTick * (ticks.count - 1)
            labelWidth = ticks.map { formatNumber($0).count }.max() ?? 1
        }

        /// `value`'s height above the bottom, in units of `perRow` per row.
        func position(_ value: Double, perRow: Int) -> Double {
            (value - low) / (high - low) * Double(height * perRow)
        }

        /// The label of plot row `row` (0 at the top): a tick at the row's top edge.
        func label(_ row: Int) -> String? {
            let fromBottom = height - row
            guard fromBottom % ChartTerminal.rowsPerTick == 0 else { return nil }
            return formatNumber(ticks[fromBottom / ChartTerminal.rowsPerTick])
        }
    }

    // MARK: Columns

    func columns(_ data: ChartData) -> [String] {
        guard !data.labels.isEmpty else { return [] }
        let axis = YAxis(data.allValues)
        let plot = width - axis.labelWidth - 2
        let seriesCount = data.series.count
        // Each step gets a cell; too many steps for the width share a cell, which shows the
        // largest of them (said under the chart).
        let perCell = max(1, (data.labels.count * seriesCount + plot - 1) / plot)
        let cells = (data.labels.count + perCell - 1) / perCell
        let cellWidth = max(1, min(8, plot / max(1, cells)))
        let gap = cellWidth >= 3 ? 1 : 0
        let barWidth = max(1, (cellWidth - gap) / seriesCount)
        func cellValue(_ series: Int, _ cell: Int) -> Double? {
            let range = (cell * perCell)..<min(data.labels.count, (cell + 1) * perCell)
            let values = range.compactMap { data.series[series].values[$0] }
            return values.isEmpty ? nil : values.max(by: { abs($0) < abs($1) })
        }
        let zero = toCells(axis.position(0, perRow: 8).rounded())
        let shades: [Character] = ["█", "▓", "▒", "░", "▚", "▞"]
        var lines: [String] = []
        for row in 0..<axis.height {
            let bottom = (axis.height - 1 - row) * 8
            var line = ""
            for cell in 0..<cells {
                // `labels`: a single series' value written in the row above its column's top,
                // where it fits the column's width.
                if data.options.labels, seriesCount == 1, let v = cellValue(0, cell), v >= 0 {
                    let top = toCells(axis.position(v, perRow: 8).rounded())
                    let text = formatNumber(v)
                    if text.count <= cellWidth, row == axis.height - 1 - max(0, top - 1) / 8 - 1 {
                        line += text + String(repeating: " ", count: cellWidth - text.count)
                        continue
                    }
                }
                for s in 0..<seriesCount {
                    var glyph: Character = " "
                    if let v = cellValue(s, cell) {
                        let top = toCells(axis.position(v, perRow: 8).rounded())
                        // The zero line is a tick, so it falls between two rows.
                        if v >= 0 && bottom >= zero {
                            let filled = min(8, max(0, top - bottom))
                            if filled > 0 { glyph = useColor || s == 0 ? ChartTerminal.columnEighths[filled - 1] : shades[s % shades.count] }
                            if !useColor && s > 0 && filled < 4 { glyph = " " }
                        } else if v < 0 && bottom < zero {
                            let filled = min(8, max(0, bottom + 8 - top))
                            if filled > 0 { glyph = !useColor && s > 0 ? shades[s % shades.count] : filled >= 6 ? "█" : filled >= 3 ? "▀" : "▔" }
                        }
                    }
                    line += color(String(repeating: String(glyph), count: barWidth), s)
                }
                line += String(repeating: " ", count: max(0, cellWidth - barWidth * seriesCount))
            }
            lines.append(padLeft(axis.label(row) ?? "", axis.labelWidth) + (axis.label(row) == nil ? " │" : " ┤") + line)
        }
        lines.append(padLeft(formatNumber(axis.low), axis.labelWidth) + " └" + dim(String(repeating: "─", count: min(plot, cells * cellWidth))))
        let origin = axis.labelWidth + 2
        lines.append(dim(xLabels(data.labels, count: cells, every: perCell) { origin + $0 * cellWidth + (cellWidth - gap) / 2 }))
        if seriesCount > 1 { lines.append(legend(data, glyphs: useColor ? nil : shades.map { String($0) })) }
        if perCell > 1 {
            lines.append(dim("each column is the largest of \(perCell) \(data.labelName) values"))
        }
        return lines
    }

    static let columnEighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Date labels under the axis, as many as fit without touching; `column` gives the
    /// screen column of a cell.
    func xLabels(_ labels: [String], count cells: Int, every perCell: Int, column: (Int) -> Int) -> String {
        let longest = (labels.map { displayWidth($0) }.max() ?? 1) + 2
        if labels.first?.count == 10 {
            // Days (and weeks): ticked on calendar boundaries, as many as fit.
            let span = max(1, column(max(0, cells - 1)) - column(0) + 1)
            return tickLine(calendarTicks(labels, fitting: max(2, span / 9)).map { (column($0.index / perCell), $0.text) })
        }
        let spacing = max(1, column(1) - column(0))
        var stride = max(1, (longest + spacing - 1) / spacing)
        // Months labelled every 12 start at a January, every 3 at a quarter, when they can.
        if stride > 6 && stride <= 12 { stride = 12 } else if stride > 3 && stride <= 6 { stride = 6 }
        let first = labels.first.flatMap { label -> Int? in
            guard stride % 12 == 0 || stride % 6 == 0 || stride % 3 == 0, label.count == 7, let month = Int(label.suffix(2)) else { return nil }
            return (stride - (month - 1) % stride) % stride
        } ?? 0
        var ticks: [(column: Int, text: String)] = []
        var cell = first
        while cell < cells {
            ticks.append((column(cell), labels[cell * perCell]))
            cell += stride
        }
        return tickLine(ticks)
    }

    func legend(_ data: ChartData, glyphs: [String]?) -> String {
        var line = ""
        for (s, series) in data.series.enumerated() {
            let glyph = glyphs.map { $0[s % $0.count] } ?? "█"
            let entry = color(glyph, s) + " " + series.name
            if line.isEmpty { line = entry } else { line += "  " + entry }
        }
        return line
    }

    // MARK: Lines

    func lineChart(_ data: ChartData) -> [String] {
        guard !data.labels.isEmpty else { return [] }
        let axis = YAxis(data.allValues)
        let plot = width - axis.labelWidth - 2
        let n = data.labels.count
        let dotsWide = plot * 2, dotsHigh = axis.height * 4
        // Without colour, several series cannot be told apart as lines: markers instead.
        let markers = !useColor && data.series.count > 1 ? ["*", "o", "+", "x", "#", "@"] : nil
        var dots = [[UInt8]](repeating: [UInt8](repeating: 0, count: plot), count: axis.height)
        var owner = [[Int]](repeating: [Int](repeating: -1, count: plot), count: axis.height)
        var marks = [[String?]](repeating: [String?](repeating: nil, count: plot), count: axis.height)
        func x(_ i: Int) -> Int { n == 1 ? dotsWide / 2 : Int((Double(i) * Double(dotsWide - 1) / Double(n - 1)).rounded()) }
        func y(_ v: Double) -> Int { min(dotsHigh - 1, max(0, toCells(axis.position(v, perRow: 4).rounded(.down)))) }
        func set(_ px: Int, _ py: Int, _ s: Int) {
            let row = axis.height - 1 - py / 4, col = px / 2
            guard row >= 0, row < axis.height, col >= 0, col < plot else { return }
            let dy = 3 - py % 4, dx = px % 2
            let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
            dots[row][col] |= bits[dy][dx]
            owner[row][col] = s
        }
        // Markers for zeros on a zero axis would bury it (series meet there): the axis says
        // zero, and the legend says so.
        let skipsZeros = markers != nil && axis.low == 0
        if let markers {
            for (s, series) in data.series.enumerated() {
                for (i, value) in series.values.enumerated() where value != nil && !(skipsZeros && value == 0) {
                    let py = y(value!), row = axis.height - 1 - py / 4, col = min(plot - 1, x(i) / 2)
                    marks[row][col] = markers[s % markers.count]
                }
            }
        }
        for (s, series) in data.series.enumerated() where markers == nil {
            var previous: (Int, Int)? = nil
            for (i, value) in series.values.enumerated() {
                guard let value else { previous = nil; continue }
                let point = (x(i), y(value))
                if let (px, py) = previous {
                    // Bresenham between the two points.
                    var (x0, y0) = (px, py)
                    let (dx, dy) = (abs(point.0 - px), -abs(point.1 - py))
                    let (sx, sy) = (px < point.0 ? 1 : -1, py < point.1 ? 1 : -1)
                    var error = dx + dy
                    while true {
                        set(x0, y0, s)
                        if x0 == point.0 && y0 == point.1 { break }
                        let e2 = 2 * error
                        if e2 >= dy { error += dy; x0 += sx }
                        if e2 <= dx { error += dx; y0 += sy }
                    }
                } else {
                    set(point.0, point.1, s)
                }
                previous = point
            }
        }
        var lines: [String] = []
        for row in 0..<axis.height {
            var line = ""
            for col in 0..<plot {
                if let mark = marks[row][col] {
                    line += mark
                } else if dots[row][col] == 0 {
                    line += " "
                } else {
                    line += color(String(Character(Unicode.Scalar(0x2800 + UInt32(dots[row][col]))!)), max(0, owner[row][col]))
                }
            }
            lines.append(padLeft(axis.label(row) ?? "", axis.labelWidth) + (axis.label(row) == nil ? " │" : " ┤") + line)
        }
        lines.append(padLeft(formatNumber(axis.low), axis.labelWidth) + " └" + dim(String(repeating: "─", count: plot)))
        let origin = axis.labelWidth + 2
        let spacing = n > 1 ? Double(dotsWide - 1) / Double(n - 1) / 2 : 1
        let columnOf: (Int) -> Int = { origin + (n == 1 ? plot / 2 : Int((Double($0) * spacing).rounded())) }
        lines.append(dim(xLabels(data.labels, count: n, every: 1, column: columnOf)))
        if data.series.count > 1 { lines.append(legend(data, glyphs: markers) + (skipsZeros ? "  (zeros unmarked)" : "")) }
        return lines
    }
}
