// Expressions as public values: the typed tree the checker made of an expression, with every
// column named as well as numbered and every function and aggregate named by its descriptor,
// for an embedding program to switch over (as PRQL's RQ exposes its expressions). Built from
// the checker's `BoundExpression`, which stays the engine's own.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics

/// A checked expression of a plan: what it computes, its type, and where it is written.
public struct PlanExpression: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        /// A column of the node's input, by name and by place (0 for the first). A join's
        /// condition reads the left's columns, then the right's, named `left.NAME` and
        /// `right.NAME`; a `summarize` output reads its keys (places as in its output).
        case column(name: String, index: Int)
        case constant(Value)
        /// A scalar bound by `let`, read when the query runs.
        case variable(String)
        case unary(UnaryOperator, PlanExpression)
        case binary(BinaryOperator, PlanExpression, PlanExpression)
        /// A scalar function; `function.name` is its name as written.
        case function(ScalarFunction, arguments: [PlanExpression])
        /// An aggregate, in a `summarize` output or a `window` column (percentile's p is its
        /// second argument, a constant).
        case aggregate(AggregateFunction, arguments: [PlanExpression], distinct: Bool)
        /// A window function of a `window` column; `offset` is prev/next's distance and
        /// moving_avg's width.
        case window(WindowFunction, argument: PlanExpression?, offset: Int)
        case inList(PlanExpression, items: [PlanExpression], negated: Bool)
        case isNull(PlanExpression, negated: Bool)
        case list([PlanExpression])
        /// An Int widened to Float where Int and Float meet (the checker adds these).
        case toFloat(PlanExpression)
    }

    public let kind: Kind
    public let type: DataType
    /// Where it is written, from its first part to its last (parentheses around a part at
    /// either end are not included; `text(in:)` reads it back whole).
    public let range: SourceRange

    public init(_ kind: Kind, type: DataType, range: SourceRange) {
        self.kind = kind
        self.type = type
        self.range = range
    }

    /// The expression as written in `source` (the query's text), on one line.
    public func text(in source: Source) -> String {
        source.text(of: source.balanced(range)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// How the checker's expressions become public ones: the names of the columns they read,
/// and, for outputs over a table of intermediate columns (a `summarize`'s aggregates, a
/// `window`'s calls), the expression each of those columns stands for.
struct ExpressionLowering {
    var names: [String]
    /// Column index to the expression it stands for, where it is not a column of `names`.
    var standIns: [Int: PlanExpression] = [:]

    init(_ schema: Schema, standIns: [Int: PlanExpression] = [:]) {
        names = schema.fields.map(\.name)
        self.standIns = standIns
    }

    init(names: [String], standIns: [Int: PlanExpression] = [:]) {
        self.names = names
        self.standIns = standIns
    }

    func callAsFunction(_ bound: BoundExpression) -> PlanExpression {
        let kind: PlanExpression.Kind
        switch bound.kind {
        case .column(let index):
            if let standIn = standIns[index] { return standIn }
            kind = .column(name: index < names.count ? names[index] : "", index: index)
        case .constant(let value): kind = .constant(value)
        case .variable(let name): kind = .variable(name)
        case .unary(let op, let operand): kind = .unary(op, self(operand))
        case .binary(let op, let left, let right): kind = .binary(op, self(left), self(right))
        case .function(let function, let arguments): kind = .function(function, arguments: arguments.map(self.callAsFunction))
        case .inList(let value, let items, let negated):
            kind = .inList(self(value), items: items.map(self.callAsFunction), negated: negated)
        case .isNull(let value, let negated): kind = .isNull(self(value), negated: negated)
        case .list(let items): kind = .list(items.map(self.callAsFunction))
        case .toFloat(let value): kind = .toFloat(self(value))
        }
        return PlanExpression(kind, type: bound.type, range: bound.extent)
    }

    /// An aggregate call over the columns of `names`.
    func aggregate(_ call: AggregateCall) -> PlanExpression {
        var arguments = call.argument.map { [self($0)] } ?? []
        if call.function == .percentile {
            arguments.append(PlanExpression(.constant(.float(call.percentile)), type: .float, range: call.range))
        }
        return PlanExpression(.aggregate(call.function, arguments: arguments, distinct: call.distinct), type: call.type,
                              range: arguments.reduce(call.range) { $0.union($1.range) })
    }

    func sortKeys(_ specs: [SortSpec]) -> [PlanSortKey] {
        specs.map { PlanSortKey(expression: self($0.expression), descending: $0.descending) }
    }
}

extension BoundExpression {
    /// The union of the ranges of the expression and everything in it: a binary operator's
    /// own range is only the operator (for its runtime errors), so this is what covers it as
    /// written, bar the parentheses around a part, which `Source.balanced` adds back.
    var extent: SourceRange {
        var range = self.range
        func add(_ e: BoundExpression) { range = range.union(e.extent) }
        switch kind {
        case .constant, .column, .variable: break
        case .unary(_, let operand), .toFloat(let operand), .isNull(let operand, _): add(operand)
        case .binary(_, let left, let right): add(left); add(right)
        case .function(_, let arguments), .list(let arguments): arguments.forEach(add)
        case .inList(let value, let items, _): add(value); items.forEach(add)
        }
        return range
    }
}

extension Source {
    /// `range` widened until its parentheses balance (outside string literals), so that
    /// `(a or b) and c`, whose parts know only `a or b`, reads back whole.
    func balanced(_ range: SourceRange) -> SourceRange {
        var start = max(0, min(range.start, bytes.count)), end = max(start, min(range.end, bytes.count))
        var depth = 0, lowest = 0, quote: UInt8? = nil
        for byte in bytes[start..<end] {
            if let q = quote { if byte == q { quote = nil }; continue }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1; lowest = min(lowest, depth)
            default: break
            }
        }
        // Unopened ')' inside: take in as many '(' before the range; unclosed '(': as many ')' after.
        var open = -lowest
        while open > 0, start > 0 {
            start -= 1
            if bytes[start] == UInt8(ascii: "(") { open -= 1 }
        }
        var close = depth - lowest
        while close > 0, end < bytes.count {
            if bytes[end] == UInt8(ascii: ")") { close -= 1 }
            end += 1
        }
        return SourceRange(start: start, end: end)
    }
}

extension PlanExpression: CustomStringConvertible {
    /// The expression in ConflictQL's syntax, one canonical way: operators spaced, parentheses
    /// only where precedence needs them, strings quoted, an Int's widening to Float left
    /// unwritten (`text(in:)` gives it as written instead).
    public var description: String {
        switch kind {
        case .column(let name, _), .variable(let name): return name
        case .constant(let value): return PlanExpression.literal(value)
        case .unary(.negate, let operand): return "-" + operand.operand(above: 6)
        case .unary(.not, let operand): return "not " + operand.operand(above: 2)
        case .binary(let op, let left, let right):
            // Left to right, bar comparisons and text tests, which do not chain.
            let level = PlanExpression.precedence(op)
            return left.operand(above: level == 3 ? level : level - 1) + " " + op.rawValue + " " + right.operand(above: level)
        case .function(let function, let arguments):
            // Without what the check appended (a place's coordinates), so the call reads back.
            let written = arguments.dropLast(function.appendedCount(arguments.map(\.type)))
            return function.name + "(" + PlanExpression.list(Array(written)) + ")"
        case .aggregate(let function, let arguments, let distinct):
            return function.rawValue + "(" + (distinct ? "distinct " : "") + PlanExpression.list(arguments) + ")"
        case .window(let function, let argument, let offset):
            var arguments = argument.map { [$0.description] } ?? []
            if function == .prev || function == .next || function == .moving_avg { arguments.append(String(offset)) }
            return function.rawValue + "(" + arguments.joined(separator: ", ") + ")"
        case .inList(let value, let items, let negated):
            return value.operand(above: 3) + (negated ? " not in (" : " in (") + PlanExpression.list(items) + ")"
        case .isNull(let value, let negated): return value.operand(above: 3) + (negated ? " is not null" : " is null")
        case .list(let items): return "[" + PlanExpression.list(items) + "]"
        case .toFloat(let value): return value.description
        }
    }

    /// How tightly the expression binds: 1 `or`, 2 `and`, 3 comparisons and text tests,
    /// 4 `+ -`, 5 `* / %`, 7 the rest.
    var level: Int {
        switch kind {
        case .binary(let op, _, _): return PlanExpression.precedence(op)
        case .unary(.not, _): return 2
        case .unary(.negate, _): return 6
        case .inList, .isNull: return 3
        case .toFloat(let value): return value.level
        case .column, .constant, .variable, .function, .aggregate, .window, .list: return 7
        }
    }

    /// The text of this expression as an operand of an operator that binds at `bound`:
    /// bracketed unless it binds more tightly.
    func operand(above bound: Int) -> String {
        level > bound ? description : "(" + description + ")"
    }

    static func precedence(_ op: BinaryOperator) -> Int {
        switch op {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .equalIgnoringCase, .notEqualIgnoringCase,
             .has, .contains, .startswith, .endswith, .matches: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo: return 5
        }
    }

    static func list(_ items: [PlanExpression]) -> String { items.map(\.description).joined(separator: ", ") }

    static func literal(_ value: Value) -> String {
        switch value {
        case .string(let text): return stringLiteral(text)
        case .date(let date): return "@\(date)"
        case .list(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        case .null, .int, .float, .bool: return value.description
        }
    }
}
