// The embedding API as Sources/ConflictQL/ConflictQL.docc/Embedding.md shows it, run: a
// program that opens a session, loads a file, prepares a query (diagnostics as values), reads
// its plan and its typed columns, runs it again after the data changed, and gets its SQL. Keep
// this and the article's example in step.

import ConflictQL
import XCTest

final class EmbeddingTests: XCTestCase {
    func testTheDocumentedExample() throws {
        // --- as in Embedding.md ---
        let session = Session()                                    // the briefing's tables
        try session.load(path: repositoryRoot + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv", as: "ged")
        let query = try session.prepare("ged | summarize events = count(), deaths = sum(best) by country | sort by deaths desc")
        XCTAssertEqual(query.schema.names, ["country", "events", "deaths"])
        let table = try session.run(query)
        guard case .int(let deaths) = table.column(named: "deaths")?.storage else { return XCTFail("deaths is not Int") }
        XCTAssertEqual(table.rowCount, 5)
        XCTAssertEqual(deaths.reduce(0, +), 161)
        XCTAssertEqual(table.row(0), [.string("Mali"), .int(7), .int(92)])
        do {
            _ = try session.prepare(#"ged | where cuntry == "Mali""#)
            XCTFail("an unknown column must not prepare")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].message, "unknown column 'cuntry'")
            XCTAssertEqual(error.diagnostics[0].id.rawValue, "unknown-column")
            XCTAssertEqual(error.diagnostics[0].help, "did you mean 'country'?")
            XCTAssertEqual(error.diagnostics[0].range, SourceRange(start: 12, end: 18))
        }
        let sql = try session.sql(for: Source(name: "q", text: query.text), dialect: .postgres)
        guard case .rows(let text)? = sql.first else { return XCTFail("no SQL") }
        XCTAssertTrue(text.hasPrefix("WITH _cq_s0 AS (SELECT"), text)
        // --- end ---

        // The plan is values too.
        XCTAssertEqual(query.nodes.map(\.label), ["ged", "summarize events = count(), deaths = sum(best) by country",
                                                  "sort by deaths desc"])
        XCTAssertEqual(query.nodes.map(\.neededColumns), [2, 3, 3])
        XCTAssertEqual(query.nodes.first?.estimatedRows, .exactly(15))
        XCTAssertEqual(query.nodes.map(\.estimatedRows.description), ["15", "≤ 15", "≤ 15"])
        // The plan is printable and stable.
        XCTAssertTrue(query.description.hasPrefix("plan "), query.description)
        XCTAssertTrue(query.description.contains("sort by deaths desc"), query.description)
        // Run many times: the same answer, and a new one once the data changed.
        XCTAssertEqual(try session.run(query).rows, table.rows)
        try session.run("let ged = ged | where country == \"Mali\"", name: "<test>").forEach { _ in }
        XCTAssertEqual(try session.run(query).rows, [[.string("Mali"), .int(7), .int(92)]])
        // A table whose columns changed makes the prepared query stale, with a message.
        _ = try session.run("let ged = funding")
        XCTAssertThrowsError(try session.run(query)) { error in
            XCTAssertEqual((error as? DiagnosticError)?.diagnostics.first?.message,
                           "table 'ged' has changed since the query was checked; check it again")
        }
    }

    func testThePlanIsTypedValues() throws {
        let session = Session()
        let query = try session.prepare("""
            groups | where designated_year >= 2000 | join kind=left (funding | summarize n = count() by donor) on left.name == right.donor
            | extend label = upper(name) | sort by n desc, name | take 3 | select name, n
            """)
        XCTAssertEqual(query.nodes.map(\.depth), [0, 0, 0, 1, 1, 0, 0, 0])
        XCTAssertEqual(query.nodes.map(\.node), query.plan.nodes.map(\.node), "explain's rows are the tree's nodes in order")
        let stages = query.plan.stages
        XCTAssertEqual(query.plan.source.operation, .scan(table: "groups"))
        guard case .filter(let condition) = stages[0].operation,
              case .join(.left, ["name"], ["donor"], nil) = stages[1].operation,
              case .extend(let extended) = stages[2].operation,
              case .top(let count, let keys) = stages[3].operation,
              case .project(let selected) = stages[4].operation,
              case .summarize(let groupKeys, let aggregates) = stages[1].children[0].stages[0].operation else {
            return XCTFail("\(stages.map(\.operation))")
        }
        XCTAssertEqual(condition.description, "designated_year >= 2000")
        XCTAssertEqual(condition.type, .bool)
        XCTAssertEqual(stages[1].children[0].source.operation, .scan(table: "funding"))
        XCTAssertEqual(extended.map(\.name), ["label"])
        guard case .function(let upper, let arguments) = extended[0].expression.kind else { return XCTFail("\(extended)") }
        XCTAssertEqual(upper.name, "upper")
        XCTAssertEqual(arguments.map(\.kind), [.column(name: "name", index: 0)])
        XCTAssertEqual(count.kind, .constant(.int(3)))
        XCTAssertEqual(keys.map(\.expression.description), ["n", "name"])
        XCTAssertEqual(keys.map(\.descending), [true, false])
        XCTAssertEqual(selected.map(\.name), ["name", "n"])
        XCTAssertEqual(groupKeys.map(\.name), ["donor"])
        XCTAssertEqual(aggregates.map(\.name), ["n"])
        XCTAssertEqual(aggregates[0].expression.kind, .aggregate(.count, arguments: [], distinct: false))
        XCTAssertEqual(stages.map { $0.rewrites.filter { $0.note != nil } }, [[], [], [], [.topN], []])
        XCTAssertEqual(query.nodes.map(\.label)[6], "sort by n desc, name | take 3 (as top-N)")
        XCTAssertEqual(stages.last?.schema, Schema([Field("name", .string), Field("n", .int)]))
        XCTAssertEqual(query.nodes[4].schema.names, ["donor", "n"])
        // Expressions read back as written, parentheses and all, or in one canonical form.
        let filter = #"(designated_year >= 2000 or  founded < @2000) and lower(name) != "a (b""#
        let filtered = try session.prepare("groups | where " + filter + " | count")
        guard case .filter(let written) = filtered.plan.stages[0].operation else { return XCTFail("no filter") }
        XCTAssertEqual(written.text(in: Source(name: "q", text: filtered.text)), filter.replacingOccurrences(of: "  ", with: " "))
        XCTAssertEqual(written.description, #"(designated_year >= 2000 or founded < @2000) and lower(name) != "a (b""#)
    }

    func testAnEmbedderWalksACheckedPlan() throws {
        // --- as in Embedding.md, "The plan as values" ---
        let session = Session()
        let source = Source(name: "q", text: """
            funding | join kind=left countries on left.donor == right.name
            | where kind == "pledge" | sort by amount_usd desc | take 3 | select donor, amount_usd, roles
            """)
        let checked = check(parse(source).script, in: session.environment, source: source)
        guard let logical = checked.statements.first?.plan else { return XCTFail("\(checked.diagnostics)") }
        let planned = plan(logical)                                 // as the executor runs it
        // The join, and its right side: a plan of its own, the node's child.
        guard let join = planned.stages.first(where: { if case .join = $0.operation { true } else { false } }),
              case .join(let kind, let leftKeys, let rightKeys, nil) = join.operation else { return XCTFail("no join") }
        XCTAssertEqual(kind, .left)
        XCTAssertEqual(leftKeys, ["donor"])
        XCTAssertEqual(rightKeys, ["name"])
        XCTAssertEqual(join.children.count, 1)
        XCTAssertEqual(join.children[0].source.operation, .scan(table: "countries"))
        // The `where` runs before the join: it reads the left side alone.
        let filter = planned.stages[0]
        XCTAssertEqual(filter.rewrites.first, .filterPushedBelowJoin)
        guard case .filter(let condition) = filter.operation,
              case .binary(.equal, let left, let right) = condition.kind,
              case .column(let name, let index) = left.kind,
              case .constant(.string(let value)) = right.kind else { return XCTFail("\(filter.operation)") }
        XCTAssertEqual([name, value], ["kind", "pledge"])
        XCTAssertEqual(index, 3)
        XCTAssertEqual(planned.source.schema.fields[index].name, "kind")
        XCTAssertEqual(condition.description, #"kind == "pledge""#)
        // `sort | take` runs as one top-N; columns no later node reads are not computed.
        XCTAssertEqual(planned.stages[2].rewrites,
                       [.topN, .prunedColumns(["recipient", "kind", "year", "source", "name", "g5_member", "source_right"])])
        XCTAssertEqual(planned.stages[1].rewrites, planned.stages[2].rewrites.dropFirst().map { $0 })
        // --- end ---
        XCTAssertEqual(planned.nodes.map(\.depth), [0, 0, 0, 1, 0, 0])
        XCTAssertEqual(planned.nodes.map(\.node.neededColumns), [3, 2, 3, 4, 3, 3])
        XCTAssertEqual(planned.schema.names, ["donor", "amount_usd", "roles"])
        // The same tree as `prepare` gives, and `explain` prints.
        let prepared = try session.prepare(source.text)
        XCTAssertEqual(prepared.plan, planned)
        XCTAssertEqual(prepared.nodes.map(\.label), ["funding", #"where kind == "pledge" (pushed below the join)"#,
                                                    "join kind=left countries on left.donor == right.name", "countries",
                                                    "sort by amount_usd desc | take 3 (as top-N)", "select donor, amount_usd, roles"])
    }

    /// The article's example of walking a plan is this test's: every line of it that is not a
    /// print or a comment is in the test (up to its `else`, where the test fails instead).
    func testTheArticleWalksThePlanAsTheTestDoes() throws {
        let article = try String(contentsOfFile: repositoryRoot + "/" + documentationCatalogue + "/Embedding.md", encoding: .utf8)
        let test = try String(contentsOfFile: #filePath, encoding: .utf8)
        guard let marked = test.components(separatedBy: "// --- as in Embedding.md, \"The plan as values\" ---").last?
            .components(separatedBy: "// --- end ---").first else { return XCTFail("no marked example") }
        let tested = Set(marked.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        guard let example = codeBlocks(in: article).filter({ $0.language == "swift" }).first(where: { $0.body.contains("plan(logical)") })
        else { return XCTFail("the article has no example of plan(_:)") }
        var compared = 0
        for line in example.body.split(separator: "\n") {
            var code = line.trimmingCharacters(in: .whitespaces)
            if code.isEmpty || code.hasPrefix("//") || code.hasPrefix("print(") { continue }
            if let comment = code.range(of: "  //") { code = String(code[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces) }
            if let otherwise = code.range(of: " else {") { code = String(code[..<otherwise.lowerBound]) }
            XCTAssertTrue(tested.contains { $0.hasPrefix(code) }, "Embedding.md: \(code)")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 10)
    }

    /// Every expression of every sample's plans writes itself as ConflictQL that parses; a
    /// filter on a table reads back, checked again, as the same expression.
    func testEveryPlannedExpressionWritesConflictQL() throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        var written = 0, reread = 0
        for sample in try FileManager.default.contentsOfDirectory(atPath: "Samples").filter({ $0.hasSuffix(".cq") }).sorted() {
            let session = Session()
            let source = Source(name: sample, text: try String(contentsOfFile: "Samples/" + sample, encoding: .utf8))
            for statement in parse(source).script.statements {
                let text = source.text(of: statement.range)
                guard case .query = statement.kind, let query = try? session.prepare(text) else {
                    try session.run(Source(name: sample, text: text)) { _ in }
                    continue
                }
                for (_, node) in query.plan.nodes {
                    for expression in node.operation.expressions {
                        let parsed = parse(Source(name: "q", text: "t | where " + expression.description))
                        XCTAssertEqual(parsed.diagnostics.map(\.message), [], "\(sample): \(expression)")
                        written += 1
                    }
                }
                for plan in [query.plan] + query.plan.nodes.flatMap(\.node.children) {
                    guard case .scan(let table) = plan.source.operation, case .filter(let condition)? = plan.stages.first?.operation
                    else { continue }
                    let again = try session.prepare(table + " | where " + condition.description)
                    guard case .filter(let checked) = again.plan.stages[0].operation else { return XCTFail(condition.description) }
                    XCTAssertEqual(checked.description, condition.description, sample)
                    XCTAssertEqual(checked.type, condition.type, sample)
                    reread += 1
                }
            }
        }
        XCTAssertGreaterThan(written, 100)
        XCTAssertGreaterThan(reread, 10)
    }
}
