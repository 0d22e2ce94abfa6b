// The checker: syntax tree plus environment to typed plans. It resolves every table, column,
// binding and function name, types every expression, and rejects what cannot run (unknown
// names with a "did you mean", wrong argument types, an aggregate outside `summarize`)
// before any row is touched.

public struct CheckResult {
    var statements: [CheckedStatement]
    public var diagnostics: [Diagnostic]
    /// The environment after the script's bindings.
    public var environment: Environment
}

/// Checks every statement of `script`; bindings made by one statement are visible to the next.
public func check(_ script: Script, in environment: Environment, allowsFileAccess: Bool = true) -> CheckResult {
    var checker = Checker(environment: environment)
    checker.allowsFileAccess = allowsFileAccess
    var statements: [CheckedStatement] = []
    var diagnostics: [Diagnostic] = []
    for statement in script.statements {
        do {
            statements.append(try checker.check(statement))
        } catch let diagnostic as Diagnostic {
            diagnostics.append(diagnostic)
            // Bind the name anyway (as an unknown scalar) so later uses do not cascade.
            if case .binding(let name, _) = statement.kind, checker.environment.tableName(for: name.name) == nil {
                checker.environment.addScalar(name.name, .null)
            }
        } catch {
            diagnostics.append(.error("\(error)", at: statement.range))
        }
    }
    return CheckResult(statements: statements, diagnostics: diagnostics, environment: checker.environment)
}

struct Checker {
    var environment: Environment
    /// False in safe mode: statements that read files are refused.
    var allowsFileAccess = true

    /// How an expression may use names: per row of a schema, inside `summarize` (aggregates
    /// allowed), or with no row at all (`take N`, a bare expression).
    enum Context {
        case row
        case aggregate
        case scalar
    }

    // MARK: Statements

    mutating func check(_ statement: Statement) throws -> CheckedStatement {
        switch statement.kind {
        case .binding(let name, let value):
            switch try checkHead(value) {
            case .plan(let plan):
                environment.addTable(name.name, plan.schema)
                return .bindTable(name.name, plan)
            case .scalar(let expression):
                environment.addScalar(name.name, expression.type)
                return .bindScalar(name.name, expression)
            }
        case .query(let pipeline):
            switch try checkHead(pipeline) {
            case .plan(let plan): return .query(plan)
            case .scalar(let expression): return .scalar(expression)
            }
        case .describe(let name):
            guard let table = environment.tableName(for: name.name) else { throw unknownTable(name.name, name.range) }
            return .describe(table)
        case .load(let path, let pathRange, let name, let options):
            guard allowsFileAccess else {
                throw Diagnostic.error("'load' reads files, which safe mode does not allow", at: statement.range,
                                       help: "run without --safe to load files")
            }
            if path.isEmpty { throw Diagnostic.error("the file path is empty", at: pathRange) }
            let tableName = name?.name ?? ConflictQL.tableName(forPath: path)
            if reservedWords.contains(tableName.lowercased()) {
                throw Diagnostic.error("'\(tableName)' is a reserved word and cannot name a table", at: name?.range ?? pathRange,
                                       help: "name it: load \"\(path)\" as NAME")
            }
            return .load(path: path, name: tableName, options: try checkLoadOptions(options))
        }
    }

    static let loadOptionNames = ["delimiter", "header", "lenient", "format", "threads"]
    static let typeNames: [String: DataType] = ["int": .int, "float": .float, "string": .string, "bool": .bool, "date": .date]

    func checkLoadOptions(_ options: [LoadOptionSyntax]) throws -> LoadOptions {
        var result = LoadOptions()
        for option in options {
            if let typeName = option.typeName {
                guard let type = Checker.typeNames[typeName.name.lowercased()] else {
                    let suggestion = closestName(to: typeName.name, in: ["Int", "Float", "String", "Bool", "Date"])
                    throw Diagnostic.error("unknown type '\(typeName.name)'", at: typeName.range,
                                           help: suggestion.map { "did you mean '\($0)'?" } ?? "types are Int, Float, String, Bool, Date")
                }
                result.types[option.name.name] = type
                continue
            }
            guard let value = option.value else { continue }
            func bool() throws -> Bool {
                guard case .literal(.bool(let b)) = value.kind else {
                    throw Diagnostic.error("'\(option.name.name)' takes true or false", at: value.range)
                }
                return b
            }
            switch option.name.name.lowercased() {
            case "delimiter":
                guard case .literal(.string(let text)) = value.kind else {
                    throw Diagnostic.error("'delimiter' takes one character in quotes", at: value.range, help: "for example: delimiter = \";\"")
                }
                let bytes = Array(text.utf8)
                let tab = text.lowercased() == "tab"
                guard bytes.count == 1 || tab, tab || (bytes[0] != UInt8(ascii: "\"") && bytes[0] != UInt8(ascii: "\n")) else {
                    throw Diagnostic.error("'delimiter' takes one character (not a quote or a newline), found \"\(text)\"", at: value.range)
                }
                result.delimiter = tab ? UInt8(ascii: "\t") : bytes[0]
            case "header": result.header = try bool()
            case "lenient": result.lenient = try bool()
            case "threads":
                guard case .literal(.int(let n)) = value.kind, n >= 1, n <= 64 else {
                    throw Diagnostic.error("'threads' takes a number from 1 to 64", at: value.range)
                }
                result.threads = Int(n)
            case "format":
                var text = ""
                if case .literal(.string(let s)) = value.kind { text = s }
                if case .name(let n) = value.kind { text = n }
                guard let format = LoadOptions.Format(rawValue: text.lowercased()) else {
                    throw Diagnostic.error("'format' is csv or json", at: value.range)
                }
                result.format = format
            default:
                let suggestion = closestName(to: option.name.name, in: Checker.loadOptionNames)
                throw Diagnostic.error("unknown load option '\(option.name.name)'", at: option.name.range,
                                       help: suggestion.map { "did you mean '\($0)'?" }
                                           ?? "options are delimiter, header, lenient, format, threads, and COLUMN: TYPE")
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
        return .error("unknown table '\(name)'", at: range,
                      help: suggestion.map { "did you mean '\($0)'?" } ?? "'tables' lists the tables")
    }

    // MARK: Pipelines

    mutating func checkPipeline(_ pipeline: Pipeline) throws -> Plan {
        let source: PlanSource
        let sourceSchema: Schema
        switch pipeline.head.kind {
        case .name(let n):
            if let table = environment.tableName(for: n) {
                source = .table(table)
                sourceSchema = environment.tables[table]!
            } else if n.lowercased() == "tables" {
                source = .catalogListing
                sourceSchema = catalogListingSchema
            } else if environment.scalarName(for: n) != nil {
                throw Diagnostic.error("'\(n)' is a value, not a table", at: pipeline.head.range,
                                       help: "a pipeline starts with a table; 'tables' lists them")
            } else {
                throw unknownTable(n, pipeline.head.range)
            }
        case .subquery(let inner):
            let plan = try checkPipeline(inner)
            source = .plan(plan)
            sourceSchema = plan.schema
        default:
            throw Diagnostic.error("a pipeline starts with a table", at: pipeline.head.range,
                                   help: "'tables' lists the tables")
        }
        var schema = sourceSchema
        var stages: [(stage: PlanStage, schema: Schema, range: SourceRange)] = []
        for stage in pipeline.stages {
            let checked = try checkStage(stage, schema)
            schema = checked.1
            stages.append((checked.0, checked.1, stage.range))
        }
        return Plan(source: source, sourceSchema: sourceSchema, stages: stages)
    }

    mutating func checkStage(_ stage: Stage, _ schema: Schema) throws -> (PlanStage, Schema) {
        switch stage.kind {
        case .filter(let condition):
            let bound = try bind(condition, schema, .row)
            guard bound.type == .bool || bound.type == .null else {
                throw Diagnostic.error("'where' needs a true/false condition, found \(bound.type)", at: condition.range,
                                       help: "compare it, for example: \(stage.range.start == 0 ? "" : "")COLUMN == VALUE")
            }
            return (.filter(bound), schema)

        case .select(let items):
            let columns = try bindNamed(items, schema, .row)
            return (.project(columns), try uniqueSchema(columns.map { Field($0.name, $0.expression.type) }, items.map(\.expression.range)))

        case .extend(let items):
            let columns = try bindNamed(items, schema, .row)
            var all: [(name: String, expression: BoundExpression)] = schema.fields.enumerated().map {
                ($0.element.name, BoundExpression(.column($0.offset), $0.element.type, stage.range))
            }
            for column in columns {
                if let existing = all.firstIndex(where: { $0.name == column.name }) {
                    all[existing] = column
                } else {
                    all.append(column)
                }
            }
            return (.project(all), Schema(all.map { Field($0.name, $0.expression.type) }))

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
                    throw Diagnostic.error("'distinct' takes column names", at: column.range,
                                           help: "compute the value first with 'extend NAME = ...'")
                }
                indices.append(try resolveColumn(n, column.range, schema))
            }
            if let list = indices.first(where: { if case .list = schema.fields[$0].type { return true } else { return false } }) {
                throw Diagnostic.error("'distinct' cannot compare list column '\(schema.fields[list].name)'",
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
                throw Diagnostic.error("'expand' needs a list, found \(bound.type)", at: item.expression.range)
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

    func uniqueSchema(_ fields: [Field], _ ranges: [SourceRange]) throws -> Schema {
        var seen: Set<String> = []
        for (field, range) in zip(fields, ranges) {
            if !seen.insert(field.name).inserted {
                throw Diagnostic.error("duplicate column name '\(field.name)'", at: range,
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
        case .call(let name, let arguments, let distinct):
            let function = name.name.lowercased()
            guard AggregateFunction(rawValue: function) != nil, let first = arguments.first else { return function }
            let argument = defaultName(first)
            return "\(function)\(distinct ? "_distinct" : "")_\(argument)"
        default:
            return "expr"
        }
    }

    func bindSortKeys(_ keys: [SortKey], _ schema: Schema, defaultDescending: Bool) throws -> [SortSpec] {
        try keys.map { key in
            let bound = try bind(key.expression, schema, .row)
            if case .list = bound.type {
                throw Diagnostic.error("cannot sort by a list", at: key.expression.range)
            }
            return SortSpec(expression: bound, descending: key.descending ?? defaultDescending)
        }
    }

    func bindCount(_ count: Expression, _ stage: String) throws -> BoundExpression {
        let bound = try bind(count, Schema([]), .scalar)
        guard bound.type == .int else {
            throw Diagnostic.error("'\(stage)' needs a whole number of rows, found \(bound.type)", at: count.range)
        }
        if case .constant(.int(let n)) = bound.kind, n < 0 {
            throw Diagnostic.error("'\(stage)' needs a number of rows of 0 or more, found \(n)", at: count.range)
        }
        return bound
    }

    mutating func checkSummarize(_ aggregateItems: [NamedExpression], _ keyItems: [NamedExpression],
                                 _ schema: Schema, _ stage: Stage) throws -> (PlanStage, Schema) {
        var keys: [(name: String, expression: BoundExpression)] = []
        for item in keyItems {
            let bound = try bind(item.expression, schema, .row)
            if case .list = bound.type {
                throw Diagnostic.error("cannot group by a list", at: item.expression.range,
                                       help: "use 'expand' first to get one row per element")
            }
            keys.append((item.name?.name ?? defaultName(item.expression), bound))
        }
        var collector = AggregateCollector(keyCount: keys.count, keys: keyItems.enumerated().map { index, item in
            (item.name?.name ?? defaultName(item.expression), index, keys[index].expression.type)
        })
        var outputs: [(name: String, expression: BoundExpression)] = []
        var ranges = keyItems.map(\.expression.range)
        for (index, key) in keys.enumerated() {
            outputs.append((key.name, BoundExpression(.column(index), key.expression.type, keyItems[index].expression.range)))
        }
        for item in aggregateItems {
            let bound = try bindAggregateOutput(item.expression, schema, &collector)
            outputs.append((item.name?.name ?? defaultName(item.expression), bound))
            ranges.append(item.expression.range)
        }
        let outputSchema = try uniqueSchema(outputs.map { Field($0.name, $0.expression.type) }, ranges)
        return (.summarize(keys: keys, aggregates: collector.calls, outputs: outputs), outputSchema)
    }

    struct AggregateCollector {
        var keyCount: Int
        /// Names of the keys, their index and type: a key's name may be used outside an
        /// aggregate (`summarize n = count(), share = count() * 100 / total by country`).
        var keys: [(name: String, index: Int, type: DataType)]
        var calls: [AggregateCall] = []
    }

    /// Binds an output expression of `summarize`: aggregate calls become references to the
    /// aggregate columns (after the keys); other names must be keys.
    func bindAggregateOutput(_ expression: Expression, _ schema: Schema, _ collector: inout AggregateCollector) throws -> BoundExpression {
        var found = false
        let bound = try bind(expression, schema, .aggregate, aggregates: &collector, sawAggregate: &found)
        if !found {
            throw Diagnostic.error("'summarize' needs an aggregate such as count(), sum(...) or avg(...)",
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
        var dropRight: Set<Int> = []
        switch condition {
        case .columns(let names):
            for name in names {
                let l = try resolveColumn(name.name, name.range, left, side: "left")
                let r = try resolveColumn(name.name, name.range, rightSchema, side: "right")
                leftKeys.append(l)
                rightKeys.append(r)
                dropRight.insert(r)
            }
        case .pairs(let pairs):
            for pair in pairs {
                leftKeys.append(try resolveColumn(pair.left.name, pair.left.range, left, side: "left"))
                rightKeys.append(try resolveColumn(pair.right.name, pair.right.range, rightSchema, side: "right"))
            }
        }
        for (l, r) in zip(leftKeys, rightKeys) {
            let a = left.fields[l].type, b = rightSchema.fields[r].type
            let range: SourceRange
            switch condition {
            case .columns(let names): range = names[leftKeys.firstIndex(of: l)!].range
            case .pairs(let pairs): range = pairs[leftKeys.firstIndex(of: l)!].left.range.union(pairs[leftKeys.firstIndex(of: l)!].right.range)
            }
            guard let common = DataType.common(a, b) else {
                throw Diagnostic.error("cannot join \(a) column '\(left.fields[l].name)' with \(b) column '\(rightSchema.fields[r].name)'", at: range)
            }
            if case .list = common {
                throw Diagnostic.error("cannot join on a list column", at: range, help: "use 'expand' first")
            }
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
            fields.append(Field(name, field.type))
            rightColumns.append(index)
        }
        return (.join(kind, right: right, leftKeys: leftKeys, rightKeys: rightKeys, rightColumns: rightColumns), Schema(fields))
    }

    func resolveColumn(_ name: String, _ range: SourceRange, _ schema: Schema, side: String? = nil) throws -> Int {
        if let index = schema.index(of: name) { return index }
        let suggestion = closestName(to: name, in: schema.names)
        let place = side.map { " on the \($0) side of the join" } ?? ""
        throw Diagnostic.error("unknown column '\(name)'\(place)", at: range,
                               help: suggestion.map { "did you mean '\($0)'?" } ?? columnList(schema))
    }

    func columnList(_ schema: Schema) -> String {
        let names = schema.names
        if names.isEmpty { return "there are no columns here" }
        let shown = names.prefix(12).joined(separator: ", ")
        return "columns are: \(shown)\(names.count > 12 ? ", …" : "")"
    }

    // MARK: Expressions

    func bind(_ expression: Expression, _ schema: Schema, _ context: Context) throws -> BoundExpression {
        var collector = AggregateCollector(keyCount: 0, keys: [])
        var found = false
        return try bind(expression, schema, context, aggregates: &collector, sawAggregate: &found)
    }

    func bind(_ expression: Expression, _ schema: Schema, _ context: Context,
              aggregates: inout AggregateCollector, sawAggregate: inout Bool) throws -> BoundExpression {
        let range = expression.range
        func recurse(_ e: Expression) throws -> BoundExpression {
            try bind(e, schema, context, aggregates: &aggregates, sawAggregate: &sawAggregate)
        }
        switch expression.kind {
        case .literal(let value):
            return BoundExpression(.constant(value), value.type, range)

        case .name(let name):
            return try bindName(name, range, schema, context, aggregates)

        case .qualified(let side, let name):
            throw Diagnostic.error("'\(side).\(name.name)' is only meaningful in a join condition", at: range,
                                   help: "write the column name alone")

        case .unary(let op, let operand):
            let bound = try recurse(operand)
            switch op {
            case .negate:
                guard bound.type.isNumeric else {
                    throw Diagnostic.error("cannot negate \(bound.type)", at: range)
                }
                return BoundExpression(.unary(.negate, bound), bound.type, range)
            case .not:
                guard bound.type == .bool || bound.type == .null else {
                    throw Diagnostic.error("'not' needs a true/false value, found \(bound.type)", at: operand.range)
                }
                return BoundExpression(.unary(.not, bound), .bool, range)
            }

        case .binary(let op, let l, let r, let operatorRange):
            let left = try recurse(l)
            let right = try recurse(r)
            let type = try binaryType(op, left, right, l, r, operatorRange)
            var (a, b) = (left, right)
            // Mixed Int and Float compute in Float.
            if op.isArithmetic || op.isComparison, type != .string, left.type != right.type,
               DataType.common(left.type, right.type) == .float {
                a = left.type == .int ? .float(of: left) : left
                b = right.type == .int ? .float(of: right) : right
            }
            return BoundExpression(.binary(op, a, b), type, operatorRange)

        case .between(let value, let low, let high, let negated):
            // `x between a and b` is `x >= a and x <= b`.
            let lowTest = Expression(kind: .binary(.greaterEqual, value, low, operatorRange: low.range), range: range)
            let highTest = Expression(kind: .binary(.lessEqual, value, high, operatorRange: high.range), range: range)
            let both = Expression(kind: .binary(.and, lowTest, highTest, operatorRange: range), range: range)
            return try recurse(negated ? Expression(kind: .unary(.not, both), range: range) : both)

        case .isNull(let operand, let negated):
            return BoundExpression(.isNull(try recurse(operand), negated: negated), .bool, range)

        case .inList(let value, let items, let negated):
            let bound = try recurse(value)
            var boundItems: [BoundExpression] = []
            for item in items {
                let b = try recurse(item)
                guard DataType.common(bound.type, b.type) != nil else {
                    throw Diagnostic.error("cannot compare \(bound.type) with \(b.type) in 'in'", at: item.range)
                }
                boundItems.append(b)
            }
            return BoundExpression(.inList(bound, boundItems, negated: negated), .bool, range)

        case .list(let items):
            let bound = try items.map(recurse)
            var element = DataType.null
            for (item, source) in zip(bound, items) {
                guard let common = DataType.common(element, item.type) else {
                    throw Diagnostic.error("a list holds values of one type; found \(element) and \(item.type)", at: source.range)
                }
                if case .list = common { throw Diagnostic.error("lists of lists are not supported", at: source.range) }
                element = common
            }
            return BoundExpression(.list(bound), .list(element), range)

        case .subquery:
            throw Diagnostic.error("a pipeline cannot be used as a value here", at: range,
                                   help: "bind it with 'let NAME = ...' and join it, or use it as a table")

        case .call(let name, let arguments, let distinct):
            let lowered = name.name.lowercased()
            if let aggregate = AggregateFunction(rawValue: lowered) {
                return try bindAggregate(aggregate, name, arguments, distinct, expression, schema, context,
                                         &aggregates, &sawAggregate)
            }
            guard let function = ScalarFunction(rawValue: lowered) else {
                let all = ScalarFunction.allCases.map(\.rawValue) + AggregateFunction.allCases.map(\.rawValue)
                let suggestion = closestName(to: name.name, in: all)
                throw Diagnostic.error("unknown function '\(name.name)'", at: name.range,
                                       help: suggestion.map { "did you mean '\($0)'?" } ?? "functions are: \(all.joined(separator: ", "))")
            }
            if distinct {
                throw Diagnostic.error("'distinct' is only allowed in count(distinct ...)", at: range)
            }
            let bound = try arguments.map(recurse)
            return try bindFunction(function, name, bound, arguments, range)
        }
    }

    func bindName(_ name: String, _ range: SourceRange, _ schema: Schema, _ context: Context,
                  _ aggregates: AggregateCollector) throws -> BoundExpression {
        if context == .aggregate {
            // Outside an aggregate call, only the grouping keys are single values per group.
            if let key = aggregates.keys.first(where: { $0.name == name }) ?? aggregates.keys.first(where: { $0.name.lowercased() == name.lowercased() }) {
                return BoundExpression(.column(key.index), key.type, range)
            }
            if schema.index(of: name) != nil {
                throw Diagnostic.error("column '\(name)' must be inside an aggregate or listed after 'by'", at: range,
                                       help: "for example: sum(\(name)), or add 'by \(name)'")
            }
        } else if context == .row, let index = schema.index(of: name) {
            return BoundExpression(.column(index), schema.fields[index].type, range)
        }
        if let scalar = environment.scalarName(for: name) {
            return BoundExpression(.variable(scalar), environment.scalars[scalar]!, range)
        }
        if let table = environment.tableName(for: name) {
            throw Diagnostic.error("'\(table)' is a table, not a value", at: range,
                                   help: context == .scalar ? "start a pipeline with it: \(table) | ..." : "join it: | join \(table) on COLUMN")
        }
        let candidates = (context == .scalar ? [] : schema.names) + Array(environment.scalars.keys).sorted()
        let suggestion = closestName(to: name, in: candidates)
        let what = context == .scalar ? "name" : "column"
        throw Diagnostic.error("unknown \(what) '\(name)'", at: range,
                               help: suggestion.map { "did you mean '\($0)'?" } ?? (context == .scalar ? nil : columnList(schema)))
    }

    func bindAggregate(_ function: AggregateFunction, _ name: Identifier, _ arguments: [Expression], _ distinct: Bool,
                       _ expression: Expression, _ schema: Schema, _ context: Context,
                       _ aggregates: inout AggregateCollector, _ sawAggregate: inout Bool) throws -> BoundExpression {
        guard context == .aggregate else {
            throw Diagnostic.error("aggregate '\(function.rawValue)' is only allowed in 'summarize'", at: name.range,
                                   help: context == .scalar ? nil : "write: | summarize \(function.rawValue)(...) [by COLUMN]")
        }
        // The argument is evaluated per row of the input.
        var argument: BoundExpression? = nil
        if function == .count {
            if arguments.count > 1 {
                throw Diagnostic.error("count takes at most one argument, found \(arguments.count)", at: expression.range)
            }
        } else if arguments.count != 1 {
            throw Diagnostic.error("\(function.rawValue) takes one argument, found \(arguments.count)", at: expression.range)
        }
        if distinct && function != .count {
            throw Diagnostic.error("'distinct' is only allowed in count(distinct ...)", at: expression.range)
        }
        if let first = arguments.first {
            var inner = AggregateCollector(keyCount: 0, keys: [])
            var nested = false
            let bound = try bind(first, schema, .row, aggregates: &inner, sawAggregate: &nested)
            argument = bound
        }
        if distinct && argument == nil {
            throw Diagnostic.error("count(distinct ...) needs a column", at: expression.range)
        }
        let type: DataType
        let argumentType = argument?.type ?? .null
        switch function {
        case .count:
            type = .int
        case .sum:
            guard argumentType.isNumeric else { throw argumentError(function, "a number", argumentType, arguments[0].range) }
            type = argumentType == .null ? .int : argumentType
        case .avg, .median:
            guard argumentType.isNumeric else { throw argumentError(function, "a number", argumentType, arguments[0].range) }
            type = .float
        case .min, .max:
            guard argumentType.isOrderable else { throw argumentError(function, "a value with an order", argumentType, arguments[0].range) }
            type = argumentType
        }
        if let argument, case .list = argument.type, function == .count, distinct {
            throw Diagnostic.error("count(distinct ...) cannot compare lists", at: arguments[0].range, help: "use 'expand' first")
        }
        sawAggregate = true
        aggregates.calls.append(AggregateCall(function: function, argument: argument, distinct: distinct, type: type, range: expression.range))
        return BoundExpression(.column(aggregates.keyCount + aggregates.calls.count - 1), type, expression.range)
    }

    func argumentError(_ function: AggregateFunction, _ expected: String, _ found: DataType, _ range: SourceRange) -> Diagnostic {
        .error("\(function.rawValue) needs \(expected), found \(found)", at: range)
    }

    func bindFunction(_ function: ScalarFunction, _ name: Identifier, _ arguments: [BoundExpression],
                      _ sources: [Expression], _ range: SourceRange) throws -> BoundExpression {
        func arity(_ allowed: ClosedRange<Int>, _ usage: String) throws {
            guard allowed.contains(arguments.count) else {
                throw Diagnostic.error("\(function.rawValue) takes \(allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) or \(allowed.upperBound)") argument\(allowed.upperBound == 1 ? "" : "s"), found \(arguments.count)",
                                       at: range, help: "write: \(usage)")
            }
        }
        func expect(_ index: Int, _ ok: (DataType) -> Bool, _ what: String) throws {
            let type = arguments[index].type
            guard type == .null || ok(type) else {
                throw Diagnostic.error("\(function.rawValue) needs \(what), found \(type)", at: sources[index].range)
            }
        }
        let type: DataType
        switch function {
        case .year, .month, .day:
            try arity(1...1, "\(function.rawValue)(DATE)")
            try expect(0, { $0 == .date }, "a date")
            type = .int
        case .to_month, .to_year:
            try arity(1...1, "\(function.rawValue)(DATE)")
            try expect(0, { $0 == .date }, "a date")
            type = .date
        case .lower, .upper:
            try arity(1...1, "\(function.rawValue)(TEXT)")
            try expect(0, { $0 == .string }, "a string")
            type = .string
        case .len:
            try arity(1...1, "len(TEXT or LIST)")
            try expect(0, { if case .list = $0 { return true }; return $0 == .string }, "a string or a list")
            type = .int
        case .round:
            try arity(1...2, "round(NUMBER) or round(NUMBER, DIGITS)")
            try expect(0, { $0.isNumeric }, "a number")
            if arguments.count == 2 {
                try expect(1, { $0 == .int }, "a whole number of digits")
                guard case .constant = arguments[1].kind else {
                    throw Diagnostic.error("round needs a constant number of digits", at: sources[1].range)
                }
            }
            type = arguments[0].type == .null ? .float : arguments[0].type
        case .int, .float:
            try arity(1...1, "\(function.rawValue)(VALUE)")
            try expect(0, { $0.isNumeric || $0 == .string || $0 == .bool }, "a number, a string or a bool")
            type = function == .int ? .int : .float
        case .string:
            try arity(1...1, "string(VALUE)")
            type = .string
        case .abs:
            try arity(1...1, "abs(NUMBER)")
            try expect(0, { $0.isNumeric }, "a number")
            type = arguments[0].type == .null ? .int : arguments[0].type
        case .coalesce:
            guard arguments.count >= 1 else {
                throw Diagnostic.error("coalesce takes at least one argument", at: range, help: "write: coalesce(A, B, ...)")
            }
            var common = DataType.null
            for (argument, source) in zip(arguments, sources) {
                guard let next = DataType.common(common, argument.type) else {
                    throw Diagnostic.error("coalesce needs arguments of one type; found \(common) and \(argument.type)", at: source.range)
                }
                common = next
            }
            type = common
            let converted = arguments.map { $0.type == .int && common == .float ? .float(of: $0) : $0 }
            return BoundExpression(.function(.coalesce, converted), type, range)
        }
        return BoundExpression(.function(function, arguments), type, range)
    }

    func binaryType(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression,
                    _ l: Expression, _ r: Expression, _ operatorRange: SourceRange) throws -> DataType {
        let a = left.type, b = right.type
        func mismatch(_ help: String? = nil) -> Diagnostic {
            .error("cannot apply '\(op.rawValue)' to \(a) and \(b)", at: operatorRange, help: help)
        }
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo:
            if op == .add, (a == .string || a == .null), (b == .string || b == .null), a != b || a == .string {
                return .string
            }
            guard a.isNumeric, b.isNumeric else {
                let help = (a == .string || b == .string) && op == .add ? "both sides of '+' must be strings to join text" : nil
                throw mismatch(help)
            }
            if op == .divide { return .float }
            if a == .null && b == .null { return .int }
            return DataType.common(a, b)!
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard let common = DataType.common(a, b) else {
                var help: String? = nil
                if (a == .date && b == .string) || (a == .string && b == .date) {
                    help = "write a date as @YYYY-MM-DD, @YYYY-MM or @YYYY"
                } else if (a == .string && b.isNumeric) || (b == .string && a.isNumeric) {
                    help = "numbers are written without quotes"
                }
                throw Diagnostic.error("cannot compare \(a) with \(b)", at: operatorRange, help: help)
            }
            if case .list = common, op != .equal && op != .notEqual {
                throw Diagnostic.error("lists have no order", at: operatorRange, help: "use 'has' to test membership")
            }
            return .bool
        case .and, .or:
            for (side, source) in [(left, l), (right, r)] where side.type != .bool && side.type != .null {
                throw Diagnostic.error("'\(op.rawValue)' needs true/false values, found \(side.type)", at: source.range)
            }
            return .bool
        case .has:
            if case .list(let element) = a {
                guard DataType.common(element, b) != nil else {
                    throw Diagnostic.error("cannot look for \(b) in \(a)", at: operatorRange)
                }
                return .bool
            }
            guard (a == .string || a == .null) && (b == .string || b == .null) else {
                throw mismatch("'has' finds an element in a list or a whole word in a string")
            }
            return .bool
        case .contains, .startswith:
            guard (a == .string || a == .null) && (b == .string || b == .null) else {
                var help: String? = nil
                if case .list = a { help = "use 'has' to look for an element of a list" }
                throw mismatch(help)
            }
            return .bool
        }
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
