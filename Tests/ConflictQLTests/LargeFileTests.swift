// Files large enough to be parsed in parallel chunks whose parsed bytes are given back: a
// quoted field across a chunk boundary, an error line number counted over given-back bytes,
// and a file truncated by another process while the real binary loads it.

import ConflictQL
import Foundation
import XCTest

final class LargeFileTests: XCTestCase {
    /// A CSV of `rows` rows `i,text` with, in its middle, a quoted field of many lines that
    /// the split between two chunks falls inside; `tail` is appended as it is.
    func writeFile(rows: Int, tail: String = "") throws -> (path: String, middle: Int, field: String) {
        let path = NSTemporaryDirectory() + "conflictql-large-\(getpid())-\(UUID().uuidString).csv"
        var text = "id,notes\n"
        let middle = rows / 2
        let field = (0..<20_000).map { "line \($0) of a long note" }.joined(separator: "\n")
        for i in 0..<rows {
            text += i == middle ? "\(i),\"\(field)\"\n" : "\(i),row number \(i) with some words to make it longer\n"
        }
        text += tail
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return (path, middle, field)
    }

    func testQuotedFieldAcrossChunksWhoseBytesWereGivenBack() throws {
        let (path, middle, field) = try writeFile(rows: 400_000)
        defer { unlink(path) }
        var options = LoadOptions()
        options.threads = 2
        let (table, report) = try loadTable(path: path, options: options)
        XCTAssertEqual(report.rows, 400_000)
        XCTAssertEqual(table.columns[0].value(at: middle), .int(Int64(middle)))
        XCTAssertEqual(table.columns[1].value(at: middle), .string(field))
        XCTAssertEqual(table.columns[1].value(at: 399_999), .string("row number 399999 with some words to make it longer"))
    }

    func testErrorLineNumberCountsBytesAlreadyGivenBack() throws {
        let (path, _, _) = try writeFile(rows: 400_000, tail: "1,2,3\n")
        defer { unlink(path) }
        var options = LoadOptions()
        options.threads = 2
        XCTAssertThrowsError(try loadTable(path: path, options: options)) { error in
            // 1 header line, 400,000 rows and 19,999 newlines inside the quoted field.
            XCTAssertEqual((error as? LoadError)?.line, 1 + 400_000 + 19_999 + 1)
        }
    }

    /// A transcoded file's given-back bytes are put back by transcoding it again: the second
    /// pass of a column that a late value made text, and a late error's line, read them.
    func testATranscodedFileIsReadAgainRight() throws {
        let path = NSTemporaryDirectory() + "conflictql-large-\(getpid())-\(UUID().uuidString).csv"
        defer { unlink(path) }
        var bytes = Array("id,ville,code\n".utf8)
        for i in 0..<400_000 { bytes += Array("\(i),S".utf8) + [0xE9] + Array("gou \(i),\(i % 90 + 10)\n".utf8) }
        bytes += Array("400000,Tillab".utf8) + [0xE9] + Array("ri,n/a\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var options = LoadOptions()
        // One chunk of 10 MB: its first 8 MB are given back as it is parsed.
        options.threads = 1
        options.encoding = .windows1252
        let (table, report) = try loadTable(path: path, options: options)
        XCTAssertEqual(report.rows, 400_001)
        XCTAssertEqual(report.typeChanges, [TypeChange(column: "code", sampled: .int, loaded: .string, line: 400_002)])
        XCTAssertEqual(table.columns[1].value(at: 3), .string("Ségou 3"))
        XCTAssertEqual(table.columns[2].value(at: 399_999), .string("49"))
        XCTAssertEqual(table.columns[1].value(at: 400_000), .string("Tillabéri"))
        options.types = ["code": .int]
        XCTAssertThrowsError(try loadTable(path: path, options: options)) { error in
            XCTAssertEqual((error as? LoadError)?.description, "\(path):400002:18: expected an Int, found 'n/a'")
        }
    }

    /// UTF-16 is read 16 MB at a time: a surrogate pair that straddles two pieces is decoded
    /// whole, and putting back given-back text reads the pieces again.
    func testUTF16PiecesNeverSplitASurrogatePair() throws {
        let path = NSTemporaryDirectory() + "conflictql-utf16-\(getpid())-\(UUID().uuidString).csv"
        defer { unlink(path) }
        var text = "id,s,n\n"
        var units = 7
        var id = 0
        // The emoji's high surrogate is the last code unit of the first 16 MB piece (after
        // the 2-byte mark, unit k is at byte 2 + 2k).
        let target = (16 << 20) / 2 - 2
        while true {
            let row = "\(id),row \(id) of some text,\(id % 7)\n"
            let prefix = "\(id + 1),"
            if units + row.utf16.count + prefix.utf16.count + 40 > target {
                let pad = target - units - prefix.utf16.count - "\(id),,0\n".utf16.count
                text += "\(id),\(String(repeating: "x", count: pad)),0\n" + prefix + "😀 Ségou,1\n" + "\(id + 2),fin,n/a\n"
                units += "\(id),,0\n".utf16.count + pad + prefix.utf16.count
                break
            }
            text += row
            units += row.utf16.count
            id += 1
        }
        XCTAssertEqual(units, target)
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(Array(bytes[(16 << 20) - 2..<(16 << 20) + 2]), [0x3D, 0xD8, 0x00, 0xDE])
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var options = LoadOptions()
        options.threads = 1
        let (table, report) = try loadTable(path: path, options: options)
        XCTAssertEqual(report.rows, id + 3)
        XCTAssertEqual(report.typeChanges.map(\.column), ["n"])
        XCTAssertEqual(table.columns[1].value(at: id + 1), .string("😀 Ségou"))
        XCTAssertEqual(table.columns[1].value(at: 5), .string("row 5 of some text"))
        XCTAssertEqual(table.columns[2].value(at: id + 2), .string("n/a"))
    }

    /// The real binary loads a file that is truncated once it has it open: a load error and
    /// exit status 1, never a crash. A load that ends before the truncation proves nothing,
    /// so the file grows until the truncation lands inside the load.
    func testFileTruncatedWhileTheBinaryLoadsIt() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
        var rows = 200_000
        var landed = false
        for _ in 0..<5 where !landed {
            let (path, _, _) = try writeFile(rows: rows)
            defer { unlink(path) }
            let process = Process()
            process.executableURL = executable
            process.arguments = ["-c", "load \"\(path)\" as big", "-c", "big | count"]
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            // Truncate as soon as the loader has the file open.
            var truncated = false
            while process.isRunning && !truncated {
                let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd")) ?? []
                if open.contains(where: { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.processIdentifier)/fd/\($0)")) == path }) {
                    truncate(path, 100_000)
                    truncated = true
                }
            }
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "killed by a signal: \(message)")
            if truncated && process.terminationStatus != 0 {
                XCTAssertEqual(process.terminationStatus, 1, message)
                XCTAssertTrue(message.contains("changed while it was being loaded"), message)
                landed = true
            }
            rows *= 2
        }
        XCTAssertTrue(landed, "no truncation landed inside a load")
    }
}

final class EndlessInputTests: XCTestCase {
    /// `conflictql /dev/zero` and `conflictql < /dev/zero` read no more than the script
    /// limit, then say so (they read without end before).
    func testEndlessScriptFileAndStandardInput() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
        for viaStandardInput in [false, true] {
            let process = Process()
            process.executableURL = executable
            process.arguments = viaStandardInput ? [] : ["/dev/zero"]
            if viaStandardInput { process.standardInput = FileHandle(forReadingAtPath: "/dev/zero") }
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 1)
            XCTAssertTrue(message.contains("error: the script is over the limit of 4194304 bytes (4 MiB)"), message)
        }
    }
}
