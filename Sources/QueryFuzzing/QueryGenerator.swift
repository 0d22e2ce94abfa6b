// Random *valid* pipelines from the grammar, for the query fuzzer and the partitioning
// oracle. The generator keeps its own model of each stage's columns and types, so almost
// every query it writes checks; it covers every stage, counts such as 0, 1 and huge, empty
// tables and all-null columns. Function, aggregate and window function calls are drawn from
// their descriptors' forms (CallForm: each argument's kind, the result's type), so a new
// function is generated without a line here; only the operators are written here.
// Deterministic for a seed.

import ConflictQL

/// The benchmark's SplitMix64 as a generator for the standard library's random functions:
/// the same sequence on every machine for a seed.
public struct SeededRandom: RandomNumberGenerator {
    var inner: EventsBenchmark.Random
    public init(seed: UInt64) { inner = EventsBenchmark.Random(seed: seed) }
    public mutating func next() -> UInt64 { inner.next() }
}

/// What the generator believes a stage's output holds.
public struct ModelColumn: Sendable {
    public var name: String
    public var type: DataType

    public init(name: String, type: DataType) {
        self.name = name
        self.type = type
    }
}

public struct QueryGenerator {
    var random: SeededRandom
    /// The tables a pipeline may start from (or join), with their columns.
    let tables: [(name: String, columns: [ModelColumn])]
    var fresh = 0
    /// While a join condition is generated: the side of each visible column, written as
    /// `left.NAME` or `right.NAME` (never `this.`, which a condition does not allow).
    var sides: [String: String] = [:]

    public init(seed: UInt64, environment: Environment) {
        random = SeededRandom(seed: seed)
        tables = environment.tableOrder.map { name in
            (name, environment.tables[name]!.fields.map { ModelColumn(name: $0.name, type: $0.type) })
        }
    }

    // MARK: Pipelines

    /// A pipeline of up to `maxStages` stages, and the columns it produces.
    public mutating func pipeline(maxStages: Int = 5) -> (text: String, columns: [ModelColumn]) {
        let table = pick(tables)
        var text = table.name
        var columns = table.columns
        for _ in 0..<Int.random(in: 0...maxStages, using: &random) {
            guard let (stage, next) = stage(columns) else { continue }
            text += "\n| " + stage
            columns = next
        }
        return (text, columns)
    }

    /// The stage each draw of 0..<14 writes (`where` twice as often; the second `extend` an
    /// Int one); a draw of 14 is one of `fill`, `unpivot` and `window`. Kept as the draws were
    /// when this was a switch over numbers, so a seed still writes the same queries.
    static let stageDraws: [StageKind] = [.filter, .filter, .extend, .select, .sort, .take, .top, .distinct, .count, .summarize,
                                          .join, .expand, .union, .extend]

    mutating func stage(_ columns: [ModelColumn]) -> (String, [ModelColumn])? {
        let draw = Int.random(in: 0..<QueryGenerator.stageDraws.count + 1, using: &random)
        guard draw < QueryGenerator.stageDraws.count else {
            let rare: [StageKind] = [.fill, .unpivot, .window, .window]
            return stage(rare[Int.random(in: 0..<rare.count, using: &random)], columns, simple: false)
        }
        return stage(QueryGenerator.stageDraws[draw], columns, simple: draw == QueryGenerator.stageDraws.count - 1)
    }

    /// A stage of `kind` over `columns`, or nil when the columns cannot feed one. Every stage
    /// of the registry has its case, so a new stage does not compile until it is generated
    /// here or said not to be.
    mutating func stage(_ kind: StageKind, _ columns: [ModelColumn], simple: Bool) -> (String, [ModelColumn])? {
        switch kind {
        case .fill: return fill(columns)
        case .unpivot: return unpivot(columns)
        case .window: return window(columns)
        case .filter:
            return ("where " + expression(.bool, columns, depth: 3), columns)
        case .extend where simple:
            let name = freshName()
            return ("extend \(name) = " + expression(.int, columns, depth: 2), columns + [ModelColumn(name: name, type: .int)])
        case .extend:
            let name = freshName()
            let type = pick([DataType.int, .float, .string, .bool, .date])
            return ("extend \(name) = " + expression(type, columns, depth: 3), columns + [ModelColumn(name: name, type: type)])
        case .select:
            guard !columns.isEmpty else { return nil }
            let kept = subset(columns, atLeast: 1)
            let computedName = freshName()
            let type = pick([DataType.int, .string, .bool])
            let items = kept.map { quoted($0.name) } + ["\(computedName) = " + expression(type, columns, depth: 2)]
            return ("select " + items.joined(separator: ", "), kept + [ModelColumn(name: computedName, type: type)])
        case .sort:
            let keys = subset(columns.filter { $0.type.isOrderable }, atLeast: 1)
            guard !keys.isEmpty else { return nil }
            return ("sort by " + keys.map { quoted($0.name) + pick(["", " asc", " desc"]) }.joined(separator: ", "), columns)
        case .take:
            return ("take \(count())", columns)
        case .top:
            let keys = subset(columns.filter { $0.type.isOrderable }, atLeast: 1)
            guard !keys.isEmpty else { return nil }
            return ("top \(count()) by " + keys.map { quoted($0.name) + pick(["", " asc", " desc"]) }.joined(separator: ", "), columns)
        case .distinct:
            let keys = subset(columns.filter { !$0.type.isList }, atLeast: 0)
            return ("distinct " + keys.map { quoted($0.name) }.joined(separator: ", "), keys.isEmpty ? columns : keys)
        case .count:
            return ("count", [ModelColumn(name: "count", type: .int)])
        case .summarize:
            return summarize(columns)
        case .join:
            return join(columns)
        case .expand:
            guard let list = columns.filter({ $0.type.isList }).randomElement(using: &random),
                  case .list(let element) = list.type else { return nil }
            let name = freshName()
            return ("expand \(name) = \(quoted(list.name))", columns + [ModelColumn(name: name, type: element)])
        case .union:
            return union(columns)
        case .pivot, .chart:
            // Not generated: a pivot's columns are named by values of the data, which the model
            // does not hold; a chart ends a query and draws rather than answers.
            return nil
        }
    }

    mutating func summarize(_ columns: [ModelColumn]) -> (String, [ModelColumn]) {
        let keys = subset(columns.filter { !$0.type.isList }, atLeast: 0).prefix(2)
        var outputs: [ModelColumn] = []
        var items: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let name = freshName()
            let (text, type) = aggregate(columns)
            items.append("\(name) = \(text)")
            outputs.append(ModelColumn(name: name, type: type))
        }
        let by = keys.isEmpty ? "" : " by " + keys.map { quoted($0.name) }.joined(separator: ", ")
        return ("summarize " + items.joined(separator: ", ") + by, Array(keys) + outputs)
    }

    mutating func aggregate(_ columns: [ModelColumn]) -> (String, DataType) {
        var (text, type) = plainAggregate(columns)
        // A quarter of them keep only some rows: `sum(x where cond)`, `count(where cond)`.
        if Int.random(in: 0..<4, using: &random) == 0 {
            let condition = expression(.bool, columns, depth: 2)
            text = String(text.dropLast()) + (text.hasSuffix("()") ? "where " : " where ") + condition + ")"
        }
        return (text, type)
    }

    /// An aggregate call from the descriptors: an aggregate, then one of its forms whose
    /// arguments the columns can give (a column of each argument's type; a condition is
    /// written); `count()` when none can.
    mutating func plainAggregate(_ columns: [ModelColumn]) -> (String, DataType) {
        let function = pick(AggregateFunction.all)
        let forms = function.forms.filter { form in
            form.arguments.allSatisfy { kind in
                guard case .of(let type) = kind, type != .bool else { return true }
                return columns.contains { $0.type == type }
            }
        }
        guard !forms.isEmpty else { return ("count()", .int) }
        let form = pick(forms)
        var arguments: [String] = []
        for kind in form.arguments {
            if case .of(let type) = kind, type != .bool {
                arguments.append(quoted(pick(columns.filter { $0.type == type }).name))
            } else {
                arguments.append(argument(kind, columns, depth: 2))
            }
        }
        // distinct is refused in SQL in some places (list's, over a window): a third of the time.
        let distinct = function.allowsDistinct && !arguments.isEmpty && Int.random(in: 0..<3, using: &random) == 0
        return ("\(function.name)(\(distinct ? "distinct " : "")\(arguments.joined(separator: ", ")))", form.result)
    }

    mutating func join(_ columns: [ModelColumn]) -> (String, [ModelColumn])? {
        var other = pick(tables)
        if Int.random(in: 0..<3, using: &random) == 0 {
            // A parenthesised pipeline on the right: a filter or a grouping of a table.
            let base = other
            let (stage, next) = Bool.random(using: &random) ? ("where " + expression(.bool, base.columns, depth: 2), base.columns)
                : summarize(base.columns)
            other = ("(\(base.name) | \(stage))", next)
        }
        let pairs = columns.flatMap { l in other.columns.filter { $0.type == l.type && !l.type.isList }.map { (l, $0) } }
        guard let (l, r) = pairs.randomElement(using: &random) else { return nil }
        let kind = pick(["", "kind=left ", "kind=inner ", "kind=semi ", "kind=anti "])
        var condition = l.name == r.name && Bool.random(using: &random) ? quoted(l.name)
            : "left.\(quoted(l.name)) == right.\(quoted(r.name))"
        if condition != quoted(l.name), Int.random(in: 0..<3, using: &random) == 0 {
            // A condition beyond equal keys, over the names of one side only (a bare name
            // both sides have is ambiguous); sometimes with no key at all (every pair tested).
            let leftNames = Set(columns.map(\.name)), rightNames = Set(other.columns.map(\.name))
            let visibleLeft = columns.filter { !rightNames.contains($0.name) }, visibleRight = other.columns.filter { !leftNames.contains($0.name) }
            sides = Dictionary(uniqueKeysWithValues: visibleLeft.map { ($0.name, "left") } + visibleRight.map { ($0.name, "right") })
            let extra = expression(.bool, visibleLeft + visibleRight, depth: 2)
            sides = [:]
            condition = Bool.random(using: &random) ? "\(condition) and \(extra)" : "(\(extra))"
        }
        if kind == "kind=semi " || kind == "kind=anti " { return ("join \(kind)\(other.name) on \(condition)", columns) }
        // Right-side names that clash get `_right`, as the checker does; a right key of the
        // same name as its left key in `on NAME` is not repeated.
        var result = columns
        for c in other.columns {
            if condition == quoted(l.name) && c.name == l.name { continue }
            var name = c.name
            if result.contains(where: { $0.name == name }) {
                name += "_right"
                var n = 2
                while result.contains(where: { $0.name == name }) { name = c.name + "_right\(n)"; n += 1 }
            }
            result.append(ModelColumn(name: name, type: c.type))
        }
        return ("join \(kind)\(other.name) on \(condition)", result)
    }

    /// `union` with one or two tables, or a filter or selection of one; columns whose types
    /// cannot meet those before are left out by a `select`, so the query checks.
    mutating func union(_ columns: [ModelColumn]) -> (String, [ModelColumn])? {
        var result = columns
        var inputs: [String] = []
        for _ in 0..<Int.random(in: 1...2, using: &random) {
            let other = pick(tables)
            let fits = other.columns.filter { c in
                result.first { $0.name == c.name }.map { DataType.common($0.type, c.type) != nil } ?? true
            }
            guard !fits.isEmpty else { return nil }
            var input = other.name
            if fits.count < other.columns.count || Int.random(in: 0..<3, using: &random) == 0 {
                let kept = subset(fits, atLeast: 1)
                input = "(\(other.name) | select \(kept.map { quoted($0.name) }.joined(separator: ", ")))"
                for c in kept { merge(c, into: &result) }
            } else if Bool.random(using: &random) {
                input = "(\(other.name) | where \(expression(.bool, other.columns, depth: 2)))"
                for c in other.columns { merge(c, into: &result) }
            } else {
                for c in other.columns { merge(c, into: &result) }
            }
            inputs.append(input)
        }
        if Bool.random(using: &random) {
            let name = freshName()
            return ("union source = \(name) " + inputs.joined(separator: ", "), [ModelColumn(name: name, type: .string)] + result)
        }
        return ("union " + inputs.joined(separator: ", "), result)
    }

    /// `window [by K] [sort by O] name = f(...), ...` with window functions and group aggregates.
    mutating func window(_ columns: [ModelColumn]) -> (String, [ModelColumn])? {
        let keys = subset(columns.filter { !$0.type.isList }, atLeast: 0).prefix(2)
        let orderable = columns.filter { $0.type.isOrderable }
        let order = subset(orderable, atLeast: 0).prefix(2)
        var items: [String] = [], result = columns
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let name = freshName()
            // An aggregate over the row's group, or (with an order) a window function.
            let (text, type): (String, DataType)
            if !order.isEmpty, Bool.random(using: &random) {
                let function = pick(WindowFunction.all)
                let form = pick(function.forms)
                let arguments = form.arguments.map { windowArgument($0, columns) }
                (text, type) = ("\(function.name)(\(arguments.joined(separator: ", ")))", form.result)
            } else {
                (text, type) = aggregate(columns)
            }
            items.append("\(name) = \(text)")
            result.append(ModelColumn(name: name, type: type))
        }
        var stage = "window"
        if !keys.isEmpty { stage += " by " + keys.map { quoted($0.name) }.joined(separator: ", ") }
        if !order.isEmpty { stage += " sort by " + order.map { quoted($0.name) + pick(["", " asc", " desc"]) }.joined(separator: ", ") }
        return (stage + " " + items.joined(separator: ", "), result)
    }

    /// `fill` over a small range, so that every value in it is on a step: an Int column by 1
    /// (or 2, off the steps for some rows: a run-time error), or months, weeks or years of a
    /// Date column, within bounds or between its first and last value.
    mutating func fill(_ columns: [ModelColumn]) -> (String, [ModelColumn])? {
        var result = columns
        var text: String, dateFill = ""
        let dates = columns.filter { $0.type == .date }, ints = columns.filter { $0.type == .int }
        let column: String
        if let date = dates.randomElement(using: &random), Bool.random(using: &random) || ints.isEmpty {
            column = freshName()
            result.append(ModelColumn(name: column, type: .date))
            // Months, weeks or years of a column of days, stepped by their unit or a multiple.
            let (bucket, step, range) = pick([("to_month", "1 month", "from @2011-01 to @2012-12"),
                                              ("to_month", "3 months", "from @2011-01 to @2013-12"),
                                              ("to_week", "1 week", "from @2011-12-26 to @2012-03-05"),
                                              ("to_year", "1 year", "from @2005 to @2025"),
                                              ("to_month", "1 month", ""), ("to_week", "2 weeks", ""),
                                              ("to_month", "1 year", "from @2011-01 to @2014-01")])
            dateFill = " step \(step)" + (range.isEmpty ? "" : " " + range)
            text = "extend \(column) = \(bucket)(\(quoted(date.name))) | fill \(column)"
        } else if let int = ints.randomElement(using: &random) {
            // Through coalesce: the model calls a column of nulls (`extend c = null`) Int.
            column = freshName()
            result.append(ModelColumn(name: column, type: .int))
            text = "extend \(column) = coalesce(\(quoted(int.name)), 0) | fill \(column)"
        } else {
            return nil
        }
        let keys = subset(columns.filter { !$0.type.isList && $0.name != column }, atLeast: 0).prefix(2)
        if !keys.isEmpty { text += " by " + keys.map { quoted($0.name) }.joined(separator: ", ") }
        text += result.last?.type == .date ? dateFill
            : " step \(pick(["1", "1", "2", "$p_int"]))" + pick([" from \(pick(["-20", "0"])) to \(pick(["0", "30"]))", " to 40"])
        let keyNames = Set(keys.map(\.name))
        // Only a table's own columns: one the query computed may be a column of nulls (type
        // Null to the checker), which the model calls Int and `with` refuses to fill with 0.
        let original = Set(tables.flatMap { $0.columns.map { "\($0.name):\($0.type)" } })
        let others = result.filter { $0.name != column && !keyNames.contains($0.name) && original.contains("\($0.name):\($0.type)") }
        if let target = others.filter({ $0.type == .int || $0.type == .string }).randomElement(using: &random), Bool.random(using: &random) {
            text += " with \(quoted(target.name)) = \(target.type == .int ? "0" : "\"none\"")"
        }
        return (text, result)
    }

    /// `unpivot a, b into n, v` over columns of one type.
    mutating func unpivot(_ columns: [ModelColumn]) -> (String, [ModelColumn])? {
        guard let type = columns.filter({ !$0.type.isList }).randomElement(using: &random)?.type else { return nil }
        let chosen = subset(columns.filter { $0.type == type }, atLeast: 1)
        guard !chosen.isEmpty else { return nil }
        let name = freshName(), value = freshName()
        let kept = columns.filter { c in !chosen.contains { $0.name == c.name } }
        return ("unpivot \(chosen.map { quoted($0.name) }.joined(separator: ", ")) into \(name), \(value)",
                kept + [ModelColumn(name: name, type: .string), ModelColumn(name: value, type: type)])
    }

    /// A union's column: widened where the name exists, appended where it does not.
    func merge(_ column: ModelColumn, into columns: inout [ModelColumn]) {
        if let k = columns.firstIndex(where: { $0.name == column.name }) {
            columns[k].type = DataType.common(columns[k].type, column.type) ?? columns[k].type
        } else {
            columns.append(column)
        }
    }

    // MARK: Expressions

    /// An expression of `type` over `columns`, nested at most `depth` deep.
    public mutating func expression(_ type: DataType, _ columns: [ModelColumn], depth: Int) -> String {
        let own = columns.filter { $0.type == type }
        if depth <= 0 || Int.random(in: 0..<4, using: &random) == 0 {
            if let c = own.randomElement(using: &random), Bool.random(using: &random) {
                if let side = sides[c.name] { return Bool.random(using: &random) ? side + "." + quoted(c.name) : quoted(c.name) }
                return Int.random(in: 0..<6, using: &random) == 0 ? "this." + quoted(c.name) : quoted(c.name)
            }
            if let value = QueryGenerator.letValues.first(where: { $0.type == type }), Int.random(in: 0..<6, using: &random) == 0 {
                return Bool.random(using: &random) ? "$" + value.name : value.name
            }
            return literal(type)
        }
        let d = depth - 1
        func e(_ t: DataType) -> String { expression(t, columns, depth: d) }
        // Operators here; a function call drawn from the descriptors for the rest of the time.
        switch type {
        case .bool:
            let comparable = pick([DataType.int, .float, .string, .date])
            switch Int.random(in: 0..<14, using: &random) {
            case 11: return "(\(e(.string)) \(pick(["=~", "!~", "endswith", "not endswith"])) \(e(.string)))"
            case 12: return "(\(e(.string)) \(pick(["", "not "]))matches \(pick(QueryGenerator.patterns)))"
            case 0: return "(\(e(.bool)) and \(e(.bool)))"
            case 1: return "(\(e(.bool)) or \(e(.bool)))"
            case 2: return "not (\(e(.bool)))"
            case 3: return "(\(e(comparable)) \(pick(["==", "!=", "<", "<=", ">", ">="])) \(e(comparable)))"
            case 4: return "(\(e(pick([.int, .string, .date, .bool]))) is \(pick(["", "not "]))null)"
            case 5: return "(\(e(.string)) \(pick(["has", "contains", "startswith", "not contains"])) \(e(.string)))"
            case 6:
                let t = pick([DataType.int, .string])
                return "(\(e(t)) \(pick(["in", "not in"])) (\(e(t)), \(literal(t)), \(literal(t))))"
            case 7: return "(\(e(.int)) between \(e(.int)) and \(e(.int)))"
            case 8:
                if let list = columns.first(where: { $0.type == .list(.string) }) { return "(\(quoted(list.name)) has \(e(.string)))" }
                return "(\(e(.int)) != 0 and \(e(.int)) / \(e(.int)) > 1)"
            default: return functionCall(type, columns, depth: d)
            }
        case .int:
            switch Int.random(in: 0..<13, using: &random) {
            case 0: return "(\(e(.int)) \(pick(["+", "-", "*", "%"])) \(e(.int)))"
            case 1: return "-\(e(.int))"
            case 2: return literal(.int)
            default: return functionCall(type, columns, depth: d)
            }
        case .float:
            switch Int.random(in: 0..<7, using: &random) {
            case 0: return "(\(e(pick([.int, .float]))) / \(e(pick([.int, .float]))))"
            case 1: return "(\(e(.float)) \(pick(["+", "-", "*"])) \(e(pick([.int, .float]))))"
            default: return functionCall(type, columns, depth: d)
            }
        case .string:
            switch Int.random(in: 0..<11, using: &random) {
            case 0: return "(\(e(.string)) + \(e(.string)))"
            case 1: return literal(.string)
            default: return functionCall(type, columns, depth: d)
            }
        case .date:
            switch Int.random(in: 0..<8, using: &random) {
            case 5: return "\(pick(["add_days", "add_months", "add_years"]))(\(e(.date)), \(pick(["-1", "2", "13", "400"])))"
            case 6: return "coalesce(\(e(.date)), \(e(.date)))"
            case 7: return "if(\(e(.bool)), \(e(.date)), \(e(.date)))"
            case 0: return "(\(e(.date)) \(pick(["+", "-"])) \(pick(["1", "30", "400"])) \(pick(["days", "week", "months", "year"])))"
            default: return functionCall(type, columns, depth: d)
            }
        default:
            return functionCall(type, columns, depth: d)
        }
    }

    // MARK: Calls from the descriptors

    /// Every scalar function's forms, by the type they give.
    static let scalarForms: [DataType: [(function: ScalarFunction, form: CallForm, hasSQL: Bool)]] = Dictionary(
        grouping: ScalarFunction.all.flatMap { function in function.forms.map { (function, $0, hasSQL(function, $0)) } },
        by: \.form.result)

    /// A call of a scalar function whose form gives `type`, its arguments of their kinds; a
    /// literal when no function gives it.
    mutating func functionCall(_ type: DataType, _ columns: [ModelColumn], depth: Int) -> String {
        guard let forms = QueryGenerator.scalarForms[type], !forms.isEmpty else { return literal(type) }
        // A function first, then one of its forms, so that a function of many forms (if, of
        // every type) is not drawn more often than one of one. A function whose descriptor
        // writes SQL for a form is drawn three times as often as one that refuses (month, of
        // a date's precision): most statements can then be compared with an engine, and the
        // others are still run here.
        var functions: [ScalarFunction] = []
        for (function, _, _) in forms where !functions.contains(function) {
            let weight = forms.contains { $0.function == function && $0.hasSQL } ? 3 : 1
            functions += Array(repeating: function, count: weight)
        }
        let function = pick(functions)
        let name = function.name
        let form = pick(forms.filter { $0.function == function }).form
        let arguments = form.arguments.map { argument($0, columns, depth: depth) }
        return "\(name)(\(arguments.joined(separator: ", ")))"
    }

    /// Whether the function's descriptor writes DuckDB SQL for a call of this form, its
    /// arguments standing for columns and its constants written.
    static func hasSQL(_ function: ScalarFunction, _ form: CallForm) -> Bool {
        let arguments: [(type: DataType, constant: Value?)] = form.arguments.map { kind in
            switch kind {
            case .of(let type): return (type, nil)
            case .pattern: return (.string, .string("a"))
            case .nonEmptyText: return (.string, .string(","))
            case .percentage, .rows, .digits, .position: return (.int, .int(1))
            case .duration: return (.int, .int(1))
            case .size(let type): return (type, type == .float ? .float(2) : .int(5))
            }
        }
        let call = SQLFunctionCall(function: function, dialect: .duckdb, types: arguments.map(\.type), constants: arguments.map(\.constant),
                                   resultType: form.result, compile: { "a\($0)" }, refusal: { SQLError(.notExpressible($0, in: .duckdb),
                                                                                                       range: nil) })
        return (try? function.sql(call)) != nil
    }

    /// An argument of its kind: an expression of its type, or a constant written in the query.
    mutating func argument(_ kind: ArgumentKind, _ columns: [ModelColumn], depth: Int) -> String {
        switch kind {
        case .of(let type): return expression(type, columns, depth: depth)
        // Without alternation, so that the first match is the same leftmost-first (SQL
        // engines) and leftmost-longest (POSIX): extract's answer is then the engines'.
        case .pattern: return pick(QueryGenerator.patterns.filter { !$0.contains("|") })
        case .percentage: return pick(["0", "10", "25", "50", "90", "99.5", "100"])
        case .rows: return pick(["1", "2", "3"])
        case .duration: return pick(["1 week", "2 weeks", "3 months", "1 year", "10 days"])
        case .digits: return pick(["-19", "-2", "0", "1", "2"])
        case .size(let type): return type == .float ? pick(["0.5", "2.0", "10.0"]) : pick(["1", "5", "7", "1000"])
        case .position: return pick(["1", "2", "3", "5"])
        case .nonEmptyText: return pick(["\" \"", "\"a\"", "\",\"", "\"Mali\""])
        }
    }

    /// A window function's argument: half the time a column of its type, else an expression.
    mutating func windowArgument(_ kind: ArgumentKind, _ columns: [ModelColumn]) -> String {
        if case .of(let type) = kind, let c = columns.filter({ $0.type == type }).randomElement(using: &random), Bool.random(using: &random) {
            return quoted(c.name)
        }
        return argument(kind, columns, depth: 1)
    }

    /// Regular expressions the generator writes (valid; `extract` takes those without '|').
    static let patterns = [#"r"^a""#, #"r"(?i)mali""#, #"r"[0-9]+""#, #"r"\d{2,}""#, #"r"(an|in)s""#, #"r"(\w+) (\w+)""#, #"r"é$""#, #"r".""#]

    /// Values bound by `let` in the fuzzing session (see `fuzzingSession`).
    public static let letValues = [ModelColumn(name: "p_int", type: .int), ModelColumn(name: "p_text", type: .string),
                                   ModelColumn(name: "p_date", type: .date), ModelColumn(name: "p_flag", type: .bool),
                                   ModelColumn(name: "p_none", type: .float)]

    mutating func literal(_ type: DataType) -> String {
        if Int.random(in: 0..<12, using: &random) == 0 { return "null" }
        switch type {
        case .int: return pick(["0", "1", "-1", "2", "3", "13", "2013", "100000", "9223372036854775807", "-9223372036854775807"])
        case .float: return pick(["0.0", "0.5", "-1.5", "1e300", "118.0"])
        case .string: return pick(["\"\"", "\"FTO\"", "\"Mali\"", "\"ansar\"", "\"Gao\"", "\"a\\\"b\"", "\"é\"", "\"JNIM\""])
        case .bool: return pick(["true", "false"])
        case .date: return pick(["@2013", "@2012-01", "@2013-04-01", "@1991-02-28", "@2020-02-29", "@2012-12-31"])
        default: return "null"
        }
    }

    // MARK: Helpers

    mutating func count() -> String { pick(["0", "1", "2", "3", "10", "1000", "9223372036854775807", "$p_int"]) }

    mutating func freshName() -> String {
        fresh += 1
        return "c\(fresh)"
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &random)] }

    mutating func subset(_ columns: [ModelColumn], atLeast: Int) -> [ModelColumn] {
        guard !columns.isEmpty else { return [] }
        let count = Int.random(in: max(atLeast, 0)...min(columns.count, 4), using: &random)
        return Array(columns.shuffled(using: &random).prefix(count))
    }
}

/// A name as the grammar writes it: plain when it can be, in backticks otherwise.
public func quoted(_ name: String) -> String {
    let reserved: Set<String> = ["and", "or", "not", "in", "between", "is", "has", "contains", "startswith", "by",
                                 "asc", "desc", "true", "false", "null", "let", "this", "left", "right"]
    let plain = name.first.map { $0.isLetter || $0 == "_" } == true
        && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
    return plain && !reserved.contains(name.lowercased()) ? name : "`\(name)`"
}

extension DataType {
    var isList: Bool { if case .list = self { return true } else { return false } }
    var isOrderable: Bool { [.int, .float, .string, .date, .bool].contains(self) }
}
