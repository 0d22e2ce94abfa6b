// Fields exactly as written: a line break inside quotes (LF, CR or CRLF) is part of the value,
// byte for byte, whatever the file's record ends, wherever the parse splits the file into
// chunks, and through a column's second pass. Compared as UTF-8 bytes, since String's ==
// is canonical equivalence.

import ConflictQL
import Foundation
import XCTest

final class QuotedLineBreakTests: XCTestCase {
    func bytes(_ value: Value) -> [UInt8] {
        if case .string(let s) = value { return Array(s.utf8) }
        return Array(value.description.utf8)
    }

    func load(_ text: String, _ options: LoadOptions = LoadOptions()) throws -> Table {
        try Array(text.utf8).withUnsafeBufferPointer { try loadTable(bytes: $0, name: "t.csv", options: options).0 }
    }

    func testLineBreaksInsideQuotesKeepTheirBytes() throws {
        let values = ["Once upon \r\na time", "lf\nonly", "cr\ronly", "\r\n", "\"quoted\"\r\n\"twice\"", "end\r"]
        for recordEnd in ["\n", "\r\n", "\r"] {
            let text = "id,story" + recordEnd + values.enumerated().map { index, value in
                "\(index),\"" + value.replacing("\"", with: "\"\"") + "\""
            }.joined(separator: recordEnd)  // the last record has no line end
            let table = try load(text)
            XCTAssertEqual(table.rowCount, values.count, recordEnd.debugDescription)
            XCTAssertEqual(table.columns[1].values.map(bytes), values.map { Array($0.utf8) }, recordEnd.debugDescription)
            // A given type and a lenient load read the same bytes.
            var options = LoadOptions()
            options.types = ["story": .string]
            options.lenient = true
            XCTAssertEqual(try load(text, options).columns[1].values.map(bytes), values.map { Array($0.utf8) })
        }
        // In a header name too.
        XCTAssertEqual(try load("\"a\r\nb\",c\r\n1,2\r\n").schema.names.map { Array($0.utf8) }, [Array("a\r\nb".utf8), [0x63]])
    }

    /// Many megabytes, parsed in chunks whose splits fall at line starts inside quoted CRLFs,
    /// and a late value that sends the column through a second pass.
    func testAcrossChunksAndASecondPass() throws {
        let path = NSTemporaryDirectory() + "conflictql-crlf-\(getpid())-\(UUID().uuidString).csv"
        defer { unlink(path) }
        var text = "id,story,code\r\n"
        let rows = 300_000
        for i in 0..<rows { text += "\(i),\"line one of \(i)\r\nline two, \"\"quoted\"\"\r\n\",\(i % 50)\r\n" }
        text += "\(rows),\"last\r\n\",n/a\r\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        var options = LoadOptions()
        options.threads = 3
        let (table, report) = try loadTable(path: path, options: options)
        XCTAssertEqual(report.rows, rows + 1)
        XCTAssertEqual(report.typeChanges.map(\.column), ["code"])
        let stories = table.columns[1].values.map(bytes)
        for i in [0, 1, rows / 3, rows / 2, 2 * rows / 3, rows - 1] {
            XCTAssertEqual(stories[i], Array("line one of \(i)\r\nline two, \"quoted\"\r\n".utf8), "row \(i)")
        }
        XCTAssertEqual(stories.filter { $0.suffix(2) == [0x0D, 0x0A] }.count, rows + 1)
    }
}
