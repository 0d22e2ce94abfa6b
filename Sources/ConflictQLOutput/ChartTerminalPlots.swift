// Stacked columns, scatters and maps as terminal text. Stacked columns fill each cell with
// the series that covers most of it; scatters and maps draw in braille dots (2 x 4 to a
// character) on a canvas, a map's country outlines dotted and its points as marks sized by
// their number (· • ●), with a legend and a scale. Without colour, series are told apart by
// marks, as in line charts.

import ConflictQLCore
import ConflictQLData
import ConflictQLSemantics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Braille dots on a grid of characters; marks (a character of their own) over them.
struct BrailleCanvas {
    let columns: Int, rows: Int
    var dots: [[UInt8]]
    var owner: [[Int]]
    var marks: [[String?]]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        dots = Array(repeating: Array(repeating: 0, count: columns), count: rows)
        owner = Array(repeating: Array(repeating: -1, count: columns), count: rows)
        marks = Array(repeating: Array(repeating: nil, count: columns), count: rows)
    }

    var dotsWide: Int { columns * 2 }
    var dotsHigh: Int { rows * 4 }

    /// A dot at (x, y), y counted from the top.
    mutating func set(_ x: Int, _ y: Int, _ series: Int) {
        let row = y / 4, column = x / 2
        guard x >= 0, y >= 0, row < rows, column < columns else { return }
        let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        dots[row][column] |= bits[y % 4][x % 2]
        owner[row][column] = series
    }

    /// The dots of a straight line from one point to another.
    mutating func line(_ from: (Int, Int), _ to: (Int, Int), _ series: Int) {
        var (x0, y0) = from
        let (dx, dy) = (abs(to.0 - from.0), -abs(to.1 - from.1))
        let (sx, sy) = (from.0 < to.0 ? 1 : -1, from.1 < to.1 ? 1 : -1)
        var error = dx + dy
        var steps = 0
        while steps < 100_000 {
            set(x0, y0, series)
            if x0 == to.0 && y0 == to.1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x0 += sx }
            if e2 <= dx { error += dx; y0 += sy }
            steps += 1
        }
    }

    mutating func mark(_ x: Int, _ y: Int, _ text: String) {
        let row = y / 4, column = x / 2
        guard x >= 0, y >= 0, row < rows, column < columns else { return }
        marks[row][column] = text
    }

    /// Each row as text: marks, then dots coloured by their series through `color`.
    func lines(_ color: (String, Int) -> String) -> [String] {
        (0..<rows).map { row in
            var line = ""
            for column in 0..<columns {
                if let mark = marks[row][column] {
                    line += mark
                } else if dots[row][column] == 0 {
                    line += " "
                } else {
                    line += color(String(Character(Unicode.Scalar(0x2800 + UInt32(dots[row][column]))!)), owner[row][column])
                }
            }
            return line
        }
    }
}

extension ChartTerminal {
    // MARK: Stacked columns

    func stackedColumns(_ data: ChartData) -> [String] {
        guard !data.labels.isEmpty else { return [] }
        let count = data.labels.count
        let totals = (0..<count).map { i in data.series.reduce(0) { $0 + max(0, $1.values[i] ?? 0) } }
        let axis = YAxis(totals)
        let plot = width - axis.labelWidth - 2
        let perCell = max(1, (count + plot - 1) / plot)
        let cells = (count + perCell - 1) / perCell
        let cellWidth = max(1, min(8, plot / max(1, cells)))
        let barWidth = max(1, cellWidth - (cellWidth >= 3 ? 1 : 0))
        let shades: [Character] = ["█", "▓", "▒", "░", "▚", "▞"]
        // Each cell shows its step of largest total; a row's glyph is the series covering its middle.
        let steps = (0..<cells).map { cell in
            ((cell * perCell)..<min(count, (cell + 1) * perCell)).max { totals[$0] < totals[$1] } ?? cell * perCell
        }
        var lines: [String] = []
        for row in 0..<axis.height {
            let middle = Double(axis.height - 1 - row) + 0.5
            var line = ""
            for cell in 0..<cells {
                var base = 0.0, covering: Int? = nil
                for (s, series) in data.series.enumerated() {
                    let value = max(0, series.values[steps[cell]] ?? 0)
                    let from = axis.position(base, perRow: 1), to = axis.position(base + value, perRow: 1)
                    if value > 0 && middle >= from && middle < to { covering = s }
                    base += value
                }
                if let s = covering {
                    let glyph = String(repeating: String(useColor ? "█" : shades[s % shades.count]), count: barWidth)
                    line += color(glyph, s)
                } else {
                    line += String(repeating: " ", count: barWidth)
                }
                line += String(repeating: " ", count: max(0, cellWidth - barWidth))
            }
            lines.append(padLeft(axis.label(row) ?? "", axis.labelWidth) + (axis.label(row) == nil ? " │" : " ┤") + line)
        }
        lines.append(padLeft(formatNumber(axis.low), axis.labelWidth) + " └" + dim(String(repeating: "─", count: min(plot, cells * cellWidth))))
        let origin = axis.labelWidth + 2
        lines.append(dim(xLabels(data.labels, count: cells, every: perCell) { origin + $0 * cellWidth + barWidth / 2 }))
        lines += legendLines(data, glyphs: useColor ? nil : shades.map { String($0) })
        if perCell > 1 { lines.append(dim("each column is the step of largest total among \(perCell) \(data.labelName) values")) }
        return lines
    }

    // MARK: Scatter

    func scatter(_ data: ChartData) -> [String] {
        guard !data.points.isEmpty else { return [] }
        let axis = YAxis(data.points.map(\.y))
        let xTicks = axisTicks(data.points.map(\.x).min() ?? 0, data.points.map(\.x).max() ?? 0, count: 4)
        let plot = width - axis.labelWidth - 2
        var canvas = BrailleCanvas(columns: plot, rows: axis.height)
        let markers = !useColor && data.series.count > 1 ? ["*", "o", "+", "x", "#", "@"] : nil
        func px(_ x: Double) -> Int { toCells(((x - xTicks.first!) / (xTicks.last! - xTicks.first!) * Double(canvas.dotsWide - 1)).rounded()) }
        func py(_ y: Double) -> Int { canvas.dotsHigh - 1 - min(canvas.dotsHigh - 1, max(0, toCells(axis.position(y, perRow: 4).rounded(.down)))) }
        for point in data.points {
            if let markers { canvas.mark(px(point.x), py(point.y), markers[point.series % markers.count]) }
            else { canvas.set(px(point.x), py(point.y), point.series) }
        }
        var lines = canvas.lines { color($0, max(0, $1)) }.enumerated().map { row, line in
            padLeft(axis.label(row) ?? "", axis.labelWidth) + (axis.label(row) == nil ? " │" : " ┤") + line
        }
        lines.append(padLeft(formatNumber(axis.low), axis.labelWidth) + " └" + dim(String(repeating: "─", count: plot)))
        let origin = axis.labelWidth + 2
        lines.append(dim(tickLine(xTicks.map { (origin + px($0) / 2, formatNumber($0)) })))
        lines.append(dim(fit("x: \(data.options.xTitle ?? data.xName), y: \(data.options.yTitle ?? data.yName)", width)))
        if data.series.count > 1 { lines += legendLines(data, glyphs: markers) }
        return lines
    }

    /// The legend in lines that fit the width.
    func legendLines(_ data: ChartData, glyphs: [String]?) -> [String] {
        var lines: [String] = [], line = "", visible = 0
        for (s, series) in data.series.enumerated() {
            let glyph = glyphs.map { $0[s % $0.count] } ?? "█"
            let name = fit(series.name, width - 2)
            let length = 2 + displayWidth(name)
            if visible > 0 && visible + 2 + length > width {
                lines.append(line)
                line = ""
                visible = 0
            }
            line += (visible > 0 ? "  " : "") + color(glyph, s) + " " + name
            visible += (visible > 0 ? 2 : 0) + length
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: Map

    func map(_ data: ChartData) -> [String] {
        // A character is about twice as tall as it is wide: two dots across, four down, each
        // dot square when the frame is fitted to dots.
        let columns = width - 2
        let rows = max(8, min(40, columns / 3))
        let frame = MapFrame(data.framePoints, width: Double((columns - 1) * 2), height: Double((rows - 1) * 4))
        var canvas = BrailleCanvas(columns: min(columns, Int(frame.width / 2) + 1), rows: min(rows, Int(frame.height / 4) + 1))
        func point(_ longitude: Double, _ latitude: Double) -> (Int, Int) {
            (toCells(frame.x(longitude).rounded()), toCells(frame.y(latitude).rounded()))
        }
        for country in Boundaries.countries where frame.overlaps(country.box) {
            for ring in country.rings where ring.count > 1 {
                for i in 1..<ring.count {
                    canvas.line(point(ring[i - 1].longitude, ring[i - 1].latitude), point(ring[i].longitude, ring[i].latitude), 5)
                }
            }
        }
        let values = (data.points.compactMap(\.value) + data.areas.compactMap(\.value)).map { Swift.abs($0) }.sorted()
        let large = values.isEmpty ? 0 : values[values.count * 2 / 3], small = values.isEmpty ? 0 : values[values.count / 3]
        func glyph(_ value: Double?) -> String {
            guard let value, !values.isEmpty else { return "●" }
            return Swift.abs(value) > large ? "●" : Swift.abs(value) > small ? "•" : "·"
        }
        if data.isChoropleth {
            // A choropleth: every character whose middle is in a cell or a region, shaded by its class.
            let largest = values.last ?? 0
            let shades = ["░", "▒", "▓", "█", "█"]
            // The regions' outlines dotted first; a character crossed by one keeps its dots.
            for area in data.areas {
                for ring in area.rings where ring.count > 1 {
                    for i in 1..<ring.count {
                        canvas.line(point(ring[i - 1].longitude, ring[i - 1].latitude), point(ring[i].longitude, ring[i].latitude), 5)
                    }
                }
            }
            for area in data.areas {
                let shade = color(shades[ChartSVG().cellClass(area.value, largest)], 3)
                for column in 0..<canvas.columns {
                    for row in 0..<canvas.rows {
                        let longitude = frame.west + (Double(column * 2) + 1) / frame.stretch / frame.scale
                        let latitude = frame.north - (Double(row * 4) + 2) / frame.scale
                        guard canvas.dots[row][column] == 0 else { continue }
                        if Boundaries.contains(area.rings, area.box, latitude: latitude, longitude: longitude) {
                            canvas.mark(column * 2 + 1, row * 4 + 2, shade)
                        }
                    }
                }
            }
            for p in data.points where data.gridCells {
                let shade = color(shades[ChartSVG().cellClass(p.value, largest)], 3)
                let (x0, y0) = point(p.x - 0.25, p.y + 0.25), (x1, y1) = point(p.x + 0.25, p.y - 0.25)
                for column in Swift.stride(from: (x0 / 2) * 2 + 1, through: x1, by: 2) {
                    for row in Swift.stride(from: (y0 / 4) * 4 + 2, through: y1, by: 4) where column >= x0 && row >= y0 { canvas.mark(column, row, shade) }
                }
                canvas.mark((x0 + x1) / 2, (y0 + y1) / 2, shade)
            }
            var lines = canvas.lines { text, _ in useColor ? dim(text) : text }.map { "  " + $0 }
            var legend = "  \(data.valueName):"
            for k in 0..<4 {
                legend += " \(shades[k]) \(formatNumber(largest * Double(k) / 5))" + (k == 3 ? " to \(formatNumber(largest))" : "")
            }
            lines.append(fit(legend, width))
            if !data.areas.isEmpty {
                // The regions by their numbers, largest first: the names the shading cannot show.
                let ranked = data.areas.sorted { ($0.value ?? -.infinity) > ($1.value ?? -.infinity) }
                let named = ranked.map { "\($0.name) \($0.value.map(formatNumber) ?? "null")" }
                lines.append(fit("  " + named.joined(separator: " · "), width))
            }
            lines.append(dim(fit("  \(formatNumber(frame.north))°N to \(formatNumber(frame.south))°N, \(formatNumber(frame.west))° to \(formatNumber(frame.east))°E", width)))
            return lines
        }
        // The largest marks last, so that they show where points share a character.
        for p in data.points.sorted(by: { Swift.abs($0.value ?? 0) < Swift.abs($1.value ?? 0) }) {
            let (x, y) = point(p.x, p.y)
            canvas.mark(x, y, color(glyph(p.value), 3))
        }
        var lines = canvas.lines { text, _ in useColor ? dim(text) : text }.map { "  " + $0 }
        // Under the map: the scale, the sizes, the frame's corners and the outlines' source.
        let kilometres = niceStep(frame.kilometresPerPixel * 2 * Double(canvas.columns) / 5 * 0.7)
        let cells = max(1, toCells((kilometres / (frame.kilometresPerPixel * 2)).rounded()))
        var footer = "  ├" + String(repeating: "─", count: max(0, cells - 1)) + "┤ \(formatNumber(kilometres)) km"
        if !values.isEmpty {
            footer += "   \(data.valueName): ● over \(formatNumber(large))  • over \(formatNumber(small))  · \(formatNumber(small)) or less"
        }
        lines.append(fit(footer, width))
        lines.append(dim(fit("  \(formatNumber(frame.north))°N to \(formatNumber(frame.south))°N, \(formatNumber(frame.west))° to \(formatNumber(frame.east))°E", width)))
        return lines
    }
}
