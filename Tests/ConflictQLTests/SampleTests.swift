// Samples are documentation and tests at once: every Samples/*.cq runs and must print exactly
// its Samples/*.out. To accept a deliberate change, regenerate with
//     for f in Samples/*.cq; do SOURCE_DATE_EPOCH=1795946400 swift run conflictql "$f" > "${f%.cq}.out"; done
// and read the diff. SOURCE_DATE_EPOCH fixes the load time shown under a loaded file's results.

import ConflictQL
import Foundation
import XCTest

/// The clock of expected outputs (2026-11-29 10:00 UTC): a loaded file's results show its load time.
let fixedClock = "1795946400"

final class SampleTests: XCTestCase {
    func testEverySampleMatchesItsExpectedOutput() throws {
        let directory = repositoryRoot + "/Samples"
        setenv("SOURCE_DATE_EPOCH", fixedClock, 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        // Samples name files relative to the repository, as the README runs them.
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let scripts = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".cq") }.sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 4)
        XCTAssertTrue(scripts.contains("tour.cq"))
        for script in scripts {
            let path = directory + "/" + script
            let expectedPath = String(path.dropLast(3)) + ".out"
            guard let expected = FileManager.default.contents(atPath: expectedPath) else {
                XCTFail("\(script) has no expected output beside it")
                continue
            }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertEqual(output(text), String(decoding: expected, as: UTF8.self), "Samples/\(script)")
        }
    }
}

final class DocumentationTests: XCTestCase {
    func testEveryGrammarRuleHasAParseFunction() throws {
        let grammar = try String(contentsOfFile: repositoryRoot + "/Grammar/ConflictQL.ebnf", encoding: .utf8)
        let parser = try ["Parser.swift", "ExpressionParser.swift"].map {
            try String(contentsOfFile: repositoryRoot + "/Sources/ConflictQLSyntax/" + $0, encoding: .utf8)
        }.joined()
        // Syntactic rules only: the lexical ones at the end belong to the lexer.
        let syntactic = grammar.components(separatedBy: "(* ---- lexical rules")[0]
        let rules = syntactic.split(separator: "\n").compactMap { line -> String? in
            guard let first = line.first, first.isLowercase,
                  let equals = line.firstIndex(of: "=") else { return nil }
            return line[..<equals].trimmingCharacters(in: .whitespaces)
        }
        XCTAssertGreaterThan(rules.count, 25)
        for rule in rules where rule != "separator" {
            XCTAssertTrue(parser.contains("/// \(rule) ="), "grammar rule '\(rule)' has no parse function quoting it")
        }
    }

    func testEveryGrammarExampleRuns() throws {
        let grammar = try String(contentsOfFile: repositoryRoot + "/Grammar/ConflictQL.ebnf", encoding: .utf8)
        let examples = grammar.split(separator: "\n").compactMap { line -> String? in
            guard let start = line.range(of: "(* example: "), let end = line.range(of: " *)", options: .backwards) else { return nil }
            return String(line[start.upperBound..<end.lowerBound])
        }
        XCTAssertGreaterThan(examples.count, 20)
        let session = Session()
        for example in examples {
            XCTAssertNoThrow(try session.run(example), example)
        }
    }

    /// README code blocks marked `cq` parse; a `cq` block followed by a `text` block runs and
    /// prints exactly that text.
    /// With CONFLICTQL_UPDATE_README=1 the README's text blocks are rewritten with what the
    /// queries print now (then read the diff).
    func testReadmeQueriesParseAndShowTheirRealOutput() throws {
        setenv("SOURCE_DATE_EPOCH", fixedClock, 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        var updates: [String: String] = [:]
        var blocks: [(language: String, body: String)] = []
        var current: (String, [Substring])? = nil
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let open = current {
                    blocks.append((open.0, open.1.joined(separator: "\n")))
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)), [])
                }
            } else if current != nil {
                current!.1.append(line)
            }
        }
        let queries = blocks.indices.filter { blocks[$0].language == "cq" }
        XCTAssertGreaterThan(queries.count, 5)
        var checkedOutputs = 0
        // Paths in the README are relative to the repository.
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let session = Session()
        let formatter = ResultFormatter()
        for index in queries {
            let query = blocks[index].body
            let parsed = parse(Source(name: "README", text: query))
            XCTAssertEqual(parsed.diagnostics.map(\.message), [], query)
            var printed = ""
            XCTAssertNoThrow(try session.run(Source(name: "README", text: query)) { printed += formatter.format($0) }, query)
            if index + 1 < blocks.count, blocks[index + 1].language == "text" {
                if printed != blocks[index + 1].body + "\n" {
                    updates["```cq\n" + query + "\n```\n```text\n" + blocks[index + 1].body + "\n```"] =
                        "```cq\n" + query + "\n```\n```text\n" + printed + "```"
                }
                XCTAssertEqual(printed, blocks[index + 1].body + "\n", query)
                checkedOutputs += 1
            }
        }
        XCTAssertGreaterThan(checkedOutputs, 3)
        if ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_README"] == "1", !updates.isEmpty {
            var text = readme
            for (old, new) in updates { text = text.replacingOccurrences(of: old, with: new) }
            try text.write(toFile: repositoryRoot + "/README.md", atomically: true, encoding: .utf8)
        }
    }
}
