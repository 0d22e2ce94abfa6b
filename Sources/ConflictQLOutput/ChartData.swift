// A chart's rows turned into what both renderers draw (ChartTerminal.swift, ChartSVG.swift):
// labelled bars, or series of numbers over a time axis with every step present (a month
// without rows is a zero, not a missing tick), or a histogram's bins. Decisions about the
// data live here once, so the terminal and the SVG always show the same chart.

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

struct ChartData {
    enum Shape { case bars, columns, stacked, lines, histogram, scatter, map, pie }

    /// A point of a scatter (x, y, the series it is in) or of a map (longitude, latitude, and
    /// the size's value).
    struct Point {
        var x: Double
        var y: Double
        var series: Int
        var value: Double?
        var label: String?
    }

    struct Series {
        var name: String
        /// One value per label; nil where the row had a null.
        var values: [Double?]
    }

    var shape: Shape
    var title: String?
    /// The bars' labels, the time axis's ticks, or the bins ("0 to 10").
    var labels: [String]
    var series: [Series]
    /// What the numbers are: the number column's name (for a histogram: "rows").
    var valueName: String
    /// What the labels are: the label or time column's name, or the binned column's.
    var labelName: String
    /// Lines under the chart: the total, what was left out and why.
    var notes: [String]
    /// Bars past the largest `maximumBars - 1`: how many, and their values added up. Shown
    /// as a line of text, not a bar, since beside the others it would dwarf them all.
    var other: (count: Int, total: Double?)? = nil
    /// A scatter's or a map's points.
    var points: [Point] = []
    /// What a scatter's x numbers are; a map's coordinates' names.
    var xName = ""
    var yName = ""
    var options = ChartOptions()
    /// A map of PRIO-GRID cells: each point is a cell's centre, drawn as its 0.5° square.
    var gridCells = false
    /// A map of regions or countries, each filled by its number.
    var areas: [Area] = []

    struct Area {
        var name: String
        var rings: [[(longitude: Double, latitude: Double)]]
        var box: (west: Double, south: Double, east: Double, north: Double)
        var value: Double?
    }

    /// What a map's frame must hold: its points, or its areas' corners.
    var framePoints: [Point] {
        areas.isEmpty ? points : areas.flatMap { area in
            [Point(x: area.box.west, y: area.box.south, series: 0), Point(x: area.box.east, y: area.box.north, series: 0)]
        }
    }
    /// A map filled by class: grid cells or areas.
    var isChoropleth: Bool { gridCells || !areas.isEmpty }

    /// At most this many bars; the rest are added up in one bar, "other".
    static let maximumBars = 25
    /// At most this many series; the rest are added up in one series, "other".
    static let maximumSeries = 6
    /// A time axis of more steps than this is not filled with zeros (it would be mostly zeros).
    static let maximumFilledSteps = 100_000

    var allValues: [Double] { series.flatMap { $0.values.compactMap { $0 } } }

    /// A time chart whose kind the shape chose is drawn as lines past this many steps.
    static let maximumChosenColumns = 48

    init(_ chart: Chart) {
        let table = chart.table, spec = chart.spec
        title = spec.title
        notes = []
        series = []
        labels = []
        shape = .bars
        valueName = spec.values.first.map { table.schema.fields[$0].name } ?? ""
        labelName = spec.category.map { table.schema.fields[$0].name } ?? valueName
        options = spec.options
        switch spec.kind {
        case .bar: makeBars(table, label: spec.category ?? 0, value: spec.values.first ?? 1)
        case .pie: makePie(table, label: spec.category ?? 0, value: spec.values.first ?? 1)
        case .histogram: makeHistogram(table, value: spec.values.first ?? 0)
        case .scatter: makeScatter(table, spec)
        case .map: makeMap(table, spec)
        case .stacked:
            makeTimeSeries(table, spec)
            shape = .stacked
        case .column, .line:
            makeTimeSeries(table, spec)
            shape = spec.kind == .line ? .lines : .columns
            // Chosen by the shape: many thin columns, or several series side by side, read
            // better as lines (the same rule for the terminal and SVG, so both show one chart).
            if spec.chosen, labels.count > ChartData.maximumChosenColumns || series.count > 1 { shape = .lines }
        }
    }

    // MARK: Bars

    mutating func makeBars(_ table: Table, label: Int, value: Int) {
        shape = .bars
        var rows: [(label: String, value: Double?)] = (0..<table.rowCount).map { row in
            (chartLabel(table.columns[label].value(at: row)), chartValue(table.columns[value].value(at: row)))
        }
        if rows.count > ChartData.maximumBars {
            // The largest first; the rest added up, so the chart's total stays the result's.
            let kept = ChartData.maximumBars - 1
            let order = rows.indices.sorted { a, b in
                let x = rows[a].value ?? -.infinity, y = rows[b].value ?? -.infinity
                return x != y ? x > y : a < b
            }
            let rest = order[kept...].compactMap { rows[$0].value }
            other = (rows.count - kept, rest.isEmpty ? nil : rest.reduce(0, +))
            rows = order[..<kept].map { rows[$0] }
            notes.append("the \(kept) largest of \(withThousands(table.rowCount)) bars")
        }
        labels = rows.map(\.label)
        series = [Series(name: valueName, values: rows.map(\.value))]
        addTotal()
    }

    // MARK: Scatter and map

    mutating func makeScatter(_ table: Table, _ spec: ChartSpec) {
        shape = .scatter
        let fields = table.schema.fields
        let x = chartNumbers(table.columns[spec.values[0]]), y = chartNumbers(table.columns[spec.values[1]])
        xName = fields[spec.values[0]].name
        yName = fields[spec.values[1]].name
        valueName = yName
        labelName = xName
        let names = spec.series.map { chartLabels(table.columns[$0]) }
        var index: [String: Int] = [:]
        var missing = 0
        for row in 0..<table.rowCount {
            guard let px = x[row], let py = y[row] else { missing += 1; continue }
            var s = 0
            if !names.isEmpty {
                let name = names.map { $0[row] }.joined(separator: " · ")
                if let known = index[name] { s = known } else {
                    s = series.count
                    index[name] = s
                    series.append(Series(name: name, values: []))
                }
            }
            points.append(Point(x: px, y: py, series: s, value: nil, label: nil))
        }
        if series.isEmpty { series = [Series(name: yName, values: [])] }
        if series.count > ChartData.maximumSeries {
            // Past six series the colours cannot be told apart: the rest are one, "other".
            let kept = ChartData.maximumSeries - 1
            for i in points.indices where points[i].series >= kept { points[i].series = kept }
            notes.append("the first \(kept) of \(series.count) series; the other \(series.count - kept) drawn as one")
            series = Array(series.prefix(kept)) + [Series(name: "other (\(series.count - kept))", values: [])]
        }
        notes.insert("\(rowsText(points.count)) drawn", at: 0)
        if missing > 0 { notes.append("\(rowsText(missing)) with a null \(xName) or \(yName) left out") }
    }

    mutating func makeMap(_ table: Table, _ spec: ChartSpec) {
        shape = .map
        let fields = table.schema.fields
        let values = spec.values.first.map { chartNumbers(table.columns[$0]) }
        let labels = spec.series.first.map { chartLabels(table.columns[$0]) }
        valueName = spec.values.first.map { fields[$0].name } ?? ""
        labelName = spec.series.first.map { fields[$0].name } ?? ""
        var lat: [Double?] = [], lon: [Double?] = []
        if let areaColumn = spec.area, let values {
            makeAreas(table, spec, areaColumn: areaColumn, values: values)
            return
        }
        if let cellColumn = spec.cell, case .int(let ids) = table.columns[cellColumn].storage {
            // A cell's centre: row and column from its id (from 1 at (-90, -180), 720 a row).
            gridCells = true
            for row in 0..<table.rowCount {
                let id = ids[row]
                guard !table.columns[cellColumn].isNull(row), id >= 1, id <= 259_200 else { lat.append(nil); lon.append(nil); continue }
                lat.append(Double((id - 1) / 720) * 0.5 - 90 + 0.25)
                lon.append(Double((id - 1) % 720) * 0.5 - 180 + 0.25)
            }
            yName = fields[cellColumn].name
            xName = fields[cellColumn].name
        } else if let latitudeColumn = spec.latitude, let longitudeColumn = spec.longitude {
            lat = chartNumbers(table.columns[latitudeColumn])
            lon = chartNumbers(table.columns[longitudeColumn])
            yName = fields[latitudeColumn].name
            xName = fields[longitudeColumn].name
        } else {
            return
        }
        var missing = 0
        for row in 0..<table.rowCount {
            guard let y = lat[row], let x = lon[row], abs(y) <= 90, abs(x) <= 180 else { missing += 1; continue }
            points.append(Point(x: x, y: y, series: 0, value: values?[row], label: labels?[row]))
        }
        series = [Series(name: valueName.isEmpty ? "events" : valueName, values: [])]
        var summary = "\(rowsText(points.count)) drawn"
        if let values {
            let total = values.compactMap { $0 }.reduce(0, +)
            summary = "total \(valueName) \(formatNumber(total)) · " + summary
        }
        notes.insert(summary, at: 0)
        if missing > 0 {
            notes.append("\(rowsText(missing)) without \(gridCells ? "a PRIO-GRID cell" : "a latitude and longitude") in range left out")
        }
        if gridCells { notes.append("PRIO-GRID cells of 0.5°, filled by \(valueName) in five classes of equal width") }
        notes.append("outlines: \(Boundaries.source); equirectangular projection")
    }

    /// A choropleth of regions (or countries): each row's name found among the outlines, folded
    /// as `Boundaries.foldedRegionName` does (UCDP's "Tombouctou region" is Tombouctou).
    mutating func makeAreas(_ table: Table, _ spec: ChartSpec, areaColumn: Int, values: [Double?]) {
        let names = chartLabels(table.columns[areaColumn])
        labelName = table.schema.fields[areaColumn].name
        var unmatched: [String] = []
        for row in 0..<table.rowCount {
            if spec.areaIsCountry, let country = Boundaries.country(named: names[row]) {
                areas.append(Area(name: country.name, rings: country.rings, box: country.box, value: values[row]))
            } else if !spec.areaIsCountry, let region = Boundaries.region(named: names[row]) {
                areas.append(Area(name: region.name, rings: region.rings, box: region.box, value: values[row]))
            } else {
                unmatched.append(names[row])
            }
        }
        series = [Series(name: valueName, values: [])]
        let total = areas.compactMap(\.value).reduce(0, +)
        let drawn = "\(withThousands(areas.count)) \(spec.areaIsCountry ? "countries" : "regions") drawn"
        notes.insert("total \(valueName) \(formatNumber(total)) · \(drawn)", at: 0)
        if !unmatched.isEmpty {
            let shown = unmatched.prefix(5).joined(separator: ", ") + (unmatched.count > 5 ? ", ..." : "")
            notes.append("\(rowsText(unmatched.count)) naming no outline kept here left out: \(shown)")
        }
        notes.append("filled by \(valueName) in five classes of equal width")
        notes.append("outlines: \(spec.areaIsCountry ? Boundaries.source : Boundaries.regionSource); equirectangular projection")
    }

    // MARK: Pie

    /// At most this many slices; the rest are one slice, "other".
    static let maximumSlices = 8

    /// Slices: the rows' shares of their total, the largest first (a pie is read from twelve
    /// o'clock clockwise); a negative or null number is no share, left out and said.
    mutating func makePie(_ table: Table, label: Int, value: Int) {
        shape = .pie
        var slices: [(label: String, value: Double)] = []
        var left = 0
        for row in 0..<table.rowCount {
            guard let v = chartValue(table.columns[value].value(at: row)), v >= 0 else { left += 1; continue }
            slices.append((chartLabel(table.columns[label].value(at: row)), v))
        }
        slices.sort { $0.value > $1.value }
        if slices.count > ChartData.maximumSlices {
            let kept = ChartData.maximumSlices - 1
            let rest = slices[kept...].reduce(0) { $0 + $1.value }
            slices = Array(slices[..<kept]) + [("other (\(slices.count - kept))", rest)]
        }
        labels = slices.map(\.label)
        series = [Series(name: valueName, values: slices.map(\.value))]
        let total = slices.reduce(0) { $0 + $1.value }
        notes.append("total \(valueName) \(formatNumber(total))")
        if left > 0 { notes.append("\(rowsText(left)) with a negative or null \(valueName) left out (a pie shows shares of a whole)") }
    }

    /// A slice's share of the pie, in per cent.
    func share(_ index: Int) -> Double {
        let values = series.first?.values.map { $0 ?? 0 } ?? []
        let total = values.reduce(0, +)
        return total > 0 && values.indices.contains(index) ? values[index] / total * 100 : 0
    }

    // MARK: Histogram

    mutating func makeHistogram(_ table: Table, value: Int) {
        shape = .histogram
        let column = table.columns[value]
        let values = chartNumbers(column).compactMap { $0 }
        let isInt = column.type != .float
        let missing = table.rowCount - values.count
        labelName = valueName
        valueName = "rows"
        guard let low = values.min(), let high = values.max() else {
            labels = []
            series = [Series(name: "rows", values: [])]
            notes.append("no values to draw: \(labelName) is null in every row")
            return
        }
        // Sturges' number of bins, with a round width (1, 2 or 5 times a power of ten).
        let target = max(5, min(20, Int(log2(Double(values.count)).rounded(.up)) + 1))
        var width = niceStep((high - low) / Double(target))
        if isInt { width = max(1, width.rounded(.up)) }
        if width <= 0 || !width.isFinite { width = 1 }
        let start = (low / width).rounded(.down) * width
        let count = max(1, min(200, toCells(((high - start) / width).rounded(.down)) + 1))
        var counts = [Double](repeating: 0, count: count)
        for v in values { counts[min(count - 1, max(0, toCells(((v - start) / width).rounded(.down))))] += 1 }
        labels = (0..<count).map { i in
            let from = start + Double(i) * width
            return isInt && width == 1 ? formatNumber(from) : "\(formatNumber(from)) to \(formatNumber(from + width))"
        }
        series = [Series(name: "rows", values: counts)]
        notes.append("\(rowsText(values.count)), bins of \(formatNumber(width))" + (isInt && width == 1 ? "" : " (start ≤ x < end)"))
        if missing > 0 { notes.append("\(rowsText(missing)) with a null \(labelName) left out") }
    }

    // MARK: Time series

    mutating func makeTimeSeries(_ table: Table, _ spec: ChartSpec) {
        let time = spec.category ?? 0
        let timeColumn = table.columns[time]
        // The series: one per value column, or one per distinct value of the text columns.
        var seriesNames: [String] = []
        var seriesIndex: [String: Int] = [:]
        var points: [(x: Int64, series: Int, value: Double?)] = []
        var precision: DatePrecision? = nil
        var isDate = false
        var missingTime = 0
        if spec.series.isEmpty { seriesNames = spec.values.map { table.schema.fields[$0].name } }
        // Read from the columns' typed storage: a result of a million rows draws in tens of
        // milliseconds, not in a million boxed values.
        let numbers = spec.values.map { chartNumbers(table.columns[$0]) }
        let names = spec.series.map { chartLabels(table.columns[$0]) }
        var days: [Int32] = [], precisions: [DatePrecision] = [], ints: [Int64] = []
        switch timeColumn.storage {
        case .date(let d, let p): (days, precisions, isDate) = (d, p, true)
        case .int(let v): ints = v
        default: break
        }
        points.reserveCapacity(table.rowCount * (spec.series.isEmpty ? spec.values.count : 1))
        for row in 0..<table.rowCount {
            let x: Int64
            if timeColumn.isNull(row) || (days.isEmpty && ints.isEmpty) {
                missingTime += 1
                continue
            } else if isDate {
                precision = min(precision ?? precisions[row], precisions[row])
                x = Int64(days[row])
            } else {
                x = ints[row]
            }
            if spec.series.isEmpty {
                for n in numbers.indices { points.append((x, n, numbers[n][row])) }
            } else {
                let name = names.count == 1 ? names[0][row] : names.map { $0[row] }.joined(separator: " · ")
                let n: Int
                if let known = seriesIndex[name] { n = known } else {
                    n = seriesNames.count
                    seriesIndex[name] = n
                    seriesNames.append(name)
                }
                points.append((x, n, numbers[0][row]))
            }
        }
        if missingTime > 0 { notes.append("\(rowsText(missingTime)) with a null \(labelName) left out") }
        // The steps of the axis, every one of them from the first to the last.
        let xs = Set(points.map(\.x)).sorted()
        var ticks: [Int64] = xs
        var stepName = "step"
        if let first = xs.first, let last = xs.last {
            if isDate {
                let unit: DurationUnit
                switch precision ?? .day {
                case .year: unit = .year
                case .month: unit = .month
                case .day:
                    // Mondays a whole number of weeks apart (to_week) step by weeks.
                    let mondays = xs.allSatisfy { (($0 % 7) + 7 + 3) % 7 == 0 }
                    unit = mondays ? .week : .day
                }
                stepName = unit.rawValue
                var filled: [Int64] = []
                var day = first
                while day <= last && filled.count <= ChartData.maximumFilledSteps {
                    filled.append(day)
                    day = step(day, unit)
                }
                if filled.count <= ChartData.maximumFilledSteps { ticks = filled }
                else { notes.append("too many \(unit.rawValue)s to fill: only those with rows are shown") }
                labels = ticks.map { DateValue(days: Int32(clamping: $0), precision: unit == .year ? .year : unit == .month ? .month : .day).description }
            } else {
                stepName = labelName
                let (span, overflow) = last.subtractingReportingOverflow(first)
                if !overflow && span < Int64(ChartData.maximumFilledSteps) { ticks = Array(first...last) }
                labels = ticks.map { String($0) }
            }
        }
        // Zero where a series has no row at a step; values at the same step are added up.
        var position: [Int64: Int] = [:]
        for (i, x) in ticks.enumerated() { position[x] = i }
        var values = [[Double?]](repeating: [Double?](repeating: 0, count: ticks.count), count: seriesNames.count)
        // A step is null only when every row there is null; a value wins over a null.
        var hasValue = [Bool](repeating: false, count: ticks.count * seriesNames.count)
        for point in points {
            guard let i = position[point.x] else { continue }
            let seen = point.series * ticks.count + i
            if let v = point.value {
                values[point.series][i] = (hasValue[seen] ? (values[point.series][i] ?? 0) : 0) + v
                hasValue[seen] = true
            } else if !hasValue[seen] {
                values[point.series][i] = nil
            }
        }
        series = zip(seriesNames, values).map { Series(name: $0, values: $1) }
        if series.count > ChartData.maximumSeries {
            let totals = series.map { $0.values.reduce(0) { $0 + ($1 ?? 0) } }
            let order = series.indices.sorted { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : $0 < $1 }
            let kept = ChartData.maximumSeries - 1
            let rest = order[kept...]
            let other = Series(name: "other (\(rest.count))", values: ticks.indices.map { i in rest.reduce(0) { $0 + (series[$1].values[i] ?? 0) } })
            notes.append("the \(kept) largest of \(series.count) series; the other \(rest.count) added up")
            series = order[..<kept].map { series[$0] } + [other]
        }
        if ticks.count > 0 {
            let span = labels.count == 1 ? labels[0] : "\(labels.first!) to \(labels.last!)"
            let steps = "\(withThousands(ticks.count)) \(stepName)\(ticks.count == 1 || stepName.hasSuffix("s") ? "" : "s")"
            let total = allValues.reduce(0, +)
            notes.insert("total \(formatNumber(total)) · \(steps), \(span)", at: 0)
        } else {
            notes.append("no rows to draw")
        }
    }

    func step(_ day: Int64, _ unit: DurationUnit) -> Int64 {
        switch unit {
        case .day: return day + 1
        case .week: return day + 7
        case .month, .year:
            let (y, m, _) = DateValue.civil(fromDays: Int(day))
            let next = unit == .year ? (y + 1, m) : (m == 12 ? (y + 1, 1) : (y, m + 1))
            return Int64(DateValue.daysFromCivil(year: next.0, month: next.1, day: 1))
        }
    }

    mutating func addTotal() {
        let values = series.first?.values ?? []
        let present = values.compactMap { $0 }
        if present.isEmpty {
            notes.insert(values.isEmpty ? "no rows to draw" : "no values to draw: \(valueName) is null in every row", at: 0)
        } else {
            let nulls = values.count - present.count
            let count = values.count + (other?.count ?? 0)
            let total = present.reduce(0, +) + (other?.total ?? 0)
            notes.insert("total \(formatNumber(total)) · \(withThousands(count)) bar\(count == 1 ? "" : "s")"
                         + (nulls > 0 ? " (\(withThousands(nulls)) null)" : ""), at: 0)
        }
    }
}
