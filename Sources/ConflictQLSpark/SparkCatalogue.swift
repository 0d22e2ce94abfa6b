// The tables of a Spark Connect server as the session sees them: `SHOW TABLES` in the current
// database when the session connects, then each table's schema from AnalyzePlan (Spark's own
// DataType, nothing parsed from text), so the checker, completion and `describe` know every
// remote table's columns before a query runs. Each column gets the ConflictQL type its Spark
// type reads as, and each table the SELECT its pipelines start from: the columns cast to the
// Spark SQL type the compiler assumes for that type (an INT summed as BIGINT, a DECIMAL read
// as DOUBLE, a timestamp as its day), and the `_cq_row` order column, the table's own if it
// has one (a table made by the tests' loader), else `monotonically_increasing_id()`, the
// order Spark reads the table's files in.

import ConflictQLCore
import ConflictQLRemote
import ConflictQLSQL

extension SparkEngine {
    public func catalogue(cancellation: Cancellation?) throws(RemoteError) -> [RemoteTable] {
        let listing = try rows(of: "SHOW TABLES", types: [.string, .string, .bool], budget: nil, cancellation: cancellation)
        let columns = listing.columns
        var tables: [RemoteTable] = []
        for index in 0..<listing.rowCount {
            guard case .string(let name) = columns[1].value(at: index) else { continue }
            let database: String? = if case .string(let text) = columns[0].value(at: index), !text.isEmpty { text } else { nil }
            let identifier = (database.map { [$0] } ?? []) + [name]
            var request = analyzeRequest()
            var schemaRequest = Spark_Connect_AnalyzePlanRequest.Schema()
            var read = Spark_Connect_Read.NamedTable()
            read.unparsedIdentifier = identifier.map(SQLDialect.spark.quote).joined(separator: ".")
            var relation = Spark_Connect_Relation()
            relation.read.namedTable = read
            var plan = Spark_Connect_Plan()
            plan.root = relation
            schemaRequest.plan = plan
            request.schema = schemaRequest
            let schema = try analyze(request, cancellation: cancellation).schema.schema
            tables.append(SparkEngine.table(name, from: read.unparsedIdentifier, fields: schema.struct.fields))
        }
        return tables.sorted { $0.name < $1.name }
    }

    static func table(_ name: String, from identifier: String, fields: [Spark_Connect_DataType.StructField]) -> RemoteTable {
        let dialect = SQLDialect.spark
        var read: [(Field, String)] = []
        var skipped: [String] = []
        var ordered = false
        for field in fields {
            if field.name == SQLCompiler.rowColumn {
                ordered = true
                continue
            }
            guard !field.name.lowercased().hasPrefix("_cq_"), let (type, cast) = readType(field.dataType, column: field.name) else {
                skipped.append(field.name)
                continue
            }
            var column = Field(field.name, type)
            if type == .date { column.datePrecisions = .only(.day) }
            read.append((column, cast))
        }
        let items = read.map { field, cast in "\(cast) AS \(dialect.quote(field.name))" }
        let row = ordered ? dialect.quote(SQLCompiler.rowColumn) : "\(dialect.rowNumber) AS \(dialect.quote(SQLCompiler.rowColumn))"
        return RemoteTable(name: name, schema: Schema(read.map(\.0)),
                           source: "SELECT \((items + [row]).joined(separator: ", ")) FROM \(identifier)", skippedColumns: skipped)
    }

    /// The ConflictQL type a column of Spark type `type` reads as, and the expression that
    /// gives it the Spark SQL type the compiler assumes; nil for a type it cannot read.
    static func readType(_ type: Spark_Connect_DataType, column: String) -> (DataType, String)? {
        let name = SQLDialect.spark.quote(column)
        func cast(_ sqlType: String) -> String { "CAST(\(name) AS \(sqlType))" }
        guard let kind = type.kind else { return nil }
        switch kind {
        case .long: return (.int, name)
        case .integer, .short, .byte: return (.int, cast("BIGINT"))
        case .double: return (.float, name)
        case .float, .decimal: return (.float, cast("DOUBLE"))
        case .string: return (.string, name)
        case .char, .varChar: return (.string, cast("STRING"))
        case .boolean: return (.bool, name)
        case .date: return (.date, name)
        case .timestamp, .timestampNtz: return (.date, cast("DATE"))
        case .array(let array):
            guard let (element, _) = readType(array.elementType, column: column) else { return nil }
            if case .list = element { return nil }
            let sqlType: String
            switch element {
            case .int: sqlType = "ARRAY<BIGINT>"
            case .float: sqlType = "ARRAY<DOUBLE>"
            case .string: sqlType = "ARRAY<STRING>"
            case .bool: sqlType = "ARRAY<BOOLEAN>"
            case .date: sqlType = "ARRAY<DATE>"
            default: return nil
            }
            return (.list(element), cast(sqlType))
        case .null, .binary, .calendarInterval, .yearMonthInterval, .dayTimeInterval, .struct, .map, .variant, .udt, .unparsed:
            return nil
        }
    }
}
