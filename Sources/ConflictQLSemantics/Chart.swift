// The `chart` stage, checked: which kind of chart, and which columns of the result are its
// labels, its time axis, its series and its numbers. The stage is the last of a query and the
// plan below it runs as if it were not there; Output/Chart*.swift draws the rows it returns.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

/// The kinds of chart, with what each needs of the result: the words of every message.
public enum ChartKind: String, Sendable, CaseIterable {
    case bar, column, stacked, line, histogram, scatter, map, pie

    /// The shape of result this kind draws, for messages and `.help chart`.
    public var shape: String {
        switch self {
        case .bar: return "two columns, a label and a number (summarize n = count() by actor)"
        case .pie: return "two columns, a label and a number, none negative: shares of a whole (summarize n = count() by event_type)"
        case .column, .line, .stacked:
            return "a Date (or Int year) column and one or more number columns, or one number and a text column naming each series (summarize n = count() by month = to_month(date), country)"
        case .histogram: return "one number column (select fatalities)"
        case .scatter: return "two number columns, x then y, and optionally a text column naming each series (select events, fatalities)"
        case .map:
            return "a PRIO-GRID cell column (priogrid) and a number, or a latitude and a longitude column (named latitude or lat, longitude or lon), and optionally a number sizing"
                + " each point and a text column labelling it, or a region (or country) column and a number"
        }
    }
}

/// A checked `chart` stage: what the renderers need to know about the result's columns.
public struct ChartSpec: Sendable, Equatable {
    public var kind: ChartKind
    /// True when the result's shape chose the kind (`chart` alone): a time chart may then be
    /// drawn as a line when its columns would be too narrow to read.
    public var chosen: Bool
    public var title: String?
    /// The bar's label, or the time axis of a column or line chart.
    public var category: Int?
    /// Text columns whose values name one series each (column and line charts).
    public var series: [Int]
    /// The number columns: one for a bar chart or a histogram; x and y for a scatter; the
    /// size of a map's points (or none); each is a series otherwise.
    public var values: [Int]
    /// A map's coordinates.
    public var latitude: Int? = nil
    public var longitude: Int? = nil
    /// A map's PRIO-GRID cells (an Int column named priogrid, priogrid_gid or cell), drawn
    /// filled by the number: a choropleth.
    public var cell: Int? = nil
    /// A map's regions or countries (a text column named region, admin1, adm_1 or province,
    /// or country), drawn filled by the number over the outlines ConflictQL ships.
    public var area: Int? = nil
    /// Whether `area` names countries rather than first-level regions.
    public var areaIsCountry = false
    /// The options written after the kind.
    public var options = ChartOptions()

    /// For a program that draws a table of its own (`ResultFormatter().format(.chart(...))`);
    /// queries get theirs from the checker, which checks the columns fit.
    public init(kind: ChartKind, chosen: Bool, title: String?, category: Int?, series: [Int], values: [Int]) {
        self.kind = kind
        self.chosen = chosen
        self.title = title
        self.category = category
        self.series = series
        self.values = values
    }
}

/// What `chart ... width 1200 ytitle "deaths" labels` asks of the drawing.
public struct ChartOptions: Sendable, Equatable {
    /// The SVG's size in pixels.
    public var width: Int? = nil
    public var height: Int? = nil
    public var xTitle: String? = nil
    public var yTitle: String? = nil
    /// Each bar's or column's value written on it.
    public var labels = false

    public init() {}

    /// The widths and heights an SVG may have.
    public static let widths = 300...4000, heights = 200...3000
}

/// What a query ending in `chart` gives: its rows, and how to draw them.
public struct Chart: Sendable {
    public var table: Table
    public var spec: ChartSpec

    public init(table: Table, spec: ChartSpec) {
        self.table = table
        self.spec = spec
    }
}

extension Pipeline {
    /// The pipeline without its last stage when that stage is `chart`, and the chart.
    var splittingChart: (pipeline: Pipeline, chart: (ChartSyntax, Stage)?) {
        guard let last = stages.last, case .chart(let chart) = last.kind else { return (self, nil) }
        var rest = self
        rest.stages.removeLast()
        return (rest, (chart, last))
    }
}

extension Checker {
    /// A `chart` anywhere but at the end of a query (inside brackets, before another stage).
    func misplacedChart(_ stage: Stage) -> Diagnostic {
        Diagnostic(.chartNotLast, at: stage.keyword.range,
               help: "move it to the end: ... | chart")
    }

    /// Checks a `chart` stage against the columns of the result it draws, and its options.
    func checkChart(_ chart: ChartSyntax, _ stage: Stage, _ schema: Schema) throws -> ChartSpec {
        var spec = try checkChartShape(chart, stage, schema)
        var seen: [String: SourceRange] = [:]
        for option in chart.options {
            let name = option.name.name.lowercased()
            let canonical = name == "xlabel" ? "xtitle" : name == "ylabel" ? "ytitle" : name
            if seen[canonical] != nil {
                throw Diagnostic(.chartOptionTwice(option.name.name), at: option.name.range)
            }
            seen[canonical] = option.name.range
            switch (canonical, option.value) {
            case ("width", .int(let n)?), ("height", .int(let n)?):
                let allowed = canonical == "width" ? ChartOptions.widths : ChartOptions.heights
                guard allowed.contains(Int(clamping: n)) else {
                    throw Diagnostic(.chartSizeOutOfRange(canonical, allowed, found: n), at: option.valueRange ?? option.name.range)
                }
                if canonical == "width" { spec.options.width = Int(n) } else { spec.options.height = Int(n) }
            case ("xtitle", .string(let text)?): spec.options.xTitle = text
            case ("ytitle", .string(let text)?): spec.options.yTitle = text
            case ("labels", _):
                guard [.bar, .column, .stacked, .pie].contains(spec.kind) else {
                    throw Diagnostic(.chartLabelsWithoutBars(spec.kind.rawValue), at: option.name.range)
                }
                spec.options.labels = true
            default: break
            }
        }
        return spec
    }

    /// The kind of chart and the roles of the result's columns.
    func checkChartShape(_ chart: ChartSyntax, _ stage: Stage, _ schema: Schema) throws -> ChartSpec {
        let fields = schema.fields
        if let list = fields.first(where: { if case .list = $0.type { return true } else { return false } }) {
            throw Diagnostic(.chartOfList(list.name), at: stage.keyword.range,
                                   help: "use 'expand' first, or leave it out with 'select'")
        }
        let shape = fields.isEmpty ? "no columns" : fields.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        func numeric(_ i: Int) -> Bool { fields[i].type == .int || fields[i].type == .float || fields[i].type == .null }
        func text(_ i: Int) -> Bool { fields[i].type == .string || fields[i].type == .bool }
        let title = chart.title
        guard let word = chart.kind else {
            // The shape chooses: coordinates are a map, one number is a histogram, a date and
            // numbers a time chart, a label and a number bars.
            if let map = try? mapChart(fields, numeric, text, chosen: true) {
                var spec = map
                spec.title = title
                return spec
            }
            if fields.count == 1, numeric(0) {
                return ChartSpec(kind: .histogram, chosen: true, title: title, category: nil, series: [], values: [0])
            }
            if let time = try? timeChart(.column, fields, numeric, text, stage, shape, chosen: true), fields[time.category!].type == .date
                || isYearLike(fields[time.category!].name) {
                return ChartSpec(kind: .column, chosen: true, title: title, category: time.category, series: time.series, values: time.values)
            }
            if fields.count == 2, !numeric(0) || fields[0].type == .int, numeric(1) {
                return ChartSpec(kind: .bar, chosen: true, title: title, category: 0, series: [], values: [1])
            }
            throw Diagnostic(.chartShapeUnknown(shape), at: stage.keyword.range,
                                   help: "bar needs \(ChartKind.bar.shape); column and line need \(ChartKind.column.shape); histogram needs \(ChartKind.histogram.shape)")
        }
        guard let kind = ChartKind(rawValue: word.name.lowercased()) else {
            let names = ChartKind.allCases.map(\.rawValue)
            throw Diagnostic(.unknownChartKind(word.name), at: word.range,
                                   help: closestName(to: word.name.lowercased(), in: names).map { "did you mean '\($0)'?" }
                                       ?? "kinds are \(names.joined(separator: ", ")), or none to let the result's shape choose")
        }
        func wrong(_ detail: String) -> Diagnostic {
            Diagnostic(.chartNeedsShape(kind == .histogram ? "histogram" : "\(kind.rawValue) chart", kind.shape, detail), at: word.range,
                   help: "this result has \(fields.count) column\(fields.count == 1 ? "" : "s"): \(shape)")
        }
        switch kind {
        case .bar:
            guard fields.count == 2 else { throw wrong("select the label and the number") }
            guard numeric(1) else { throw wrong("'\(fields[1].name)' is \(fields[1].type), not a number") }
            return ChartSpec(kind: .bar, chosen: false, title: title, category: 0, series: [], values: [1])
        case .pie:
            guard fields.count == 2 else { throw wrong("select the label and the number") }
            guard numeric(1) else { throw wrong("'\(fields[1].name)' is \(fields[1].type), not a number") }
            return ChartSpec(kind: .pie, chosen: false, title: title, category: 0, series: [], values: [1])
        case .histogram:
            guard fields.count == 1 else { throw wrong("select the one column to count") }
            guard numeric(0) else { throw wrong("'\(fields[0].name)' is \(fields[0].type), not a number") }
            return ChartSpec(kind: .histogram, chosen: false, title: title, category: nil, series: [], values: [0])
        case .column, .line, .stacked:
            do {
                var spec = try timeChart(kind, fields, numeric, text, stage, shape, chosen: false)
                spec.title = title
                if kind == .stacked, spec.series.isEmpty, spec.values.count < 2 {
                    throw wrong("there is one series to stack: add a text column naming each, or a second number")
                }
                return spec
            } catch let detail as ChartShapeProblem {
                throw wrong(detail.text)
            }
        case .scatter:
            let numbers = fields.indices.filter(numeric), texts = fields.indices.filter(text)
            guard numbers.count == 2 else { throw wrong("select the two numbers, x then y") }
            if let odd = fields.indices.first(where: { !numeric($0) && !text($0) }) {
                throw wrong("'\(fields[odd].name)' is \(fields[odd].type), neither a number nor a text")
            }
            return ChartSpec(kind: .scatter, chosen: false, title: title, category: nil, series: texts, values: numbers)
        case .map:
            do {
                var spec = try mapChart(fields, numeric, text, chosen: false)
                spec.title = title
                return spec
            } catch let detail as ChartShapeProblem {
                throw wrong(detail.text)
            }
        }
    }

    /// A map's columns: the coordinates by name, then at most one number (the points' size)
    /// and one text (their label).
    func mapChart(_ fields: [Field], _ numeric: (Int) -> Bool, _ text: (Int) -> Bool, chosen: Bool) throws -> ChartSpec {
        func named(_ names: [String]) -> Int? {
            fields.indices.first { names.contains(fields[$0].name.lowercased()) && numeric($0) }
        }
        let latitude = named(["latitude", "lat"]), longitude = named(["longitude", "lon", "lng", "long"])
        let cell = latitude == nil || longitude == nil
            ? fields.indices.first { ["priogrid", "priogrid_gid", "cell"].contains(fields[$0].name.lowercased()) && fields[$0].type == .int }
            : nil
        // A region's or a country's name and one number: a choropleth of the outlines, when the
        // query asks for a map (a count by region alone is still bars when the shape chooses).
        if !chosen, cell == nil, latitude == nil || longitude == nil {
            let regionNames = ["region", "admin1", "adm_1", "admin_1", "province"]
            let area = fields.indices.first { regionNames.contains(fields[$0].name.lowercased()) && text($0) }
                ?? fields.indices.first { fields[$0].name.lowercased() == "country" && text($0) }
            if let area {
                let numbers = fields.indices.filter { $0 != area && numeric($0) }
                guard numbers.count == 1, fields.count == 2 else {
                    throw ChartShapeProblem(text: "a map of \(fields[area].name) fills each with a number: select one beside it")
                }
                var spec = ChartSpec(kind: .map, chosen: chosen, title: nil, category: nil, series: [], values: numbers)
                spec.area = area
                spec.areaIsCountry = fields[area].name.lowercased() == "country"
                return spec
            }
        }
        guard (latitude != nil && longitude != nil) || cell != nil else {
            throw ChartShapeProblem(text: "there is no number column named latitude (or lat) and longitude (or lon),"
                                    + " nor an Int column of PRIO-GRID cells named priogrid (or priogrid_gid, cell),"
                                    + " nor a text column named region (or admin1, adm_1, province) or country")
        }
        let others = fields.indices.filter { cell == nil ? $0 != latitude && $0 != longitude : $0 != cell }
        let numbers = others.filter(numeric), texts = others.filter(text)
        guard numbers.count <= 1, texts.count <= 1, numbers.count + texts.count == others.count else {
            throw ChartShapeProblem(text: "besides the coordinates, select at most one number (the size) and one text (the label)")
        }
        if cell != nil && numbers.count != 1 {
            throw ChartShapeProblem(text: "a map of PRIO-GRID cells fills each with a number: select one beside the cell")
        }
        var spec = ChartSpec(kind: .map, chosen: chosen, title: nil, category: nil, series: texts, values: numbers)
        spec.latitude = cell == nil ? latitude : nil
        spec.longitude = cell == nil ? longitude : nil
        spec.cell = cell
        return spec
    }

    /// Names an Int column may have when it is a time axis (`by year = year(date)`,
    /// `by week = week(date)`): with another name, an Int and a number are bars.
    func isYearLike(_ name: String) -> Bool {
        ["year", "years", "quarter", "month", "week", "day"].contains(name.lowercased())
    }

    /// The roles of a column or line chart's columns: the time axis (the first Date column,
    /// or a first Int column), text columns naming the series, and the numbers.
    func timeChart(_ kind: ChartKind, _ fields: [Field], _ numeric: (Int) -> Bool, _ text: (Int) -> Bool,
                   _ stage: Stage, _ shape: String, chosen: Bool) throws -> ChartSpec {
        guard let time = fields.indices.first(where: { fields[$0].type == .date })
                ?? (fields.first?.type == .int && fields.count > 1 ? 0 : nil) else {
            throw ChartShapeProblem(text: "there is no Date column")
        }
        let others = fields.indices.filter { $0 != time }
        let series = others.filter(text)
        let values = others.filter(numeric)
        if let odd = others.first(where: { !text($0) && !numeric($0) }) {
            throw ChartShapeProblem(text: "'\(fields[odd].name)' is a second Date column")
        }
        guard !values.isEmpty else { throw ChartShapeProblem(text: "there is no number column") }
        if !series.isEmpty && values.count > 1 {
            throw ChartShapeProblem(text: "with series named by '\(fields[series[0]].name)', draw one number at a time")
        }
        return ChartSpec(kind: kind, chosen: chosen, title: nil, category: time, series: series, values: values)
    }
}

/// Why a result does not fit a column or line chart, said inside the kind's message.
struct ChartShapeProblem: Error {
    var text: String
}

extension ChartSpec {
    /// How `explain` names the stage: the kind, and whether the shape chose it.
    public var label: String {
        var text = chosen ? "chart (\(kind.rawValue), chosen from the result's shape)" : "chart \(kind.rawValue)"
        if let title { text += " title \"\(title.count > 40 ? String(title.prefix(39)) + "…" : title)\"" }
        return text
    }

    /// What the comment above a charted query's SQL says: SQL has no charts, so the SQL gives
    /// the rows and conflictql draws them. (The title is the user's: `SQLDialect.comment`
    /// keeps it on the comment's line.)
    public var sqlNote: String {
        "\(label): drawn by conflictql from the rows of this query, not by SQL"
    }
}
