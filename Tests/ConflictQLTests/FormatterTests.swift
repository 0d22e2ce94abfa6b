// The formatter (`conflictql fmt`, Syntax/Formatter.swift): its layout on examples, and two
// properties over 10,000 generated scripts and every sample: formatting twice changes nothing,
// and the formatted script means the same (the same checked plans; for the samples, which
// load files, the same syntax tree).

import ConflictQL
import Foundation
import QueryFuzzing
import XCTest

final class FormatterTests: XCTestCase {
    func format(_ text: String) -> String? { formatScript(Source(name: "<test>", text: text)) }

    func testOneStagePerLineSpacingAndComments() {
        XCTAssertEqual(format("groups|where founded>@2000  and abbrev!=null|SELECT name,n=len( name )"), """
            groups
            | where founded > @2000 and abbrev != null
            | select name, n = len(name)

            """)
        // Comments stay where they were; blank lines between statements are kept (one).
        XCTAssertEqual(format("# head\n\n\nlet a = funding   # the pledges\n| where amount_usd>0\n\n\n\na|count ; timeline | take -1"), """
            # head

            let a = funding # the pledges
            | where amount_usd > 0

            a
            | count;
            timeline
            | take -1

            """)
        // A pipeline inside brackets stays on its line; a break the author made is kept, indented.
        let written = "acled | join kind = semi (groups|where designation has \"FTO\")\non x\n"
            + "| summarize n = count(),\n  s = sum(f) by year"
        XCTAssertEqual(format(written), """
            acled
            | join kind=semi (groups | where designation has "FTO")
                on x
            | summarize n = count(),
                s = sum(f) by year

            """)
        // The grammar's words in lower case; names as they were written, a column called `Desc` too.
        XCTAssertEqual(format("LET T = timeline | WHERE `Desc` IS NOT NULL AND date > @2012 + 1 YEAR | SORT BY (Date) DESC"), """
            let T = timeline
            | where `Desc` is not null and date > @2012 + 1 year
            | sort by (Date) desc

            """)
        // `- 5` is a negation and `-5` a literal: each keeps its spacing.
        XCTAssertEqual(format("figures | where value > - 5 or value < -5 and x - 1 > 0"),
                       "figures\n| where value > - 5 or value < -5 and x - 1 > 0\n")
        XCTAssertNil(format("groups | where (x"), "a script with a syntax error is not formatted")
    }

    func testTheFmtCommand() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conflictql-fmt-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let messy = folder.appendingPathComponent("messy.cq"), broken = folder.appendingPathComponent("broken.cq")
        try "groups|where founded>@2000 # recent\n".write(to: messy, atomically: true, encoding: .utf8)
        try "groups | where (founded\n".write(to: broken, atomically: true, encoding: .utf8)

        let check = try runProcess(executable, ["fmt", "--check", messy.path], in: folder)
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.stdout, messy.path + "\n")
        XCTAssertEqual(try String(contentsOf: messy, encoding: .utf8), "groups|where founded>@2000 # recent\n", "--check changed the file")

        let format = try runProcess(executable, ["fmt", messy.path], in: folder)
        XCTAssertEqual(format.status, 0, format.stderr)
        XCTAssertEqual(try String(contentsOf: messy, encoding: .utf8), "groups\n| where founded > @2000 # recent\n")
        XCTAssertEqual(try runProcess(executable, ["fmt", "--check", messy.path], in: folder).status, 0)

        let error = try runProcess(executable, ["fmt", broken.path], in: folder)
        XCTAssertEqual(error.status, 2)
        XCTAssertTrue(error.stderr.contains("expected ')' to close '('"), error.stderr)
        XCTAssertEqual(try String(contentsOf: broken, encoding: .utf8), "groups | where (founded\n")
    }

    /// A value's structure with every source range left out: what a layout must not change.
    func structure(_ value: Any, depth: Int = 0) -> String {
        switch value {
        case is SourceRange: return ""
        case let text as String: return text.debugDescription
        case let number as Int: return String(number)
        case let flag as Bool: return flag ? "true" : "false"
        case let schema as Schema: return schema.fields.map { "\($0.name):\($0.type)" }.joined(separator: ",")
        case let type as DataType: return "\(type)"
        case let literal as Value: return literal.debugText
        default: break
        }
        guard depth < 400 else { return "…" }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .class, let described = value as? CustomStringConvertible { return described.description }
        if mirror.children.isEmpty { return "\(value)" }
        let parts = mirror.children.compactMap { child -> String? in
            if child.value is SourceRange { return nil }
            return (child.label ?? "") + ":" + structure(child.value, depth: depth + 1)
        }
        return "\(mirror.subjectType)(" + parts.joined(separator: ",") + ")"
    }

    func testGeneratedScriptsFormatIdempotentlyAndKeepTheirPlans() throws {
        let session = try fuzzingSession(fixture: repositoryRoot + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv")
        var generator = QueryGenerator(seed: 20261207, environment: session.environment)
        var random = SeededRandom(seed: 28)
        var compared = 0, changed = 0
        for index in 0..<10_000 {
            // A script as people write them: a comment, a binding, a query with some stages
            // on one line, a trailing comment.
            var query = generator.pipeline().text
            if Bool.random(using: &random) { query = query.replacingOccurrences(of: "\n| ", with: " | ") }
            let script = "# script \(index)\nlet t\(index) = \(generator.pipeline(maxStages: 2).text)\n\n\(query)  # done\n"
            let source = Source(name: "<generated>", text: script)
            guard let formatted = formatScript(source) else {
                XCTAssertFalse(parse(source).diagnostics.isEmpty, "a script that parses was not formatted:\n\(script)")
                continue
            }
            XCTAssertEqual(formatScript(Source(name: "<formatted>", text: formatted)), formatted, "not idempotent:\n\(script)")
            XCTAssertTrue(formatted.contains("# done") && formatted.contains("# script \(index)"), "a comment was lost:\n\(formatted)")
            guard formatted != script else { continue }
            changed += 1
            let before = check(parse(source).script, in: session.environment, source: source)
            let formattedSource = Source(name: "<formatted>", text: formatted)
            let after = check(parse(formattedSource).script, in: session.environment, source: formattedSource)
            XCTAssertEqual(before.diagnostics.map(\.message), after.diagnostics.map(\.message))
            XCTAssertEqual(before.statements.count, after.statements.count)
            for (original, reformatted) in zip(before.statements, after.statements) {
                let (a, b) = (structure(original), structure(reformatted))
                if a != b {
                    XCTFail("the plan changed:\n\(script)\n---\n\(formatted)")
                    return
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(changed, 4_000, "most generated scripts have something to format")
        XCTAssertGreaterThan(compared, 8_000)
    }

    func testSamplesAndDocumentedQueriesFormatIdempotentlyAndKeepTheirTrees() throws {
        var scripts: [(String, String)] = []
        let samples = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Samples").filter { $0.hasSuffix(".cq") }
        for name in samples.sorted() {
            scripts.append((name, try String(contentsOfFile: repositoryRoot + "/Samples/" + name, encoding: .utf8)))
        }
        scripts += try documentedQueries()
        XCTAssertGreaterThan(scripts.count, 50)
        for (name, text) in scripts {
            let source = Source(name: name, text: text)
            guard parse(source).diagnostics.isEmpty else { continue }
            guard let formatted = formatScript(source) else { XCTFail("\(name) was not formatted"); continue }
            XCTAssertEqual(formatScript(Source(name: name, text: formatted)), formatted, "\(name) is not formatted idempotently")
            let formattedScript = parse(Source(name: name, text: formatted)).script
            XCTAssertEqual(structure(parse(source).script), structure(formattedScript), "\(name): the syntax tree changed")
            XCTAssertEqual(text.components(separatedBy: "#").count, formatted.components(separatedBy: "#").count,
                           "\(name): a comment was lost")
        }
    }
}

/// Every ```cq block of the README and the articles.
func documentedQueries() throws -> [(String, String)] {
    let folder = repositoryRoot + "/Sources/ConflictQL/ConflictQL.docc/"
    let files = ["README.md"].map { repositoryRoot + "/" + $0 }
        + (try FileManager.default.contentsOfDirectory(atPath: folder)).filter { $0.hasSuffix(".md") }.map { folder + $0 }
    var blocks: [(String, String)] = []
    for file in files.sorted() {
        let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        var block: [String]? = nil
        for line in lines {
            if block == nil, line.trimmingCharacters(in: .whitespaces) == "```cq" { block = [] }
            else if block != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(((file as NSString).lastPathComponent, block!.joined(separator: "\n")))
                block = nil
            } else if block != nil { block!.append(line) }
        }
    }
    return blocks
}
