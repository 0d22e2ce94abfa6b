// Hover: what the name under the cursor is. A column: its type and the table its pipeline
// starts from (the stage's input is checked as the completer checks it); a function or a
// stage: its help, with the example a test runs; a table: its rows and where they came from;
// a name bound by `let`: the statement that binds it.

import ConflictQL

extension LanguageServer {
    func hover(_ document: Document, _ params: JSONObject) -> Any? {
        let analysis = document.analysis
        let cursor = offset(document, params)
        guard let use = analysis.name(at: cursor), let text = hoverText(use, analysis) else { return nil }
        return ["contents": ["kind": "markdown", "value": text], "range": analysis.positions.range(use.range)]
    }

    func hoverText(_ use: NameUse, _ analysis: DocumentAnalysis) -> String? {
        let environment = analysis.environment(at: use.range.start)
        switch use.role {
        case .function, .stage:
            guard let entry = Help.entryText(use.name.lowercased()) else { return nil }
            return helpMarkdown(entry)
        case .table:
            if let binding = analysis.binding(of: use.name, before: use.range.start), binding.range != use.range,
               let statement = analysis.definition(binding) {
                return definitionMarkdown(statement, analysis) + tableSummary(use.name, environment, analysis)
            }
            guard let name = environment.tableName(for: use.name) else {
                if environment.scalarType(use.name) != nil, let binding = analysis.binding(of: use.name, before: use.range.start),
                   let statement = analysis.definition(binding) {
                    return definitionMarkdown(statement, analysis)
                }
                return nil
            }
            return "**table** `\(name)`" + tableSummary(name, environment, analysis)
        case .binding:
            guard let statement = analysis.definition(use) else { return nil }
            return definitionMarkdown(statement, analysis) + tableSummary(use.name, analysis.environment(at: use.range.end + 1), analysis)
        case .parameter:
            guard let binding = analysis.binding(of: use.name, before: use.range.start), let statement = analysis.definition(binding) else {
                return environment.scalarType(use.name).map { "`$\(use.name)`: \($0)" }
            }
            return definitionMarkdown(statement, analysis)
        case .column(let side):
            return columnMarkdown(use, side: side, environment)
        case .newColumn:
            return "**new column** `\(use.name)`"
        case .loadOption:
            return "**load option** `\(use.name)`"
        case .typeName:
            return "**type** `\(use.name)`"
        }
    }

    func helpMarkdown(_ entry: String) -> String {
        // signature, then "  meaning", then "Example:" and the example.
        let lines = entry.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let signature = lines.first else { return entry }
        let example = lines.firstIndex(of: "Example:").map { lines[($0 + 1)...].map { $0.withoutLeadingSpaces() }.joined(separator: "\n") }
        let meaning = lines.dropFirst().prefix { $0 != "Example:" }.map { $0.withoutLeadingSpaces() }.joined(separator: " ")
        var text = "```\n\(signature)\n```\n\n\(meaning)"
        if let example, !example.isEmpty { text += "\n\nExample:\n```cq\n\(example.trimmingTrailingNewlines())\n```" }
        return text
    }

    func definitionMarkdown(_ statement: Statement, _ analysis: DocumentAnalysis) -> String {
        let line = analysis.positions.line(of: statement.range.start) + 1
        return "```cq\n\(analysis.source.text(of: statement.range))\n```\n(line \(line))"
    }

    func tableSummary(_ name: String, _ environment: Environment, _ analysis: DocumentAnalysis) -> String {
        guard let found = environment.tableName(for: name), let schema = environment.schema(ofTable: found) else { return "" }
        let columns = schema.fields.prefix(12).map { "`\($0.name)` \($0.type)" }
        var text = "\n\n\(schema.fields.count) columns: " + columns.joined(separator: ", ")
        if schema.fields.count > 12 { text += ", …" }
        if let loaded = analysis.loads[found] {
            text += "\n\n" + loaded
        } else if let table = environment.table(named: found) {
            text += "\n\n\(table.rowCount) rows" + (environment.description(of: found).map { "; " + $0 } ?? "")
        } else if let description = environment.description(of: found) {
            text += "\n\n" + description
        }
        return text
    }

    /// A column's type, from the checked input of its stage, and the table it comes from.
    func columnMarkdown(_ use: NameUse, side: String?, _ environment: Environment) -> String? {
        guard var pipeline = side == "right" ? use.joined : use.pipeline else { return nil }
        if side != "right", let stage = use.stage { pipeline.stages = Array(pipeline.stages.prefix(stage)) }
        var checker = Checker(environment: environment)
        guard let schema = try? checker.checkPipeline(pipeline).schema,
              let field = schema.fields.first(where: { $0.name == use.name })
                ?? schema.fields.first(where: { $0.name.lowercased() == use.name.lowercased() })
        else { return nil }
        var text = "**column** `\(field.name)`: \(field.type)"
        if case .name(let table) = pipeline.head.kind, let name = environment.tableName(for: table) {
            text += pipeline.stages.isEmpty ? " — of table `\(name)`" : " — in the input of this stage, from table `\(name)`"
        }
        return text
    }
}

extension String {
    func withoutLeadingSpaces() -> String { String(drop { $0 == " " || $0 == "\t" }) }
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
