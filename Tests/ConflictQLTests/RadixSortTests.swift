// The radix sort under `sort`, `top` and `window` must give exactly the comparison sort's
// order: keys in turn, nulls last both ways, ties in input order, -0.0 equal to 0.0, text by
// bytes. A property test over random tables of every sortable kind, checked against a
// reference sort of boxed values written here.

@testable import ConflictQLCore
@testable import ConflictQLSyntax
@testable import ConflictQLData
@testable import ConflictQLFunctions
@testable import ConflictQLSemantics
@testable import ConflictQLPlanning
@testable import ConflictQLEngine
@testable import ConflictQLSQL
@testable import ConflictQLOutput
@testable import ConflictQL
import Foundation
import XCTest

final class RadixSortTests: XCTestCase {
    func testSortOrderMatchesAReferenceComparisonSort() throws {
        var random = SystemRandomNumberGenerator()
        let texts = ["a", "B", "b", "Mali", "é", "Niger", "ab"]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("radix-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for round in 0..<200 {
            let count = Int.random(in: 0...60, using: &random)
            let types: [DataType] = (0..<Int.random(in: 1...3, using: &random)).map { _ in [.int, .float, .string, .bool].randomElement(using: &random)! }
            // Half the rounds have no nulls, so keys can be sorted together in one counting pass.
            let withNulls = Bool.random(using: &random)
            let generated: [[Value]] = (0..<count).map { _ in
                types.map { type -> Value in
                    if withNulls && Int.random(in: 0..<5, using: &random) == 0 { return .null }
                    switch type {
                    case .int: return .int(Int64.random(in: -3...3, using: &random) * (Bool.random(using: &random) ? 1 : Int64.max / 4))
                    case .float: return .float([-0.0, 0.0, 1.5, -2.25, 1e300, -1e-300].randomElement(using: &random)!)
                    case .string: return .string(texts.randomElement(using: &random)!)
                    default: return .bool(Bool.random(using: &random))
                    }
                }
            }
            let names = types.indices.map { "k\($0)" }
            let csv = ([names.joined(separator: ",")] + generated.map { row in
                row.map { value -> String in
                    switch value {
                    case .null: return ""
                    case .float(let d): return String(d)
                    default: return value.description
                    }
                }.joined(separator: ",")
            }).joined(separator: "\n") + "\n"
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            let session = Session()
            try session.load(path: path, as: "t")
            // The rows as loaded (types as inferred) are the reference's input.
            guard case .table(let loaded)? = try session.run("t").last else { return XCTFail("no table") }
            let rows = loaded.rows
            let descending = types.map { _ in Bool.random(using: &random) }
            let keys = zip(names, descending).map { "\($0) \($1 ? "desc" : "asc")" }.joined(separator: ", ")
            guard case .table(let sorted)? = try session.run("t | extend i = 0 | sort by \(keys)").last else { return XCTFail("no table") }
            // The reference: a stable sort of the rows by boxed values.
            let expected = rows.indices.sorted { a, b in
                for (k, desc) in descending.enumerated() {
                    let order = compare(rows[a][k], rows[b][k])
                    if order != 0 { return (rows[a][k].isNull || rows[b][k].isNull) ? order < 0 : (desc ? order > 0 : order < 0) }
                }
                return a < b
            }.map { rows[$0] + [.int(0)] }
            XCTAssertEqual(sorted.rows, expected, "round \(round): sort by \(keys)")
        }
    }

    /// -1, 0, 1 with nulls after every value.
    func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.int(let x), .int(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.float(let x), .float(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : (x.utf8.elementsEqual(y.utf8) ? 0 : 1)
        default: return 0
        }
    }

    /// `top N` of many rows compares strings where they meet instead of ranking them all:
    /// the same rows as the reference order, ties in input order, nulls last.
    func testTopOfManyRowsByTextMatchesTheReference() throws {
        var random = SystemRandomNumberGenerator()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("top-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let words = ["kidnapped", "Kidal", "attack", "attacked", "é", "z", "Gao", "Mopti", "a", "ab"]
        for round in 0..<40 {
            let count = Int.random(in: 60...400, using: &random)
            let lines = (0..<count).map { i -> String in
                let text = Int.random(in: 0..<8, using: &random) == 0 ? "" : (0..<Int.random(in: 1...3, using: &random)).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
                return "\(i),\(text)"
            }
            try (["i,s"] + lines).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
            let session = Session()
            try session.load(path: path, as: "t")
            guard case .table(let all)? = try session.run("t").last else { return XCTFail("no table") }
            let rows = all.rows   // computed: taken once
            for desc in [false, true] {
                let n = Int.random(in: 1...3, using: &random)
                guard case .table(let top)? = try session.run("t | top \(n) by s \(desc ? "desc" : "asc")").last else { return XCTFail("no table") }
                let expected = rows.indices.sorted { a, b in
                    let order = compare(rows[a][1], rows[b][1])
                    if order != 0 { return (rows[a][1].isNull || rows[b][1].isNull) ? order < 0 : (desc ? order > 0 : order < 0) }
                    return a < b
                }.prefix(n).map { rows[$0] }
                XCTAssertEqual(top.rows, Array(expected), "round \(round), top \(n) by s \(desc ? "desc" : "asc")")
            }
        }
    }
}
