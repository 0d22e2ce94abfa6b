// One checked statement as SQL: queries as SELECT, `let` tables as views, `let` values
// inlined where read. The session's `sql(for:dialect:)` (SessionSQL.swift) runs it over a
// whole script.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

/// One statement of a script, as SQL.
public enum SQLStatement: Sendable {
    /// A query or a bare expression: a SELECT whose rows are the statement's result.
    case rows(String)
    /// A `let` table: a view (a temporary table in BigQuery) for later statements.
    case definition(String)
    /// A `let` value, inlined where it is read; a `load`, as a comment.
    case none(comment: String?)
    /// What the dialect cannot express, with where and why.
    case refused(Diagnostic)

    /// The text to print, if any.
    public var text: String? {
        switch self {
        case .rows(let sql), .definition(let sql): return sql
        case .none(let comment): return comment
        case .refused: return nil
        }
    }
}

extension SQLCompiler {
    /// `describe TABLE`: each column's name and type, known when the SQL is written, and its
    /// nulls counted there; its HXL hashtag when the table has any.
    func describe(_ name: String) throws(SQLError) -> String {
        guard let table = catalog.first(where: { $0.name == name }) else {
            throw SQLError(.notExpressible("'describe \(name)'", in: dialect), range: nil)
        }
        try SQLCompiler.checkUserNames([name] + table.schema.names, range: nil)
        let tagged = table.schema.fields.contains { $0.hashtag != nil }
        let rows = try table.schema.fields.map { (field) throws(SQLError) -> String in
            var items = [named(dialect.string(field.name), "column"), named(dialect.string(field.type.description), "type"),
                         named("COUNT(*) - COUNT(\(dialect.quote(field.name)))", "nulls")]
            if tagged {
                let nullText = "CAST(NULL AS \(try dialect.typeName(.string)))"
                items.append(named(field.hashtag.map(dialect.string) ?? nullText, "hxl"))
            }
            return "SELECT \(items.joined(separator: ", ")) FROM \(dialect.quote(name))"
        }
        return rows.joined(separator: "\nUNION ALL ")
    }

    /// The SQL of one checked statement.
    package mutating func statement(_ statement: CheckedStatement) throws(SQLError) -> SQLStatement {
        switch statement {
        case .query(let plan):
            return .rows(try query(plan) + ";")
        case .scalar(let expression):
            return .rows("SELECT \(try SQLExpressionCompiler(dialect: dialect, columns: [], values: values).compile(expression)) AS \(dialect.quote("value"));")
        case .bindTable(let name, let plan):
            try SQLCompiler.checkUserNames([name], range: nil)
            // The view keeps the order column, for the queries that read it.
            var ctes: [String] = []
            let last = try compile(plan, into: &ctes)
            let columns = (plan.schema.names + [SQLCompiler.rowColumn]).map(dialect.quote).joined(separator: ", ")
            let body = "WITH " + ctes.joined(separator: ",\n") + "\nSELECT \(columns) FROM \(last)"
            views.insert(name)
            switch dialect {
            case .bigquery: return .definition("CREATE TEMP TABLE \(dialect.quote(name)) AS\n\(body);")
            case .spark: return .definition("CREATE OR REPLACE TEMPORARY VIEW \(dialect.quote(name)) AS\n\(body);")
            case .duckdb, .postgres: return .definition("CREATE OR REPLACE TEMP VIEW \(dialect.quote(name)) AS\n\(body);")
            }
        case .bindScalar(let name, let expression):
            values[name] = "(\(try SQLExpressionCompiler(dialect: dialect, columns: [], values: values).compile(expression)))"
            return .none(comment: nil)
        case .chart(let plan, let chart), .explainSQL(let plan, _, let chart?):
            return .rows(dialect.comment(chart.sqlNote) + "\n" + (try query(plan)) + ";")
        case .explainSQL(let plan, _, nil):
            return .rows(try query(plan) + ";")
        case .explain(let plan, _, _):
            guard dialect != .bigquery else { throw SQLError(.notExpressible("'explain'", in: .bigquery), range: nil) }
            return .definition("EXPLAIN " + (try query(plan)) + ";")
        case .describe(let name):
            return .rows(try describe(name) + ";")
        case .load(let paths, let name, _):
            return .none(comment: dialect.comment("load \(paths.map { "\"\($0)\"" }.joined(separator: ", ")) as \(name): the queries below read the table \(dialect.quote(name)) (create it with --schema)"))
        }
    }
}
