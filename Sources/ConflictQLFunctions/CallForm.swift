// The ways a function, an aggregate or a window function may be called, in a form a program
// can read: each argument's kind and the result's type, one form per combination of types.
// The help and the checker keep their own words (`sum(X)`, "sum needs a number"); these are
// for what writes calls itself, the query fuzzer, so that a new descriptor is generated
// without a second list of names and types to keep in step.

import ConflictQLCore

/// One way to call a function: the arguments, in order, and what the call gives.
public struct CallForm: Sendable, Equatable {
    public var arguments: [ArgumentKind]
    public var result: DataType

    public init(_ arguments: [ArgumentKind], _ result: DataType) {
        self.arguments = arguments
        self.result = result
    }

    /// One form per type of `types`, made by `form` (`min` of each type with an order).
    static func each(_ types: [DataType], _ form: (DataType) -> CallForm) -> [CallForm] { types.map(form) }

    /// The types a value may have outside a list.
    static let valueTypes: [DataType] = [.int, .float, .string, .bool, .date]
    static let numberTypes: [DataType] = [.int, .float]
}

/// What an argument is.
public enum ArgumentKind: Sendable, Equatable {
    /// Any expression of this type.
    case of(DataType)
    /// A regular expression written in the query: r"...".
    case pattern
    /// A percentage written in the query, from 0 to 100.
    case percentage
    /// A whole number of rows written in the query, from 1 to 1,000,000.
    case rows
    /// A duration written in the query: 1 week, 3 months.
    case duration
    /// A constant of this type written in the query (a separator, a number of digits).
    case constant(DataType)
}
