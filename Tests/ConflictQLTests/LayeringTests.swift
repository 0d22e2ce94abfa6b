// The library's folders are layers, and a layer may use only the layers below it:
//
//     Foundation, Diagnostics   source text and ranges, diagnostics, types, values, columns,
//                               tables, the catalog, cancellation
//     Syntax                    tokens, lexer, parser, syntax tree
//     Data                      the embedded briefing, the CSV and JSON loaders
//     Semantics                 names and types: the checker, the typed plan
//     Planning                  rewriting the plan (column pruning)
//     Engine, SQL               running the plan; compiling it to SQL
//     Output                    tables as text, CSV, JSON, Markdown
//     Interactive, Session      the session, completion, help (the top)
//
// This test keeps it so: a file that names a type, function or constant declared only in a
// higher layer fails it, with the file and the names. (One module, so the compiler would not.)

import Foundation
import XCTest

final class LayeringTests: XCTestCase {
    static let ranks: [String: Int] = [
        "Foundation": 0, "Diagnostics": 0, "Syntax": 1, "Data": 2, "Semantics": 3, "Planning": 4,
        "Engine": 5, "SQL": 5, "Output": 6, "Interactive": 7, "": 7,
    ]

    /// Upward uses in `files` (path relative to the library, text): "FILE uses NAMES of LAYER".
    static func upwardUses(_ files: [String: String]) -> [String] {
        let declaration = try! NSRegularExpression(
            pattern: #"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate|final|indirect|nonisolated)\s+)*(?:struct|enum|class|protocol|typealias|func|let|var|actor)\s+([A-Za-z_][A-Za-z0-9_]*)"#,
            options: [.anchorsMatchLines])
        // A name declared here (`func tableName(for:)`) is not a use of another layer's `tableName`.
        let use = try! NSRegularExpression(pattern: #"(?<![.\w])(?<!func )([A-Za-z_][A-Za-z0-9_]*)\b"#)
        let comment = try! NSRegularExpression(pattern: #"//.*"#)
        let string = try! NSRegularExpression(pattern: #""(?:\\.|[^"\\\n])*""#)
        func layer(_ path: String) -> String { path.contains("/") ? String(path.split(separator: "/")[0]) : "" }
        func matches(_ regex: NSRegularExpression, _ text: String) -> [String] {
            regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Range($0.range(at: 1), in: text).map { String(text[$0]) }
            }
        }
        var declaredIn: [String: Set<String>] = [:]
        for (path, text) in files {
            for name in matches(declaration, text) { declaredIn[name, default: []].insert(layer(path)) }
        }
        var problems: [String] = []
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let here = layer(path)
            guard let rank = ranks[here] else {
                problems.append("\(path) is in a folder that is no layer: add it to LayeringTests.ranks")
                continue
            }
            var code = comment.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
            code = string.stringByReplacingMatches(in: code, range: NSRange(code.startIndex..., in: code), withTemplate: "\"\"")
            var upward: [String: Set<String>] = [:]
            for name in Set(matches(use, code)) {
                guard let layers = declaredIn[name], !layers.contains(here) else { continue }
                if layers.allSatisfy({ (ranks[$0] ?? 0) > rank }) {
                    upward[layers.sorted().joined(separator: "/"), default: []].insert(name)
                }
            }
            for (layers, names) in upward.sorted(by: { $0.key < $1.key }) {
                problems.append("\(path) uses \(names.sorted().joined(separator: ", ")) of \(layers)")
            }
        }
        return problems
    }

    func testNoLayerUsesALayerAboveIt() throws {
        let root = repositoryRoot + "/Sources/ConflictQL/"
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            files[path] = try String(contentsOfFile: root + path, encoding: .utf8)
        }
        XCTAssertGreaterThan(files.count, 40)
        XCTAssertEqual(LayeringTests.upwardUses(files), [])
    }

    func testAnUpwardUseIsCaught() {
        let files = [
            "Foundation/Table.swift": "struct Table { func run() { _ = Executor() } }",
            "Engine/Executor.swift": "struct Executor { let table: Table }",
            "Syntax/Parser.swift": "func parse() { let t: Table? = nil; _ = t }",
        ]
        XCTAssertEqual(LayeringTests.upwardUses(files), ["Foundation/Table.swift uses Executor of Engine"])
    }
}
