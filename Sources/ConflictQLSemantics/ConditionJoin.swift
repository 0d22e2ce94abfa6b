// Join conditions beyond equal columns: `on CONDITION`, any Bool expression over the rows of
// both sides (`left.actor1 startswith right.abbrev`, `groups_of(...) has right.name`). The
// condition is bound over a pair of rows: the left columns, then the right ones. Its
// `left.a == right.b` conjuncts become the keys of a hash join, the rest is checked on the
// pairs the keys make (Engine/ConditionJoinExecution.swift), so an equality part never builds the
// cross product.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

/// The two sides of the join whose condition is being bound: `left.x` and `right.x` resolve
/// here; a bare name must belong to one side only.
package struct JoinSides {
    var left: Schema
    var right: Schema

    /// The left columns, then the right ones; a right name that a left column has is hidden
    /// (only `right.NAME` reaches it).
    var pairSchema: Schema {
        let leftNames = Set(left.names.map { $0.lowercased() })
        return Schema(left.fields + right.fields.map {
            Field(leftNames.contains($0.name.lowercased()) ? "right.\($0.name)" : $0.name, $0.type, datePrecisions: $0.datePrecisions)
        })
    }
}

extension Checker {
    /// `on CONDITION`: its equality keys (left, right column indices) and the rest, bound
    /// over the pair schema (nil when the keys are the whole condition).
    mutating func checkJoinCondition(_ condition: Expression, _ left: Schema, _ right: Schema) throws
        -> (keys: [(left: Int, right: Int)], residual: BoundExpression?) {
        let saved = joinSides
        joinSides = JoinSides(left: left, right: right)
        defer { joinSides = saved }
        let pair = joinSides!.pairSchema
        // The whole condition first: its names and types, with their own messages.
        let whole = try bind(condition, pair, .row)
        guard whole.type == .bool || whole.type == .null else {
            throw Diagnostic(.joinConditionNotCondition(whole.type), at: condition.range,
                                   help: "for example: on left.actor1 startswith right.abbrev")
        }
        var keys: [(left: Int, right: Int)] = []
        var rest: [Expression] = []
        for conjunct in conjuncts(condition) {
            if let key = try equalityKey(conjunct, pair, leftWidth: left.fields.count) { keys.append(key) } else { rest.append(conjunct) }
        }
        guard let first = rest.first else { return (keys, nil) }
        let residual = rest.dropFirst().reduce(first) {
            Expression(kind: .binary(.and, $0, $1, operatorRange: $1.range), range: $0.range.union($1.range))
        }
        return (keys, try bind(residual, pair, .row))
    }

    func conjuncts(_ e: Expression) -> [Expression] {
        if case .binary(.and, let a, let b, _) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// `a == b` where one side is a left column and the other a right column of a type
    /// they can meet as (not lists): a hash-join key.
    func equalityKey(_ e: Expression, _ pair: Schema, leftWidth: Int) throws -> (left: Int, right: Int)? {
        guard case .binary(.equal, let a, let b, _) = e.kind else { return nil }
        let boundA = try bind(a, pair, .row), boundB = try bind(b, pair, .row)
        guard case .column(let i) = boundA.kind, case .column(let j) = boundB.kind, (i < leftWidth) != (j < leftWidth),
              let common = DataType.common(boundA.type, boundB.type) else { return nil }
        if case .list = common { return nil }
        return i < leftWidth ? (i, j - leftWidth) : (j, i - leftWidth)
    }

    /// `left.NAME` or `right.NAME` inside a join condition: the column's place in the pair
    /// schema. Outside a join condition, nil.
    func bindJoinSide(_ side: String, _ name: Identifier, _ range: SourceRange) throws -> BoundExpression? {
        guard let sides = joinSides else { return nil }
        switch side.lowercased() {
        case "left":
            let index = try resolveColumn(name.name, name.range, sides.left, side: "left")
            return BoundExpression(.column(index), sides.left.fields[index].type, range, datePrecisions: sides.left.fields[index].datePrecisions)
        case "right":
            let index = try resolveColumn(name.name, name.range, sides.right, side: "right")
            return BoundExpression(.column(sides.left.fields.count + index), sides.right.fields[index].type, range,
                                   datePrecisions: sides.right.fields[index].datePrecisions)
        default:
            throw Diagnostic(.namesNeitherSide(side, name.name), at: range,
                                   help: "write left.\(name.name) or right.\(name.name)")
        }
    }

    /// A bare name in a join condition that both sides have is ambiguous.
    func checkJoinBareName(_ name: String, _ range: SourceRange) throws {
        guard let sides = joinSides, sides.left.index(of: name) != nil, sides.right.index(of: name) != nil else { return }
        throw Diagnostic(.columnOfBothSides(name), at: range,
                               help: "write left.\(name) or right.\(name)")
    }
}
