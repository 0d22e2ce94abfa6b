// The session's one table of names: the briefing's tables, loaded files, `let` tables and
// `let` values. The checker reads what each name is (a table's schema, a value's type) and
// declares the names a script binds; the executor reads the data; completion reads both.
// One structure, so nothing is kept in step by hand: binding a name as a value removes the
// table of that name, and the reverse.
//
// `Catalog` and `Environment` are the names the executor's and the checker's side of it had
// before; they remain as names of this one type.

public struct SymbolTable: Sendable {
    public enum Symbol: Sendable {
        /// A table: its schema, its rows once it has been made (nil while a script that
        /// binds it is only being checked), and a line for the `tables` listing.
        case table(schema: Schema, data: Table?, description: String)
        /// A value bound by `let`: its type, and the value once computed.
        case value(type: DataType, value: Value?)
    }

    private var symbols: [String: Symbol] = [:]
    /// Values given on the command line (`--param NAME=VALUE`): a script reads them but may
    /// not bind their names again (SessionParameters.swift).
    public private(set) var parameters: Set<String> = []
    /// Table names in the order they were added, for listings and completion.
    public private(set) var tableOrder: [String] = []

    public init() {}

    public func symbol(_ name: String) -> Symbol? { symbols[name] }

    // MARK: Tables

    /// Adds (or replaces) a table with its rows.
    public mutating func add(_ name: String, _ table: Table, description: String) {
        declareTable(name, table.schema, data: table, description: description)
    }

    /// Declares a table by its schema alone, as the checker does for `let NAME = pipeline`,
    /// and as a session connected to an engine does for the engine's tables.
    public mutating func addTable(_ name: String, _ schema: Schema, description: String = "bound by let") {
        declareTable(name, schema, data: nil, description: description)
    }

    private mutating func declareTable(_ name: String, _ schema: Schema, data: Table?, description: String) {
        if case .table = symbols[name] {} else { tableOrder.append(name) }
        // A table with rows says what precisions its date columns hold, for the checker. A
        // column with no date (no rows, or only nulls) keeps what its schema says, or when
        // that is nothing, days, as SQL's dates are.
        var schema = schema, data = data
        if data != nil {
            for (index, column) in data!.columns.enumerated() where schema.fields[index].type == .date {
                let declared = schema.fields[index].datePrecisions
                schema.fields[index].datePrecisions = column.measuredDatePrecisions() ?? (declared == .any ? .only(.day) : declared)
            }
            data!.schema = schema
        }
        symbols[name] = .table(schema: schema, data: data, description: description)
    }

    public mutating func remove(_ name: String) {
        if case .table = symbols[name] { tableOrder.removeAll { $0 == name } }
        symbols[name] = nil
    }

    /// The tables, in the order they were added.
    public var names: [String] { tableOrder }

    public func table(named name: String) -> Table? {
        if case .table(_, let data, _) = symbols[name] { return data }
        return nil
    }

    public func schema(ofTable name: String) -> Schema? {
        if case .table(let schema, _, _) = symbols[name] { return schema }
        return nil
    }

    public func description(of name: String) -> String? {
        if case .table(_, _, let description) = symbols[name] { return description }
        return nil
    }

    /// Every table's schema by name.
    public var tables: [String: Schema] {
        var schemas: [String: Schema] = [:]
        for name in tableOrder { schemas[name] = schema(ofTable: name) }
        return schemas
    }

    /// The table `name` stands for: exact, else the one table that matches ignoring case.
    public func tableName(for name: String) -> String? {
        if case .table = symbols[name] { return name }
        let matches = tableOrder.filter { $0.lowercased() == name.lowercased() }
        return matches.count == 1 ? matches[0] : nil
    }

    // MARK: Values

    /// Declares a value by its type, as the checker does for `let NAME = expression`.
    public mutating func addScalar(_ name: String, _ type: DataType) {
        remove(name)
        symbols[name] = .value(type: type, value: nil)
    }

    /// Binds a computed value.
    public mutating func setValue(_ name: String, _ value: Value, type: DataType) {
        remove(name)
        symbols[name] = .value(type: type, value: value)
    }

    /// Binds a command-line parameter: a value the script cannot bind again.
    public mutating func bindParameter(_ name: String, _ value: Value) {
        setValue(name, value, type: value.type)
        parameters.insert(name)
    }

    public func scalarType(_ name: String) -> DataType? {
        if case .value(let type, _) = symbols[name] { return type }
        return nil
    }

    /// Every value's type by name.
    public var scalars: [String: DataType] {
        var types: [String: DataType] = [:]
        for (name, symbol) in symbols { if case .value(let type, _) = symbol { types[name] = type } }
        return types
    }

    /// Every computed value by name, for the evaluator.
    public var values: [String: Value] {
        var values: [String: Value] = [:]
        for (name, symbol) in symbols { if case .value(_, let value?) = symbol { values[name] = value } }
        return values
    }

    /// The value `name` stands for: exact, else the one value that matches ignoring case.
    public func scalarName(for name: String) -> String? {
        if case .value = symbols[name] { return name }
        let matches = symbols.keys.filter { key in
            if case .value = symbols[key], key.lowercased() == name.lowercased() { return true }
            return false
        }
        return matches.count == 1 ? matches[0] : nil
    }

    // MARK: Listings

    /// The `tables` listing: name, rows, columns, description.
    package func listing() -> Table {
        Table(schema: catalogListingSchema, rows: tableOrder.map { name in
            let schema = schema(ofTable: name)!
            return [.string(name), table(named: name).map { .int(Int64($0.rowCount)) } ?? .null,
                    .int(Int64(schema.fields.count)), .string(description(of: name) ?? "")]
        })
    }

    /// `describe TABLE`: each column's name, type and number of nulls (`tables` is the listing),
    /// and its HXL hashtag when the table has any (a file from HDX), so other tables' listings
    /// do not carry an empty column.
    package func describe(_ name: String) -> Table? {
        guard let table = table(named: name) ?? (name == "tables" ? listing() : nil) else {
            // A table known by its schema alone (a remote engine's): no rows to count nulls in.
            guard let schema = schema(ofTable: name) else { return nil }
            return Table(schema: Schema([Field("column", .string), Field("type", .string), Field("nulls", .int)]),
                         rows: schema.fields.map { [.string($0.name), .string($0.type.description), .null] })
        }
        let tagged = table.schema.fields.contains { $0.hashtag != nil }
        let schema = Schema([Field("column", .string), Field("type", .string), Field("nulls", .int)]
                            + (tagged ? [Field("hxl", .string)] : []))
        return Table(schema: schema, rows: zip(table.schema.fields, table.columns).map { field, column in
            [.string(field.name), .string(field.type.description), .int(Int64(column.nullCount))]
                + (tagged ? [field.hashtag.map(Value.string) ?? .null] : [])
        })
    }
}

/// The names of the two sides the symbol table replaced: the executor's and the checker's.
public typealias Catalog = SymbolTable
public typealias Environment = SymbolTable

/// The schema of the `tables` listing.
package let catalogListingSchema = Schema([Field("name", .string), Field("rows", .int), Field("columns", .int),
                                   Field("description", .string)])
