// The JSON loader's scan of flat records (JSONCells.swift), in stretches on all cores
// (JSONStretches.swift), and its build of columns a block of records at a time
// (JSONColumns.swift) against its parser and whole-column build (JSONParser's nodes, the
// loader's path before the scan and still its path for anything the scan leaves):
// random documents, as arrays and as one object per line, with keys missing, repeated and
// first met late, records cut short (loaded strictly and leniently), values of every kind (numbers a Float or an Int cannot hold, quoted
// numbers, dates, escapes, non-ASCII text, nested values) and sometimes a declared type, must
// load to the same table or fail with the same message, the build split into ranges and
// blocks of every size.

import ConflictQL
import Synchronization
import XCTest
@testable import ConflictQLData

final class JSONScanTests: XCTestCase {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let keys = ["id", "n", "q", "d", "t", "f", "é", "long key with spaces"]

    /// A value for key `k`: most of a column's values are of its usual kind, some not.
    static func value(_ k: Int, _ g: inout Generator) -> String {
        let usual = g.below(10) < 8
        switch usual ? k : g.below(8) {
        case 0: return "\(g.below(1_000_000))"
        case 1: return g.pick(["0", "-0", "1.50", "-2.5E-3", "1e5", "12", "9007199254740993", "99999999999999999999", "3.0"])
        case 2: return g.pick([#""3""#, #""007""#, #""""#, #""-12""#, #""1.5""#, #""true""#, #""x""#])
        case 3: return g.pick([#""2020-01-02""#, #""2010-05-13T00:00:00""#, #""2010-05-13T00:00:00Z""#, #""31 December 2020""#,
                               #""2020""#, #""2020-13-01""#, #""""#])
        case 4: return g.pick([#""Ségou""#, #""a \"quoted\" word""#, #""tab\tand\\slash\/""#, #""é\u00e9""#, #""plain""#,
                               #""line\nbreak""#, #""\ud83d\ude00""#, "\"\(String(repeating: "x", count: g.below(40)))\"",
                               // What looks like records' bounds, inside strings (a raw line break is read too).
                               #""a},{\"b\": 1""#, "\"}\n{\\\"k\\\": 2}\"", #""}, {""#])
        case 5: return g.pick(["true", "false", "null"])
        case 6: return g.pick(["[1, 2]", "[\"x\", 1]", #"{"k": [1, "é"]}"#, "[]", "{}", "null"])
        default: return g.pick(["null", "1", #""x""#])
        }
    }

    static func document(_ g: inout Generator) -> (text: String, asArray: Bool) {
        let records = 1 + g.below(40)
        let asArray = g.below(2) == 0
        let compact = g.below(2) == 0
        var lines: [String] = []
        for r in 0..<records {
            var members: [String] = []
            // Keys in the usual order, some left out; late keys only in later records.
            for (k, key) in keys.enumerated() where g.below(10) < 8 && (k < 6 || r > records / 2) {
                let spaced = g.below(6) == 0 ? " : " : ":"
                members.append(#""\#(key)""# + spaced + value(k, &g))
            }
            if g.below(8) == 0, let first = members.first { members.append(first) }  // a repeated key
            if g.below(10) == 0 { members.reverse() }
            var line = "{" + members.joined(separator: compact ? "," : ", ") + "}"
            // Now and then a record cut short: an error, or a line a lenient load skips.
            if g.below(15) == 0 { line = String(line.prefix(1 + g.below(line.count))) }
            lines.append(line)
        }
        if asArray { return ((compact ? "[" : "[\n  ") + lines.joined(separator: compact ? "," : ",\n  ") + (compact ? "]" : "\n]"), true) }
        return (lines.joined(separator: "\n") + (g.below(2) == 0 ? "\n" : ""), false)
    }

    func load(_ text: String, _ options: LoadOptions) -> String {
        do {
            let table = try Array(text.utf8).withUnsafeBufferPointer { bytes throws(LoadError) in
                try loadTable(bytes: bytes, name: "t.json", options: options).0
            }
            return table.schema.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "\n"
                + table.rows.map { $0.map { "\($0)" }.joined(separator: " | ") }.joined(separator: "\n")
        } catch {
            return "error: \(error.description)"
        }
    }

    func testScannedRecordsLoadAsTheParsersNodes() {
        var g = Generator(state: 0x5EED_0F_0150)
        var scanned = 0, failures = 0
        for seed in 0..<400 {
            let (text, _) = JSONScanTests.document(&g)
            var options = LoadOptions()
            options.format = .json
            options.lenient = g.below(3) == 0
            if g.below(5) == 0 {
                options.types[g.pick(["id", "n", "q", "d", "t", "f"])] = g.pick([.int, .float, .string, .date, .bool])
            }
            var oracle = options
            oracle.jsonScansFlatRecords = false
            let expected = load(text, oracle)
            var fast = options
            fast.jsonRangeThreshold = g.below(2) == 0 ? 0 : 1 << 16
            fast.jsonBlockRows = 1 + g.below(5)
            fast.jsonStretchThreshold = g.below(4) == 0 ? 8 << 20 : 0
            fast.jsonStretches = 2 + g.below(5)
            let got = load(text, fast)
            if got != expected {
                failures += 1
                if failures <= 3 { XCTFail("seed \(seed):\n\(text)\n--- scanned:\n\(got)\n--- parsed:\n\(expected)") }
            }
            if !expected.hasPrefix("error") { scanned += 1 }
        }
        // Most documents load (the test compares tables, not only errors).
        XCTAssertGreaterThan(scanned, 120)
        XCTAssertEqual(failures, 0)
    }

    /// The scan takes flat records: a document of them loads with no node kept.
    func testFlatRecordsAreScannedNotParsed() throws {
        let text = Array(#"[{"a": 1, "b": "x \"y\"", "c": null, "d": 2.5e3}, {"a": -0, "b": "é", "d": true}]"#.utf8)
        var options = LoadOptions()
        options.format = .json
        try text.withUnsafeBufferPointer { bytes in
            let file = try DataFile(path: "t.json", contents: bytes)
            try file.restore()
            var reader = JSONRecordReader(file: file, options: options, progress: nil)
            try reader.readAll()
            XCTAssertEqual(reader.rows, 2)
            XCTAssertEqual(reader.names, ["a", "b", "c", "d"])
            XCTAssertTrue(reader.cells.allSatisfy { !$0.hasNodes })
            XCTAssertEqual(reader.cells[1].kind(0), .escaped)
            XCTAssertEqual(reader.cells[3].kind(0), .decimal)
        }
    }
}

extension JSONScanTests {
    /// Splits that fall inside a string (`},{` and a line break before `{` written in it)
    /// leave the file to the whole read; splits between records are read in stretches. Both
    /// happen here, and every split loads the table the whole read makes.
    func testStretchesSplitInsideStringsAreReadWhole() throws {
        for asArray in [true, false] {
            // A string may hold a raw line break (the loader reads it, as it reads other control
            // characters): one before `{` after `}` looks like a line's record.
            let inside = asArray ? #"x},{\"y\": 1, "# : "x}\n{\\\"y\\\": 1, "
            let records = (0..<60).map { r in
                #"{"id": \#(r), "note": "\#(r % 3 == 0 ? inside : "plain ")\#(String(repeating: "w", count: r % 7))", "n": \#(r).5}"#
            }
            let text = asArray ? "[" + records.joined(separator: ",\n") + "]" : records.joined(separator: "\n") + "\n"
            var whole = LoadOptions()
            whole.format = .json
            let expected = load(text, whole)
            XCTAssertFalse(expected.hasPrefix("error"), expected)
            var inStretches = 0, readWhole = 0
            for stretches in 2...24 {
                var options = whole
                options.jsonStretchThreshold = 0
                options.jsonStretches = stretches
                try Array(text.utf8).withUnsafeBufferPointer { bytes in
                    let file = try DataFile(path: "t.json", contents: bytes)
                    if let read = readJSONStretches(file, options: options) {
                        inStretches += 1
                        XCTAssertEqual(read.parts.reduce(0) { $0 + $1.rows }, 60)
                        XCTAssertEqual(read.names, ["id", "note", "n"])
                    } else {
                        readWhole += 1
                    }
                }
                XCTAssertEqual(load(text, options), expected, "\(stretches) stretches")
            }
            XCTAssertGreaterThan(inStretches, 0, "array: \(asArray)")
            XCTAssertGreaterThan(readWhole, 0, "array: \(asArray)")
        }
    }
}

extension JSONScanTests {
    /// The progress of a JSON load counts bytes from the start, as a CSV load's does (it was
    /// told each 8 MiB's increment, so a bar stood at 8 MB of the file), whether the file is
    /// read whole or in stretches.
    func testProgressCountsTheBytesReadSoFar() throws {
        let record = #"{"id": 1, "note": "\#(String(repeating: "n", count: 200))", "n": 2.5}"#
        let count = 100_000  // about 24 MiB: a stretch reports each 8 MiB it reads
        for asArray in [true, false] {
            let text = asArray ? "[" + Array(repeating: record, count: count).joined(separator: ",\n") + "]"
                : Array(repeating: record, count: count).joined(separator: "\n")
            for stretches in [nil, 2] {
                var options = LoadOptions()
                options.format = .json
                options.jsonStretchThreshold = stretches == nil ? .max : 0
                options.jsonStretches = stretches
                let calls = Mutex<[(done: Int, total: Int, rows: Int)]>([])
                let bytes = Array(text.utf8)
                let (table, _) = try bytes.withUnsafeBufferPointer { buffer in
                    try loadJSON(try DataFile(path: "t.json", contents: buffer), options: options) { done, total, rows in
                        calls.withLock { $0.append((done, total, rows)) }
                    }
                }
                XCTAssertEqual(table.rowCount, count)
                let seen = calls.withLock { $0 }
                let name = "array \(asArray), stretches \(stretches.map(String.init) ?? "none")"
                XCTAssertGreaterThan(seen.count, 1, name)
                XCTAssertTrue(zip(seen, seen.dropFirst()).allSatisfy { $0.done <= $1.done && $0.rows <= $1.rows }, name)
                XCTAssertTrue(seen.allSatisfy { $0.done <= $0.total && $0.total == bytes.count }, name)
                XCTAssertEqual(seen.last?.done, bytes.count, name)
                XCTAssertEqual(seen.last?.rows, count, name)
                // Two reports of 8 MiB each before the last: 16 MiB and more counted.
                XCTAssertGreaterThan(seen.dropLast().last?.done ?? 0, 16 << 20, name)
            }
        }
    }
}
