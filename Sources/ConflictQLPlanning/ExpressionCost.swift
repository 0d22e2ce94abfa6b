// What the planner knows of an expression without running it: whether it can fail or costs
// much per row. The executor uses it to choose between computing the right side of `and` /
// `or` on every row or only on the undecided ones; the planner, to move a `where` safely.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics

extension BoundExpression {
    /// Whether evaluating this can neither fail nor cost much per row: columns, constants,
    /// `let` values, comparisons (not of lists), `is null`, `not`, `and`, `or`, and `in`
    /// with constant items. Division, conversions, arithmetic (which can overflow) and text
    /// search are not.
    package var isCheapAndInfallible: Bool {
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

extension BoundExpression {
    /// Whether evaluating this can never fail, whatever the rows (it may cost much): what
    /// may be computed on rows the query would not have reached (a join condition's one-side
    /// parts, computed once per row of that side). Arithmetic (overflow, division by zero),
    /// conversions and functions that check their arguments per row are not.
    package var isInfallible: Bool {
        switch kind {
        case .constant, .column, .variable: return true
        case .isNull(let e, _), .toFloat(let e): return e.isInfallible
        case .unary(let op, let e): return op == .not && e.isInfallible
        case .binary(let op, let a, let b):
            switch op {
            case .add, .subtract, .multiply, .divide, .modulo: return false
            default: return a.isInfallible && b.isInfallible
            }
        case .inList(let e, let items, _): return e.isInfallible && items.allSatisfy(\.isInfallible)
        case .list(let items): return items.allSatisfy(\.isInfallible)
        case .function(let function, let arguments):
            return !function.mayFail && arguments.allSatisfy(\.isInfallible)
        }
    }
}
