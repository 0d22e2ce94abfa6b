// What the planner knows of an expression without running it: whether it can fail or costs
// much per row. The executor uses it to choose between computing the right side of `and` /
// `or` on every row or only on the undecided ones; the planner, to move a `where` safely.

extension BoundExpression {
    /// Whether evaluating this can neither fail nor cost much per row: columns, constants,
    /// `let` values, comparisons (not of lists), `is null`, `not`, `and`, `or`, and `in`
    /// with constant items. Division, conversions, arithmetic (which can overflow) and text
    /// search are not.
    var isCheapAndInfallible: Bool {
        switch kind {
        case .constant, .column, .variable: return true
        case .isNull(let e, _), .unary(.not, let e): return e.isCheapAndInfallible
        case .binary(let op, let a, let b):
            switch op {
            case .and, .or: return a.isCheapAndInfallible && b.isCheapAndInfallible
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                if case .list = a.type { return false }
                return a.isCheapAndInfallible && b.isCheapAndInfallible
            default: return false
            }
        case .inList(let e, let items, _):
            return e.isCheapAndInfallible && items.allSatisfy { if case .constant = $0.kind { return true } else { return false } }
        case .toFloat(let e): return e.isCheapAndInfallible
        default: return false
        }
    }
}
