// The SQL engines a checked pipeline can be compiled for, and how each spells what differs:
// identifier quoting, string literals, type names, lists, string functions, unnesting.
// Everything else the compiler writes is the standard SQL that all of them read.


public enum SQLDialect: String, Sendable, CaseIterable {
    case duckdb, postgres, spark, bigquery

    /// A name as the dialect quotes it: "name" (standard) or `name` (Spark, BigQuery).
    package func quote(_ name: String) -> String {
        switch self {
        case .duckdb, .postgres: return "\"" + doubling("\"", in: name) + "\""
        case .spark, .bigquery: return "`" + doubling("`", in: name) + "`"
        }
    }

    /// A string literal. Spark and BigQuery read backslash escapes inside quotes; the
    /// standard doubles the quote.
    package func string(_ text: String) -> String {
        switch self {
        case .duckdb, .postgres:
            return "'" + doubling("'", in: text) + "'"
        case .spark, .bigquery:
            var out = "'"
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\\": out += "\\\\"
                case "'": out += "\\'"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "'"
        }
    }

    package func typeName(_ type: DataType) throws(SQLError) -> String {
        switch (self, type) {
        case (.bigquery, .int): return "INT64"
        case (.bigquery, .float): return "FLOAT64"
        case (.bigquery, .string), (.spark, .string): return "STRING"
        case (.postgres, .string): return "TEXT"
        case (_, .string): return "VARCHAR"
        case (.bigquery, .bool): return "BOOL"
        case (.postgres, .float): return "DOUBLE PRECISION"
        case (_, .int): return "BIGINT"
        case (_, .float): return "DOUBLE"
        case (_, .bool): return "BOOLEAN"
        case (_, .date): return "DATE"
        case (.postgres, .list(let element)), (.duckdb, .list(let element)): return try typeName(element) + "[]"
        case (_, .list(let element)): return "ARRAY<\(try typeName(element))>"
        case (_, .null): return try typeName(.string)
        }
    }

    /// `ORDER BY` of text by UTF-8 bytes, as ConflictQL orders it: PostgreSQL orders by the
    /// database's locale unless told the "C" collation.
    package func bytewise(_ sql: String, _ type: DataType) -> String {
        self == .postgres && type == .string ? "(\(sql) COLLATE \"C\")" : sql
    }

    package func list(_ items: [String]) -> String {
        switch self {
        case .postgres: return "ARRAY[" + items.joined(separator: ", ") + "]"
        case .spark: return "array(" + items.joined(separator: ", ") + ")"
        case .duckdb, .bigquery: return "[" + items.joined(separator: ", ") + "]"
        }
    }

    package func startsWith(_ text: String, _ prefix: String) -> String {
        switch self {
        case .duckdb, .postgres: return "starts_with(\(text), \(prefix))"
        case .spark: return "startswith(\(text), \(prefix))"
        case .bigquery: return "STARTS_WITH(\(text), \(prefix))"
        }
    }

    package func position(_ needle: String, in text: String) -> String {
        switch self {
        case .spark: return "instr(\(text), \(needle))"
        default: return "strpos(\(text), \(needle))"
        }
    }

    /// Whether the regular expression `pattern` (a SQL string) matches `text`.
    package func matches(_ text: String, _ pattern: String) -> String {
        switch self {
        case .duckdb: return "regexp_matches(\(text), \(pattern))"
        case .postgres: return "(\(text) ~ \(pattern))"
        case .spark: return "(\(text) RLIKE \(pattern))"
        case .bigquery: return "REGEXP_CONTAINS(\(text), \(pattern))"
        }
    }

    package func listLength(_ list: String) -> String {
        switch self {
        case .duckdb: return "len(\(list))"
        case .postgres: return "COALESCE(cardinality(\(list)), CASE WHEN \(list) IS NULL THEN NULL ELSE 0 END)"
        case .spark: return "size(\(list))"
        case .bigquery: return "ARRAY_LENGTH(\(list))"
        }
    }

    /// The continuous percentile at `fraction` (0 to 1), interpolated as percentile_cont.
    package func percentile(_ argument: String, _ fraction: Double) -> String {
        switch self {
        case .duckdb: return "quantile_cont(\(argument), \(fraction))"
        case .postgres: return "percentile_cont(\(fraction)) WITHIN GROUP (ORDER BY \(argument))"
        case .spark: return "percentile(\(argument), \(fraction))"
        case .bigquery: return "PERCENTILE_CONT(\(argument), \(fraction)) OVER ()"
        }
    }
}

/// `text` with every `quote` written twice, as SQL escapes a quote inside quotes. By
/// scalars, not characters: a quote followed by a combining mark is still a quote to SQL.
func doubling(_ quote: Unicode.Scalar, in text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if scalar == quote { out.append(scalar) }
        out.append(scalar)
    }
    return String(out)
}

/// A pipeline (or a part of it) that a dialect cannot express: never wrong SQL instead.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var range: SourceRange?
    public var description: String { message }

    public init(message: String, range: SourceRange?) {
        self.message = message
        self.range = range
    }
}
