// `--schema` for a table loaded from one plain CSV file: the engine's own reader over the
// file, with the types ConflictQL inferred, instead of the rows written out (a few hundred
// bytes for a file of any size). DuckDB `read_csv` with `columns`, PostgreSQL `CREATE TABLE`
// and `COPY`, Spark a temporary view `USING csv` with a schema, BigQuery `LOAD DATA`. Each
// reads a field as the CSV loader does: an unquoted empty field is null, a quoted one ("") is
// the empty text, spaces are kept. Dates are read as text and converted from the two forms the
// loader reads as days (ISO `2020-07-31`, ACLED's `31 December 2020`). A table the engines
// cannot read alike (several files, compressed, JSON, an HXL row, another encoding, a
// layout, skipped rows, dates of another precision) is written out as rows, as before.

import Foundation
import ConflictQLCore
import ConflictQLData
import ConflictQLSQL

/// A CSV file that SQL engines can read as ConflictQL read it.
struct SQLFileReference {
    let path: String
    let delimiter: UInt8

    init?(path: String, options: LoadOptions, report: LoadReport, schema: Schema) {
        guard let delimiter = report.csvDelimiter, options.header, options.layout == nil, options.encoding == nil,
              options.member == nil, report.skippedRows == 0, report.hashtagLine == nil else { return nil }
        let lowered = path.lowercased()
        guard [".csv", ".tsv", ".txt"].contains(where: lowered.hasSuffix) else { return nil }
        for field in schema.fields {
            switch field.type {
            case .int, .float, .string, .bool, .null: continue
            case .date where field.datePrecisions == .only(.day): continue
            case .date, .list: return nil
            }
        }
        // A UTF-16 file (found by its byte-order mark) is read here, not by the engines.
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let start = [UInt8]((try? handle.read(upToCount: 2)) ?? Data())
        if start == [0xFF, 0xFE] || start == [0xFE, 0xFF] { return nil }
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        self.delimiter = delimiter
    }

    /// The statements that make table `name` in `dialect` from the file.
    func script(_ name: String, _ schema: Schema, _ dialect: SQLDialect) throws(SQLError) -> String {
        let table = dialect.quote(name), file = dialect.string(path)
        let delimiter = dialect.string(String(UnicodeScalar(self.delimiter)))
        // Dates are read as text first, then converted.
        func readType(_ field: Field) throws(SQLError) -> String { try dialect.typeName(field.type == .date ? .string : field.type) }
        let dates = schema.fields.filter { $0.type == .date }.map { dialect.quote($0.name) }
        let columns = try schema.fields.map { (field) throws(SQLError) in
            "\(dialect.quote(field.name)) \(try readType(field))"
        }.joined(separator: ", ")
        func converted(from source: String) -> String {
            let items = schema.fields.map { field in
                let column = dialect.quote(field.name)
                return field.type == .date ? "\(SQLFileReference.date(column, dialect)) AS \(column)" : column
            }
            return "SELECT \(items.joined(separator: ", ")) FROM \(source)"
        }
        let comment = dialect.comment("\(name): read from \(path), with the types ConflictQL inferred")
        switch dialect {
        case .duckdb:
            let types = try schema.fields.map { (field) throws(SQLError) in
                "\(dialect.string(field.name)): \(dialect.string(try readType(field)))"
            }
            let reader = "read_csv(\(file), header = true, delim = \(delimiter), quote = '\"', escape = '\"', allow_quoted_nulls = false, "
                + "auto_detect = false, columns = {\(types.joined(separator: ", "))})"
            return "\(comment)\nCREATE OR REPLACE TABLE \(table) AS \(converted(from: reader));\n"
        case .postgres:
            var out = "\(comment)\nDROP TABLE IF EXISTS \(table);\nCREATE TABLE \(table) (\(columns));\n"
            out += dialect.comment("from psql on another machine: \\copy \(table) FROM '\(path)' WITH (FORMAT csv, HEADER true)") + "\n"
            out += "COPY \(table) FROM \(file) WITH (FORMAT csv, HEADER true, DELIMITER \(delimiter));\n"
            for date in dates {
                out += "ALTER TABLE \(table) ALTER COLUMN \(date) TYPE DATE USING \(SQLFileReference.date(date, dialect));\n"
            }
            return out
        case .spark:
            let options = "OPTIONS (path \(file), header 'true', sep \(delimiter), quote '\"', escape '\"', "
                + "multiLine 'true', mode 'FAILFAST')"
            guard !dates.isEmpty else {
                return "\(comment)\nCREATE OR REPLACE TEMPORARY VIEW \(table) (\(columns)) USING csv \(options);\n"
            }
            let raw = dialect.quote("_cq_file_" + name)
            return "\(comment)\nCREATE OR REPLACE TEMPORARY VIEW \(raw) (\(columns)) USING csv \(options);\n"
                + "CREATE OR REPLACE TEMPORARY VIEW \(table) AS \(converted(from: raw));\n"
        case .bigquery:
            var out = "\(comment)\n" + dialect.comment("upload the file to Cloud Storage and give its gs:// URI in uris") + "\n"
            out += "LOAD DATA OVERWRITE \(table) (\(columns)) FROM FILES (format = 'CSV', uris = [\(file)], skip_leading_rows = 1, "
                + "field_delimiter = \(delimiter), allow_quoted_newlines = true);\n"
            if !dates.isEmpty { out += "CREATE OR REPLACE TABLE \(table) AS \(converted(from: table));\n" }
            return out
        }
    }

    /// A Date from the text the loader reads as a day: ISO or ACLED's `31 December 2020`.
    static func date(_ column: String, _ dialect: SQLDialect) -> String {
        switch dialect {
        case .duckdb: return "COALESCE(TRY_CAST(\(column) AS DATE), CAST(try_strptime(\(column), '%d %B %Y') AS DATE))"
        case .postgres:
            return "CASE WHEN \(column) ~ '^[0-9]{4}-' THEN CAST(\(column) AS DATE) ELSE to_date(\(column), 'DD FMMonth YYYY') END"
        case .spark: return "coalesce(try_to_date(\(column), 'yyyy-MM-dd'), try_to_date(\(column), 'd MMMM yyyy'))"
        case .bigquery: return "COALESCE(SAFE.PARSE_DATE('%Y-%m-%d', \(column)), SAFE.PARSE_DATE('%d %B %Y', \(column)))"
        }
    }
}
