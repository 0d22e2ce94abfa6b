// The `chart` stage, checked: which kind of chart, and which columns of the result are its
// labels, its time axis, its series and its numbers. The stage is the last of a query and the
// plan below it runs as if it were not there; Output/Chart*.swift draws the rows it returns.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

/// The kinds of chart, with what each needs of the result: the words of every message.
public enum ChartKind: String, Sendable, CaseIterable {
    case bar, column, line, histogram

    /// The shape of result this kind draws, for messages and `.help chart`.
    public var shape: String {
        switch self {
        case .bar: return "two columns, a label and a number (summarize n = count() by actor)"
        case .column, .line:
            return "a Date (or Int year) column and one or more number columns, or one number and a text column naming each series (summarize n = count() by month = to_month(date), country)"
        case .histogram: return "one number column (select fatalities)"
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
    /// The number columns: one for a bar chart or a histogram; each is a series otherwise.
    public var values: [Int]

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

    /// Checks a `chart` stage against the columns of the result it draws.
    func checkChart(_ chart: ChartSyntax, _ stage: Stage, _ schema: Schema) throws -> ChartSpec {
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
            // The shape chooses: one number is a histogram, a date and numbers a time chart,
            // a label and a number bars.
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
        case .histogram:
            guard fields.count == 1 else { throw wrong("select the one column to count") }
            guard numeric(0) else { throw wrong("'\(fields[0].name)' is \(fields[0].type), not a number") }
            return ChartSpec(kind: .histogram, chosen: false, title: title, category: nil, series: [], values: [0])
        case .column, .line:
            do {
                var spec = try timeChart(kind, fields, numeric, text, stage, shape, chosen: false)
                spec.title = title
                return spec
            } catch let detail as ChartShapeProblem {
                throw wrong(detail.text)
            }
        }
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
