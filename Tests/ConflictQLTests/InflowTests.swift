// CSV inside a .gz or zip is parsed as it is inflated (InflowingText): the parse waits for
// the text it needs, inflating waits when it is too far ahead, and the chunks' bounds are
// found as the text comes. Here every fixture, gzipped and zipped (stored and deflated), is
// loaded in tiny chunks through tiny windows with a lead of a few bytes, so that each side
// waits on the other all the time, and must load exactly as the plain file does: the same
// table and report, or the same error at the same line and column. A made-up text with
// records longer than the lead, quoted line breaks, bad rows and a late change of type does
// the same at a larger size, and must not be held whole. Every way of holding the text (a
// file read through windows, bytes in memory, text being inflated) must find the same line
// starts and record starts, where a chunk's parse begins: a wrong one is mended by the
// stitch's second parse, so outcomes alone would not show it (a bound doubled in memory cost
// a 5M-event load a second parse of a chunk, and the whole text inflated again).

@testable import ConflictQLData
import ConflictQLCore
import CZlib
import Foundation
import XCTest

final class InflowTests: XCTestCase {
    /// A load's outcome, without the file's name (which differs inside an archive).
    static func outcome(_ load: () throws(LoadError) -> (Table, LoadReport)) -> String {
        do {
            let (table, report) = try load()
            return "\(table.schema.fields.map { "\($0.name): \($0.type)" }) \(table.rowCount) rows "
                + "skipped \(report.skippedRows) \(report.skipped.map { "\($0.line):\($0.problem)" }) "
                + "changes \(report.typeChanges.map { "\($0.column) \($0.sampled)->\($0.loaded) at \($0.line)" }) "
                + "\(table.columns.map { $0.values.map { "\($0)" } })"
        } catch {
            return "\(error.line ?? 0):\(error.column ?? 0): \(error.message)"
        }
    }

    /// The archives of `bytes` as `a.csv`: gzipped, zipped stored, zipped deflated.
    func archives(of bytes: [UInt8]) -> [(String, [UInt8])] {
        var stored = ZipBuilder()
        stored.add("a.csv", bytes)
        var deflated = ZipBuilder()
        deflated.add("a.csv", gzipped(bytes, raw: true), method: 8, crc: ZipBuilder.crc32(bytes), statedSize: bytes.count)
        return [("a.csv.gz", gzipped(bytes)), ("a.zip", stored.finish()), ("deflated.zip", deflated.finish())]
    }

    /// Options that make the inflowing parse wait at every turn.
    func tiny(_ variant: Int, lenient: Bool) -> LoadOptions {
        var options = LoadOptions()
        options.lenient = lenient
        options.threads = 2 + variant % 2
        options.chunkingThreshold = 0
        options.windowBytes = 7 + variant * 13 % 60
        options.prefixBytes = 1 + variant % 5
        options.inflowLead = 1 + variant * 37 % 300
        return options
    }

    /// Runs `body` on another thread; a failure if it has not ended in `seconds` (two sides
    /// waiting on each other would otherwise hang the suite).
    func withinSeconds(_ seconds: Int, _ what: String, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            body()
            done.signal()
        }
        if done.wait(timeout: .now() + .seconds(seconds)) == .timedOut { XCTFail("\(what): still loading after \(seconds) s") }
    }

    func testEveryFixtureLoadsAsThePlainFileWhenParsedAsItIsInflated() throws {
        var compared = 0
        for folder in ["Tests/ConflictQLTests/Fixtures/", "Tests/ConflictQLTests/Fixtures/many/", "Tests/ConflictQLTests/Catalogue/data/"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/" + folder).sorted()
                where [".csv", ".tsv", ".txt"].contains(where: name.hasSuffix) {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/" + folder + name)))
                guard bytes.count < 1 << 20 else { continue }
                for lenient in [false, true] {
                    var whole = LoadOptions()
                    whole.lenient = lenient
                    whole.threads = 1
                    whole.format = .csv
                    let expected = bytes.withUnsafeBufferPointer { buffer in
                        InflowTests.outcome { () throws(LoadError) in try loadTable(bytes: buffer, name: "a.csv", options: whole) }
                    }
                    for (variant, (archive, archived)) in archives(of: bytes).enumerated() {
                        var options = tiny(variant + name.utf8.count, lenient: lenient)
                        options.format = .csv
                        let got = archived.withUnsafeBufferPointer { buffer in
                            InflowTests.outcome { () throws(LoadError) in try loadTable(bytes: buffer, name: archive, options: options) }
                        }
                        XCTAssertEqual(got, expected, "\(folder)\(name) as \(archive), lenient \(lenient)")
                    }
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 40)
    }

    /// 6,000 rows with quoted line breaks and doubled quotes, notes of 40 KB (longer than the
    /// lead), rows of the wrong width, and a column whose type changes in the last rows (so
    /// the text given back is inflated again); strict, an error near the end, at its line.
    func madeUpText(seed: UInt64, badEnd: Bool) -> [UInt8] {
        var random = SplitMix(seed: seed)
        var text = "id,note,score,code\r\n"
        for i in 0..<6_000 {
            let note: String
            switch random.next() % 50 {
            case 0: note = "\"long \(String(repeating: "x,\n\"\"", count: 8_000))\""
            case 1...9: note = "\"line one\nline \"\"two\"\", \(i)\""
            default: note = "note \(i)"
            }
            let code = i > 5_990 ? "c\(i)" : "\(i % 97)"
            text += random.next() % 700 == 0 ? "\(i),ragged\r\n" : "\(i),\(note),\(Double(i) / 4),\(code)\r\n"
        }
        if badEnd { text += "6000,\"unterminated\n" }
        return Array(text.utf8)
    }

    func testALargerTextLoadsAsThePlainFile() throws {
        for seed: UInt64 in [1, 2, 3] {
            for badEnd in [false, true] {
                let bytes = madeUpText(seed: seed, badEnd: badEnd)
                for lenient in [false, true] {
                    var whole = LoadOptions()
                    whole.lenient = lenient
                    whole.threads = 1
                    let expected = bytes.withUnsafeBufferPointer { buffer in
                        InflowTests.outcome { () throws(LoadError) in try loadTable(bytes: buffer, name: "a.csv", options: whole) }
                    }
                    if lenient {
                        XCTAssertTrue(expected.contains("code: String"), String(expected.prefix(300)))
                    } else {
                        XCTAssertTrue(expected.contains(": a row has 2 fields, expected 4"), expected)
                    }
                    for (variant, (archive, archived)) in archives(of: bytes).enumerated() {
                        var options = LoadOptions()
                        options.lenient = lenient
                        options.threads = 2
                        options.chunkingThreshold = 64 << 10
                        options.windowBytes = 4 << 10
                        options.prefixBytes = 16 << 10
                        options.inflowLead = (16 << 10) << variant
                        let got = Shared("")
                        let chosen = options
                        withinSeconds(120, "\(archive), seed \(seed)") {
                            let result = archived.withUnsafeBufferPointer { buffer in
                                InflowTests.outcome { () throws(LoadError) in try loadTable(bytes: buffer, name: archive, options: chosen) }
                            }
                            got.value = result
                        }
                        XCTAssertEqual(got.value, expected, "\(archive), seed \(seed), lenient \(lenient), bad end \(badEnd)")
                    }
                }
            }
        }
    }

    /// Text in another encoding inside an archive (UTF-16 known by its byte-order mark, or
    /// `encoding` given) is inflated whole and transcoded, and must load as the same bytes
    /// unarchived: the made-up text's late change of type makes the load parse it again, and
    /// the lenient load's skipped rows and the strict load's error need their line numbers.
    /// Before, the transcoded text was given back as it was parsed and made again by
    /// inflating, which wrote the file's bytes (not their transcoding) elsewhere: a UTF-16
    /// file of 30,001 rows loaded 280, without a word.
    func testTranscodedTextInsideAnArchiveLoadsAsTheSameBytesUnarchived() throws {
        let encodings: [(String, TextEncoding?, (String) -> [UInt8])] = [
            ("UTF-16LE", nil, { [0xFF, 0xFE] + $0.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }),
            ("UTF-16BE", nil, { [0xFE, 0xFF] + $0.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }),
            ("windows-1252", .windows1252, { $0.unicodeScalars.map { UInt8($0.value) } }),
        ]
        // Lenient, to reach the end and its change of type; strict, to stop at a line.
        for (badEnd, lenient) in [(false, true), (true, false)] {
            let text = String(decoding: madeUpText(seed: 4, badEnd: badEnd), as: UTF8.self).replacingOccurrences(of: "note", with: "noté")
            for (name, encoding, encode) in encodings {
                let bytes = encode(text)
                do {
                    var options = LoadOptions()
                    options.lenient = lenient
                    options.encoding = encoding
                    options.prefixBytes = 16 << 10
                    let expected = bytes.withUnsafeBufferPointer { buffer in
                        InflowTests.outcome { () throws(LoadError) in try loadTable(bytes: buffer, name: "a.csv", options: options) }
                    }
                    XCTAssertTrue(expected.contains(lenient ? "code: String" : "expected 4"), "\(name): " + String(expected.prefix(300)))
                    if lenient { XCTAssertTrue(expected.contains("noté 17"), "\(name): " + String(expected.prefix(300))) }
                    for (archive, archived) in archives(of: bytes) where archive != "a.zip" {
                        let got = archived.withUnsafeBufferPointer { buffer in
                            InflowTests.outcome { () throws(LoadError) in try loadTable(bytes: buffer, name: archive, options: options) }
                        }
                        XCTAssertEqual(got, expected, "\(name) in \(archive), lenient \(lenient)")
                    }
                }
            }
        }
    }

    /// Inflating waits while the text held is past the lead and a reader is busy; it goes on
    /// when every reader waits (for a record longer than the lead), and stops when told.
    func testInflatingKeepsALeadAndNeverWaitsOnAWaitingReader() throws {
        var random = SplitMix(seed: 11)
        let text = (0..<(8 << 20)).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 16) }
        let compressed = gzipped(text)
        try compressed.withUnsafeBufferPointer { compressedBuffer in
            let input = CompressedInput(bytes: compressedBuffer, path: "a.gz")
            let options = LoadOptions()
            func inflowing(lead: Int) throws -> InflowingText {
                try XCTUnwrap(InflowingText(reserving: text.count + 4096, expecting: text.count, lead: lead) {
                    sink throws(LoadError) in try gunzip(input, path: "a.gz", options: options, progress: nil, into: &sink)
                })
            }
            // A reader that reads 16 KiB at a time and gives it back: inflating keeps within
            // the lead and the MiB it inflates at a time.
            let inflow = try inflowing(lead: 64 << 10)
            inflow.readerBegins()
            var offset = 0
            while offset < text.count {
                offset = min(offset + (16 << 10), text.count)
                XCTAssertGreaterThanOrEqual(try inflow.held(upTo: offset).get(), offset)
                XCTAssertTrue(text.withUnsafeBufferPointer { memcmp($0.baseAddress! + offset - (16 << 10), inflow.text.base + offset - (16 << 10), 16 << 10) == 0 })
                inflow.gaveBack(16 << 10)
            }
            inflow.readerEnds()
            XCTAssertEqual(try inflow.whole().get(), text.count)
            XCTAssertGreaterThan(inflow.peakHeld, 64 << 10)
            XCTAssertLessThanOrEqual(inflow.peakHeld, (64 << 10) + (16 << 10) + (1 << 20))
            // Two readers, one busy (this thread, giving nothing back), one waiting for text far
            // past the lead: inflating waits; once the busy one has gone, it goes on.
            let second = try inflowing(lead: 64 << 10)
            second.readerBegins()
            second.readerBegins()
            let reached = Shared(-2)
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                reached.value = (try? second.held(upTo: 6 << 20).get()) ?? -1
                done.signal()
            }
            usleep(300_000)
            XCTAssertEqual(reached.value, -2, "the busy reader did not wait, yet inflating did not either")
            XCTAssertLessThanOrEqual(try second.held(upTo: 0).get(), (64 << 10) + (1 << 20))
            second.readerEnds()
            XCTAssertEqual(done.wait(timeout: .now() + 60), .success, "a reader waiting past the lead, alone, waits for ever")
            XCTAssertGreaterThanOrEqual(reached.value, 6 << 20)
            second.readerEnds()
            second.stop()
            // Stopped while it waits for a busy reader: it ends.
            let third = try inflowing(lead: 4096)
            third.readerBegins()
            _ = try third.held(upTo: 1).get()
            withinSeconds(60, "stopping") { third.stop() }
        }
    }

    /// Where a chunk may begin, found in text read from a file through windows, in memory,
    /// and being inflated: the same first line start and the same likely record start at
    /// every offset.
    func testEveryWayOfHoldingTheTextFindsTheSameRecordStarts() throws {
        let bytes = madeUpText(seed: 7, badEnd: false).prefix(300_000) + Array("1,a,2,3\n".utf8)
        let text = Array(bytes)
        let path = NSTemporaryDirectory() + "conflictql-starts-\(getpid()).csv"
        try Data(text).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let streamed = try DataFile(path: path)
        XCTAssertTrue(streamed.isStreamed)
        let compressed = gzipped(text)
        try text.withUnsafeBufferPointer { textBuffer in
            try compressed.withUnsafeBufferPointer { compressedBuffer in
                let inMemory = try DataFile(path: "a.csv", contents: textBuffer)
                let input = CompressedInput(bytes: compressedBuffer, path: "a.csv.gz")
                let options = LoadOptions()
                let inflow = try XCTUnwrap(InflowingText(reserving: text.count * 2, expecting: text.count, lead: 4096) {
                    sink throws(LoadError) in try gunzip(input, path: "a.csv.gz", options: options, progress: nil, into: &sink)
                })
                defer { inflow.stop() }
                let inflowing = try DataFile(path: "a.csv.gz(a.csv)", inflow: inflow) { (_: [Range<Int>]) throws(LoadError) in }
                inflowing.readerBegins()
                defer { inflowing.readerEnds() }
                for offset in stride(from: 1, to: text.count, by: 97) {
                    let firstNewline = text[(offset - 1)...].firstIndex(of: 0x0A).map { $0 + 1 } ?? text.count
                    let starts = try [streamed, inMemory, inflowing].map { file throws(LoadError) in
                        [try file.lineStart(atOrAfter: offset),
                         try likelyRecordStart(file, atOrAfter: offset, columns: 4, delimiter: UInt8(ascii: ","))]
                    }
                    XCTAssertEqual(starts[0][0], firstNewline, "offset \(offset)")
                    XCTAssertEqual(starts[1], starts[0], "in memory, offset \(offset)")
                    XCTAssertEqual(starts[2], starts[0], "inflowing, offset \(offset)")
                    if starts[2] != starts[0] { return }
                }
            }
        }
    }
}

/// A value several threads set and read, behind a lock (a class, so that escaping closures
/// share it).
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
