// ConflictQL: a pipelined query language over the Mali/Sahel briefing and conflict events.
//
// The pipeline, one folder per stage:
//
//     source text ──lex──▶ tokens ──parse──▶ Script ──check──▶ plan ──prune──▶ plan ──run──▶ tables ──format──▶ text
//        Syntax/            Syntax/          Semantics/       Planning/        Engine/          Output/
//
// The folders are layers: Foundation and Diagnostics (source, diagnostics, types, values,
// columns, cancellation) < Syntax < Data < Semantics < Planning < Engine and SQL < Output <
// this session and Interactive. Each uses only layers below it (LayeringTests checks).
//
// Diagnostics (Diagnostics/) are values carrying source ranges at every step. A `Session`
// holds the catalog (the embedded briefing in Data/, plus whatever a script binds) and runs
// scripts against it; it never prints.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

public final class Session {
    /// Every name the session knows: tables and values, with their types and data. The
    /// checker, the executor and completion all read this one table.
    public internal(set) var symbols: SymbolTable
    /// The same symbol table, under the names the executor's and checker's sides had.
    public var catalog: Catalog { symbols }
    public var environment: Environment { symbols }
    /// Set from another thread to stop the running statement.
    public let cancellation = Cancellation()
    /// False in safe mode: statements that read or write files are refused.
    public let allowsFileAccess: Bool
    /// Told how a long load is going.
    public var loadProgress: LoadProgress?
    /// When set, queries show their plans instead of their rows (`--explain`), as if each
    /// were written `explain QUERY`; `explainAnalyzes` runs them too (`explain analyze`).
    public var explainsQueries = false
    public var explainAnalyzes = false
    /// The script being run, for `explain` to show each stage as it was written.
    var currentSource: Source?
    /// Whether query results carry their provenance (SessionSources.swift; `.sources off`).
    public var showsSources = true
    /// Loaded tables' files and load times, and `let` tables' sources, for provenance.
    var loadedFiles: [String: String] = [:]
    /// The tables loaded from one plain CSV file that a SQL engine can read itself, which
    /// `--schema` refers to instead of writing their rows (SessionSQL.swift).
    var fileReferences: [String: SQLFileReference] = [:]
    /// The tables the statements compiled by `sql(for:dialect:)` so far read: what
    /// `--schema` makes.
    public internal(set) var tablesReadBySQL: [String] = []
    var boundSources: [String: [String]] = [:]
    /// The remote engine the session is connected to (SessionRemote.swift).
    var remote: RemoteConnection?
    /// The most memory, in bytes, a remote query's result may take here; past it the result is
    /// refused with its row count, and the engine stops sending it. nil (the default): half of
    /// what a load may take when the query starts (the memory the system has free, the cgroup's
    /// limit, CONFLICTQL_MEMORY_LIMIT), the other half left for what is done with the result.
    public var remoteMemoryLimit: Int? = nil
    /// How many rows of a query's result the caller will show (the REPL's `.maxrows` on a
    /// terminal: `ResultFormatter.rowsShown`), asked as each query starts; nil, or nil from
    /// it, for every row. A query run on an engine then fetches only those, and the rest are
    /// counted there (`Table.rowsLeft`). A chart or a `let` fetches every row.
    public var rowsShown: (() -> Int?)? = nil

    /// A session over the embedded briefing tables (or another catalog).
    public init(catalog: Catalog = Briefing.catalog, allowsFileAccess: Bool = true) {
        self.symbols = catalog
        self.allowsFileAccess = allowsFileAccess
    }

    /// Parses, checks and runs `source`. Nothing runs unless the whole script parses and
    /// checks; then statements run in order and each result goes to `onResult` as soon as
    /// it is ready. A `load` is the one exception: what follows it can only be checked once
    /// the file is loaded and its columns are known, so checking resumes after each load.
    /// Throws `DiagnosticError` with every syntax or checking error, or with the first
    /// runtime error (the results before it were already delivered).
    /// Warnings (a script that checks but likely means something else) go to `onWarning`
    /// before anything of that part of the script runs.
    public func run(_ source: Source, onWarning: (DiagnosticError) -> Void = { _ in },
                    onResult: (StatementResult) throws -> Void) throws {
        let parsed = parse(source)
        if !parsed.diagnostics.isEmpty { throw DiagnosticError(parsed.diagnostics, source: source) }
        try run(parsed.script, in: source, onWarning: onWarning, onResult: onResult)
    }

    /// Runs a script already parsed from `source` (a `.load` line's statement: LoadCommand).
    /// With `commands` (ScriptCommands.swift), each runs before the first statement after it,
    /// and one that binds names (`.load`, `.read`) ends a checking segment as `load` does.
    /// `onHint`, when given, is told why a query's result is empty (EmptyResultHints.swift).
    public func run(_ script: Script, in source: Source, commands: [ScriptCommand] = [],
                    onWarning: (DiagnosticError) -> Void = { _ in }, onHint: ((DiagnosticError) -> Void)? = nil,
                    onCommand: (ScriptCommand) throws -> Void = { _ in },
                    onResult: (StatementResult) throws -> Void) throws {
        // A command may run a script inside this one (`.read`, `.tables`): its source is
        // the current one only while it runs.
        let enclosing = currentSource
        currentSource = source
        defer { currentSource = enclosing }
        cancellation.reset()
        var pending = commands[...]
        func runCommands(before offset: Int) throws {
            while let command = pending.first, command.range.start < offset {
                pending.removeFirst()
                try onCommand(command)
            }
        }
        for segment in script.checkingSegments(cutAfter: commands.filter(\.changesNames).map(\.range.start)) {
            // The commands that bind names and come before this segment run before it is checked.
            if let first = segment.statements.first {
                try runCommands(before: commands.last { $0.changesNames && $0.range.start < first.range.start }.map { $0.range.end } ?? 0)
            }
            let checked = check(segment, in: symbols, allowsFileAccess: allowsFileAccess, source: source)
            if !checked.diagnostics.isEmpty { throw DiagnosticError(checked.diagnostics, source: source) }
            if !checked.warnings.isEmpty { onWarning(DiagnosticError(checked.warnings, source: source)) }
            for (statement, syntax) in zip(checked.statements, segment.statements) {
                try runCommands(before: syntax.range.start)
                // Hints are only asked for, and only for an empty answer (SessionHints.swift):
                // the run notes where its rows ran out, so the hint need not run it again.
                var record: EmptyingRecord? = nil
                if onHint != nil, case .query(let plan) = statement, !explainsQueries, (try? remotePlacement(of: plan, at: syntax.range)) == nil {
                    record = EmptyingRecord(plan)
                }
                let result: StatementResult
                let started = monotonicNow()
                do {
                    result = try execute(statement, at: syntax.range, recording: record)
                } catch let diagnostic as Diagnostic {
                    throw DiagnosticError([diagnostic], source: source)
                }
                // Before the result is handed over: a caller timing statements charges the
                // hint to its own query, not to the next.
                var hints: [Diagnostic] = []
                if let record, case .query(let plan) = statement, case .table(let table) = result {
                    hints = emptyResultHints(plan, result: table, statement: syntax.range, record: record,
                                             budget: Session.hintBudget(after: monotonicNow() - started))
                } else if onHint != nil, !explainsQueries, case .query(let plan) = statement, case .table(let table) = result,
                          let connection = try? remotePlacement(of: plan, at: syntax.range) {
                    hints = remoteEmptyResultHints(plan, connection, result: table, statement: syntax.range,
                                                   budget: Session.hintBudget(after: monotonicNow() - started))
                }
                try onResult(result)
                if let onHint, !hints.isEmpty { onHint(DiagnosticError(hints, source: source)) }
            }
        }
        try runCommands(before: Int.max)
    }

    /// Loads a file as a table of the session (what `load` and `--load` do).
    @discardableResult
    public func load(path: String, as name: String? = nil, options: LoadOptions = LoadOptions()) throws(LoadError) -> LoadReport {
        if isFilePattern(path), expandFilePattern(literal: path) == nil {
            guard let tableName = name ?? ConflictQLData.tableName(forPattern: path) else {
                throw LoadError(.nameTheTable, path: path)
            }
            return try load(paths: [path], as: tableName, options: options)
        }
        var options = options
        options.cancellation = options.cancellation ?? cancellation
        var (table, report) = try loadTable(path: path, options: options, progress: loadProgress)
        table = try applyLayout(table, options.layout, report: &report, path: path)
        let tableName = name ?? ConflictQLData.tableName(forPath: path)
        symbols.add(tableName, table, description: "loaded from \(path)")
        recordLoad(tableName, files: path)
        fileReferences[tableName] = symbols.schema(ofTable: tableName).flatMap {
            SQLFileReference(path: path, options: options, report: report, schema: $0)
        }
        return report
    }

    /// Loads files as one table of the session: one file as `load(path:)` does; a pattern
    /// (`data/*.csv`) or several paths appended, with a first column naming each row's file.
    @discardableResult
    public func load(paths: [String], as name: String, options: LoadOptions = LoadOptions()) throws(LoadError) -> LoadReport {
        if paths.count == 1 && (!isFilePattern(paths[0]) || expandFilePattern(literal: paths[0]) != nil) {
            return try load(path: paths[0], as: name, options: options)
        }
        var options = options
        options.cancellation = options.cancellation ?? cancellation
        var (table, report) = try loadTables(patterns: paths, options: options, progress: loadProgress)
        table = try applyLayout(table, options.layout, report: &report, path: paths.joined(separator: ", "))
        symbols.add(name, table, description: "loaded from \(paths.joined(separator: ", ")) (\(report.files) files)")
        recordLoad(name, files: paths.joined(separator: ", "))
        return report
    }

    /// Runs `text` and collects its results: for tests and embedding.
    public func run(_ text: String, name: String = "<input>") throws -> [StatementResult] {
        var results: [StatementResult] = []
        try run(Source(name: name, text: text)) { results.append($0) }
        return results
    }

    func execute(_ statement: CheckedStatement, at range: SourceRange, recording record: EmptyingRecord? = nil) throws -> StatementResult {
        var executor = Executor(catalog: symbols, context: EvaluationContext(variables: symbols.values, cancellation: cancellation))
        executor.emptying = record
        // A pipeline over a remote engine's tables runs there (SessionRemote.swift).
        if let plan = statement.plan, let connection = try remotePlacement(of: plan, at: range) {
            switch statement {
            case .query, .chart, .explain:
                var explained = explainsQueries, analyze = explainAnalyzes
                if case .explain(_, let explainAnalyze, _) = statement { (explained, analyze) = (true, explainAnalyze) }
                if explained {
                    return .table(try explainRemote(plan, connection, analyze: analyze, at: range))
                }
                if case .chart(_, let spec) = statement {
                    return .chart(Chart(table: try runRemote(plan, connection, at: range), spec: spec))
                }
                return .table(try runRemote(plan, connection, at: range, shown: rowsShown?()))
            case .bindTable(let name, _):
                let table = try runRemote(plan, connection, at: range)
                symbols.add(name, table, description: "bound by let from \(connection.engine.display)")
                recordBinding(name, table.provenance)
                return .bound(name)
            case .explainSQL, .scalar, .bindScalar, .describe, .load:
                break
            }
        }
        switch statement {
        case .query(let plan):
            let physical = PhysicalPlan(plan)
            if explainsQueries { return .table(try executor.explain(physical, analyze: explainAnalyzes, source: currentSource)) }
            return .table(withProvenance(try executor.run(physical), of: physical, executor))
        case .chart(let plan, let spec):
            let physical = PhysicalPlan(plan)
            if explainsQueries {
                return .table(executor.withChartNode(try executor.explain(physical, analyze: explainAnalyzes, source: currentSource), spec))
            }
            return .chart(Chart(table: try executor.run(physical), spec: spec))
        case .scalar(let expression):
            let one = Table(schema: Schema([]), columns: [], rowCount: 1)
            let value = try executor.evaluator.column(expression, one).value(at: 0)
            return .value(value, expression.type)
        case .bindTable(let name, let plan):
            let physical = PhysicalPlan(plan)
            var table = try executor.run(physical)
            // What the check derived of its dates; the symbol table narrows it by the rows.
            for (index, field) in plan.schema.fields.enumerated() where index < table.schema.fields.count && field.type == .date {
                table.schema.fields[index].datePrecisions = field.datePrecisions
            }
            symbols.add(name, table, description: "bound by let")
            recordBinding(name, withProvenance(table, of: physical, executor).provenance)
            return .bound(name)
        case .bindScalar(let name, let expression):
            let one = Table(schema: Schema([]), columns: [], rowCount: 1)
            let value = try executor.evaluator.column(expression, one).value(at: 0)
            symbols.setValue(name, value, type: expression.type)
            return .bound(name)
        case .describe(let name):
            return .table(symbols.describe(name)!)
        case .explainSQL(let plan, let dialect, let chart):
            let sql = try sqlText(of: plan, dialect: dialect, at: range)
            return .value(.string((chart.map { dialect.comment($0.sqlNote) + "\n" } ?? "") + sql), .string)
        case .explain(let plan, let analyze, let chart):
            let table = try executor.explain(PhysicalPlan(plan), analyze: analyze, source: currentSource)
            return .table(chart.map { executor.withChartNode(table, $0) } ?? table)
        case .load(let paths, let name, let options):
            do {
                return .loaded(name, path: paths.joined(separator: ", "), try load(paths: paths, as: name, options: options))
            } catch {
                throw Diagnostic(.cannotLoad(error), at: range, notes: error.renderedExcerpt.map { Diagnostic.Note($0) })
            }
        }
    }
}

/// The version `conflictql --version` prints.
public let conflictQLVersion = "0.3.0-dev"

extension Source {
    /// A source from file bytes. Invalid UTF-8 is an error at the first bad byte (scripts
    /// are text); the returned source still holds the text, decoded with replacements, so the
    /// error can be shown in place.
    public static func decoding(_ bytes: [UInt8], name: String) -> (Source, Diagnostic?) {
        let source = Source(name: name, text: String(decoding: bytes, as: UTF8.self))
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return (source, nil)
            case .error:
                return (source, Diagnostic(.invalidUTF8InScript, at: SourceRange(start: offset, end: offset + 1),
                                                 help: "save the script as UTF-8 text"))
            }
        }
    }
}

extension Script {
    /// The statements in the pieces that are checked one after the other: each ends after a
    /// `load`, since what follows can only be checked once the file's columns are known.
    /// A dot-command that binds names (at the offsets `cutAfter`) ends a segment too.
    func checkingSegments(cutAfter commands: [Int] = []) -> [Script] {
        var segments: [Script] = []
        var remaining = statements[...]
        while !remaining.isEmpty {
            let cut = remaining.indices.first { index in
                if case .load = remaining[index].kind { return true }
                let next = index + 1 < remaining.endIndex ? remaining[index + 1].range.start : Int.max
                return commands.contains { $0 > remaining[index].range.start && $0 < next }
            }.map { $0 + 1 } ?? remaining.endIndex
            segments.append(Script(statements: Array(remaining[..<cut])))
            remaining = remaining[cut...]
        }
        return segments
    }
}
