// Loading .gz and .zip files: the same table as the plain file, the member of a zip chosen or
// named, and every damaged file (each prefix, each flipped byte) an error, never a table.
// Zips with ZIP64 records, encrypted flags or other methods are built here (ZipBuilder).

import ConflictQL
import CZlib
import Foundation
import Synchronization
import XCTest

let compressedFixtures = fixtures + "compressed/"

final class CompressedLoadingTests: XCTestCase {
    func load(_ path: String, _ options: LoadOptions = LoadOptions()) throws -> Table {
        try loadTable(path: path, options: options).0
    }

    func loadBytes(_ bytes: [UInt8], name: String, _ options: LoadOptions = LoadOptions()) -> Result<Table, LoadError> {
        bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(LoadError) in try loadTable(bytes: buffer, name: name, options: options).0 }
        }
    }

    func fixtureBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: compressedFixtures + name)))
    }

    var plain: Table { get throws { try load(compressedFixtures + "conflict_data_mli.csv") } }

    func assertSameTable(_ a: Table, _ b: Table, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.schema.fields.map { "\($0.name): \($0.type)" }, b.schema.fields.map { "\($0.name): \($0.type)" },
                       file: file, line: line)
        XCTAssertEqual(a.rows, b.rows, file: file, line: line)
    }

    func testGzipLoadsExactlyAsThePlainFile() throws {
        let table = try load(compressedFixtures + "conflict_data_mli.csv.gz")
        assertSameTable(table, try plain)
        XCTAssertEqual(table.schema.fields.map(\.type), [.string, .date, .int, .string, .string, .string, .float, .float, .int, .string])
        XCTAssertEqual(table.rowCount, 10)
        // A quoted field with a line break inside survives inflating.
        XCTAssertEqual(table.rows[5][9], .string("Fighting over two days, a note\nover two lines"))
    }

    func testTableNameLeavesOutTheCompressionSuffix() throws {
        XCTAssertEqual(tableName(forPath: "data/conflict_data_mli.csv.gz"), "conflict_data_mli")
        XCTAssertEqual(tableName(forPath: "downloads/ged_mali.zip"), "ged_mali")
        let session = Session()
        try session.load(path: compressedFixtures + "conflict_data_mli.csv.gz")
        let result = try session.run("conflict_data_mli | summarize deaths = sum(fatalities)")
        guard case .table(let table)? = result.last else { return XCTFail("no table") }
        XCTAssertEqual(table.rows, [[.int(38)]])
    }

    func testCompressionIsDetectedByContentWhateverTheName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cq-compressed-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (source, target) in [("conflict_data_mli.csv.gz", "events.csv"), ("ged_mali.zip", "download"), ("conflict_data_mli.csv.gz", "noname")] {
            let path = folder.appendingPathComponent(target).path
            try Data(try fixtureBytes(source)).write(to: URL(fileURLWithPath: path))
            assertSameTable(try load(path), try plain)
        }
        // Bytes in memory too (what the fuzzer and an embedding program pass).
        assertSameTable(try loadBytes(try fixtureBytes("ged_mali.zip"), name: "x").get(), try plain)
    }

    func testGzippedJSON() throws {
        let table = try load(compressedFixtures + "events.json.gz")
        XCTAssertEqual(table.schema.fields.map { "\($0.name): \($0.type)" },
                       ["event_id_cnty: String", "event_date: Date", "fatalities: Int", "admin1: String"])
        XCTAssertEqual(table.rowCount, 10)
    }

    func testConcatenatedGzipMembersAreOneText() throws {
        let one = try fixtureBytes("conflict_data_mli.csv.gz")
        let table = try loadBytes(one + one, name: "twice.csv.gz").get()
        // The second copy's header is a row of the first: 21 rows, and the year column is text.
        XCTAssertEqual(table.rowCount, 21)
        XCTAssertEqual(table.rows[10][0], .string("event_id_cnty"))
        XCTAssertEqual(table.schema.fields[2].type, .string)
    }

    func testZipWithOneDataFileAndACodebook() throws {
        assertSameTable(try load(compressedFixtures + "ged_mali.zip"), try plain)
        // The codebook loads when named.
        let codebook = try load(compressedFixtures + "ged_mali.zip", options(member: "codebook.txt"))
        XCTAssertEqual(codebook.schema.names, ["Made up for the tests: ten events in Mali."])
    }

    func options(member: String) -> LoadOptions {
        var options = LoadOptions()
        options.member = member
        return options
    }

    func testMacFilesAndDataPackageDescriptorsAreNotData() throws {
        var builder = ZipBuilder()
        builder.add("events/", [])
        builder.add("events/datapackage.json", Array(#"{"resources": [{"path": "mli.csv"}]}"#.utf8))
        builder.add("__MACOSX/events/._mli.csv", [0, 5, 22, 7])
        builder.add("events/._mli.csv", [0, 5, 22, 7])
        builder.add("events/mli.csv", Array("a,b\n1,2\n".utf8))
        XCTAssertEqual(try loadBytes(builder.finish(), name: "p.zip").get().rows, [[.int(1), .int(2)]])
    }

    func testZipMemberByFullNameOrByFileName() throws {
        let path = compressedFixtures + "sahel_countries.zip"
        XCTAssertEqual(try load(path, options(member: "sahel/ner.csv")).rowCount, 3)
        XCTAssertEqual(try load(path, options(member: "bfa.csv")).rowCount, 3)
        XCTAssertEqual(try load(path, options(member: "mli.csv")).rows.map { $0[0] },
                       [.string("MLI9001"), .string("MLI9002"), .string("MLI9003"), .string("MLI9004")])
        XCTAssertThrowsError(try load(path)) { error in
            XCTAssertEqual((error as? LoadError)?.message,
                           "the zip holds 3 CSV or JSON files, 'sahel/mli.csv', 'sahel/bfa.csv' and 'sahel/ner.csv'; say which to load: member = \"sahel/mli.csv\"")
        }
        XCTAssertThrowsError(try load(path, options(member: "sahel/nigr.csv"))) { error in
            XCTAssertEqual((error as? LoadError)?.message, "the zip has no member 'sahel/nigr.csv'; did you mean 'sahel/ner.csv'?")
        }
    }

    func testErrorsInsideSayWhichMemberAndCountLinesOfTheText() throws {
        var bytes = ZipBuilder()
        bytes.add("events/mli.csv", Array("a,b\n1,2\n3,x,4\n".utf8))
        guard case .failure(let error) = loadBytes(bytes.finish(), name: "d.zip") else { return XCTFail("loaded") }
        XCTAssertEqual(error.description, "d.zip(events/mli.csv):3:1: a row has 3 fields, expected 2 like the header (a 'lenient' load skips such rows)")
        XCTAssertEqual(error.renderedExcerpt, [" 3 | 3,x,4", "   | ^"])
    }

    func testMemberNamesInUTF8OrCodePage437() throws {
        var builder = ZipBuilder()
        builder.add("donn\u{E9}es_mali.csv", Array("a\n1\n".utf8))                          // UTF-8 bytes, no flag
        builder.add("tu\u{E9}s", Array("b\n2\n".utf8), nameBytes: [0x74, 0x75, 0x82, 0x73])  // code page 437
        builder.add("bless\u{E9}s.csv", Array("c\n3\n".utf8), flags: 0x800)                // UTF-8, flagged
        let zip = builder.finish()
        for (member, column) in [("donn\u{E9}es_mali.csv", "a"), ("tu\u{E9}s", "b"), ("bless\u{E9}s.csv", "c")] {
            var options = LoadOptions()
            options.member = member
            XCTAssertEqual(try loadBytes(zip, name: "z.zip", options).get().schema.names, [column])
        }
    }

    func testStoredAndZIP64MembersLoad() throws {
        let text = try [UInt8](Data(contentsOf: URL(fileURLWithPath: compressedFixtures + "conflict_data_mli.csv")))
        for zip64 in [false, true] {
            var builder = ZipBuilder(zip64: zip64)
            builder.add("notes.txt", Array("not data\n".utf8))
            builder.add("mli.csv", text)
            assertSameTable(try loadBytes(builder.finish(), name: "m.zip").get(), try plain)
        }
    }

    func testMembersThatCannotBeReadSaySo() {
        let text = Array("a\n1\n".utf8)
        func message(_ edit: (inout ZipBuilder) -> Void) -> String? {
            var builder = ZipBuilder()
            edit(&builder)
            guard case .failure(let error) = loadBytes(builder.finish(), name: "z.zip") else { return nil }
            return error.message
        }
        XCTAssertEqual(message { $0.add("a.csv", text, flags: 1) },
                       "member 'a.csv' is encrypted; extract it with its password (unzip) and load the file it gives")
        XCTAssertEqual(message { $0.add("a.csv", text, method: 14) },
                       "member 'a.csv' is compressed with LZMA (method 14); only stored and deflate members can be read, so extract it with unzip first")
        XCTAssertEqual(message { $0.add("a.csv", text, crc: 7) },
                       "member 'a.csv' is damaged: its checksum does not match the data (CRC-32)")
        XCTAssertEqual(message { _ in }, "the zip is empty")
        // A JSON member is inflated whole: a directory entry stating a size larger than memory is
        // refused before inflating. A CSV member is parsed as it is inflated, so its size needs
        // no memory: it is inflated, and found damaged (the builder's bytes are not deflate's).
        let huge = Int(Int32.max) * 1 << 20
        XCTAssertEqual(message { $0.add("a.json", Array("[{\"a\": 1}]".utf8), method: 8, statedSize: huge) }?.hasSuffix(
            "decompressed, and there is not enough memory for it"), true)
        XCTAssertEqual(message { $0.add("a.csv", text, method: 8, statedSize: huge) },
                       "member 'a.csv' is cut short: the zip is truncated or damaged")
    }

    /// Every prefix of a compressed file is damaged: none may load a (partial) table.
    func testEveryTruncationIsAnError() throws {
        for name in ["conflict_data_mli.csv.gz", "ged_mali.zip", "events.json.gz"] {
            let bytes = try fixtureBytes(name)
            for length in 4..<bytes.count {
                if case .success(let table) = loadBytes(Array(bytes.prefix(length)), name: name) {
                    XCTFail("\(name) cut to \(length) bytes loaded \(table.rowCount) rows")
                }
            }
        }
    }

    /// A flipped byte is caught (by zlib, the CRC or the zip's directory) or changes nothing
    /// that matters (a time stamp): never a different table.
    func testEveryFlippedByteIsAnErrorOrHarmless() throws {
        let reference = try plain
        for name in ["conflict_data_mli.csv.gz", "ged_mali.zip"] {
            let bytes = try fixtureBytes(name)
            for i in 0..<bytes.count {
                var damaged = bytes
                damaged[i] ^= 0x5A
                if case .success(let table) = loadBytes(damaged, name: name) {
                    XCTAssertEqual(table.rows, reference.rows, "\(name) with byte \(i) flipped loaded another table")
                }
            }
        }
    }

    /// Past 8 MB the loader gives back the memory of parsed text; a column whose type changes
    /// at the end, and a message's line number, need it again: it is inflated again.
    func testTextGivenBackIsInflatedAgainWhenNeeded() throws {
        var text = "id,code\n"
        for i in 0..<900_000 { text += "\(i),\(i % 1000)\n" }
        var options = LoadOptions()
        options.threads = 1
        let late = try loadBytes(gzipped(Array((text + "900000,n/a\n").utf8)), name: "late.csv.gz", options).get()
        XCTAssertEqual(late.schema.fields.map(\.type), [.int, .string])
        XCTAssertEqual(late.rowCount, 900_001)
        XCTAssertEqual([late.rows[0][1], late.rows[123_456][1], late.rows[900_000][1]], [.string("0"), .string("456"), .string("n/a")])
        guard case .failure(let error) = loadBytes(gzipped(Array((text + "1,2,3\n").utf8)), name: "bad.csv.gz", options) else {
            return XCTFail("loaded")
        }
        XCTAssertEqual(error.description, "bad.csv.gz(bad.csv):900002:1: a row has 3 fields, expected 2 like the header (a 'lenient' load skips such rows)")
        // The same from a zip member, stored and read back from the bytes.
        var zip = ZipBuilder()
        zip.add("late.csv", Array((text + "900000,n/a\n").utf8))
        XCTAssertEqual(try loadBytes(zip.finish(), name: "late.zip", options).get().rows[900_000][1], .string("n/a"))
    }

    /// The compressed fuzzer's oracle over every file of the fixtures and the diagnostics'
    /// catalogue: its bytes gzipped, and stored in a zip as `a.csv`, load exactly as the plain
    /// bytes named `a.csv` do, the same table or the same message at the same place. (It found
    /// an encrypted workbook refused by its first bytes when plain and read as text inside.)
    func testEveryFileLoadsAlikePlainGzippedAndZipped() throws {
        func describe(_ result: Result<Table, LoadError>) -> String {
            switch result {
            case .success(let table): return "\(table.schema.fields.map { "\($0.name): \($0.type)" }) \(table.rows)"
            case .failure(let error): return "\(error.line ?? 0):\(error.column ?? 0): \(error.message)"
            }
        }
        var options = LoadOptions()
        options.format = .csv
        var compared = 0
        for folder in ["Tests/ConflictQLTests/Fixtures/", "Tests/ConflictQLTests/Catalogue/data/"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/" + folder).sorted() {
                var isFolder: ObjCBool = false
                let path = repositoryRoot + "/" + folder + name
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                guard bytes.count >= 4, bytes.count < 4 << 20, !(bytes[0] == 0x1F && bytes[1] == 0x8B),
                      !(bytes[0] == 0x50 && bytes[1] == 0x4B) else { continue }
                let plain = describe(loadBytes(bytes, name: "a.csv", options))
                var zip = ZipBuilder()
                zip.add("a.csv", bytes)
                XCTAssertEqual(describe(loadBytes(gzipped(bytes), name: "a.zip", options)), plain, "\(name), gzipped")
                XCTAssertEqual(describe(loadBytes(zip.finish(), name: "a.zip", options)), plain, "\(name), zipped")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 30)
    }

    func testCancelledAndProgress() throws {
        var options = LoadOptions()
        options.cancellation = Cancellation()
        options.cancellation?.cancel()
        XCTAssertThrowsError(try load(compressedFixtures + "conflict_data_mli.csv.gz", options)) { error in
            XCTAssertEqual((error as? LoadError)?.message, "cancelled")
        }
        // Cancelled while inflating: the first piece read reports progress, and the loop
        // stops before the text is handed on.
        for name in ["conflict_data_mli.csv.gz", "ged_mali.zip"] {
            var during = LoadOptions()
            let cancellation = Cancellation()
            during.cancellation = cancellation
            XCTAssertThrowsError(try loadTable(path: compressedFixtures + name, options: during) { _, _, _ in cancellation.cancel() }) {
                XCTAssertEqual(($0 as? LoadError)?.message, "cancelled", name)
            }
        }
        // CSV inside is parsed as it is inflated: progress counts the compressed bytes of the
        // member (less than the zip's 889 bytes), with the rows parsed so far, and ends with all
        // of them and every row.
        for name in ["ged_mali.zip", "conflict_data_mli.csv.gz"] {
            let seen = Mutex<[(done: Int, total: Int, rows: Int)]>([])
            let table = try loadTable(path: compressedFixtures + name) { done, total, rows in seen.withLock { $0.append((done, total, rows)) } }.0
            let reports = seen.withLock { $0 }
            XCTAssertLessThan(reports.first?.total ?? .max, 889, "\(reports)")
            XCTAssertEqual(Set(reports.map(\.total)).count, 1, "\(reports)")
            XCTAssertEqual(reports.map(\.done), reports.map(\.done).sorted(), "\(reports)")
            XCTAssertEqual(reports.last.map { [$0.done, $0.rows] }, [reports[0].total, table.rowCount], "\(reports)")
        }
        // JSON inside is inflated whole first, then parsed: the compressed bytes, then the text.
        let seen = Mutex<[Int]>([])
        _ = try loadTable(path: compressedFixtures + "events.json.gz") { _, total, _ in seen.withLock { $0.append(total) } }
        let totals = seen.withLock { $0 }
        XCTAssertGreaterThan(totals.last ?? 0, totals.first ?? 0, "\(totals)")
    }
}

/// `bytes` deflated at level 1, in a gzip wrapper (`windowBits` 31) or raw (-15, a zip
/// member's).
func gzipped(_ bytes: [UInt8], raw: Bool = false) -> [UInt8] {
    var stream = z_stream()
    XCTAssertEqual(deflateInit2_(&stream, 1, Z_DEFLATED, raw ? -15 : 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                 Int32(MemoryLayout<z_stream>.size)), Z_OK)
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    let written = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = UInt32(outBuffer.count)
            XCTAssertEqual(deflate(&stream, Z_FINISH), Z_STREAM_END)
            return outBuffer.count - Int(stream.avail_out)
        }
    }
    return Array(output.prefix(written))
}

/// Writes a zip of stored members in memory, with what real zips rarely hold on demand:
/// ZIP64 records, flags, other methods, a wrong CRC or size.
struct ZipBuilder {
    private var data: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    let zip64: Bool

    init(zip64: Bool = false) { self.zip64 = zip64 }

    private static func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    static func crc32(_ bytes: [UInt8]) -> Int {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return Int(~crc)
    }

    mutating func add(_ name: String, _ content: [UInt8], flags: Int = 0, method: Int = 0, crc: Int? = nil, statedSize: Int? = nil,
                      nameBytes: [UInt8]? = nil) {
        let nameBytes = nameBytes ?? Array(name.utf8)
        let crc = crc ?? ZipBuilder.crc32(content)
        let offset = data.count
        let size = statedSize ?? content.count
        data += ZipBuilder.le(0x0403_4B50, 4) + ZipBuilder.le(20, 2) + ZipBuilder.le(flags, 2) + ZipBuilder.le(method, 2)
            + ZipBuilder.le(0, 4) + ZipBuilder.le(crc, 4) + ZipBuilder.le(content.count, 4) + ZipBuilder.le(content.count, 4)
            + ZipBuilder.le(nameBytes.count, 2) + ZipBuilder.le(0, 2) + nameBytes + content
        let large = zip64 || size > 0xFFFF_FFFE
        // In ZIP64 every size and the offset read 0xFFFFFFFF and are given in the extra field.
        let extra = large ? ZipBuilder.le(1, 2) + ZipBuilder.le(24, 2) + ZipBuilder.le(size, 8) + ZipBuilder.le(content.count, 8)
            + ZipBuilder.le(offset, 8) : []
        let small = { (value: Int) in large ? 0xFFFF_FFFF : value }
        directory += ZipBuilder.le(0x0201_4B50, 4) + ZipBuilder.le(45, 2) + ZipBuilder.le(45, 2) + ZipBuilder.le(flags, 2)
            + ZipBuilder.le(method, 2) + ZipBuilder.le(0, 4) + ZipBuilder.le(crc, 4) + ZipBuilder.le(small(content.count), 4)
            + ZipBuilder.le(small(size), 4) + ZipBuilder.le(nameBytes.count, 2) + ZipBuilder.le(extra.count, 2)
            + ZipBuilder.le(0, 2) + ZipBuilder.le(0, 2) + ZipBuilder.le(0, 2) + ZipBuilder.le(0, 4) + ZipBuilder.le(small(offset), 4)
            + nameBytes + extra
        count += 1
    }

    func finish() -> [UInt8] {
        var bytes = data + directory
        if zip64 {
            let record = bytes.count
            bytes += ZipBuilder.le(0x0606_4B50, 4) + ZipBuilder.le(44, 8) + ZipBuilder.le(45, 2) + ZipBuilder.le(45, 2)
                + ZipBuilder.le(0, 4) + ZipBuilder.le(0, 4) + ZipBuilder.le(count, 8) + ZipBuilder.le(count, 8)
                + ZipBuilder.le(directory.count, 8) + ZipBuilder.le(data.count, 8)
            bytes += ZipBuilder.le(0x0706_4B50, 4) + ZipBuilder.le(0, 4) + ZipBuilder.le(record, 8) + ZipBuilder.le(1, 4)
        }
        bytes += ZipBuilder.le(0x0605_4B50, 4) + ZipBuilder.le(0, 2) + ZipBuilder.le(0, 2)
            + ZipBuilder.le(zip64 ? 0xFFFF : count, 2) + ZipBuilder.le(zip64 ? 0xFFFF : count, 2)
            + ZipBuilder.le(zip64 ? 0xFFFF_FFFF : directory.count, 4) + ZipBuilder.le(zip64 ? 0xFFFF_FFFF : data.count, 4)
            + ZipBuilder.le(0, 2)
        return bytes
    }
}
