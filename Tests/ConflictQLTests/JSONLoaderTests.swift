// The JSON loader keeps every value as the file wrote it: mixed arrays, numbers a Float cannot
// hold, invalid UTF-8 and bad escapes (errors with a position), and Ctrl-C during a load.

import ConflictQL
import XCTest

final class JSONLoaderTests: XCTestCase {
    func loadJSON(_ text: [UInt8], _ options: LoadOptions = LoadOptions()) throws(LoadError) -> Table {
        var options = options
        options.format = .json
        return try text.withUnsafeBufferPointer { bytes throws(LoadError) in
            try loadTable(bytes: bytes, name: "t.json", options: options).0
        }
    }

    func loadJSON(_ text: String, _ options: LoadOptions = LoadOptions()) throws(LoadError) -> Table {
        try loadJSON(Array(text.utf8), options)
    }

    func failure(_ text: [UInt8], _ options: LoadOptions = LoadOptions()) -> String? {
        do {
            _ = try loadJSON(text, options)
            return nil
        } catch {
            return error.description
        }
    }

    func types(_ table: Table) -> [String] { table.schema.fields.map { "\($0.name): \($0.type)" } }

    func testMixedArraysBecomeListsOfTextKeepingEachValue() throws {
        let table = try loadJSON(#"[{"a":[1,"x"],"b":["x",1],"c":[true,5],"d":[1,2.5],"e":[[1,2],{"k":"v"}],"f":[1,null]}]"#)
        XCTAssertEqual(types(table), ["a: List<String>", "b: List<String>", "c: List<String>", "d: List<Float>",
                                      "e: List<String>", "f: List<Int>"])
        XCTAssertEqual(table.rows[0], [
            .list([.string("1"), .string("x")]),
            .list([.string("x"), .string("1")]),
            .list([.string("true"), .string("5")]),
            .list([.float(1), .float(2.5)]),
            .list([.string("[1,2]"), .string(#"{"k":"v"}"#)]),
            .list([.int(1), .null]),
        ])
    }

    func testListElementTypeIsDecidedOverTheWholeColumn() throws {
        let table = try loadJSON("{\"a\": [1, 2]}\n{\"a\": [\"x\"]}\n{\"a\": [1.50]}\n")
        XCTAssertEqual(types(table), ["a: List<String>"])
        XCTAssertEqual(table.rows.map { $0[0] }, [.list([.string("1"), .string("2")]), .list([.string("x")]), .list([.string("1.50")])])
    }

    func testScalarsOfMixedKindsAreTextSpeltAsInTheFile() throws {
        let table = try loadJSON(#"[{"v": 1.50}, {"v": "x"}, {"v": true}, {"v": {"k": [1, "é\n"]}}, {"v": null}]"#)
        XCTAssertEqual(types(table), ["v: String"])
        XCTAssertEqual(table.columns[0].values, [.string("1.50"), .string("x"), .string("true"), .string(#"{"k":[1,"é\n"]}"#), .null])
    }

    func testIntegersAFloatCannotHoldKeepTheColumnExact() throws {
        // Alone, a large integer is an Int; beside a decimal, a Float would round it: text.
        XCTAssertEqual(try loadJSON(#"[{"n": 9007199254740993}]"#).columns[0].values, [.int(9_007_199_254_740_993)])
        let mixed = try loadJSON(#"[{"n": 9007199254740993}, {"n": 0.5}]"#)
        XCTAssertEqual(types(mixed), ["n: String"])
        XCTAssertEqual(mixed.columns[0].values, [.string("9007199254740993"), .string("0.5")])
        // Small integers beside decimals: a Float holds them exactly.
        let floats = try loadJSON(#"[{"n": 3}, {"n": 0.5}]"#)
        XCTAssertEqual(floats.columns[0].values, [.float(3), .float(0.5)])
        // Beyond Int64: only the text is exact.
        let huge = try loadJSON(#"[{"n": 123456789012345678901234567890}, {"n": 1}]"#)
        XCTAssertEqual(huge.columns[0].values, [.string("123456789012345678901234567890"), .string("1")])
    }

    func testInvalidUTF8InStringsAndKeysIsAnErrorWithItsPosition() {
        XCTAssertEqual(failure(Array(#"[{"a": "caf"#.utf8) + [0xE9] + Array(#""}]"#.utf8)),
                       #"t.json:1:12: a string is not UTF-8 text; it looks like Windows-1252 (Latin-1) text, where 0xE9 is 'é': load it with encoding = "windows-1252""#)
        XCTAssertEqual(failure(Array("{\"id\": 1}\n{\"caf".utf8) + [0xE9] + Array("\": 2}\n".utf8)),
                       #"t.json:2:6: a key is not UTF-8 text; it looks like Windows-1252 (Latin-1) text, where 0xE9 is 'é': load it with encoding = "windows-1252""#)
        // An overlong form and an encoded surrogate are not UTF-8 either, nor do they look
        // like another encoding.
        XCTAssertEqual(failure(Array(#"[{"a": ""#.utf8) + [0xC0, 0xAF] + Array(#""}]"#.utf8)),
                       "t.json:1:9: a string is not UTF-8 text (save the file as UTF-8)")
        XCTAssertEqual(failure(Array(#"[{"a": ""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}]"#.utf8)),
                       "t.json:1:9: a string is not UTF-8 text (save the file as UTF-8)")
    }

    func testEscapesAndNumbersFollowJSON() throws {
        XCTAssertEqual(try loadJSON(#"[{"a": "\u00e9\ud83d\ude00\/\"\\"}]"#).columns[0].values, [.string("é😀/\"\\")])
        XCTAssertEqual(failure(Array(#"[{"a": "\ud800x"}]"#.utf8)), #"t.json:1:9: a \u escape is half of a surrogate pair"#)
        XCTAssertEqual(failure(Array(#"[{"a": "\q"}]"#.utf8)), #"t.json:1:9: invalid escape '\q' in a string"#)
        XCTAssertEqual(failure(Array(#"[{"a": "\u+0e9"}]"#.utf8)), #"t.json:1:9: invalid \u escape"#)
        XCTAssertEqual(failure(Array(#"[{"code": 007}]"#.utf8)), "t.json:1:11: invalid number (JSON numbers have no leading zeros)")
        XCTAssertEqual(failure(Array(#"[{"n": +1}]"#.utf8)), "t.json:1:8: invalid value")
        XCTAssertEqual(failure(Array(#"[{"n": 1.}]"#.utf8)), "t.json:1:8: invalid number")
    }

    func testAGivenTypeThatAValueDoesNotHoldIsAnErrorAtTheValue() {
        var options = LoadOptions()
        options.types = ["n": .int]
        XCTAssertEqual(failure(Array("{\"n\": 1}\n{\"n\": \"five\"}\n".utf8), options), "t.json:2:7: key 'n': expected an Int, found 'five'")
        options.types = ["m": .int]
        XCTAssertEqual(failure(Array("{\"n\": 1}".utf8), options), "t.json: the file has no key 'm'; did you mean 'n'?")
    }

    func testACancelledLoadStops() {
        var options = LoadOptions()
        options.cancellation = Cancellation()
        options.cancellation!.cancel()
        let lines = String(repeating: "{\"a\": 1}\n", count: 5000)
        XCTAssertEqual(failure(Array(lines.utf8), options), "t.json: cancelled")
    }

    func testTooManyKeysIsAnError() {
        let keys = (0...LoadLimits.maximumColumns).map { "\"k\($0)\": 1" }.joined(separator: ",")
        XCTAssertEqual(failure(Array("[{\(keys)}]".utf8)), "t.json: the file has more than 32767 columns, the most a table can have")
    }
}

extension JSONLoaderTests {
    /// The fixture (also a seed of the JSON fuzzer) with every rule at once.
    func testMixedTypesFixture() throws {
        let table = try loadTable(path: fixtures + "mixed_types.json").0
        XCTAssertEqual(types(table), ["code: String", "n: Int", "x: Float", "tags: List<String>", "flags: List<String>",
                                      "when: Date", "nested: String", "big: String", "late: String"])
        XCTAssertEqual(table.rows[1].map(\.description), ["02013", "2", "2.0", "[y, 2.50]", "[false]", "2020-12-31", "null", "1.5", "é😀"])
    }
}
