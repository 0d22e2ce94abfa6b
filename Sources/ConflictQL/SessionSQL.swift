// A whole script as SQL (`conflictql --to-sql DIALECT`), and the script that creates the
// tables its queries read (`--to-sql DIALECT --schema`): the briefing's tables and loaded
// ones, as CREATE TABLE and INSERT ... VALUES with the `_cq_row` order column.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

extension Session {
    /// The SQL of each statement of `source`, in order: queries and bare expressions as
    /// SELECT, `let` tables as views, `let` values inlined where read. `load` statements run
    /// (their columns are needed to check what follows) and become a comment naming the table
    /// the SQL reads. A statement the dialect cannot express is `.refused` with a diagnostic
    /// at the construct. Throws `DiagnosticError` for a script that does not check.
    /// Dot-commands that only shape output (`.mode`, `.output`, ...) are left out; `.load` and
    /// `.read`, which would bind names, are refused (ScriptCommands.swift).
    public func sql(for source: Source, dialect: SQLDialect) throws -> [SQLStatement] {
        let split = ScriptWithCommands(source)
        let refused = split.commands.filter(\.changesNames).map { command -> Diagnostic in
            var reads = false
            if case .read = command.command { reads = true }
            return Diagnostic(.notCompiledToSQL(String(command.text.split(separator: " ")[0])), at: command.range,
                              help: reads ? "give the script it reads to --to-sql as well"
                                  : "write it as a load statement: load \"FILE\" as NAME")
        }
        if !split.diagnostics.isEmpty || !refused.isEmpty {
            throw DiagnosticError((split.diagnostics + refused).sorted { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }, source: source)
        }
        let parsed = parse(split.statements)
        if !parsed.diagnostics.isEmpty { throw DiagnosticError(parsed.diagnostics, source: source) }
        var compiler = compilerWithValues(dialect)
        var environment = symbols
        var statements: [SQLStatement] = []
        var read = tablesReadBySQL, views = Set<String>()
        // The tables as the SQL has them so far: the session's, then each `let` and `load`.
        compiler.catalog = symbols.names.compactMap { name in
            symbols.schema(ofTable: name).map { (name, $0, symbols.description(of: name) ?? "") }
        }
        func define(_ name: String, _ schema: Schema, _ description: String) {
            compiler.catalog.removeAll { $0.name == name }
            compiler.catalog.append((name, schema, description))
        }
        for segment in parsed.script.checkingSegments() {
            let checked = check(segment, in: environment, allowsFileAccess: allowsFileAccess, source: source)
            if !checked.diagnostics.isEmpty { throw DiagnosticError(checked.diagnostics, source: source) }
            environment = checked.environment
            for (statement, syntax) in zip(checked.statements, segment.statements) {
                tablesReadBySQL(statement, into: &read)
                do {
                    statements.append(try compiler.statement(statement))
                } catch {
                    statements.append(.refused(error.diagnostic(at: syntax.range)))
                }
                if case .load(let paths, let name, let options) = statement {
                    do {
                        try load(paths: paths, as: name, options: options)
                    } catch {
                        throw DiagnosticError([Diagnostic(.cannotLoad(error), at: syntax.range)], source: source)
                    }
                    environment.addTable(name, symbols.schema(ofTable: name)!)
                    define(name, symbols.schema(ofTable: name)!, symbols.description(of: name) ?? "")
                    compiler.views.remove(name)
                }
                if case .bindTable(let name, let plan) = statement {
                    define(name, plan.schema, "bound by let")
                    views.insert(name)
                }
            }
        }
        tablesReadBySQL = symbols.names.filter { read.contains($0) && !views.contains($0) }
        return statements
    }

    /// The session's tables a statement reads (a `let` view is made by the SQL itself).
    func tablesReadBySQL(_ statement: CheckedStatement, into read: inout [String]) {
        switch statement {
        case .query(let plan), .bindTable(_, let plan), .chart(let plan, _), .explainSQL(let plan, _, _), .explain(let plan, _, _):
            if case .catalogListing = plan.source { read += symbols.names }
            plan.tablesRead(into: &read)
        case .describe(let name): read.append(name)
        case .scalar, .bindScalar, .load: break
        }
    }

    /// A compiler that inlines the session's `let` values as literals.
    func compilerWithValues(_ dialect: SQLDialect) -> SQLCompiler {
        var compiler = SQLCompiler(dialect: dialect)
        let literals = SQLExpressionCompiler(dialect: dialect, columns: [], values: [:])
        for (name, value) in symbols.values {
            let type = symbols.scalarType(name) ?? value.type
            compiler.values[name] = try? literals.literal(value, type, BoundExpression(.constant(value), type, SourceRange(start: 0, end: 0)))
        }
        return compiler
    }

    /// The SQL of one checked query, with the session's `let` values inlined (`explain sql`);
    /// a construct the dialect cannot express is an error at it.
    func sqlText(of plan: Plan, dialect: SQLDialect, at range: SourceRange) throws -> String {
        var compiler = compilerWithValues(dialect)
        do throws(SQLError) {
            return try compiler.query(plan) + ";"
        } catch {
            throw error.diagnostic(at: range)
        }
    }

    /// The statements that make `tables` (every table of the session when nil) in `dialect`:
    /// for a table loaded from one plain CSV file, the engine's reader over the file
    /// (SessionSQLFiles.swift); for the others, CREATE TABLE and their rows as multi-row
    /// INSERTs. No order column: the queries number the rows as the engine reads them.
    /// With `numbered`, every table (a file's too) is written as rows, each with its number in
    /// the order column `_cq_row`, which the engine's catalogue then reads as the table's order
    /// (Spark's tables, stored as several files, have no other).
    public func schemaScript(dialect: SQLDialect, tables: [String]? = nil, numbered: Bool = false) throws -> String {
        var out = ""
        if dialect == .postgres {
            // Parallel workers would hand the rows over in another order than the table's.
            out += dialect.comment("rows in the order they were stored, for the answers that depend on it") + "\n"
            out += "SET max_parallel_workers_per_gather = 0;\n"
        }
        for name in tables ?? symbols.names {
            guard let table = symbols.table(named: name) else { continue }
            do throws(SQLError) {
                try SQLCompiler.checkUserNames([name] + table.schema.names, range: nil)
            } catch {
                throw SQLError(DiagnosticMessage(id: error.id, severity: .error, text: "table '\(name)': " + error.message), range: nil)
            }
            if !numbered, let file = fileReferences[name] {
                out += try file.script(name, table.schema, dialect)
                continue
            }
            let compiler = SQLExpressionCompiler(dialect: dialect, columns: [], values: [:])
            let columns = try table.schema.fields.map { field throws(SQLError) in
                "\(dialect.quote(field.name)) \(try dialect.typeName(field.type))"
            } + (numbered ? ["\(dialect.quote(SQLCompiler.rowColumn)) \(try dialect.typeName(.int))"] : [])
            out += "DROP TABLE IF EXISTS \(dialect.quote(name));\n"
            out += "CREATE TABLE \(dialect.quote(name)) (\(columns.joined(separator: ", ")));\n"
            guard table.rowCount > 0 else { continue }
            var rows: [String] = []
            for row in 0..<table.rowCount {
                let values = try zip(table.schema.fields, table.row(row)).map { field, value throws(SQLError) in
                    try compiler.literal(value, field.type, BoundExpression(.constant(value), field.type, SourceRange(start: 0, end: 0)))
                }
                rows.append("(" + (values + (numbered ? [String(row + 1)] : [])).joined(separator: ", ") + ")")
            }
            // In pieces, so no statement grows past what the engines parse comfortably.
            var start = 0
            while start < rows.count {
                let piece = rows[start..<min(start + 1000, rows.count)]
                out += "INSERT INTO \(dialect.quote(name)) VALUES\n  " + piece.joined(separator: ",\n  ") + ";\n"
                start += 1000
            }
        }
        return out
    }
}
