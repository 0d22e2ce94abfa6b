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
        // Samples name files relative to the repository, as the documentation runs them.
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

    /// Code blocks marked `cq` in the README and in every article of the DocC catalogue parse;
    /// a `cq` block followed by a `text` block runs and prints exactly that text. Each document
    /// runs in a session of its own, so an article can be read, and its queries typed, alone.
    /// With CONFLICTQL_UPDATE_README=1 the `text` blocks of every document are rewritten with
    /// what the queries print now (then read the diff).
    func testDocumentedQueriesParseAndShowTheirRealOutput() throws {
        setenv("SOURCE_DATE_EPOCH", fixedClock, 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        // Paths in the documents are relative to the repository.
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let documents = try documentationFiles()
        XCTAssertTrue(documents.contains(documentationCatalogue + "/ConflictQL.md"), "the catalogue's landing page is missing")
        var queryCount = 0
        var checkedOutputs = 0
        for document in documents {
            let text = try String(contentsOfFile: repositoryRoot + "/" + document, encoding: .utf8)
            let blocks = codeBlocks(in: text)
            var updates: [String: String] = [:]
            let session = Session()
            let formatter = ResultFormatter()
            var checkedHere = 0
            for index in blocks.indices where blocks[index].language == "cq" {
                queryCount += 1
                let query = blocks[index].body
                let parsed = parse(Source(name: document, text: query))
                XCTAssertEqual(parsed.diagnostics.map(\.message), [], "\(document): \(query)")
                var printed = ""
                do {
                    try session.run(Source(name: document, text: query)) { printed += formatter.format($0) }
                } catch let error as DiagnosticError {
                    XCTFail("\(document): \(query)\n" + DiagnosticRenderer().render(error.diagnostics, in: error.source))
                } catch {
                    XCTFail("\(document): \(query)\n\(error)")
                }
                guard index + 1 < blocks.count, blocks[index + 1].language == "text" else { continue }
                // An empty `text` block shows a query that prints nothing.
                let body = blocks[index + 1].body
                let shown = body.isEmpty ? "" : body + "\n"
                if printed != shown {
                    updates["```cq\n" + query + "\n```\n```text\n" + shown + "```"] =
                        "```cq\n" + query + "\n```\n```text\n" + printed + "```"
                }
                XCTAssertEqual(printed, shown, "\(document): \(query)")
                checkedHere += 1
            }
            checkedOutputs += checkedHere
            if document == "README.md" {
                XCTAssertGreaterThanOrEqual(checkedHere, 5, "README.md: the tour shows five queries with their output")
            }
            if ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_README"] == "1", !updates.isEmpty {
                var rewritten = text
                for (old, new) in updates { rewritten = rewritten.replacingOccurrences(of: old, with: new) }
                try rewritten.write(toFile: repositoryRoot + "/" + document, atomically: true, encoding: .utf8)
            }
        }
        XCTAssertGreaterThan(queryCount, 40)
        XCTAssertGreaterThan(checkedOutputs, 40)
    }

    /// Every file or folder of the repository a document names (`Samples/...`, `Grammar/...`,
    /// `Tests/...`, `Sources/...`, patterns included) exists, and so does the target of every
    /// relative link, so that moving a file cannot leave the docs pointing at nothing.
    /// The reference's tables of stages, functions, aggregates and window functions are the
    /// descriptors' (Help.stageReference, Help.functionReference, Help.aggregateReference), so
    /// the documentation lists every stage and function the parser accepts, as `.help` does.
    func testTheFunctionReferenceIsGeneratedFromTheDescriptors() throws {
        let path = repositoryRoot + "/" + documentationCatalogue + "/Reference.md"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let sections = [("stages", Help.stageReference), ("functions", Help.functionReference), ("aggregates", Help.aggregateReference)]
        var rewritten = false
        for (name, generated) in sections {
            let start = "<!-- \(name): generated from the descriptors -->\n", end = "<!-- end of \(name) -->"
            let opening = try XCTUnwrap(text.range(of: start), "Reference.md has no generated \(name) section")
            let closing = try XCTUnwrap(text.range(of: end, range: opening.upperBound..<text.endIndex))
            let written = String(text[opening.upperBound..<closing.lowerBound])
            if written != generated, ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_README"] == "1" {
                text = String(text[..<opening.upperBound] + generated + text[closing.lowerBound...])
                rewritten = true
                continue
            }
            XCTAssertEqual(written, generated, "Reference.md's \(name) differ from the descriptors")
        }
        if rewritten { try text.write(toFile: path, atomically: true, encoding: .utf8); return }
        for function in ScalarFunction.all { XCTAssertTrue(text.contains("`\(function.name)("), function.name) }
        for aggregate in AggregateFunction.all { XCTAssertTrue(text.contains("| `\(aggregate.name)("), aggregate.name) }
        for function in WindowFunction.all { XCTAssertTrue(text.contains("| `\(function.name)("), function.name) }
        for stage in StageKind.allCases { XCTAssertTrue(text.contains("| `\(stage.keyword)"), stage.keyword) }
    }

    func testDocumentedPathsExist() throws {
        var named = 0
        for document in try documentationFiles() {
            let text = try String(contentsOfFile: repositoryRoot + "/" + document, encoding: .utf8)
            let folder = (document as NSString).deletingLastPathComponent
            for path in repositoryPaths(in: text) {
                named += 1
                XCTAssertTrue(pathExists(path), "\(document) names \(path), which does not exist")
            }
            for target in relativeLinks(in: text) {
                let path = folder.isEmpty ? target : folder + "/" + target
                XCTAssertTrue(pathExists(path), "\(document) links to \(target), which does not exist")
            }
        }
        XCTAssertGreaterThan(named, 50)
    }
}

/// The DocC catalogue, relative to the repository.
/// The repository's top level is fixed: a stray file there (a shell redirect's output, once
/// committed by mistake) fails here first. Hidden entries and what git ignores at the top
/// (`Package.resolved`) are left out.
final class RepositoryLayoutTests: XCTestCase {
    func testTheTopLevelHoldsOnlyItsFixedEntries() throws {
        let fixed: Set<String> = ["Package.swift", "Sources", "Tests", "Grammar", "Samples", "README.md", "LICENSE", "NOTICE",
                                  "CHANGELOG.md"]
        let entries = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot)
            .filter { !$0.hasPrefix(".") && $0 != "Package.resolved" }
        XCTAssertEqual(Set(entries).subtracting(fixed), [], "entries outside the fixed top level")
        XCTAssertEqual(fixed.subtracting(entries), [], "missing from the top level")
    }
}

let documentationCatalogue = "Sources/ConflictQL/ConflictQL.docc"

/// The documents whose queries are tests: the README, then the catalogue's articles (every
/// `*.md` under it), as paths relative to the repository.
func documentationFiles() throws -> [String] {
    let folder = repositoryRoot + "/" + documentationCatalogue
    guard let walker = FileManager.default.enumerator(atPath: folder) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder])
    }
    let articles = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }.sorted()
    return ["README.md"] + articles.map { documentationCatalogue + "/" + $0 }
}

/// The fenced code blocks of a Markdown text, with the word after the opening fence.
func codeBlocks(in text: String) -> [(language: String, body: String)] {
    var blocks: [(language: String, body: String)] = []
    var current: (language: String, lines: [Substring])? = nil
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("```") {
            if let open = current {
                blocks.append((open.language, open.lines.joined(separator: "\n")))
                current = nil
            } else {
                current = (String(line.dropFirst(3)), [])
            }
        } else if current != nil {
            current!.lines.append(line)
        }
    }
    return blocks
}

/// Paths from the repository's root named anywhere in a text. A run's own output folders
/// (fuzz findings) are left out: they exist only after a run.
func repositoryPaths(in text: String) -> [String] {
    let pattern = try! NSRegularExpression(pattern: #"(?<![\w/.$-])(?:Samples|Grammar|Tests|Sources)/[\w./*+-]*"#)
    let range = NSRange(text.startIndex..., in: text)
    return pattern.matches(in: text, range: range).compactMap { match in
        var path = String(text[Range(match.range, in: text)!])
        while let last = path.last, ".,".contains(last) { path.removeLast() }
        return path.hasPrefix("Tests/Fuzz/findings") ? nil : path
    }
}

/// The targets of Markdown links that are neither web addresses nor DocC references.
func relativeLinks(in text: String) -> [String] {
    let pattern = try! NSRegularExpression(pattern: #"\]\(([^)\s#]+)(?:#[^)]*)?\)"#)
    let range = NSRange(text.startIndex..., in: text)
    return pattern.matches(in: text, range: range).map { String(text[Range($0.range(at: 1), in: text)!]) }
        .filter { !$0.contains("://") && !$0.hasPrefix("doc:") && !$0.hasPrefix("mailto:") }
}

/// Whether a path relative to the repository exists; a pattern (`Samples/*.cq`) must match.
func pathExists(_ path: String) -> Bool {
    let full = repositoryRoot + "/" + path
    guard path.contains("*") else { return FileManager.default.fileExists(atPath: full) }
    var matches = glob_t()
    defer { globfree(&matches) }
    return glob(full, 0, nil, &matches) == 0 && matches.gl_pathc > 0
}
