// The tables of a PostgreSQL engine as the session sees them: read from information_schema
// when the session connects, so the checker, completion and `describe` know every remote
// table's columns and types before a query runs. Each column gets the ConflictQL type its
// SQL type reads as, and each table the SELECT that the compiled pipeline starts from: the
// columns cast to exactly the SQL type the compiler assumes for that ConflictQL type (an
// INTEGER column summed as BIGINT, NUMERIC read as DOUBLE PRECISION, a timestamp as its
// day), and the `_cq_row` order column, the table's own if it has one (a table made by
// `--to-sql postgres --schema`), else the order PostgreSQL reads it in.
//
// Every schema the user may read is listed, as PostgreSQL resolves names: a table of a schema
// on the search path (`SHOW search_path`) is known by its bare name, the first schema on the
// path holding that name winning; every other table (another schema's, or one a schema
// earlier on the path hides) by its schema and name, `acled.events`.

import ConflictQLCore
import ConflictQLSQL

/// A table of the engine: its name, schema, the SELECT its pipelines start from, and the
/// columns of types ConflictQL cannot read, left out.
public struct RemoteTable: Sendable {
    /// The name the session knows it by: bare for the search path's, else `schema.table`.
    public var name: String
    /// The schema it is in (`public`, `acled`).
    public var schemaName: String
    public var schema: Schema
    public var source: String
    public var skippedColumns: [String]

    /// `schemaName` is empty for an engine whose tables are not in schemas the session names.
    public init(name: String, schemaName: String = "", schema: Schema, source: String, skippedColumns: [String]) {
        self.name = name
        self.schemaName = schemaName
        self.schema = schema
        self.source = source
        self.skippedColumns = skippedColumns
    }
}

extension PostgresEngine {
    /// The tables and views of every schema the user may read (not PostgreSQL's own).
    public func catalogue(cancellation: Cancellation? = nil) throws(RemoteError) -> [RemoteTable] {
        let sql = """
            SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name,
                   COALESCE(array_position(current_schemas(false), c.table_schema::name), 0) AS place
            FROM information_schema.columns AS c
            WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg\\_%'
            ORDER BY c.table_schema, c.table_name, c.ordinal_position
            """
        let rows = try rows(of: sql, types: [.string, .string, .string, .string, .string, .int], budget: nil,
                            cancellation: cancellation)
        var tables: [(table: RemoteTable, place: Int)] = []
        var fields: [(Field, String)] = []
        var skipped: [String] = []
        var ordered = false
        var current: (schema: String, name: String, place: Int)?
        func finish() {
            guard let current else { return }
            let dialect = SQLDialect.postgres
            let columns = fields.map { field, cast in "\(cast) AS \(dialect.quote(field.name))" }
            let row = ordered ? dialect.quote(SQLCompiler.rowColumn)
                : "ROW_NUMBER() OVER () AS \(dialect.quote(SQLCompiler.rowColumn))"
            let from = dialect.quote(current.schema) + "." + dialect.quote(current.name)
            tables.append((RemoteTable(name: current.name, schemaName: current.schema, schema: Schema(fields.map(\.0)),
                                       source: "SELECT \((columns + [row]).joined(separator: ", ")) FROM \(from)",
                                       skippedColumns: skipped), current.place))
        }
        for index in 0..<rows.rowCount {
            let text = (0..<5).map { column -> String in
                if case .string(let s) = rows.columns[column].value(at: index) { return s }
                return ""
            }
            if current?.schema != text[0] || current?.name != text[1] {
                finish()
                var place = 0
                if case .int(let value) = rows.columns[5].value(at: index) { place = Int(value) }
                current = (text[0], text[1], place)
                fields = []
                skipped = []
                ordered = false
            }
            let name = text[2]
            if name == SQLCompiler.rowColumn {
                ordered = true
                continue
            }
            guard !name.lowercased().hasPrefix("_cq_"), let (type, cast) = PostgresEngine.readType(text[3], udt: text[4], column: name) else {
                skipped.append(name)
                continue
            }
            var field = Field(name, type)
            if type == .date { field.datePrecisions = .only(.day) }
            fields.append((field, cast))
        }
        finish()
        // The bare name goes to the table of the earliest schema on the path that has one.
        var bare: [String: Int] = [:]
        for (index, entry) in tables.enumerated() where entry.place > 0 {
            if let other = bare[entry.table.name], tables[other].place <= entry.place { continue }
            bare[entry.table.name] = index
        }
        var named: [(table: RemoteTable, qualified: Bool)] = []
        for (index, entry) in tables.enumerated() {
            var table = entry.table
            let qualified = bare[table.name] != index
            if qualified { table.name = table.schemaName + "." + table.name }
            named.append((table, qualified))
        }
        // The search path's tables first, by name, then the others by schema and name.
        return named.sorted { a, b in a.qualified == b.qualified ? a.table.name < b.table.name : !a.qualified }.map(\.table)
    }

    /// The ConflictQL type a column of SQL type `type` reads as, and the cast that gives it
    /// the SQL type the compiler assumes (`SQLDialect.typeName`); nil for a type it cannot read.
    static func readType(_ type: String, udt: String, column: String) -> (DataType, String)? {
        let name = SQLDialect.postgres.quote(column)
        func cast(_ sqlType: String) -> String { "CAST(\(name) AS \(sqlType))" }
        switch type {
        case "bigint": return (.int, name)
        case "smallint", "integer": return (.int, cast("BIGINT"))
        case "double precision": return (.float, name)
        case "real", "numeric": return (.float, cast("DOUBLE PRECISION"))
        case "text": return (.string, name)
        case "character varying", "character", "name", "uuid", "citext": return (.string, cast("TEXT"))
        case "boolean": return (.bool, name)
        case "date": return (.date, name)
        case "timestamp without time zone", "timestamp with time zone": return (.date, cast("DATE"))
        case "ARRAY":
            switch udt {
            case "_int8": return (.list(.int), name)
            case "_int2", "_int4": return (.list(.int), cast("BIGINT[]"))
            case "_float8": return (.list(.float), name)
            case "_float4", "_numeric": return (.list(.float), cast("DOUBLE PRECISION[]"))
            case "_text": return (.list(.string), name)
            case "_varchar", "_bpchar", "_name": return (.list(.string), cast("TEXT[]"))
            case "_bool": return (.list(.bool), name)
            case "_date": return (.list(.date), name)
            default: return nil
            }
        default: return nil
        }
    }
}
