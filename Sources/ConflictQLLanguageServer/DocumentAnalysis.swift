// What the server knows of one open script, computed once per change: the parse, every
// diagnostic (syntax, checking, warnings, loads), the names in it with their roles
// (SyntaxWalk.swift), and the environment each statement is checked in. The script is
// checked as the session runs it: in segments that end after each `load`, the loaded table's
// columns (from SchemaCache, relative to the script's folder) known to what follows.

import ConflictQL

struct DocumentAnalysis {
    let source: Source
    let positions: TextPositions
    let parsed: ParseResult
    private(set) var diagnostics: [Diagnostic] = []
    /// Every name of the parsed statements, in the order the walk meets them.
    private(set) var names: [NameUse] = []
    /// The environment each checking segment starts in, by the offset it starts at.
    private(set) var environments: [(start: Int, environment: Environment)] = []
    /// What each loaded table is: its files and rows, for hover.
    private(set) var loads: [String: String] = [:]

    init(text: String, path: String?, base: Environment, cache: SchemaCache) {
        source = Source(name: path ?? "<document>", text: text)
        positions = TextPositions(source)
        parsed = parse(source)
        diagnostics = parsed.diagnostics
        walk(parsed.script) { names.append($0) }
        var environment = base
        let folder = path.map(folderOf) ?? ""
        for segment in segments(parsed.script.statements) {
            environments.append((segment.first?.range.start ?? 0, environment))
            let checked = check(Script(statements: segment), in: environment, allowsFileAccess: true, source: source)
            diagnostics += checked.diagnostics + checked.warnings
            environment = checked.environment
            guard let last = segment.last, case .load(_, let pathRange, _, _) = last.kind,
                  case .load(let paths, let name, let options)? = checked.statements.last else { continue }
            let resolved = paths.map { $0.hasPrefix("/") || folder.isEmpty ? $0 : folder + "/" + $0 }
            do {
                let key = resolved.joined(separator: "\n") + "\n" + source.text(of: last.range)
                let (table, rows) = try cache.table(paths: resolved, options: options, key: key)
                environment.add(name, table, description: "loaded from \(paths.joined(separator: ", "))")
                loads[name] = "loaded from \(paths.joined(separator: ", ")): \(rows)"
            } catch {
                let excerpt = error.renderedExcerpt.map { Diagnostic.Note($0) }
                diagnostics.append(Diagnostic(.cannotLoad(error), at: pathRange, notes: excerpt))
            }
        }
        if environments.isEmpty { environments.append((0, environment)) }
        environments.append((Int.max, environment))
        diagnostics.sort { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }
    }

    /// The statements in the pieces checked one after the other: each ends after a `load`.
    func segments(_ statements: [Statement]) -> [[Statement]] {
        var segments: [[Statement]] = [[]]
        for statement in statements {
            segments[segments.count - 1].append(statement)
            if case .load = statement.kind { segments.append([]) }
        }
        return segments.filter { !$0.isEmpty }
    }

    /// The environment a statement at `offset` is checked in (the script's bindings before it).
    func environment(at offset: Int) -> Environment {
        var found = environments[0].environment
        for entry in environments.dropLast() where entry.start <= offset { found = entry.environment }
        return found
    }

    /// The environment after the whole script.
    var finalEnvironment: Environment { environments[environments.count - 1].environment }

    /// The name under byte `offset` (its range holds the offset, or ends at it).
    func name(at offset: Int) -> NameUse? {
        names.last { $0.range.start <= offset && offset < $0.range.end } ?? names.last { $0.range.end == offset }
    }

    /// The statement that holds `offset`.
    func statement(at offset: Int) -> Statement? {
        parsed.script.statements.last { $0.range.start <= offset && offset <= $0.range.end }
    }

    /// Where `let NAME` (or `load ... as NAME`) binds `name` last before `offset`.
    func binding(of name: String, before offset: Int) -> NameUse? {
        let lowered = name.lowercased()
        return names.last { $0.role == .binding && $0.name.lowercased() == lowered && $0.range.start <= offset }
            ?? names.first { $0.role == .binding && $0.name.lowercased() == lowered }
    }

    /// The statement that binds `name` at `range`.
    func definition(_ binding: NameUse) -> Statement? {
        parsed.script.statements.first { $0.range.start <= binding.range.start && binding.range.end <= $0.range.end }
    }
}

/// The folder of a file path ("" for a bare name).
func folderOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
