// Tables and schemas. A `Table` is named columns of equal length; a `Schema` is what the
// checker knows of a table before any row is touched: column names and types.

public struct Field: Sendable, Equatable {
    public var name: String
    public var type: DataType
    /// The column's HXL hashtag (`#affected+killed`) when the file it was loaded from had an
    /// HXL row; kept by stages that pass the column's values on unchanged.
    public var hashtag: String?
    /// For a Date column: the precisions its values may have (DatePrecisions.swift).
    public var datePrecisions: DatePrecisions

    public init(_ name: String, _ type: DataType, hashtag: String? = nil, datePrecisions: DatePrecisions = .any) {
        self.name = name
        self.type = type
        self.hashtag = hashtag
        self.datePrecisions = datePrecisions
    }
}

public struct Schema: Sendable, Equatable {
    public var fields: [Field]

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    public var names: [String] { fields.map(\.name) }

    /// The index of the column called `name`: exact match first, then ignoring case.
    public func index(of name: String) -> Int? {
        if let exact = fields.firstIndex(where: { $0.name == name }) { return exact }
        let lowered = name.lowercased()
        let matches = fields.indices.filter { fields[$0].name.lowercased() == lowered }
        return matches.count == 1 ? matches[0] : nil
    }
}

extension Schema {
    /// Whether a table of this schema is still what a query was checked against: the same
    /// columns, types and hashtags, its dates within the precisions the check assumed (a
    /// `let` table checked by its plan, then measured when it is made, knows more).
    public func fits(_ checked: Schema) -> Bool {
        fields.count == checked.fields.count && zip(fields, checked.fields).allSatisfy { field, assumed in
            field.name == assumed.name && field.type == assumed.type && field.hashtag == assumed.hashtag
                && assumed.datePrecisions.coarsest <= field.datePrecisions.coarsest && field.datePrecisions.finest <= assumed.datePrecisions.finest
        }
    }
}

/// The most columns a table may have, loaded or computed: SQLite's limit too. Each column
/// costs memory and time in every stage whatever its rows.
@inlinable public var maximumColumns: Int { 32_767 }

/// Rows a result has beyond those fetched from the engine that ran it.
public enum RowsLeft: Sendable, Equatable {
    case none
    /// This many, counted there.
    case counted(Int)
    /// Some, not counted in the time a count may take (`RemoteFetch.countingSeconds`).
    case uncounted
}

public struct Table: Sendable {
    public var schema: Schema
    public var columns: [Column]
    public let rowCount: Int
    /// Where a query's result came from (Provenance.swift); nil for tables as stored.
    public var provenance: Provenance? = nil
    /// Rows the result has beyond these, left on the engine that ran it: a terminal shows
    /// the first rows only (`.maxrows`), and only those were fetched.
    public var rowsLeft = RowsLeft.none

    public init(schema: Schema, columns: [Column], rowCount: Int) {
        precondition(schema.fields.count == columns.count && columns.allSatisfy { $0.count == rowCount })
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// A table from named columns of equal length.
    public init(_ named: [(String, Column)]) {
        self.init(schema: Schema(named.map { Field($0.0, $0.1.type) }), columns: named.map(\.1),
                  rowCount: named.first?.1.count ?? 0)
    }

    /// A table from rows of values, for small results and tests.
    public init(schema: Schema, rows: [[Value]]) {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for row in rows {
            for (i, value) in row.enumerated() { builders[i].append(value) }
        }
        self.init(schema: schema, columns: builders.map { $0.finish() }, rowCount: rows.count)
    }

    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }

    public func row(_ i: Int) -> [Value] { columns.map { $0.value(at: i) } }

    public var rows: [[Value]] { (0..<rowCount).map(row) }

    public func gather(_ indices: [Int32]) -> Table {
        Table(schema: schema, columns: columns.map { $0.gather(indices) }, rowCount: indices.count)
    }
}
