// The ways a function, an aggregate or a window function may be called, in a form a program
// can read: each argument's kind and the result's type, one form per combination of types.
// The help and the checker keep their own words (`sum(X)`, "sum needs a number"); these are
// for what writes calls itself, the query fuzzer, so that a new descriptor is generated
// without a second list of names and types to keep in step. A form is a call the checker
// accepts and that computes for most values of its types: int of any text, which is an error
// for most texts, or parse_date of text not in its format, are left out.

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
    /// A number of digits written in the query (round's: negative for tens, hundreds).
    case digits
    /// A size written in the query, more than 0, of this type (bin's).
    case size(DataType)
    /// A place in a text or a number of characters, a whole number from 0 (substring's).
    case position
    /// A text that is not empty, written in the query (a separator, the text to replace).
    case nonEmptyText
}
