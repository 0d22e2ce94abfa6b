// Types and single values. Tables hold columns, not values; `Value` is for literals, scalar
// results (`140100 + 51960`), `let` bindings and the edges (output, tests).

/// The type of a column or expression. `null` is the type of the literal `null`, which fits
/// any other type.
public indirect enum DataType: Sendable, Hashable, CustomStringConvertible {
    case int, float, string, bool, date, null
    case list(DataType)

    public var description: String {
        switch self {
        case .int: return "Int"
        case .float: return "Float"
        case .string: return "String"
        case .bool: return "Bool"
        case .date: return "Date"
        case .null: return "Null"
        case .list(let element): return "List<\(element)>"
        }
    }

    public var isNumeric: Bool { self == .int || self == .float || self == .null }

    /// Whether values of this type have an order (for sort, min, max, <).
    public var isOrderable: Bool {
        switch self {
        case .list: return false
        default: return true
        }
    }

    /// The type both `a` and `b` convert to, when they mix (Int with Float, anything with null).
    public static func common(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if (a == .int && b == .float) || (a == .float && b == .int) { return .float }
        if case .list(let x) = a, case .list(let y) = b, let e = common(x, y) { return .list(e) }
        return nil
    }
}

public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case int(Int64)
    case float(Double)
    case string(String)
    case bool(Bool)
    case date(DateValue)
    case list([Value])

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var type: DataType {
        switch self {
        case .null: return .null
        case .int: return .int
        case .float: return .float
        case .string: return .string
        case .bool: return .bool
        case .date: return .date
        case .list(let items):
            return .list(items.reduce(DataType.null) { DataType.common($0, $1.type) ?? $0 })
        }
    }

    /// Plain text, as CSV and the table output show it (no quotes; lists as `a, b`).
    public var description: String {
        switch self {
        case .null: return "null"
        case .int(let v): return String(v)
        case .float(let v): return formatFloat(v)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .date(let d): return d.description
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    package var asDouble: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .float(let v): return v
        default: return nil
        }
    }
}

/// The shortest text that reads back as the same Double; whole numbers without exponent
/// print with one decimal (`3.0`) so a Float never looks like an Int.
public func formatFloat(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) + ".0" }
    return String(v)
}

extension Value {
    /// The value as it is written after `--param NAME=`, for messages: `Gao`, `@2020-01`, `12`.
    package var parameterText: String {
        switch self {
        case .string(let s): return s
        case .date(let d): return "@\(d)"
        default: return description
        }
    }
}
