// How a loaded table holds its text in little memory (StringCodes.swift): codes a byte wide
// while the dictionary has at most 256 entries, widened to two and four bytes as a load
// passes 256 and 65,536 distinct values (with nulls among them, in one chunk or split
// between two), no codes at all for a column of distinct values; and a load that would not
// fit in the memory it may take refused with the size it needs, before it runs out.

@testable import ConflictQLCore
@testable import ConflictQLData
import ConflictQL
import Foundation
import XCTest

final class ColumnMemoryTests: XCTestCase {
    /// Widened from nothing (0, 1, 2, ...) to one byte, two and four, the codes read back as
    /// they were appended.
    func testTheCodeBuilderWidensAsTheDictionaryGrows() {
        var builder = StringCodeBuilder()
        var expected: [Int32] = []
        func append(_ code: Int32) {
            builder.append(code)
            expected.append(code)
        }
        for code in 0..<200 { append(Int32(code)) }
        XCTAssertEqual(builder.width, 0, "0, 1, 2, ... keeps no codes")
        append(7)
        XCTAssertEqual(builder.width, 1)
        for code in 200..<300 { append(Int32(code)) }
        XCTAssertEqual(builder.width, 2, "entry 256 needs two bytes")
        append(65_535)
        XCTAssertEqual(builder.width, 2)
        append(65_536)
        XCTAssertEqual(builder.width, 4, "entry 65,536 needs four")
        append(3)
        builder.removeLast()
        expected.removeLast()
        let codes = builder.finish()
        XCTAssertEqual(codes.width, 4)
        XCTAssertEqual(Array(codes), expected)
        XCTAssertEqual(codes.map { $0 }, expected)
        XCTAssertEqual(codes.words, expected)

        var sequence = StringCodeBuilder()
        for code in 0..<1000 { sequence.append(Int32(code)) }
        var later = StringCodeBuilder()
        for code in 0..<500 { later.append(Int32(code)) }
        sequence.append(contentsOf: later, shift: 1000)
        XCTAssertEqual(sequence.width, 0, "two chunks of distinct values in order stay a sequence")
        XCTAssertEqual(Array(sequence.finish()), (0..<1500).map { Int32($0) })
        let narrow = StringCodes([3, 1, 255, 0]).narrowed(entries: 256)
        XCTAssertEqual(narrow.width, 1)
        XCTAssertEqual(Array(narrow), [3, 1, 255, 0])
        XCTAssertEqual(Array(narrow.gather([3, -1, 2])), [0, 0, 255])
        XCTAssertEqual(Array(StringCodes.sequence(4).gather([2, 2, -1])), [2, 2, 0])
    }

    /// A later chunk's codes appended through a remap (its entries interned again into the
    /// first chunk's dictionary) read back as each code mapped, whatever the two widths: the
    /// table of a narrow chunk's codes against the code-by-code path.
    func testRemappedCodesAreEachCodeMappedAtEveryWidth() {
        var random = SplitMix(seed: 11)
        for round in 0..<300 {
            func made(entries: Int, rows: Int) -> (StringCodeBuilder, [Int32]) {
                var built = StringCodeBuilder()
                var codes: [Int32] = []
                let sequence = round % 7 == 0
                for row in 0..<rows {
                    let code = sequence && row < entries ? Int32(row) : Int32.random(in: 0..<Int32(entries), using: &random)
                    built.append(code)
                    codes.append(code)
                }
                return (built, codes)
            }
            let sizes = [1, 5, 256, 257, 3000, 65_536, 70_000]
            let myEntries = sizes.randomElement(using: &random)!
            var (builder, expected) = made(entries: myEntries, rows: Int.random(in: 0...40, using: &random))
            let theirEntries = [1, 9, 256, 300, 65_536].randomElement(using: &random)!
            let (other, theirs) = made(entries: theirEntries, rows: Int.random(in: 0...500, using: &random))
            let target = [2, 250, 255, 256, 65_535, 65_536, 100_000].randomElement(using: &random)!
            let remap = (0..<theirEntries).map { _ in Int32.random(in: 0..<Int32(target), using: &random) }
            builder.append(contentsOf: other, remap: remap)
            expected += theirs.map { remap[Int($0)] }
            XCTAssertEqual(builder.count, expected.count, "round \(round)")
            XCTAssertEqual(Array(builder.finish()), expected, "round \(round): \(myEntries) entries, theirs \(theirEntries), codes below \(target)")
        }
    }

    /// A file whose `place` passes 256 and then 65,536 distinct values after the first
    /// 10,000 rows (nulls every seventh row), whose `small` column keeps 200 and `mid` 300,
    /// and whose `id` is distinct on every row: loaded in one chunk and in two, every value
    /// and null as written, each column's codes as narrow as its dictionary allows.
    func testCodesWidenMidLoadWithNulls() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cq-codes-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("places.csv").path
        var text = "id,place,small,mid\n"
        var places: [String?] = []
        let rows = 150_000
        for row in 0..<rows {
            // The first 10,000 rows hold 10 places, so the column is interned; then 70,000 new
            // ones, each twice.
            let place: String? = row % 7 == 3 ? nil : (row < 10_000 ? "p\(row % 10)" : "place \((row - 10_000) / 2)")
            places.append(place)
            text += "r\(row),\(place ?? ""),s\(row % 200),m\(row % 300)\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for threads in [1, 2] {
            var options = LoadOptions()
            options.threads = threads
            options.chunkingThreshold = 0
            let (table, _) = try loadTable(path: path, options: options)
            XCTAssertEqual(table.rowCount, rows)
            func codes(_ name: String) throws -> StringCodes {
                guard case .string(let codes, _) = try XCTUnwrap(table.column(named: name)).storage else {
                    throw XCTSkip("\(name) is not text")
                }
                return codes
            }
            XCTAssertEqual(try codes("place").width, 4, "threads \(threads)")
            XCTAssertEqual(try codes("small").width, 1, "threads \(threads)")
            XCTAssertEqual(try codes("mid").width, 2, "threads \(threads)")
            XCTAssertEqual(try codes("id").width, 0, "threads \(threads): distinct values need no codes")
            let column = try XCTUnwrap(table.column(named: "place"))
            let loaded = column.values.map { value -> String? in
                if case .string(let s) = value { return s }
                return nil
            }
            XCTAssertEqual(loaded, places, "threads \(threads)")
            XCTAssertEqual(column.nullCount, places.filter { $0 == nil }.count)
            XCTAssertEqual(try XCTUnwrap(table.column(named: "id")).value(at: 149_999), .string("r149999"))
            XCTAssertEqual(try XCTUnwrap(table.column(named: "mid")).value(at: 299), .string("m299"))
        }

        // The engine reads the narrow codes: filters, grouping and joins over them.
        let session = Session()
        try session.load(path: path, as: "places")
        func first(_ query: String) throws -> Value? {
            guard case .table(let table) = try session.run(query).last else { return nil }
            return table.columns[0].value(at: 0)
        }
        XCTAssertEqual(try first("places | where place == \"place 69999\" | count"),
                       .int(Int64([149_998, 149_999].filter { $0 % 7 != 3 }.count)))
        XCTAssertEqual(try first("places | summarize n = count() by small | count"), .int(200))
        XCTAssertEqual(try first("places | where id == \"r65537\" | select mid"), .string("m137"))
        XCTAssertEqual(try first("places | where small == \"s7\" | join (places | select id, m2 = mid) on id | count"),
                       .int(Int64(rows / 200)))
    }

    /// A budget smaller than the table refuses the load, naming the size needed; a larger
    /// one lets it load.
    func testALoadThatWouldNotFitIsRefusedWithTheSizeItNeeds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cq-budget-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.csv").path
        var text = "id,notes,fatalities\n"
        for row in 0..<20_000 { text += "E\(row),\"On day \(row), a long note about what happened, with commas\",\(row % 9)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for threads in [1, 2] {
            var options = LoadOptions()
            options.threads = threads
            options.chunkingThreshold = 0
            options.memoryBudget = MemoryBudget(bytes: 500_000, source: .given)
            XCTAssertThrowsError(try loadTable(path: path, options: options)) { error in
                guard let error = error as? LoadError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.id, LoadDiagnostic.loadOverMemory.id)
                // About 80 bytes a row (the two texts, their offsets, the numbers), with an
                // eighth to spare, and the window on the text.
                let needed = error.message.split(separator: " ").dropFirst(5).first.flatMap { Int($0) }
                XCTAssertTrue(error.message.hasPrefix("the table would need about "), error.message)
                XCTAssertTrue((2...5).contains(needed ?? 0), error.message)
                XCTAssertTrue(error.message.contains(" MB of memory, and 1 MB can be had (the load's memory limit)"), error.message)
                XCTAssertTrue(error.message.contains(".connect"), error.message)
            }
            options.memoryBudget = MemoryBudget(bytes: 50_000_000, source: .given)
            XCTAssertEqual(try loadTable(path: path, options: options).0.rowCount, 20_000)
        }
    }

    /// CONFLICTQL_MEMORY_LIMIT limits the budget (less what the process holds); sizes read
    /// with their suffixes.
    func testTheMemoryLimitVariable() throws {
        XCTAssertEqual(parseByteSize("512M"), 512 << 20)
        XCTAssertEqual(parseByteSize("2g"), 2 << 30)
        XCTAssertEqual(parseByteSize("1000"), 1000)
        XCTAssertNil(parseByteSize("lots"))
        XCTAssertNil(parseByteSize("-5M"))
        let limited = try XCTUnwrap(memoryBudget(environment: ["CONFLICTQL_MEMORY_LIMIT": "1M"]))
        XCTAssertEqual(limited.source, .variable)
        XCTAssertEqual(limited.bytes, 0, "a test process holds more than 1 MB already")
        let roomy = memoryBudget(environment: ["CONFLICTQL_MEMORY_LIMIT": "1T"])
        XCTAssertNotEqual(roomy?.source, .variable, "a limit above the machine's memory does not limit")
    }
}
