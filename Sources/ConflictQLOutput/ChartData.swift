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
    enum Shape { case bars, columns, lines, histogram }

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
        switch spec.kind {
        case .bar: makeBars(table, label: spec.category ?? 0, value: spec.values.first ?? 1)
        case .histogram: makeHistogram(table, value: spec.values.first ?? 0)
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
