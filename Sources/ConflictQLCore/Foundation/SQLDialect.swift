// The SQL engines a checked pipeline can be compiled for, and how each spells what differs:
// identifier quoting, string literals, type names, lists, string functions, unnesting.
// Everything else the compiler writes is the standard SQL that all of them read.
//
// User text reaches SQL in three shapes only, each through one function here: a name
// (`quote`), a literal (`string`) and a line comment (`comment`). Each keeps the text inside
// what it opened, whatever the text holds: a comment is one line (no control character, line
// separator or `*/` survives raw), a name or literal cannot be closed early by a quote or an
// escape of the dialect. SQLEscapingTests feeds every control character and every dialect's
// quote and comment syntax through each place user text enters.


public enum SQLDialect: String, Sendable, CaseIterable {
    case duckdb, postgres, spark, bigquery

    /// A name as the dialect quotes it: "name" (standard, the quote doubled), `name` (Spark,
    /// the backtick doubled) or `name` (BigQuery, which reads backslash escapes inside
    /// backticks as it does in literals, and has no doubling).
    package func quote(_ name: String) -> String {
        switch self {
        case .duckdb, .postgres: return "\"" + doubling("\"", in: name) + "\""
        case .spark: return "`" + doubling("`", in: name) + "`"
        case .bigquery: return "`" + backslashEscaped(name, quote: "`") + "`"
        }
    }

    /// A string literal. Spark and BigQuery read backslash escapes inside quotes; the
    /// standard doubles the quote.
    package func string(_ text: String) -> String {
        switch self {
        case .duckdb, .postgres: return "'" + doubling("'", in: text) + "'"
        case .spark, .bigquery: return "'" + backslashEscaped(text, quote: "'") + "'"
        }
    }

    /// A line comment saying `text`, always one line: control characters (C0, DEL, C1), the
    /// Unicode line and paragraph separators and the bidirectional controls are written as
    /// `\u{...}` escapes, and `*/` and `/*` are broken, so nothing in `text` can end the
    /// comment, open another, or show the reader a line other than the one SQL reads.
    package func comment(_ text: String) -> String {
        var out = "-- "
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            if isUnsafeInComment(scalar) || (scalar == "/" && previous == "*") || (scalar == "*" && previous == "/") {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            previous = scalar
        }
        return out
    }

    /// An Int sum, over a window when `over` is given. Sums are exact here whatever the order
    /// of rows (a partial sum that overflows is summed again wider); Spark in ANSI mode fails
    /// on a BIGINT partial sum that overflows and BigQuery's INT64 sum does too, so they sum
    /// as decimals and the cast back fails only when the total does not fit, as here.
    package func integerSum(_ argument: String, over: String? = nil) throws(SQLError) -> String {
        let window = over.map { " " + $0 } ?? ""
        switch self {
        case .duckdb, .postgres: return "CAST(SUM(\(argument))\(window) AS \(try typeName(.int)))"
        case .spark: return "CAST(SUM(CAST(\(argument) AS DECIMAL(38, 0)))\(window) AS BIGINT)"
        case .bigquery: return "CAST(SUM(CAST(\(argument) AS NUMERIC))\(window) AS INT64)"
        }
    }

    /// Each row's number in the order the engine reads a table (the file's order, or the
    /// order the rows were stored): Spark numbers rows by partition, in order, without a sort.
    package var rowNumber: String {
        self == .spark ? "monotonically_increasing_id()" : "ROW_NUMBER() OVER ()"
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

/// `text` inside `quote`s of Spark or BigQuery, which read backslash escapes there: the
/// backslash and the quote escaped, control characters as `\u` escapes (a raw line break
/// ends a BigQuery literal), everything else as it is.
func backslashEscaped(_ text: String, quote: Unicode.Scalar) -> String {
    var out = String.UnicodeScalarView()
    func append(_ escape: String) { out.append(contentsOf: escape.unicodeScalars) }
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": append("\\\\")
        case quote: append("\\" + String(quote))
        case "\n": append("\\n")
        case "\r": append("\\r")
        case "\t": append("\\t")
        case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}":
            append("\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))
        default: out.append(scalar)
        }
    }
    return String(out)
}

/// Whether `scalar` may not appear raw in a SQL line comment: a control character or line
/// separator could end the line, a bidirectional control could show the reader another one.
func isUnsafeInComment(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
        || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) || scalar == "\u{200E}" || scalar == "\u{200F}"
}

/// A pipeline (or a part of it) that a dialect cannot express: never wrong SQL instead.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    public var id: MessageID
    public var message: String
    public var range: SourceRange?
    public var description: String { message }

    public init(_ message: DiagnosticMessage, range: SourceRange?) {
        self.id = message.id
        self.message = message.text
        self.range = range
    }

    /// The diagnostic that reports this refusal at `range` when it has none of its own.
    public func diagnostic(at fallback: SourceRange?) -> Diagnostic {
        Diagnostic(DiagnosticMessage(id: id, severity: .error, text: message), at: range ?? fallback)
    }
}
