// The streaming CSV parse against the simplest one. Every CSV fixture is loaded whole (one
// chunk, one window), then split at every byte offset (the second chunk starting there, then
// moved on to a line start, perhaps inside a quoted line break) and read through windows of
// 16 to 63 bytes that start with the chunk, so that the windows' ends fall at every byte too
// (a window of a few bytes costs a read per few bytes: too slow for every offset of every
// fixture; the made-up text below takes windows of 1 to 7 bytes): each load must give
// exactly what the whole one gives, the same table cell for cell and byte for byte, the same
// report (type changes and skipped rows with their lines), or the same error with its line
// and column. Plain files are read from disk (streamed); text in other encodings and inflated
// text from memory.

@testable import ConflictQLData
import ConflictQLCore
import Foundation
import XCTest

final class ChunkSplitTests: XCTestCase {
    /// A load's outcome: the table and its report, or the error with its line and column.
    enum Outcome: Equatable {
        /// The table, its report, and its columns' values (read once: the comparison of a
        /// split load with the whole one runs tens of thousands of times).
        case table(Table, report: String, values: [[Value]])
        case error(String)

        static func == (a: Outcome, b: Outcome) -> Bool {
            switch (a, b) {
            case (.table(let x, let r, let xValues), .table(let y, let s, let yValues)):
                return r == s && x.schema.fields.map(\.name) == y.schema.fields.map(\.name)
                    && x.schema.fields.map(\.type) == y.schema.fields.map(\.type) && x.rowCount == y.rowCount
                    && zip(xValues, yValues).allSatisfy { sameValues($0, $1) }
            case (.error(let x), .error(let y)): return x == y
            default: return false
            }
        }

        /// Equal values, text compared byte for byte (String's == is canonical equivalence).
        static func sameValues(_ a: [Value], _ b: [Value]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { x, y in
                if case .string(let s) = x, case .string(let t) = y { return s.utf8.elementsEqual(t.utf8) }
                return x == y || "\(x)" == "\(y)"
            }
        }

        var isError: Bool { if case .error = self { return true } else { return false } }
    }

    func outcome(path: String, _ options: LoadOptions) -> Outcome {
        do {
            let (table, report) = try loadTable(path: path, options: options)
            return .table(table, report: "rows \(report.rows) skipped \(report.skippedRows) "
                + "\(report.skipped.map { "\($0.line):\($0.problem)" }) "
                + "changes \(report.typeChanges.map { "\($0.column) \($0.sampled)->\($0.loaded) at \($0.line)" }) "
                + "hxl \(String(describing: report.hashtagLine)) \(String(describing: report.misplacedHashtagLine)) "
                + "\(String(describing: report.partialHashtags))", values: table.columns.map(\.values))
        } catch {
            return .error("\(error.description) at \(String(describing: error.line)):\(String(describing: error.column))")
        }
    }

    /// Loads `path` whole, then split at every offset of its text (`textBytes` long); when
    /// the strict load fails, leniently too. The first difference fails.
    func checkEverySplit(_ path: String, textBytes: Int, options base: LoadOptions = LoadOptions()) {
        for lenient in [false, true] {
            if lenient && !outcome(path: path, base).isError { continue }
            var whole = base
            whole.lenient = lenient
            whole.threads = 1
            whole.windowBytes = 1 << 20
            let expected = outcome(path: path, whole)
            for offset in ChunkSplitTests.offsets(upTo: textBytes) {
                var split = base
                split.lenient = lenient
                split.threads = 2
                split.chunkingThreshold = 0
                split.splitAt = offset
                split.windowBytes = 16 + offset % 48
                let got = outcome(path: path, split)
                if got != expected {
                    XCTFail("\(path) split at \(offset), window \(split.windowBytes), lenient \(lenient):\n\(got)\nexpected\n\(expected)")
                    return
                }
            }
        }
    }

    /// Every offset of a text up to 2,000 bytes; of a longer one (the 60 KB of UCDP points),
    /// every offset of its first 2,000 and last 500 bytes and every 151st between, unless
    /// CONFLICTQL_EVERY_OFFSET=1 asks for all (minutes in a debug build).
    static func offsets(upTo size: Int) -> [Int] {
        let limit = 2_000
        if size <= limit || ProcessInfo.processInfo.environment["CONFLICTQL_EVERY_OFFSET"] == "1" { return Array(0...size) }
        return Array(0...limit) + Array(stride(from: limit + 1, to: size - 500, by: 151)) + Array((size - 500)...size)
    }

    func testEveryCSVFixtureSplitAtEveryOffset() throws {
        let root = repositoryRoot + "/Tests/ConflictQLTests/Fixtures/"
        var names = try FileManager.default.contentsOfDirectory(atPath: root).filter {
            $0.hasSuffix(".csv") || $0.hasSuffix(".tsv") || $0.hasSuffix(".txt")
        }
        names += try FileManager.default.contentsOfDirectory(atPath: root + "many").map { "many/" + $0 }
        names.append("compressed/conflict_data_mli.csv")
        XCTAssertGreaterThan(names.count, 20)
        for name in names.sorted() {
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: root + name)[.size] as? Int)
            checkEverySplit(root + name, textBytes: size)
        }
        // Text that is not the file's bytes: transcoded, and inflated.
        var latin = LoadOptions()
        latin.encoding = .windows1252
        checkEverySplit(root + "regions_windows1252.csv", textBytes: 160, options: latin)
        checkEverySplit(root + "regions_utf16.csv", textBytes: 160)
        checkEverySplit(root + "compressed/conflict_data_mli.csv.gz", textBytes: 1116)
    }

    /// Quoted line breaks, CRLF, doubled quotes, ragged rows and a header longer than the
    /// first read of the file (8 KiB), so the prefix read for the header and the sample grows.
    func testMadeUpTextSplitAtEveryOffset() throws {
        let path = NSTemporaryDirectory() + "conflictql-splits-\(getpid())-\(UUID().uuidString).csv"
        defer { unlink(path) }
        let longName = String(repeating: "a name\r\nover lines, ", count: 500)
        var text = "\u{FEFF}id,\"\(longName)\",n\r\n"
        for i in 0..<40 {
            text += i % 7 == 3 ? "\(i),\"x\r\n\"\"y\"\"\r\n\",\(i)\r\n" : "\(i),plain \(i),\(i % 3 == 0 ? "" : String(i))\r\n"
        }
        text += "40,ragged\r\n41,\"last\nline\",4.5"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let size = text.utf8.count
        XCTAssertGreaterThan(size, DataFile.headSize)
        var whole = LoadOptions()
        whole.lenient = true
        let expected = outcome(path: path, whole)
        guard case .table(let table, let report, _) = expected else { return XCTFail("\(expected)") }
        XCTAssertEqual(table.rowCount, 41)
        XCTAssertEqual(table.schema.fields.map(\.type), [.int, .string, .float])
        let raggedLine = text.utf8.prefix(upTo: text.utf8.firstRange(of: "40,ragged".utf8)!.lowerBound).count { $0 == 0x0A } + 1
        XCTAssertTrue(report.contains("skipped 1 [\"\(raggedLine):a row has 2 fields, expected 3 like the header"), report)
        XCTAssertEqual(table.columns[1].values[10], .string("x\r\n\"y\"\r\n"))
        // A split inside the header moves to where the data starts: every offset from a
        // little before that on (the prefix still grows from 1 to 5 bytes on each load).
        let dataStart = text.utf8.count - text.utf8.drop { $0 != 0x30 }.count
        XCTAssertGreaterThan(dataStart, 10_000)
        for offset in (dataStart - 50)...size {
            var split = whole
            split.threads = 2
            split.chunkingThreshold = 0
            split.splitAt = offset
            split.windowBytes = 1 + offset % 7
            split.prefixBytes = 1 + offset % 5
            let got = outcome(path: path, split)
            if got != expected { XCTFail("split at \(offset):\n\(got)\nexpected\n\(expected)"); return }
        }
        // Strict, it fails at the ragged row, at the same place however it is split.
        var strict = LoadOptions()
        let failure = outcome(path: path, strict)
        XCTAssertTrue(failure.isError, "\(failure)")
        strict.threads = 2
        strict.chunkingThreshold = 0
        strict.windowBytes = 3
        for offset in stride(from: 9_000, through: size, by: 13) {
            strict.splitAt = offset
            XCTAssertEqual(outcome(path: path, strict), failure, "split at \(offset)")
        }
    }
}
