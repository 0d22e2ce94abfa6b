// What running one statement gives: rows, a value, a binding, or a loaded table. Made by the
// session from the executor's tables; read by the output formats.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// What one statement produced.
public enum StatementResult: Sendable {
    /// A query's rows.
    case table(Table)
    /// A query ending in `chart`: its rows and how to draw them.
    case chart(Chart)
    /// A bare expression's value.
    case value(Value, DataType)
    /// `let NAME = ...` bound a name; nothing to show.
    case bound(String)
    /// `load` made a table: its name, the file, and the report.
    case loaded(String, path: String, LoadReport)
}
