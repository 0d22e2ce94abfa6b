// The catalog: every table a session can name (the briefing's, loaded ones, `let` results),
// in the order they were added, each with a one-line description.

public struct Catalog: Sendable {
    struct Entry: Sendable {
        var table: Table
        var description: String
    }

    var entries: [String: Entry] = [:]
    public private(set) var names: [String] = []

    public init() {}

    public mutating func add(_ name: String, _ table: Table, description: String) {
        if entries[name] == nil { names.append(name) }
        entries[name] = Entry(table: table, description: description)
    }

    public mutating func remove(_ name: String) {
        entries[name] = nil
        names.removeAll { $0 == name }
    }

    public func table(named name: String) -> Table? { entries[name]?.table }

    public func description(of name: String) -> String? { entries[name]?.description }

    /// The `tables` listing: name, rows, columns, description.
    func listing() -> Table {
        Table(schema: catalogListingSchema, rows: names.map { name in
            let entry = entries[name]!
            return [.string(name), .int(Int64(entry.table.rowCount)), .int(Int64(entry.table.schema.fields.count)),
                    .string(entry.description)]
        })
    }

    /// `describe TABLE`: each column's name, type and number of nulls (`tables` is the listing).
    func describe(_ name: String) -> Table? {
        guard let table = table(named: name) ?? (name == "tables" ? listing() : nil) else { return nil }
        let schema = Schema([Field("column", .string), Field("type", .string), Field("nulls", .int)])
        return Table(schema: schema, rows: zip(table.schema.fields, table.columns).map { field, column in
            [.string(field.name), .string(field.type.description), .int(Int64(column.nullCount))]
        })
    }
}

/// The schema of the `tables` listing.
let catalogListingSchema = Schema([Field("name", .string), Field("rows", .int), Field("columns", .int),
                                   Field("description", .string)])
