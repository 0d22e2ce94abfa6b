// The structural scanner (SIMD masks of quotes and separators) against the plain record
// scanner it stands in for: the same fields, ends and errors on random text dense in quotes,
// delimiters and line ends, wherever the 64-byte blocks and the index's 16 KiB batches fall;
// the SIMD masks against the plain C loop; and whole loads whose quoted line breaks and
// doubled quotes sit astride block, batch and window ends.

import CCSVScan
@testable import ConflictQLData
import ConflictQLCore
import Foundation
import XCTest

final class StructuralScannerTests: XCTestCase {
    /// A reproducible generator (SplitMix64), so a failure names its seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Text of CSV's special bytes and a few others, in runs, so that fields are short and
    /// long, quoted and not, closed and not.
    func randomText(_ generator: inout Generator, length: Int, delimiter: UInt8) -> [UInt8] {
        let alphabet: [UInt8] = [delimiter, 0x22, 0x22, 0x0A, 0x0D, 0x61, 0x62, 0x20, 0xC3, 0xA9, 0x00, 0x2C, 0x3B]
        var text: [UInt8] = []
        while text.count < length {
            let byte = alphabet[generator.below(alphabet.count)]
            let run = generator.below(8) == 0 ? generator.below(90) + 1 : 1
            text += [UInt8](repeating: byte == 0x22 ? 0x61 : byte, count: run - 1) + [byte]
        }
        return Array(text.prefix(length))
    }

    func testMasksEqualThePlainLoop() {
        var generator = Generator(state: 7)
        let blocks = 97
        let text = (0..<(blocks * 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let special: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x09, 0x7C]
        var mixed = text
        for i in mixed.indices where generator.below(4) == 0 { mixed[i] = special[generator.below(special.count)] }
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")] {
            var quotes = [UInt64](repeating: 0, count: blocks), separators = quotes
            var plainQuotes = quotes, plainSeparators = quotes
            cq_csv_index(mixed, blocks, delimiter, &quotes, &separators)
            cq_csv_index_portable(mixed, blocks, delimiter, &plainQuotes, &plainSeparators)
            XCTAssertEqual(quotes, plainQuotes, "delimiter \(delimiter)")
            XCTAssertEqual(separators, plainSeparators, "delimiter \(delimiter)")
            // And the plain loop is right: bit j of block i is byte 64 i + j.
            for i in 0..<(blocks * 64) {
                let bit = UInt64(1) << UInt64(i & 63)
                XCTAssertEqual(plainQuotes[i >> 6] & bit != 0, mixed[i] == 0x22)
                XCTAssertEqual(plainSeparators[i >> 6] & bit != 0, [delimiter, 0x0A, 0x0D].contains(mixed[i]))
            }
        }
        #if arch(x86_64)
        XCTAssertGreaterThan(cq_csv_index_level(), 0, "SSE2 at least on x86_64")
        #endif
    }

    /// Scans `text` record after record with both scanners, the structural one seeing the text
    /// at `origin` (as a window that starts there sees it); the first difference fails.
    func compareScanners(_ text: [UInt8], origin: Int, delimiter: UInt8, seed: UInt64) {
        text.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress! - origin
            let plain = RecordScanner(base: base, count: origin + text.count, delimiter: delimiter)
            var structural = StructuralScanner(plain, origin: origin, index: StructuralIndex())
            let expectedFields = FieldCollector(), fields = FieldCollector()
            var p = origin
            var records = 0
            while p < origin + text.count {
                let expected = Result { () throws(RecordProblem) in try plain.scanRecord(at: p, into: expectedFields) }
                let got = Result { () throws(RecordProblem) in try structural.scanRecord(at: p, into: fields) }
                let context = "seed \(seed), origin \(origin), record \(records) at \(p - origin)"
                switch (expected, got) {
                case (.success(let a), .success(let b)):
                    XCTAssertEqual(a, b, context)
                    XCTAssertEqual(expectedFields.all.map(describe), fields.all.map(describe), context)
                    guard a == b, a > p else { return }
                    p = a
                case (.failure(let a), .failure(let b)):
                    XCTAssertEqual("\(a)", "\(b)", context)
                    // Go on after the bad byte, as a lenient load does not, to see more text.
                    p = max(p + 1, a.offset + 1)
                default:
                    XCTFail("\(context): \(expected) against \(got)")
                    return
                }
                records += 1
            }
        }
    }

    func describe(_ field: FieldSpan) -> String {
        "\(field.start)+\(field.length)\(field.quoted ? "q" : "")\(field.needsUnescape ? "e" : "")"
    }

    func testSameRecordsAsThePlainScanner() {
        for seed in UInt64(1)...60 {
            var generator = Generator(state: seed)
            let delimiter: UInt8 = seed % 4 == 0 ? UInt8(ascii: ";") : UInt8(ascii: ",")
            let length = seed % 10 == 0 ? 40_000 : generator.below(700) + 1
            let text = randomText(&generator, length: length, delimiter: delimiter)
            for origin in [0, 1, 63, 64, 4096 + 37] {
                compareScanners(text, origin: origin, delimiter: delimiter, seed: seed)
            }
        }
    }

    /// Records of `width` fields, mostly regular (plain, quoted, with doubled quotes, quoted
    /// line breaks, CRLF), with now and then one that is not: a blank line, a field too many
    /// or too few, bytes after a closing quote, a stray quote in a plain field, a quote left
    /// open at the end.
    func randomRecords(_ generator: inout Generator, records: Int, width: Int, delimiter: UInt8) -> [UInt8] {
        var text: [UInt8] = []
        for _ in 0..<records {
            let odd = generator.below(12) == 0 ? generator.below(5) : -1
            if odd == 0 { text += generator.below(2) == 0 ? [0x0A] : [0x0D, 0x0A]; continue }
            let fields = odd == 1 ? width + 1 - 2 * generator.below(2) : width
            for f in 0..<max(1, fields) {
                if f > 0 { text.append(delimiter) }
                let length = generator.below(6) == 0 ? generator.below(150) : generator.below(9)
                let body = (0..<length).map { _ in [0x61, 0x62, 0x20, 0xC3, 0xA9, 0x2E][generator.below(6)] as UInt8 }
                switch generator.below(4) {
                case 0:
                    var quoted: [UInt8] = [0x22]
                    for byte in body {
                        quoted.append(byte)
                        switch generator.below(30) {
                        case 0: quoted += [0x22, 0x22]
                        case 1: quoted.append(0x0A)
                        case 2: quoted += [0x0D, 0x0A]
                        case 3: quoted.append(delimiter)
                        default: break
                        }
                    }
                    quoted.append(0x22)
                    if odd == 2 && f == width / 2 { quoted.append(0x78) }
                    text += quoted
                default:
                    text += body
                    if odd == 3 && f == 0 { text += [0x35, 0x22, 0x20, 0x67] }
                }
            }
            text += generator.below(3) == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        if generator.below(4) == 0 { text += [0x22, 0x61, 0x0A] }
        return text
    }

    /// CCSVScan's record scan takes a record only as StructuralScanner reads it (the same
    /// fields and end), and stops only at a record it must not take: one the scanner refuses,
    /// of another width, ending at or past the text held, or starting at `to` or later.
    func testRecordScanTakesWhatTheStructuralScannerReads() {
        for seed in UInt64(1)...120 {
            var generator = Generator(state: seed)
            let width = 1 + generator.below(6)
            let delimiter: UInt8 = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][generator.below(3)]
            let text = seed % 3 == 0 ? randomText(&generator, length: generator.below(3000) + 1, delimiter: delimiter)
                : randomRecords(&generator, records: generator.below(seed % 10 == 0 ? 900 : 60) + 1, width: width, delimiter: delimiter)
            for origin in [0, 1, 63, 64, 4096 + 37] {
                let context = "seed \(seed), width \(width), origin \(origin)"
                text.withUnsafeBufferPointer { buffer in
                    let base = buffer.baseAddress! - origin
                    let count = origin + text.count
                    var structural = StructuralScanner(RecordScanner(base: base, count: count, delimiter: delimiter),
                                                       origin: origin, index: StructuralIndex())
                    let expected = FieldCollector()
                    var spans = [FieldSpan](repeating: FieldSpan(start: -1, length: -1, quoted: false, needsUnescape: false),
                                            count: 64 * width)
                    var starts = [Int](repeating: -1, count: 64)
                    var p = origin
                    var taken = 0
                    while p < count {
                        let room = 1 + generator.below(40)
                        let to = generator.below(4) == 0 ? p + generator.below(400) : Int.max
                        var end = -1
                        let n = spans.withUnsafeMutableBytes { raw in
                            cq_csv_scan_records(base, p, count, to, delimiter, width, room,
                                                raw.baseAddress!.assumingMemoryBound(to: cq_csv_field.self), &starts, &end)
                        }
                        XCTAssertLessThanOrEqual(n, room, context)
                        // Each record taken is the structural scanner's.
                        var q = p
                        for r in 0..<n {
                            XCTAssertEqual(starts[r], q, "\(context), record at \(q - origin)")
                            XCTAssertLessThan(q, to, context)
                            guard let next = try? structural.scanRecord(at: q, into: expected) else {
                                XCTFail("\(context): taken, but the scanner refuses the record at \(q - origin)")
                                return
                            }
                            XCTAssertEqual(expected.all.map(describe), spans[(r * width)..<((r + 1) * width)].map(describe),
                                           "\(context), record at \(q - origin)")
                            XCTAssertEqual(expected.count, width, context)
                            XCTAssertLessThan(next, count, context)
                            q = next
                        }
                        XCTAssertEqual(end, q, context)
                        taken += n
                        // Where it stopped short, the record there is not one to take.
                        if n < room && q < to && q < count {
                            if let next = try? structural.scanRecord(at: q, into: expected) {
                                XCTAssertTrue(expected.count != width || next >= count,
                                              "\(context): stopped at a record of \(expected.count) fields ending at \(next - origin)")
                            }
                        }
                        // On past the record it stopped at, as the loader reads it (or a byte).
                        if n == 0 {
                            let next = (try? structural.scanRecord(at: q, into: expected)) ?? q + 1
                            p = max(q + 1, next)
                        } else {
                            p = q
                        }
                    }
                    if seed % 3 != 0 { XCTAssertGreaterThan(taken, 0, context) }
                }
            }
        }
    }

    /// One record whose quoted field holds a doubled quote and a CRLF, shifted one byte at a
    /// time across the first block end and across the index's first batch end (16 KiB).
    func testQuotesAndLineBreaksAstrideBlockAndBatchEnds() {
        let record = Array("7,\"a \"\"b\"\"\r\nc\",x\r\n".utf8)
        for lead in Array(40...70) + Array((16_384 - 30)...(16_384 + 5)) {
            let text = Array(String(repeating: "1,2,3\n", count: lead / 6).utf8) + [UInt8](repeating: 0x7A, count: lead % 6) + [0x0A]
                + record + Array("8,\"\",\"\"\"\"\n".utf8)
            compareScanners(text, origin: 0, delimiter: UInt8(ascii: ","), seed: UInt64(lead))
        }
    }

    /// Loads of the same file in one chunk and in two, through windows of many sizes, with
    /// quoted line breaks and doubled quotes at every distance from the blocks' ends.
    func testLoadsAcrossBlockAndWindowEnds() throws {
        var text = "id,note,n\n"
        for i in 0..<300 {
            let pad = String(repeating: "p", count: i % 67)
            text += "\(i),\"\(pad)\"\"q\"\"\r\nline \(i)\",\(i % 5 == 0 ? "" : "\(i)")\n"
        }
        let path = NSTemporaryDirectory() + "conflictql-structural-\(getpid())-\(UUID().uuidString).csv"
        defer { unlink(path) }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        var whole = LoadOptions()
        whole.threads = 1
        let (expected, _) = try loadTable(path: path, options: whole)
        XCTAssertEqual(expected.rowCount, 300)
        XCTAssertEqual(expected.columns[1].values[66], .string(String(repeating: "p", count: 66) + "\"q\"\r\nline 66"))
        let size = text.utf8.count
        for offset in stride(from: 0, through: size, by: 37) {
            var split = whole
            split.threads = 2
            split.chunkingThreshold = 0
            split.splitAt = offset
            split.windowBytes = 60 + offset % 200
            let (table, _) = try loadTable(path: path, options: split)
            XCTAssertEqual(table.rowCount, expected.rowCount, "split at \(offset)")
            for c in 0..<3 {
                XCTAssertEqual(table.columns[c].values, expected.columns[c].values, "split at \(offset), column \(c)")
            }
        }
    }

    /// A chunk asked to start inside a quoted field that spans lines starts at a real record
    /// instead (the next whose following records have the header's width), so it is not
    /// parsed twice; and where every line is a record, at the first line start.
    func testChunksStartAtRecordsNotInsideQuotedLineBreaks() throws {
        var text = "id,note,n\n"
        var recordStarts: Set<Int> = []
        for i in 0..<60 {
            recordStarts.insert(text.utf8.count)
            text += i % 3 == 0 ? "\(i),\"first line\nsecond, line\nthird\",\(i)\n" : "\(i),plain,\(i)\n"
        }
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            let file = try DataFile(path: "t.csv", contents: buffer)
            for offset in 10..<(bytes.count - 40) {
                let start = try likelyRecordStart(file, atOrAfter: offset, columns: 3, delimiter: UInt8(ascii: ","))
                XCTAssertTrue(recordStarts.contains(start), "asked for \(offset), got \(start)")
                XCTAssertGreaterThanOrEqual(start, offset)
            }
            let plain = Array("a,b\n1,2\n3,4\n5,6\n".utf8)
            try plain.withUnsafeBufferPointer { buffer in
                let file = try DataFile(path: "p.csv", contents: buffer)
                XCTAssertEqual(try likelyRecordStart(file, atOrAfter: 5, columns: 2, delimiter: UInt8(ascii: ",")), 8)
            }
        }
    }
}
