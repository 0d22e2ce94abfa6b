// The CSV loader's kernels held to their plain meaning. The loader appends records a batch at
// a time, column by column (ChunkParser.appendBatch), and a refused value is found column by
// column too; this holds it to record-by-record meaning. A made-up file of several batches, with bad values of every kind in any column,
// loaded leniently, must give exactly the strict load of its good rows alone, and skip
// exactly its bad rows, in order, with their lines; loaded strictly, it must fail at its
// first bad row, on that row's first bad field, whatever a later row or column holds.

@testable import ConflictQLData
import ConflictQLCore
import Foundation
import XCTest

final class BatchLoadingTests: XCTestCase {
    /// A row of the file: its text, and what is wrong with it first (nil for a good row).
    struct Row {
        var text: [UInt8]
        var fault: String?
    }

    static let header = "id,name,day,score,flag,note\n"
    static let types: [String: DataType] = ["id": .int, "day": .date, "score": .float, "flag": .bool]

    /// Rows of every kind: nulls, empty quoted text, doubled quotes and line breaks in quotes,
    /// and, now and then, a bad value in a given column, bytes not UTF-8, or a field too few;
    /// sometimes two faults in one row, of which the first field's is the one to report.
    func makeRows(_ count: Int, seed: UInt64) -> [Row] {
        var random = SplitMix(seed: seed)  // the same rows on every run
        func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
        return (0..<count).map { i in
            var fault: String? = nil
            var fields: [[UInt8]] = []
            func field(_ good: String, bad: String, percent: Int) {
                if chance(percent) {
                    fault = fault ?? "found '\(bad)'"
                    fields.append(Array(bad.utf8))
                } else {
                    fields.append(chance(5) ? [] : Array(good.utf8))
                }
            }
            field("\(i)", bad: "x\(i)", percent: 2)
            fields.append(Array("name \(i % 37)".utf8))
            field("20\(10 + i % 15)-0\(1 + i % 9)-1\(i % 10)", bad: "someday \(i)", percent: 2)
            field("\(i % 100).\(i % 7)", bad: "score \(i)", percent: 1)
            field(i % 2 == 0 ? "true" : "false", bad: "maybe \(i)", percent: 1)
            var note: [UInt8]
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<5: note = []                                               // null
            case 5..<10: note = Array("\"\"".utf8)                              // the empty text
            case 10..<20: note = Array("\"said \"\"no\"\" at \(i)\"".utf8)      // doubled quotes
            case 20..<25: note = Array("\"two\nlines \(i)\"".utf8)
            case 25..<27:
                note = Array("\"bad ".utf8) + [0xFF] + Array(" \(i)\"".utf8)
                fault = fault ?? "not UTF-8"
            default: note = Array("note \(i), with a comma".utf8).quotedIfNeeded
            }
            fields.append(note)
            if chance(2) {
                fields.removeLast()
                fault = "a row has 5 fields"  // found before any value is read
            }
            return Row(text: Array(fields.joined(separator: [UInt8(ascii: ",")])) + [0x0A], fault: fault)
        }
    }

    func write(_ rows: [Row], to path: String) throws {
        let bytes = Array(BatchLoadingTests.header.utf8) + rows.flatMap(\.text)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func testBatchesMeanWhatRecordByRecordMeans() throws {
        let directory = NSTemporaryDirectory() + "conflictql-batches-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for seed: UInt64 in [1, 2, 3] {
            // Six columns: batches of 1,365 records, so 4,000 rows make three and a part.
            let rows = makeRows(4_000, seed: seed)
            let dirty = directory + "/dirty-\(seed).csv", clean = directory + "/clean-\(seed).csv"
            try write(rows, to: dirty)
            try write(rows.filter { $0.fault == nil }, to: clean)
            // The line each row starts on (a note may hold a line break).
            var lines: [Int] = []
            var line = 2
            for row in rows {
                lines.append(line)
                line += row.text.count { $0 == 0x0A }
            }
            let bad = rows.indices.filter { rows[$0].fault != nil }
            XCTAssertGreaterThan(bad.count, 100)
            for threads in [1, 2] {
                var options = LoadOptions()
                options.types = BatchLoadingTests.types
                options.threads = threads
                options.chunkingThreshold = 0
                let (expected, _) = try loadTable(path: clean, options: options)

                var lenient = options
                lenient.lenient = true
                let (table, report) = try loadTable(path: dirty, options: lenient)
                XCTAssertEqual(table.rowCount, rows.count - bad.count, "seed \(seed), \(threads) threads")
                XCTAssertEqual(table.schema.fields.map(\.type), expected.schema.fields.map(\.type))
                for c in table.columns.indices {
                    XCTAssertEqual(table.columns[c].values.map { "\($0)" }, expected.columns[c].values.map { "\($0)" },
                                   "column \(table.schema.fields[c].name), seed \(seed), \(threads) threads")
                }
                XCTAssertEqual(report.skippedRows, bad.count)
                XCTAssertEqual(report.skipped.map(\.line), bad.prefix(5).map { lines[$0] })

                do {
                    _ = try loadTable(path: dirty, options: options)
                    XCTFail("a strict load of seed \(seed) loaded")
                } catch {
                    let first = bad[0]
                    XCTAssertEqual(error.line, lines[first], "seed \(seed), \(threads) threads: \(error.description)")
                    XCTAssertTrue(error.description.contains(rows[first].fault!), "\(error.description), not \(rows[first].fault!)")
                }
            }
        }
    }
}

extension BatchLoadingTests {
    /// The loader's UTF-8 check (runs of ASCII a word at a time, the rest by hand) says what
    /// Swift's decoder says, for bytes near and far from UTF-8: every lead byte, truncated
    /// and overlong forms, surrogates, past U+10FFFF, at every place in a text.
    func testTheUTF8CheckAgreesWithSwiftsDecoder() {
        var random = SplitMix(seed: 7)
        let pieces: [[UInt8]] = [[0x41], [0x20, 0x61, 0x62], Array("Diafarabé".utf8), Array("Ségou".utf8), Array("€".utf8),
                                 Array("𝄞".utf8), [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
                                 [0xF4, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80]]
        var invalid = 0
        for round in 0..<200_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                if round % 3 == 0 {
                    bytes.append(UInt8.random(in: 0...255, using: &random))
                } else {
                    bytes += pieces.randomElement(using: &random)!
                    if Int.random(in: 0..<8, using: &random) == 0 && !bytes.isEmpty {
                        // A byte changed or dropped: truncated, overlong, surrogate, too large.
                        let at = Int.random(in: 0..<bytes.count, using: &random)
                        if Bool.random(using: &random) { bytes.remove(at: at) } else { bytes[at] = UInt8.random(in: 0x80...0xFF, using: &random) }
                    }
                }
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if !expected { invalid += 1 }
            let got = bytes.withUnsafeBufferPointer { isValidUTF8($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
            if got != expected { return XCTFail("\(bytes.map { String($0, radix: 16) }): \(got), Swift says \(expected)") }
        }
        XCTAssertGreaterThan(invalid, 20_000)
    }
}

private extension Array where Element == UInt8 {
    /// The field quoted, as CSV writes a field holding a comma.
    var quotedIfNeeded: [UInt8] { contains(UInt8(ascii: ",")) ? [0x22] + self + [0x22] : self }
}
