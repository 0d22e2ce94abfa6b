// A walk over a parsed script that names what each name in it is: a table, a column of the
// stage's input, a new column, a function, a `let` binding, a `$parameter`, a stage keyword.
// The formatter asks it where calls and unary minus signs are; the language server builds
// its hover, go-to-definition, references and semantic tokens on it. Keeping the walk here,
// beside the syntax tree, means a new stage or expression kind is added to it once.

import ConflictQLCore

/// What a name in a script stands for.
public enum NameRole: Sendable, Equatable {
    /// The head of a pipeline, or a table after `join`, `union` or `describe`: a table or a
    /// table bound by `let`.
    case table
    /// A column of the stage's input (`side` is `left`, `right` or `this` when qualified).
    case column(side: String?)
    /// The name given to a computed column: `extend NAME = ...`, `summarize NAME = ...`.
    case newColumn
    case function
    /// The name `let NAME = ...` binds, or the table `load ... as NAME` makes.
    case binding
    /// `$NAME`: a value bound by `let`.
    case parameter
    case stage
    case loadOption
    case typeName
}

/// One name in a script, with where it stands: the pipeline and the stage it is part of
/// (nil stage: the pipeline's head).
public struct NameUse: Sendable {
    public var name: String
    public var range: SourceRange
    public var role: NameRole
    public var pipeline: Pipeline?
    public var stage: Int?
    /// In a join's condition: the pipeline joined (what `right.` names).
    public var joined: Pipeline?
}

/// Walks every statement of `script`: `expression` sees every expression (outer before
/// inner), `name` every name with its role, in source order within each construct.
public func walk(_ script: Script, expression: (Expression) -> Void = { _ in }, name: (NameUse) -> Void) {
    withoutActuallyEscaping(expression) { expression in
        withoutActuallyEscaping(name) { name in
            var walker = SyntaxWalker(onExpression: expression, onName: name)
            for statement in script.statements { walker.statement(statement) }
        }
    }
}

private struct SyntaxWalker {
    let onExpression: (Expression) -> Void
    let onName: (NameUse) -> Void
    var pipeline: Pipeline?
    var stage: Int?
    var joined: Pipeline?

    init(onExpression: @escaping (Expression) -> Void, onName: @escaping (NameUse) -> Void) {
        self.onExpression = onExpression
        self.onName = onName
    }

    func use(_ identifier: Identifier, _ role: NameRole) {
        onName(NameUse(name: identifier.name, range: identifier.range, role: role, pipeline: pipeline, stage: stage,
                       joined: joined))
    }

    mutating func statement(_ statement: Statement) {
        switch statement.kind {
        case .binding(let name, let value):
            use(name, .binding)
            self.pipeline(value)
        case .query(let value), .explain(let value, _), .explainSQL(let value, _):
            self.pipeline(value)
        case .describe(let table):
            use(table, .table)
        case .load(_, _, let name, let options):
            if let name { use(name, .binding) }
            for option in options {
                if option.typeName != nil { use(option.name, .column(side: nil)) } else { use(option.name, .loadOption) }
                if let typeName = option.typeName { use(typeName, .typeName) }
                if let value = option.value { expression(value) }
            }
        }
    }

    mutating func pipeline(_ value: Pipeline) {
        let saved = (pipeline, stage, joined)
        defer { (pipeline, stage, joined) = saved }
        pipeline = value
        stage = nil
        joined = nil
        if case .name(let name) = value.head.kind {
            onExpression(value.head)
            use(Identifier(name: name, range: value.head.range), .table)
        } else {
            expression(value.head)
        }
        for (index, item) in value.stages.enumerated() {
            pipeline = value
            stage = index
            joined = nil
            use(item.keyword, .stage)
            stageBody(item.kind)
        }
    }

    mutating func named(_ items: [NamedExpression]) {
        for item in items {
            if let name = item.name { use(name, .newColumn) }
            expression(item.expression)
        }
    }

    mutating func sortKeys(_ keys: [SortKey]) {
        for key in keys { expression(key.expression) }
    }

    mutating func stageBody(_ kind: Stage.Kind) {
        switch kind {
        case .filter(let condition): expression(condition)
        case .select(let items), .extend(let items): named(items)
        case .summarize(let aggregates, let keys):
            named(aggregates)
            named(keys)
        case .sort(let keys): sortKeys(keys)
        case .take(let count): expression(count)
        case .top(let count, let keys):
            expression(count)
            sortKeys(keys)
        case .distinct(let columns): for column in columns { expression(column) }
        case .count: break
        case .join(_, let right, let condition):
            let (outer, index) = (pipeline, stage)
            pipeline(right)
            (pipeline, stage, joined) = (outer, index, right)
            switch condition {
            case .columns(let names): for name in names { use(name, .column(side: nil)) }
            case .pairs(let pairs):
                for pair in pairs {
                    use(pair.left, .column(side: "left"))
                    use(pair.right, .column(side: "right"))
                }
            case .expression(let condition): expression(condition)
            }
        case .expand(let item): named([item])
        case .union(let inputs, let sourceColumn):
            if let sourceColumn { use(sourceColumn, .newColumn) }
            let (outer, index) = (pipeline, stage)
            for input in inputs { pipeline(input) }
            (pipeline, stage) = (outer, index)
        case .window(let keys, let order, let columns):
            named(keys)
            sortKeys(order)
            named(columns)
        case .pivot(let key, let values, let aggregate, let keys):
            expression(key)
            for value in values { expression(value) }
            expression(aggregate)
            named(keys)
        case .unpivot(let columns, let name, let value):
            for column in columns { use(column, .column(side: nil)) }
            use(name, .newColumn)
            use(value, .newColumn)
        case .fill(let fill):
            use(fill.column, .column(side: nil))
            for key in fill.keys { use(key, .column(side: nil)) }
            expression(fill.step)
            if let from = fill.from { expression(from) }
            if let to = fill.to { expression(to) }
            named(fill.values)
        case .chart: break
        }
    }

    mutating func expression(_ value: Expression) {
        onExpression(value)
        switch value.kind {
        case .literal, .duration: break
        case .name(let name): use(Identifier(name: name, range: value.range), .column(side: nil))
        case .qualified(let side, let name): use(name, .column(side: side))
        case .parameter(let name): use(Identifier(name: name, range: value.range), .parameter)
        case .unary(_, let operand): expression(operand)
        case .binary(_, let left, let right, _):
            expression(left)
            expression(right)
        case .call(let name, let arguments, _, let filter):
            use(name, .function)
            for argument in arguments { expression(argument) }
            if let filter { expression(filter) }
        case .inList(let left, let items, _):
            expression(left)
            for item in items { expression(item) }
        case .between(let operand, let low, let high, _):
            expression(operand)
            expression(low)
            expression(high)
        case .isNull(let operand, _): expression(operand)
        case .list(let items): for item in items { expression(item) }
        case .subquery(let inner): pipeline(inner)
        }
    }
}
