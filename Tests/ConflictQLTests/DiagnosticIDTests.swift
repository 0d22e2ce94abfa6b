// The catalogue of diagnostic IDs: every ID the library raises, unique and well formed, the
// same as the committed list (Snapshots/diagnostic-ids.txt, so that renaming or dropping an ID is a visible
// change), and each example query raising exactly its ID and no other (a guard against a
// message raised from the wrong place, or with another layer's ID).

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

    func testEveryExampleRaisesExactlyItsID() {
        var examples = 0
        for entry in DiagnosticCatalogue.all {
            guard let example = entry.explanation.example else { continue }
            examples += 1
            let raised = raisedIDs(example)
            XCTAssertFalse(raised.isEmpty, "\(entry.id): the example raised nothing: \(example)")
            XCTAssertEqual(Set(raised), [entry.id], "\(entry.id): the example raised \(raised.map(\.rawValue)): \(example)")
        }
        XCTAssertGreaterThanOrEqual(examples, 60)
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
