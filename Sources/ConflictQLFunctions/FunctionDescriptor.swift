// What the three kinds of descriptor (ScalarFunction, AggregateFunction, WindowFunction)
// share: a name, help with an example that runs, the forms the fuzzer calls it with, one
// list of all of them, lookup by name in any case, and identity as equality (a descriptor
// is declared once, so two with the same name are the same).

/// A function, aggregate or window function declared once in this module.
public protocol FunctionDescriptor: AnyObject, Hashable, Sendable, CustomStringConvertible {
    /// The name as it is written in a query (lower case).
    var name: String { get }
    /// How it is called and what it gives, for help and completion: `year(DATE) -> Int`.
    var signature: String { get }
    /// What it means, with its null rule where it has one.
    var meaning: String { get }
    /// An expression or pipeline that runs (a test runs every example).
    var example: String { get }
    /// Each way to call it, for the query fuzzer.
    var forms: [CallForm] { get }
    /// Every descriptor of the kind, in the order of the reference.
    static var all: [Self] { get }
    /// `all` by name, made once by each kind as `lookupTable(all)`.
    static var byName: [String: Self] { get }
}

extension FunctionDescriptor {
    /// The descriptor of a name as written (any case), or nil.
    public static func named(_ name: String) -> Self? { byName[name.lowercased()] }

    /// `all` by name.
    static func lookupTable(_ all: [Self]) -> [String: Self] {
        Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }

    public var description: String { name }
    public var rawValue: String { name }

    public static func == (a: Self, b: Self) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
