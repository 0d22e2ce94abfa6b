// What names mean before anything runs: the schemas of the catalog's tables and the types
// of scalar bindings. The checker reads and extends it; the session keeps it beside the data.

public struct Environment: Sendable {
    public var tables: [String: Schema] = [:]
    /// Table names in the order they were added, for listings and completion.
    public var tableOrder: [String] = []
    public var scalars: [String: DataType] = [:]

    public init() {}

    public mutating func addTable(_ name: String, _ schema: Schema) {
        if tables[name] == nil { tableOrder.append(name) }
        tables[name] = schema
        scalars[name] = nil
    }

    public mutating func addScalar(_ name: String, _ type: DataType) {
        if tables.removeValue(forKey: name) != nil { tableOrder.removeAll { $0 == name } }
        scalars[name] = type
    }

    /// The catalog name for `name`: exact, else the one table that matches ignoring case.
    public func tableName(for name: String) -> String? {
        if tables[name] != nil { return name }
        let matches = tableOrder.filter { $0.lowercased() == name.lowercased() }
        return matches.count == 1 ? matches[0] : nil
    }

    public func scalarName(for name: String) -> String? {
        if scalars[name] != nil { return name }
        let matches = scalars.keys.filter { $0.lowercased() == name.lowercased() }
        return matches.count == 1 ? matches[0] : nil
    }
}

extension Catalog {
    /// The schemas of every table, for the checker.
    public var environment: Environment {
        var environment = Environment()
        for name in names { environment.addTable(name, table(named: name)!.schema) }
        return environment
    }
}
