// The catalogue of diagnostic IDs: every ID the library raises, unique and well formed, the
// same as the committed list (Snapshots/diagnostic-ids.txt, so that renaming or dropping an ID
// is a visible change), and each example raising exactly its ID and no other (a guard against
// a message raised from the wrong place, or with another layer's ID). An example is a script
// run in a fresh session; a dot-command the session hands to its host, and an example that is
// a command line (`conflictql --safe -c '...'`), run in the real executable with
// --diagnostic-ids, from the repository's root (the load examples read Catalogue/data).

import ConflictQL
import Foundation
import XCTest

final class DiagnosticIDTests: XCTestCase {
    let listPath = repositoryRoot + "/Tests/ConflictQLTests/Snapshots/diagnostic-ids.txt"

    func testIDsAreUniqueWellFormedAndExplained() {
        let ids = DiagnosticCatalogue.all.map(\.id.rawValue)
        XCTAssertGreaterThanOrEqual(ids.count, 80)
        XCTAssertEqual(Set(ids).count, ids.count, "duplicated: \(Dictionary(grouping: ids) { $0 }.filter { $1.count > 1 }.keys.sorted())")
        for entry in DiagnosticCatalogue.all {
            XCTAssertNotNil(entry.id.rawValue.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression), entry.id.rawValue)
            XCTAssertFalse(entry.explanation.text.isEmpty, entry.id.rawValue)
            XCTAssertEqual(DiagnosticCatalogue.entry(entry.id.rawValue.uppercased())?.id, entry.id)
        }
    }

    /// `CONFLICTQL_UPDATE_IDS=1 swift test --filter DiagnosticIDTests` rewrites the list after a
    /// deliberate change; read its diff: an ID users or embedders rely on should not change.
    func testIDsAreTheCommittedList() throws {
        let listed = DiagnosticCatalogue.all
            .map { "\($0.id) \($0.explanation.severity.rawValue) \($0.layer.replacingOccurrences(of: " ", with: "-"))" }
            .sorted().joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["CONFLICTQL_UPDATE_IDS"] == "1" {
            try listed.write(toFile: listPath, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: listPath, encoding: .utf8)
        XCTAssertEqual(listed, committed, "the IDs differ from Snapshots/diagnostic-ids.txt")
    }

    /// The IDs a script raises in a fresh session: its errors, warnings and empty-result hints.
    func raisedIDs(_ text: String) -> [MessageID] {
        let session = Session()
        var ids: [MessageID] = []
        do {
            try session.run(Source(name: "example", text: text), onWarning: { ids += $0.diagnostics.map(\.id) },
                            onHint: { ids += $0.diagnostics.map(\.id) }, onCommand: { _ in }, onResult: { _ in })
        } catch let error as DiagnosticError {
            ids += error.diagnostics.map(\.id)
        } catch {
            XCTFail("\(text): \(error)")
        }
        return ids
    }

    var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("conflictql")
    }

    /// The IDs the executable shows (`error[ID]:`, `note[ID]:`) for a command line, or for a
    /// script given with -c.
    func raisedIDsInExecutable(_ example: String) throws -> [MessageID] {
        let arguments = example.hasPrefix("conflictql ") ? try shellWords(String(example.dropFirst("conflictql ".count)))
            : ["-c", example]
        let result = try runProcess(executable, ["--diagnostic-ids"] + arguments, environment: ["NO_COLOR": "1"],
                                    directory: repositoryRoot)
        XCTAssertNotEqual(result.status, 0, "\(example): \(result.stderr)")
        let shown = try NSRegularExpression(pattern: #"(?:error|warning|note)\[([a-z0-9-]+)\]:"#)
        let text = result.stderr as NSString
        return shown.matches(in: result.stderr, range: NSRange(location: 0, length: text.length))
            .map { MessageID(text.substring(with: $0.range(at: 1))) }
    }

    /// A command line's words: spaces apart, single quotes kept together (as a shell reads them).
    func shellWords(_ line: String) throws -> [String] {
        var words: [String] = [], word = "", quoted = false, started = false
        for character in line {
            if character == "'" {
                quoted.toggle()
                started = true
            } else if character == " " && !quoted {
                if started { words.append(word) }
                word = ""
                started = false
            } else {
                word.append(character)
                started = true
            }
        }
        if started { words.append(word) }
        XCTAssertFalse(quoted, "an unclosed quote in \(line)")
        return words
    }

    func testEveryExampleRaisesExactlyItsID() throws {
        var examples = 0, inExecutable = 0
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(repositoryRoot))
        for entry in DiagnosticCatalogue.all {
            guard let example = entry.explanation.example else { continue }
            examples += 1
            var raised = example.hasPrefix("conflictql ") ? [] : raisedIDs(example)
            let hasDotCommand = example.split(separator: "\n").contains { $0.hasPrefix(".") }
            if raised.isEmpty && (example.hasPrefix("conflictql ") || hasDotCommand) {
                raised = try raisedIDsInExecutable(example)
                inExecutable += 1
            }
            XCTAssertFalse(raised.isEmpty, "\(entry.id): the example raised nothing: \(example)")
            XCTAssertEqual(Set(raised), [entry.id], "\(entry.id): the example raised \(raised.map(\.rawValue)): \(example)")
        }
        XCTAssertGreaterThanOrEqual(examples, 100)
        XCTAssertGreaterThanOrEqual(inExecutable, 9)
    }

    /// The IDs without an example are those no fresh run can raise (an interruption, a file
    /// changing under a load, the prompt's own, an embedder's prepared query, a live engine) or
    /// only with an example too large to show; each explanation says which. A new ID without an
    /// example is a deliberate addition here.
    func testIDsWithoutAnExampleAreTheKnownFew() {
        let without = DiagnosticCatalogue.all.filter { $0.explanation.example == nil }.map(\.id.rawValue).sorted()
        XCTAssertEqual(without, ["cancelled", "editor-failed", "engine-answer-unreadable", "engine-query-failed",
                                 "engine-sign-in-refused", "file-changed", "history-unwritable", "internal-error",
                                 "invalid-utf8", "load-over-memory", "mixed-engines", "not-a-query",
                                 "nothing-to-extend", "script-too-large", "string-too-long", "table-changed", "too-many-columns"])
    }

    /// A diagnostic carries its ID, and a hint's notes their own ranges.
    func testDiagnosticsCarryIDsAndNotesTheirRanges() throws {
        let source = Source(name: "q", text: "funding | where kind == \"pledge\" and kind != \"pledge\"")
        var hints: [Diagnostic] = []
        try Session().run(source, onHint: { hints += $0.diagnostics }, onCommand: { _ in }, onResult: { _ in })
        let hint = try XCTUnwrap(hints.first)
        XCTAssertEqual(hint.severity, .note)
        XCTAssertEqual(hint.id.rawValue, "condition-matched-nothing")
        XCTAssertEqual(hint.notes.count, 2, "\(hint.notes)")
        for note in hint.notes {
            let range = try XCTUnwrap(note.range, note.message)
            XCTAssertTrue(note.message.hasPrefix(source.text(of: range)), "\(note.message) at \(source.text(of: range))")
        }
    }

    /// `conflictql --explain-diagnostic ID` and `.help ID` print the explanation and example.
    func testExplainPrintsTheExplanationAndExample() throws {
        let entry = try XCTUnwrap(DiagnosticCatalogue.entry("unknown-column"))
        XCTAssertTrue(entry.rendered.hasPrefix("unknown-column (error, raised by the checker)\n\n"), entry.rendered)
        XCTAssertTrue(entry.rendered.contains("    funding | where donr == \"France\"\n"), entry.rendered)
        XCTAssertEqual(Help.text("unknown-column"), entry.rendered)
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
        let shown = try runProcess(executable, ["--explain-diagnostic", "Unknown-Column"], environment: [:], directory: repositoryRoot)
        XCTAssertEqual(shown.status, 0)
        XCTAssertEqual(shown.stdout, entry.rendered)
        let unknown = try runProcess(executable, ["--explain-diagnostic", "unknown-colum"], environment: [:], directory: repositoryRoot)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr, "conflictql: no diagnostic has the ID 'unknown-colum'; did you mean 'unknown-column'?\n")
    }
}
