// Check once, run many times: the embedding API's prepared query. A program that embeds the
// library checks and plans a query once (`Session.prepare`), shows or snapshots its plan
// (`description`), knows its result's columns before any row is read (`schema`), and runs it
// as often as it wants over the session's tables as they are then (`Session.run(_:)`).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

/// A query checked and planned once, to run as often as wanted.
public struct PreparedQuery: Sendable, CustomStringConvertible {
    /// The query as written.
    public let text: String
    /// The result's columns and their types, known before any row is read.
    public let schema: Schema
    /// The plan, a node a line, as `explain` shows it (estimated rows as of preparing).
    public let description: String
    /// The plan as the executor runs it, a tree of public values to walk.
    public let plan: QueryPlan
    /// Its nodes in `explain`'s order, with their depth, text and estimated rows (as of
    /// preparing).
    public let nodes: [ExplainedNode]
    let physical: PhysicalPlan
    let source: Source
    /// The types of the `let` values when it was checked: a value bound again with another
    /// type makes the query stale.
    let valueTypes: [String: DataType]
}

extension Session {
    /// Checks and plans one query (a pipeline) against the session's tables and values.
    ///
    /// - Throws: `DiagnosticError` with every problem of the query, each with its range in
    ///   `text`, before any row is read: an unknown table or column (with a suggestion), a
    ///   type error, or a statement that is not a query.
    public func prepare(_ text: String, name: String = "<query>") throws -> PreparedQuery {
        let source = Source(name: name, text: text)
        let parsed = parse(source)
        if !parsed.diagnostics.isEmpty { throw DiagnosticError(parsed.diagnostics, source: source) }
        let statements = parsed.script.statements
        guard statements.count == 1, case .query = statements[0].kind else {
            throw DiagnosticError([Diagnostic(.prepareTakesOneQuery,
                                          at: statements.first?.range)], source: source)
        }
        let checked = check(parsed.script, in: symbols, allowsFileAccess: allowsFileAccess, source: source)
        if !checked.diagnostics.isEmpty { throw DiagnosticError(checked.diagnostics, source: source) }
        if case .chart = checked.statements[0] {
            throw DiagnosticError([Diagnostic(.prepareWithoutChart,
                                          at: statements[0].range)], source: source)
        }
        guard case .query(let logical) = checked.statements[0] else {
            throw DiagnosticError([Diagnostic(.prepareOfValue, at: statements[0].range)], source: source)
        }
        let physical = PhysicalPlan(logical)
        let executor = Executor(catalog: symbols, context: EvaluationContext(variables: symbols.values, cancellation: cancellation))
        let explained: Table
        do {
            explained = try executor.explain(physical, analyze: false, source: source)
        } catch let diagnostic as Diagnostic {
            throw DiagnosticError([diagnostic], source: source)
        }
        let tree = physical.tree
        return PreparedQuery(text: text, schema: logical.schema,
                             description: ResultFormatter(format: .table).format(.table(explained)),
                             plan: tree, nodes: executor.explained(tree, source: source), physical: physical, source: source,
                             valueTypes: symbols.scalars)
    }

    /// Runs a prepared query over the session's tables as they are now.
    ///
    /// - Throws: `DiagnosticError` for a runtime error (an overflow, a division by zero,
    ///   Ctrl-C through `cancellation`), or when a table or value the query reads has changed
    ///   type since it was prepared (prepare it again).
    public func run(_ query: PreparedQuery) throws -> Table {
        cancellation.reset()
        let now = symbols.scalars
        for (name, type) in query.valueTypes where now[name] != type {
            throw DiagnosticError([Diagnostic(.valueChangedSinceCheck(name),
                                          at: SourceRange(start: 0, end: query.source.bytes.count))], source: query.source)
        }
        let executor = Executor(catalog: symbols, context: EvaluationContext(variables: symbols.values, cancellation: cancellation))
        do {
            return try executor.run(query.physical)
        } catch let diagnostic as Diagnostic {
            throw DiagnosticError([diagnostic], source: query.source)
        }
    }
}
