// The SQL compiler's refusals: a pipeline or a call that a dialect cannot express with the
// same answer is refused (an `SQLError`), never compiled to wrong SQL. Declared in the core
// because the function descriptors (ConflictQLFunctions) refuse too, below ConflictQLSQL.

/// IDs of the SQL compiler's refusals.
public enum SQLDiagnostic: String, DiagnosticKind {
    case notExpressibleInSQL = "not-expressible-in-sql"
    case reservedSQLName = "reserved-sql-name"

    public static let layer = "the SQL compiler"

    public var explanation: MessageExplanation {
        switch self {
        case .notExpressibleInSQL:
            MessageExplanation(.error, """
                The statement, stage or call has no SQL in this dialect that gives the same answer \
                as ConflictQL: it is refused (and left out of --to-sql, as a comment) rather than \
                compiled to SQL that would answer differently. Run it in ConflictQL.
                """, example: "explain sql postgres funding | extend n = len(donor)")
        case .reservedSQLName:
            MessageExplanation(.error, """
                Names beginning with the compiler's prefix are kept for the columns and tables the \
                SQL makes for itself; rename the column or table.
                """, example: "explain sql funding | extend _cq_row = 1")
        }
    }
}

extension DiagnosticMessage {
    package static func notExpressible(_ what: String, in dialect: SQLDialect, because reason: String? = nil) -> Self {
        Self(SQLDiagnostic.notExpressibleInSQL,
             "\(what) cannot be expressed in \(dialect.rawValue) SQL" + (reason.map { " (\($0))" } ?? ""))
    }
    package static let fillStepTooLong = Self(SQLDiagnostic.notExpressibleInSQL, "a 'fill' step this long cannot be expressed in SQL")
    package static let sortByListNotExpressible = Self(SQLDiagnostic.notExpressibleInSQL, "sorting by a list cannot be expressed in SQL")
    package static func reservedSQLName(_ name: String, prefix: String) -> Self {
        Self(SQLDiagnostic.reservedSQLName, "'\(name)' cannot be a name in SQL: names beginning with '\(prefix)' are kept for "
             + "the columns and tables the SQL makes for itself; rename it")
    }
}
