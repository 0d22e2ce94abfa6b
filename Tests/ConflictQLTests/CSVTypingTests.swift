// Types inferred from a CSV file never change a value: codes with leading zeros stay text,
// a value after the type sample widens a column only without loss (and the load says so),
// and the pathological shapes (thousands of equal or late-typed columns) load correctly.

import ConflictQL
import Foundation
import XCTest

final class CSVTypingTests: XCTestCase {
    func loadCSV(_ text: String, _ options: LoadOptions = LoadOptions()) throws(LoadError) -> (Table, LoadReport) {
        var options = options
        options.format = .csv
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(LoadError) in try loadTable(bytes: buffer, name: "t.csv", options: options) }
    }

    func types(_ table: Table) -> [String] { table.schema.fields.map { "\($0.name): \($0.type)" } }

    /// `header`, then `rows` rows of `row(i)`, then the `late` lines.
    func file(_ header: String, rows: Int, _ row: (Int) -> String, late: [String]) -> String {
        var text = header + "\n"
        for i in 0..<rows { text += row(i) + "\n" }
        return text + late.map { $0 + "\n" }.joined()
    }

    func testCodesWithLeadingZerosStayText() throws {
        let (table, _) = try loadCSV("code,zero,half,neg,signed\n01001,0,0.5,-0.5,-007\n02013,0,1.5,-1,-012\n007,10,0,2,-1\n")
        XCTAssertEqual(types(table), ["code: String", "zero: Int", "half: Float", "neg: Float", "signed: String"])
        XCTAssertEqual(table.columns[0].values, [.string("01001"), .string("02013"), .string("007")])
        XCTAssertEqual(table.columns[4].values, [.string("-007"), .string("-012"), .string("-1")])
    }

    func testALateCodeMakesAnIntColumnTextWithItsSpellings() throws {
        let text = file("id,code", rows: 30_000, { "\($0),\($0 % 7)" }, late: ["30000,007"])
        let (table, report) = try loadCSV(text)
        XCTAssertEqual(types(table), ["id: Int", "code: String"])
        XCTAssertEqual(table.columns[1].value(at: 30_000), .string("007"))
        XCTAssertEqual(table.columns[1].value(at: 8), .string("1"))
        XCTAssertEqual(report.typeChanges, [TypeChange(column: "code", sampled: .int, loaded: .string, line: 30_002)])
        XCTAssertEqual(report.typeChangeNote(path: "t.csv"), "note: t.csv: after the type sample, 'code' is String, not Int (line 30002)")
        XCTAssertTrue(report.summary(table: "t").hasSuffix("; after the type sample, 'code' is String, not Int (line 30002)"))
    }

    func testALateDecimalWidensIntToFloatOnlyWithoutLoss() throws {
        let small = try loadCSV(file("n", rows: 25_000, { "\($0)" }, late: ["0.5"]))
        XCTAssertEqual(types(small.0), ["n: Float"])
        XCTAssertEqual(small.0.columns[0].value(at: 24_999), .float(24_999))
        XCTAssertEqual(small.1.typeChanges.map(\.loaded), [.float])
        // 2^53 + 1 is no Float: the column keeps every value exactly, as text.
        let large = try loadCSV(file("n", rows: 25_000, { "\($0)" }, late: ["9007199254740993", "0.5"]))
        XCTAssertEqual(types(large.0), ["n: String"])
        XCTAssertEqual(large.0.columns[0].value(at: 25_000), .string("9007199254740993"))
        XCTAssertEqual(large.0.columns[0].value(at: 25_001), .string("0.5"))
        // Alone, such an integer stays an Int.
        let ints = try loadCSV(file("n", rows: 25_000, { "\($0)" }, late: ["9007199254740993"]))
        XCTAssertEqual(ints.0.columns[0].value(at: 25_000), .int(9_007_199_254_740_993))
        XCTAssertEqual(ints.1.typeChanges, [])
    }

    func testALateIntegerAFloatWouldRoundMakesAFloatColumnText() throws {
        let (table, report) = try loadCSV(file("x", rows: 25_000, { "\($0).5" }, late: ["9007199254740993"]))
        XCTAssertEqual(types(table), ["x: String"])
        XCTAssertEqual(table.columns[0].value(at: 25_000), .string("9007199254740993"))
        XCTAssertEqual(table.columns[0].value(at: 1), .string("1.5"))
        XCTAssertEqual(report.typeChanges, [TypeChange(column: "x", sampled: .float, loaded: .string, line: 25_002)])
    }

    func testInTheSampleIntegersBesideDecimalsMustBeExact() throws {
        let (table, _) = try loadCSV("x\n9007199254740993\n0.5\n")
        XCTAssertEqual(table.columns[0].values, [.string("9007199254740993"), .string("0.5")])
    }

    func testAGivenTypeRefusesALateValueInsteadOfWidening() {
        var options = LoadOptions()
        options.types = ["n": .int]
        XCTAssertThrowsError(try loadCSV(file("n", rows: 25_000, { "\($0)" }, late: ["0.5"]), options)) { error in
            XCTAssertEqual((error as? LoadError)?.description, "t.csv:25002:1: expected an Int, found '0.5'")
        }
    }

    func testManyColumnsTypedAfterTheSampleAreAllReadAsText() throws {
        // Every column meets text after the sample (here 4 MB of rows made long by `pad`):
        // all become text, each value kept.
        let columns = 300
        let header = "pad," + (0..<columns).map { "c\($0)" }.joined(separator: ",")
        let pad = String(repeating: "p", count: 4000)
        let row = { (i: Int) in pad + "," + (0..<columns).map { String(i + $0) }.joined(separator: ",") }
        let late = "p," + (0..<columns).map { "x\($0)" }.joined(separator: ",")
        let (table, report) = try loadCSV(file(header, rows: 1_000, row, late: [late]))
        XCTAssertEqual(Set(table.schema.fields.map(\.type)), [.string])
        XCTAssertEqual(table.columns[8].value(at: 3), .string("10"))
        XCTAssertEqual(table.columns[300].value(at: 1_000), .string("x299"))
        XCTAssertEqual(report.typeChanges.count, columns)
        XCTAssertTrue(report.summary(table: "t").hasSuffix(
            "after the type sample, 'c0' is String, not Int (line 1002), 'c1' is String, not Int (line 1002), 'c2' is String, not Int (line 1002) and 297 more columns"))
    }

    func testChunksThatDisagreeWidenOnlyWithoutLoss() throws {
        // Over 4 MB, so two chunks: the first holds 2^53 + 1, the second a decimal. Neither
        // chunk alone leaves Int; together only text is exact.
        let text = file("id,n", rows: 400_000, { i in i == 100_000 ? "\(i),9007199254740993" : (i == 390_000 ? "\(i),0.5" : "\(i),\(i)") }, late: [])
        var options = LoadOptions()
        options.threads = 2
        let (table, report) = try loadCSV(text, options)
        XCTAssertGreaterThan(text.utf8.count, 4 << 20)
        XCTAssertEqual(types(table), ["id: Int", "n: String"])
        XCTAssertEqual(table.columns[1].value(at: 100_000), .string("9007199254740993"))
        XCTAssertEqual(table.columns[1].value(at: 390_000), .string("0.5"))
        XCTAssertEqual(table.columns[1].value(at: 7), .string("7"))
        XCTAssertEqual(report.typeChanges.map(\.column), ["n"])
    }

    func testEqualHeaderNamesAreMadeUnique() throws {
        let (tricky, _) = try loadCSV("a,a,a_2,a, ,b\n1,2,3,4,5,6\n")
        XCTAssertEqual(tricky.schema.names, ["a", "a_2", "a_2_2", "a_3", "column_5", "b"])
        let header = Array(repeating: "a", count: 20_000).joined(separator: ",")
        let (wide, _) = try loadCSV(header + "\n" + Array(repeating: "1", count: 20_000).joined(separator: ",") + "\n")
        XCTAssertEqual(wide.schema.names.count, 20_000)
        XCTAssertEqual(Set(wide.schema.names).count, 20_000)
        XCTAssertEqual(wide.schema.names.last, "a_20000")
    }

    func testTooManyColumnsIsAnError() {
        let header = (0...LoadLimits.maximumColumns).map { "c\($0)" }.joined(separator: ",")
        XCTAssertThrowsError(try loadCSV(header + "\n")) { error in
            XCTAssertEqual((error as? LoadError)?.description, "t.csv: the file has more than 32767 columns, the most a table can have")
        }
        var options = LoadOptions()
        options.header = false
        XCTAssertThrowsError(try loadCSV(header + "\n", options))
    }

    func testACancelledLoadStops() {
        var options = LoadOptions()
        options.cancellation = Cancellation()
        options.cancellation!.cancel()
        XCTAssertThrowsError(try loadCSV(file("n", rows: 10, { "\($0)" }, late: []), options)) { error in
            XCTAssertEqual((error as? LoadError)?.description, "t.csv: cancelled")
        }
    }

    func testControlCharactersFromTheFileAreShownEscaped() throws {
        var options = LoadOptions()
        options.types = ["b": .int]
        XCTAssertThrowsError(try loadCSV("a,b\n1,2\n\u{1B}[2J,\u{1B}[31mfive\n", options)) { error in
            let error = error as! LoadError
            XCTAssertEqual(error.description, #"t.csv:3:6: expected an Int, found '\u{1B}[31mfive'"#)
            XCTAssertEqual(error.renderedExcerpt, [#" 3 | \u{1B}[2J,\u{1B}[31mfive"#, "   |           ^"])
        }
        // Through a script and the one renderer, suggestions included.
        let path = NSTemporaryDirectory() + "escape-\(getpid()).csv"
        try "value\u{1B}[2J,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rendered = diagnostics("load \"\(path)\" with (valu: Int)")
        XCTAssertTrue(rendered.contains(#"the file has no column 'valu'; did you mean 'value\u{1B}[2J'?"#), rendered)
        XCTAssertFalse(rendered.contains("\u{1B}"), rendered)
    }
}
