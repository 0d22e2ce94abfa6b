// The checker: syntax tree plus environment to typed plans. It resolves every table, column,
// binding and function name, types every expression, and rejects what cannot run (unknown
// names with a "did you mean", wrong argument types, an aggregate outside `summarize`)
// before any row is touched.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

public struct CheckResult {
    /// The checked statements in order (a statement with an error is left out); a query's
    /// plan, planned with `plan(_:)`, is a tree of public values.
    public var statements: [CheckedStatement]
    public var diagnostics: [Diagnostic]
    /// What checks but is likely not what was meant (`count(x > 0)`); the script still runs.
    public var warnings: [Diagnostic]
    /// The environment after the script's bindings.
    public var environment: Environment
}

/// Checks every statement of `script`; bindings made by one statement are visible to the next.
/// `source`, the script's text, lets messages point inside string literals (a pattern's error).
public func check(_ script: Script, in environment: Environment, allowsFileAccess: Bool = true, source: Source? = nil) -> CheckResult {
    var checker = Checker(environment: environment)
    checker.allowsFileAccess = allowsFileAccess
    checker.currentSource = source
    var statements: [CheckedStatement] = []
    var diagnostics: [Diagnostic] = []
    for statement in script.statements {
        do {
            statements.append(try checker.check(statement))
        } catch let diagnostic as Diagnostic {
            diagnostics.append(diagnostic)
            // Bind the name anyway (as an unknown scalar) so later uses do not cascade.
            if case .binding(let name, _) = statement.kind, checker.environment.tableName(for: name.name) == nil,
               !checker.environment.parameters.contains(name.name) {
                checker.environment.addScalar(name.name, .null)
            }
        } catch {
            diagnostics.append(Diagnostic(.internalError("\(error)"), at: statement.range))
        }
    }
    return CheckResult(statements: statements, diagnostics: diagnostics, warnings: checker.warnings.items,
                       environment: checker.environment)
}

/// Warnings collected while checking; a reference, so that the non-mutating binders can add.
final class WarningLog {
    var items: [Diagnostic] = []
}

package struct Checker {
    var environment: Environment
    let warnings = WarningLog()
    /// False in safe mode: statements that read files are refused.
    var allowsFileAccess = true
    /// Column descriptions the plans so far hold (PlanSize.swift).
    var planColumns = 0
    /// The script's text, when known.
    var currentSource: Source? = nil
    /// While a join's `on CONDITION` is bound: its two sides (ConditionJoin.swift).
    var joinSides: JoinSides? = nil

    /// How an expression may use names: per row of a schema, inside `summarize` (aggregates
    /// allowed), or with no row at all (`take N`, a bare expression).
    enum Context {
        case row
        case aggregate
        case scalar
        /// The columns of a `window`: rows of the input, with aggregates over the row's group
        /// and window functions (Window.swift).
        case window
    }

    // MARK: Statements

    mutating func check(_ statement: Statement) throws -> CheckedStatement {
        switch statement.kind {
        case .binding(let name, let value):
            try refuseParameter(name.name, at: name.range)
            if let (_, stage) = value.splittingChart.chart {
                throw Diagnostic(.letBindsChart, at: stage.keyword.range,
                                       help: "bind the rows, then draw them: let \(name.name) = ...; \(name.name) | chart")
            }
            switch try checkHead(value) {
            case .plan(let plan):
                environment.addTable(name.name, plan.schema)
                return .bindTable(name.name, plan)
            case .scalar(let expression):
                environment.addScalar(name.name, expression.type)
                return .bindScalar(name.name, expression)
            }
        case .query(let pipeline):
            if case (let rest, (let chart, let stage)?) = pipeline.splittingChart {
                let plan = try checkPipeline(rest)
                return .chart(plan, try checkChart(chart, stage, plan.schema))
            }
            switch try checkHead(pipeline) {
            case .plan(let plan): return .query(plan)
            case .scalar(let expression): return .scalar(expression)
            }
        case .explain(let pipeline, let analyze):
            let (rest, chart) = pipeline.splittingChart
            let plan = try checkPipeline(rest)
            return .explain(plan, analyze: analyze, chart: try chart.map { try checkChart($0.0, $0.1, plan.schema) })
        case .explainSQL(let pipeline, let dialect):
            let dialects = SQLDialect.allCases.map(\.rawValue)
            let name = dialect?.name.lowercased() ?? SQLDialect.duckdb.rawValue
            guard let chosen = SQLDialect(rawValue: name) else {
                throw Diagnostic(.unknownDialect(dialect!.name), at: dialect!.range,
                                       help: closestName(to: name, in: dialects).map { "did you mean '\($0)'?" } ?? "dialects are \(dialects.joined(separator: ", "))")
            }
            let (rest, chart) = pipeline.splittingChart
            let plan = try checkPipeline(rest)
            return .explainSQL(plan, dialect: chosen, chart: try chart.map { try checkChart($0.0, $0.1, plan.schema) })
        case .describe(let name):
            if let table = environment.tableName(for: name.name) { return .describe(table) }
            // The `tables` listing is a table too: `tables | where rows > 5` works, so does this.
            guard name.name.lowercased() == "tables" else { throw unknownTable(name.name, name.range) }
            return .describe("tables")
        case .load(let paths, let pathRange, let name, let options):
            guard allowsFileAccess else {
                throw Diagnostic(.loadInSafeMode, at: statement.range,
                                       help: "run without --safe to load files")
            }
            if paths.contains(where: \.isEmpty) { throw Diagnostic(.emptyFilePath, at: pathRange) }
            let written = paths.count == 1 ? "\"\(paths[0])\"" : "[" + paths.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
            let derived = paths.count > 1 ? nil : isFilePattern(paths[0]) ? ConflictQLData.tableName(forPattern: paths[0]) : ConflictQLData.tableName(forPath: paths[0])
            guard let tableName = name?.name ?? derived else {
                throw Diagnostic(.nameTheTable, at: pathRange, help: "write: load \(written) as NAME")
            }
            if reservedWords.contains(tableName.lowercased()) {
                throw Diagnostic(.reservedWordAsTable(tableName), at: name?.range ?? pathRange,
                                       help: "name it: load \(written) as NAME")
            }
            try refuseParameter(tableName, at: name?.range ?? pathRange)
            let checked = try Checker.checkLoadOptions(options)
            if checked.sourceColumn != nil && paths.count == 1 && !isFilePattern(paths[0]), let option = options.first(where: { $0.name.name.lowercased() == "source" }) {
                throw Diagnostic(.sourceOfOneFile, at: option.name.range,
                                       help: "load a pattern or a list: load [\"a.csv\", \"b.csv\"] as NAME with (source = \"file\")")
            }
            return .load(paths: paths, name: tableName, options: checked)
        }
    }

    /// A parameter given on the command line is the caller's to set: a script that binds the
    /// name again is an error, since either choice of which one wins would surprise someone.
    func refuseParameter(_ name: String, at range: SourceRange) throws {
        guard environment.parameters.contains(name) else { return }
        let value = environment.values[name].map { "=" + $0.parameterText } ?? "=..."
        throw Diagnostic(.parameterRebound(name, name, value),
                               at: range, help: "read it as $\(name), or bind another name")
    }

    package static let loadOptionNames = ["delimiter", "header", "lenient", "format", "threads", "records", "source", "encoding", "member", "layout",
                                                    "sheet", "labels"]
    static let typeNames: [String: DataType] = ["int": .int, "float": .float, "string": .string, "bool": .bool, "date": .date]

    package static func checkLoadOptions(_ options: [LoadOptionSyntax]) throws -> LoadOptions {
        var result = LoadOptions()
        // An option given twice is an error, not "the last wins": `encoding = "utf-16",
        // encoding = "utf-8"` is a slip either way.
        var seen: Set<String> = []
        for option in options {
            let key = option.typeName == nil ? option.name.name.lowercased() : "column " + option.name.name
            guard seen.insert(key).inserted else {
                let what = option.typeName == nil ? "load option '\(option.name.name)'" : "the type of column '\(option.name.name)'"
                throw Diagnostic(.optionGivenTwice(what), at: option.name.range, help: "keep one of them")
            }
            if let typeName = option.typeName {
                guard let type = Checker.typeNames[typeName.name.lowercased()] else {
                    let suggestion = closestName(to: typeName.name, in: ["Int", "Float", "String", "Bool", "Date"])
                    throw Diagnostic(.unknownType(typeName.name), at: typeName.range,
                                           help: suggestion.map { "did you mean '\($0)'?" } ?? "types are Int, Float, String, Bool, Date")
                }
                result.types[option.name.name] = type
                continue
            }
            guard let value = option.value else { continue }
            func bool() throws -> Bool {
                guard case .literal(.bool(let b)) = value.kind else {
                    throw Diagnostic(.optionTakesBool(option.name.name), at: value.range)
                }
                return b
            }
            switch option.name.name.lowercased() {
            case "delimiter":
                guard case .literal(.string(let text)) = value.kind else {
                    throw Diagnostic(.delimiterInQuotes, at: value.range, help: "for example: delimiter = \";\"")
                }
                let bytes = Array(text.utf8)
                let tab = text.lowercased() == "tab"
                guard bytes.count == 1 || tab, tab || (bytes[0] != UInt8(ascii: "\"") && bytes[0] != UInt8(ascii: "\n")) else {
                    throw Diagnostic(.delimiterOneCharacter(text), at: value.range)
                }
                result.delimiter = tab ? UInt8(ascii: "\t") : bytes[0]
            case "source":
                var text = ""
                if case .literal(.string(let s)) = value.kind { text = s }
                if case .name(let n) = value.kind { text = n }
                guard !text.isEmpty else {
                    throw Diagnostic(.sourceTakesName, at: value.range, help: "for example: source = \"file\"")
                }
                result.sourceColumn = text
            case "header": result.header = try bool()
            case "lenient": result.lenient = try bool()
            case "threads":
                guard case .literal(.int(let n)) = value.kind, n >= 1, n <= 64 else {
                    throw Diagnostic(.threadsRange, at: value.range)
                }
                result.threads = Int(n)
            case "format":
                var text = ""
                if case .literal(.string(let s)) = value.kind { text = s }
                if case .name(let n) = value.kind { text = n }
                guard let format = LoadOptions.Format(rawValue: text.lowercased()) else {
                    let suggestion = closestName(to: text.lowercased(), in: ["csv", "json", "parquet", "xlsx", "dta"])
                    throw Diagnostic(.formatValue, at: value.range, help: suggestion.map { "did you mean \($0)?" })
                }
                result.format = format
            case "records":
                // A dotted path of keys, `"response.items"` (JSONEnvelope.swift).
                guard case .literal(.string(let path)) = value.kind, !path.isEmpty,
                      !path.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                    throw Diagnostic(.recordsPath, at: value.range,
                                           help: "for example: records = \"response.items\"")
                }
                result.records = path
            case "encoding":
                guard case .literal(.string(let name)) = value.kind, let encoding = TextEncoding(name: name) else {
                    var text = ""
                    if case .literal(.string(let s)) = value.kind { text = s }
                    if case .name(let n) = value.kind { text = n }
                    let suggestion = closestName(to: text.lowercased(), in: Array(TextEncoding.names.keys).sorted())
                    throw Diagnostic(.unknownEncoding(text), at: value.range,
                                           help: suggestion.map { "did you mean \"\($0)\"?" } ?? "encodings are \(TextEncoding.listed)")
                }
                result.encoding = encoding
            case "layout":
                var text = ""
                if case .literal(.string(let s)) = value.kind { text = s }
                if case .name(let n) = value.kind { text = n }
                guard let layout = TableLayout(rawValue: text) else {
                    let names = TableLayout.allCases.map(\.rawValue)
                    let suggestion = closestName(to: text, in: names)
                    throw Diagnostic(.unknownLayout(text), at: value.range,
                                           help: suggestion.map { "did you mean \"\($0)\"?" }
                                               ?? "layout = \"events\" folds ACLED's one row per actor to one row per event; \"rows\" keeps the file's rows")
                }
                result.layout = layout
            case "sheet":
                // A name in quotes, or a number from 1 (`sheet = 2`, the second sheet).
                switch value.kind {
                case .literal(.string(let name)) where !name.isEmpty: result.sheet = .name(name)
                case .literal(.int(let number)) where number >= 1: result.sheet = .index(Int(number))
                default:
                    throw Diagnostic(.sheetValue, at: value.range,
                                           help: "for example: sheet = \"Events\" or sheet = 2")
                }
            case "labels":
                var text = ""
                if case .literal(.string(let s)) = value.kind { text = s }
                if case .name(let n) = value.kind { text = n }
                guard let labels = StataLabels(rawValue: text.lowercased()) else {
                    let suggestion = closestName(to: text, in: StataLabels.allCases.map(\.rawValue))
                    throw Diagnostic(.labelsValue, at: value.range,
                                           help: suggestion.map { "did you mean \"\($0)\"?" }
                                               ?? "a Stata file's labelled values load as their text, their codes, or both")
                }
                result.labels = labels
            case "member":
                guard case .literal(.string(let name)) = value.kind, !name.isEmpty else {
                    throw Diagnostic(.memberName, at: value.range,
                                           help: "for example: member = \"ged241.csv\"")
                }
                result.member = name
            default:
                let suggestion = closestName(to: option.name.name, in: Checker.loadOptionNames)
                throw Diagnostic(.unknownLoadOption(option.name.name), at: option.name.range,
                                       help: suggestion.map { "did you mean '\($0)'?" }
                                           ?? "options are \(Checker.loadOptionNames.joined(separator: ", ")), and COLUMN: TYPE")
            }
        }
        return result
    }

    enum Checked {
        case plan(Plan)
        case scalar(BoundExpression)
    }

    /// A pipeline is a query when its head is a table; with no stages, any other head is a
    /// scalar expression.
    mutating func checkHead(_ pipeline: Pipeline) throws -> Checked {
        if pipeline.stages.isEmpty {
            switch pipeline.head.kind {
            case .name(let n) where environment.tableName(for: n) != nil || (n.lowercased() == "tables" && environment.scalarName(for: n) == nil):
                return .plan(try checkPipeline(pipeline))
            case .subquery:
                return .plan(try checkPipeline(pipeline))
            default:
                return .scalar(try bind(pipeline.head, Schema([]), .scalar))
            }
        }
        return .plan(try checkPipeline(pipeline))
    }

    func unknownTable(_ name: String, _ range: SourceRange) -> Diagnostic {
        let suggestion = closestName(to: name, in: environment.tableOrder + ["tables"])
        return Diagnostic(.unknownTable(name), at: range,
                      help: suggestion.map { "did you mean '\($0)'?" } ?? "'tables' lists the tables")
    }

    // MARK: Pipelines

    package mutating func checkPipeline(_ pipeline: Pipeline) throws -> Plan {
        let source: PlanSource
        let sourceSchema: Schema
        switch pipeline.head.kind {
        case .name(let n):
            if let table = environment.tableName(for: n) {
                source = .table(table)
                sourceSchema = environment.schema(ofTable: table)!
            } else if n.lowercased() == "tables" {
                source = .catalogListing
                sourceSchema = catalogListingSchema
            } else if environment.scalarName(for: n) != nil {
                throw Diagnostic(.valueNotTable(n), at: pipeline.head.range,
                                       help: "a pipeline starts with a table; 'tables' lists them")
            } else {
                throw unknownTable(n, pipeline.head.range)
            }
        case .subquery(let inner):
            let plan = try checkPipeline(inner)
            source = .plan(plan)
            sourceSchema = plan.schema
        default:
            throw Diagnostic(.pipelineStartsWithTable, at: pipeline.head.range,
                                   help: "'tables' lists the tables")
        }
        var schema = sourceSchema
        var stages: [(stage: PlanStage, schema: Schema, range: SourceRange)] = []
        for stage in pipeline.stages {
            if case .extend(let items) = stage.kind { try appendExtend(items, stage.range, to: &stages, schema: &schema); continue }
            let checked = try checkStage(stage, schema, inputLabel: pipeline.unionLabel(in: environment))
            try countStage(stage, checked.1)
            schema = checked.1
            stages.append((checked.0, checked.1, stage.range))
        }
        return Plan(source: source, sourceSchema: sourceSchema, stages: stages)
    }

    mutating func checkStage(_ stage: Stage, _ schema: Schema, inputLabel: String) throws -> (PlanStage, Schema) {
        switch stage.kind {
        case .union(let inputs, let sourceColumn):
            return try checkUnion(inputs, sourceColumn: sourceColumn, schema, inputLabel: inputLabel)
        case .window(let keys, let order, let columns):
            return try checkWindow(keys, order, columns, schema, stage)
        case .pivot(let key, let values, let aggregate, let keys):
            return try checkPivot(key, values, aggregate, keys, schema, stage)
        case .unpivot(let columns, let name, let value):
            return try checkUnpivot(columns, name, value, schema)
        case .fill(let fill):
            return try checkFill(fill, schema)
        case .chart:
            throw misplacedChart(stage)

        case .filter(let condition):
            let bound = try bind(condition, schema, .row)
            guard bound.type == .bool || bound.type == .null else {
                throw Diagnostic(.whereNotCondition(bound.type), at: condition.range,
                                       help: "compare it, for example: COLUMN == VALUE")
            }
            return (.filter(bound), schema)

        case .select(let items):
            let columns = try bindNamed(items, schema, .row)
            return (.project(columns), try uniqueSchema(columns.map { Field($0.name, $0.expression.type, hashtag: hashtag(of: $0.expression, in: schema),
                                                                            datePrecisions: $0.expression.datePrecisions) },
                                                        items.map(\.expression.range)))

        case .extend(let items):
            // Checked by the pipeline loop, which joins a run of them (ExtendChain.swift).
            var stages: [(stage: PlanStage, schema: Schema, range: SourceRange)] = []
            var extended = schema
            try appendExtend(items, stage.range, to: &stages, schema: &extended)
            return (stages[0].stage, extended)

        case .summarize(let aggregateItems, let keyItems):
            return try checkSummarize(aggregateItems, keyItems, schema, stage)

        case .sort(let keys):
            return (.sort(try bindSortKeys(keys, schema, defaultDescending: false)), schema)

        case .take(let count):
            return (.take(try bindCount(count, "take")), schema)

        case .top(let count, let keys):
            return (.top(try bindCount(count, "top"), try bindSortKeys(keys, schema, defaultDescending: true)), schema)

        case .distinct(let columns):
            if columns.isEmpty { return (.distinct(Array(schema.fields.indices)), schema) }
            var indices: [Int] = []
            for column in columns {
                guard case .name(let n) = column.kind else {
                    throw Diagnostic(.distinctTakesColumns, at: column.range,
                                           help: "compute the value first with 'extend NAME = ...'")
                }
                indices.append(try resolveColumn(n, column.range, schema))
            }
            if let list = indices.first(where: { if case .list = schema.fields[$0].type { return true } else { return false } }) {
                throw Diagnostic(.distinctOfList(schema.fields[list].name),
                                       at: columns[indices.firstIndex(of: list)!].range, help: "use 'expand' first")
            }
            return (.distinct(indices), Schema(indices.map { schema.fields[$0] }))

        case .count:
            return (.count, Schema([Field("count", .int)]))

        case .join(let kind, let rightPipeline, let condition):
            return try checkJoin(kind, rightPipeline, condition, schema)

        case .expand(let item):
            let bound = try bind(item.expression, schema, .row)
            guard case .list(let elementType) = bound.type else {
                throw Diagnostic(.expandNeedsList(bound.type), at: item.expression.range)
            }
            let name = item.name?.name ?? defaultName(item.expression)
            var fields = schema.fields
            let replacing = schema.fields.firstIndex { $0.name == name }
            if let replacing {
                fields[replacing] = Field(name, elementType)
            } else {
                fields.append(Field(name, elementType))
            }
            return (.expand(bound, replacing: replacing), Schema(fields))
        }
    }

    /// An HXL hashtag describes a column's values: a column passed on as it is (`select
    /// admin1`, `select region = admin1`, `by admin1`) keeps it; a computed one has none.
    func hashtag(of expression: BoundExpression, in schema: Schema) -> String? {
        if case .column(let index) = expression.kind, index < schema.fields.count { return schema.fields[index].hashtag }
        return nil
    }

    func uniqueSchema(_ fields: [Field], _ ranges: [SourceRange]) throws -> Schema {
        var seen: Set<String> = []
        for (field, range) in zip(fields, ranges) {
            if !seen.insert(field.name).inserted {
                throw Diagnostic(.duplicateColumn(field.name), at: range,
                                       help: "name it: NEW_NAME = ...")
            }
        }
        return Schema(fields)
    }

    mutating func bindNamed(_ items: [NamedExpression], _ schema: Schema, _ context: Context) throws
        -> [(name: String, expression: BoundExpression)] {
        try items.map { item in
            (item.name?.name ?? defaultName(item.expression), try bind(item.expression, schema, context))
        }
    }

    /// The column name of an unnamed expression: a column keeps its name, `year(date)` is
    /// `year`, `sum(fatalities)` is `sum_fatalities`, `count()` is `count`.
    func defaultName(_ expression: Expression) -> String {
        switch expression.kind {
        case .name(let n): return n
        case .qualified(_, let name): return name.name
        case .call(let name, let arguments, let distinct, _):
            let function = name.name.lowercased()
            guard AggregateFunction.named(function) != nil, let first = arguments.first else { return function }
            let argument = defaultName(first)
            // percentile(x, 90) is percentile_90_x, so that two percentiles do not clash.
            if function == "percentile", arguments.count == 2, case .literal(let p) = arguments[1].kind {
                return "percentile_\(String(p.description.map { $0 == "." ? "_" : $0 }))_\(argument)"
            }
            return "\(function)\(distinct ? "_distinct" : "")_\(argument)"
        default:
            return "expr"
        }
    }

    func bindSortKeys(_ keys: [SortKey], _ schema: Schema, defaultDescending: Bool) throws -> [SortSpec] {
        try keys.map { key in
            let bound = try bind(key.expression, schema, .row)
            if case .list = bound.type {
                throw Diagnostic(.sortByList, at: key.expression.range)
            }
            return SortSpec(expression: bound, descending: key.descending ?? defaultDescending)
        }
    }

    func bindCount(_ count: Expression, _ stage: String) throws -> BoundExpression {
        let bound = try bind(count, Schema([]), .scalar)
        guard bound.type == .int else {
            throw Diagnostic(.rowCountType(stage, bound.type), at: count.range)
        }
        if case .constant(.int(let n)) = bound.kind, n < 0 {
            throw Diagnostic(.rowCountNegative(stage, n), at: count.range)
        }
        return bound
    }

    mutating func checkSummarize(_ aggregateItems: [NamedExpression], _ keyItems: [NamedExpression],
                                 _ schema: Schema, _ stage: Stage) throws -> (PlanStage, Schema) {
        var keys: [(name: String, expression: BoundExpression)] = []
        for item in keyItems {
            let bound = try bind(item.expression, schema, .row)
            if case .list = bound.type {
                throw Diagnostic(.groupByList, at: item.expression.range,
                                       help: "use 'expand' first to get one row per element")
            }
            keys.append((item.name?.name ?? defaultName(item.expression), bound))
        }
        var collector = AggregateCollector(keyCount: keys.count, keys: keyItems.enumerated().map { index, item in
            (item.name?.name ?? defaultName(item.expression), index, keys[index].expression.type, keys[index].expression.datePrecisions)
        })
        var outputs: [(name: String, expression: BoundExpression)] = []
        var ranges = keyItems.map(\.expression.range)
        for (index, key) in keys.enumerated() {
            outputs.append((key.name, BoundExpression(.column(index), key.expression.type, keyItems[index].expression.range,
                                                      datePrecisions: key.expression.datePrecisions)))
        }
        for item in aggregateItems {
            let bound = try bindAggregateOutput(item.expression, schema, &collector)
            outputs.append((item.name?.name ?? defaultName(item.expression), bound))
            ranges.append(item.expression.range)
        }
        let keyTags = keys.map { hashtag(of: $0.expression, in: schema) }
        let outputSchema = try uniqueSchema(outputs.enumerated().map { index, output in
            Field(output.name, output.expression.type, hashtag: index < keyTags.count ? keyTags[index] : nil,
                  datePrecisions: output.expression.datePrecisions)
        }, ranges)
        return (.summarize(keys: keys, aggregates: collector.calls, outputs: outputs), outputSchema)
    }

    struct AggregateCollector {
        var keyCount: Int
        /// Names of the keys, their index and type: a key's name may be used outside an
        /// aggregate (`summarize n = count(), share = count() * 100 / total by country`).
        var keys: [(name: String, index: Int, type: DataType, datePrecisions: DatePrecisions)]
        var calls: [AggregateCall] = []
        /// In a `window`: the aggregates and window functions, column keyCount + i.
        var windowCalls: [WindowCall] = []
    }

    /// Binds an output expression of `summarize`: aggregate calls become references to the
    /// aggregate columns (after the keys); other names must be keys.
    func bindAggregateOutput(_ expression: Expression, _ schema: Schema, _ collector: inout AggregateCollector) throws -> BoundExpression {
        var found = false
        let bound = try bind(expression, schema, .aggregate, aggregates: &collector, sawAggregate: &found)
        if !found {
            throw Diagnostic(.summarizeNeedsAggregate,
                                   at: expression.range,
                                   help: "to group by a column, put it after 'by'")
        }
        return bound
    }

    // MARK: Joins

    mutating func checkJoin(_ kind: JoinKind, _ rightPipeline: Pipeline, _ condition: JoinCondition,
                            _ left: Schema) throws -> (PlanStage, Schema) {
        let right = try checkPipeline(rightPipeline)
        let rightSchema = right.schema
        var leftKeys: [Int] = [], rightKeys: [Int] = []
        var keyRanges: [SourceRange] = []
        var dropRight: Set<Int> = []
        var residual: BoundExpression? = nil
        switch condition {
        case .columns(let names):
            for name in names {
                let l = try resolveColumn(name.name, name.range, left, side: "left")
                let r = try resolveColumn(name.name, name.range, rightSchema, side: "right")
                leftKeys.append(l)
                rightKeys.append(r)
                keyRanges.append(name.range)
                dropRight.insert(r)
            }
        case .pairs(let pairs):
            for pair in pairs {
                leftKeys.append(try resolveColumn(pair.left.name, pair.left.range, left, side: "left"))
                rightKeys.append(try resolveColumn(pair.right.name, pair.right.range, rightSchema, side: "right"))
                keyRanges.append(pair.left.range.union(pair.right.range))
            }
        case .expression(let expression):
            let checked = try checkJoinCondition(expression, left, rightSchema)
            leftKeys = checked.keys.map(\.left)
            rightKeys = checked.keys.map(\.right)
            keyRanges = checked.keys.map { _ in expression.range }
            residual = checked.residual
        }
        for (position, (l, r)) in zip(leftKeys, rightKeys).enumerated() {
            let a = left.fields[l].type, b = rightSchema.fields[r].type
            let range = keyRanges[position]
            guard let common = DataType.common(a, b) else {
                throw Diagnostic(.joinTypes(a, left.fields[l].name, b, rightSchema.fields[r].name), at: range)
            }
            if case .list = common {
                throw Diagnostic(.joinOnList, at: range, help: "use 'expand' first, or a condition such as: on left.LIST has right.NAME")
            }
        }
        if kind == .semi || kind == .anti {
            // The left rows alone: each once, with or without a match.
            return (.join(kind, right: right, leftKeys: leftKeys, rightKeys: rightKeys, rightColumns: [], residual: residual), left)
        }
        var fields = left.fields
        var rightColumns: [Int] = []
        for (index, field) in rightSchema.fields.enumerated() where !dropRight.contains(index) {
            var name = field.name
            if fields.contains(where: { $0.name == name }) {
                name += "_right"
                var n = 2
                while fields.contains(where: { $0.name == name }) { name = field.name + "_right\(n)"; n += 1 }
            }
            fields.append(Field(name, field.type, hashtag: field.hashtag, datePrecisions: field.datePrecisions))
            rightColumns.append(index)
        }
        return (.join(kind, right: right, leftKeys: leftKeys, rightKeys: rightKeys, rightColumns: rightColumns, residual: residual), Schema(fields))
    }

    func resolveColumn(_ name: String, _ range: SourceRange, _ schema: Schema, side: String? = nil) throws -> Int {
        if let index = schema.index(of: name) { return index }
        let suggestion = closestName(to: name, in: schema.names)
        let place = side.map { " on the \($0) side of the join" } ?? ""
        throw Diagnostic(.unknownColumn(name, place), at: range,
                               help: suggestion.map { "did you mean '\($0)'?" } ?? columnList(schema))
    }

    func columnList(_ schema: Schema) -> String {
        let names = schema.names
        if names.isEmpty { return "there are no columns here" }
        let shown = names.prefix(12).joined(separator: ", ")
        return "columns are: \(shown)\(names.count > 12 ? ", …" : "")"
    }

    package init(environment: Environment, currentSource: Source? = nil, joinSides: JoinSides? = nil) {
        self.environment = environment
        self.currentSource = currentSource
        self.joinSides = joinSides
    }
}

extension BoundExpression {
    /// `operand` (an Int) converted to Float, folded when it is a constant.
    static func float(of operand: BoundExpression) -> BoundExpression {
        if case .constant(.int(let v)) = operand.kind {
            return BoundExpression(.constant(.float(Double(v))), .float, operand.range)
        }
        return BoundExpression(.toFloat(operand), .float, operand.range)
    }
}
