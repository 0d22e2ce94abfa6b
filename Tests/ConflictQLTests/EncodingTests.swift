// Text as it was saved: Windows-1252, Latin-1 and UTF-16 files load with `encoding = ...`
// (UTF-16 with a byte-order mark with no option), every value and position as in the file;
// without the option a UTF-8 error names the encoding the bytes look like.

import ConflictQL
import XCTest

final class EncodingTests: XCTestCase {
    func load(_ bytes: [UInt8], encoding: String? = nil, types: [String: DataType] = [:], format: LoadOptions.Format = .csv)
        throws -> Table {
        var options = LoadOptions()
        options.encoding = encoding.map { TextEncoding(name: $0)! }
        options.types = types
        options.format = format
        return try bytes.withUnsafeBufferPointer { try loadTable(bytes: $0, name: "text.csv", options: options).0 }
    }

    func failure(_ bytes: [UInt8], encoding: String? = nil, types: [String: DataType] = [:]) -> String? {
        do {
            _ = try load(bytes, encoding: encoding, types: types)
            return nil
        } catch {
            return (error as? LoadError)?.description
        }
    }

    /// French text with the characters that differ between the encodings: accents, the
    /// typographic quotes and the euro sign of Windows-1252, an emoji beyond the BMP.
    let text = "région,ville,note\r\nSégou,Niono,\"« déplacés », 3 €\"\r\nTombouctou,Goundam,\"l’école\r\nfermée\"\r\n"

    func values(_ table: Table) -> [[String]] { table.rows.map { $0.map(\.description) } }

    func testWindows1252AndLatin1() throws {
        let windows1252 = Array(text.replacing("\u{2019}", with: "'").unicodeScalars.map { scalar -> UInt8 in
            switch scalar.value {
            case 0x20AC: return 0x80
            default: return UInt8(scalar.value)
            }
        })
        let table = try load(windows1252, encoding: "windows-1252")
        XCTAssertEqual(table.schema.names, ["région", "ville", "note"])
        XCTAssertEqual(values(table), [["Ségou", "Niono", "« déplacés », 3 €"], ["Tombouctou", "Goundam", "l'école\r\nfermée"]])
        // Latin-1 reads every byte as the character of that number: 0x80 is a C1 control.
        let latin1 = try load(windows1252, encoding: "ISO-8859-1")
        XCTAssertEqual(latin1.row(0)[2], .string("« déplacés », 3 \u{80}"))
        // The five bytes Windows-1252 leaves undefined read as C1 controls, not errors.
        XCTAssertEqual(try load(Array("a\n".utf8) + [0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x0A], encoding: "cp1252").row(0),
                       [.string("\u{81}\u{8D}\u{8F}\u{90}\u{9D}")])
    }

    func testUTF16WithAByteOrderMarkLoadsWithNoOption() throws {
        let full = text + "Gao,Ansongo,\"😀\"\r\n"
        let little: [UInt8] = [0xFF, 0xFE] + full.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + full.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let expected = [["Ségou", "Niono", "« déplacés », 3 €"], ["Tombouctou", "Goundam", "l’école\r\nfermée"], ["Gao", "Ansongo", "😀"]]
        XCTAssertEqual(values(try load(little)), expected)
        XCTAssertEqual(values(try load(big)), expected)
        XCTAssertEqual(values(try load(big, encoding: "utf-16")), expected)
        // Without a mark the option says the order.
        XCTAssertEqual(values(try load(Array(little.dropFirst(2)), encoding: "utf-16le")), expected)
        XCTAssertEqual(values(try load(Array(big.dropFirst(2)), encoding: "UTF-16BE")), expected)
        // JSON too.
        let json = #"[{"ville": "Ségou", "n": 3}]"#
        let table = try load([0xFF, 0xFE] + json.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, format: .json)
        XCTAssertEqual(table.rows, [[.string("Ségou"), .int(3)]])
    }

    func testWithoutTheOptionTheErrorNamesIt() {
        XCTAssertEqual(failure(Array("a,b\r\n1,caf".utf8) + [0xE9, 0x0D, 0x0A]),
                       #"text.csv:2:3: a field is not UTF-8 text; it looks like Windows-1252 (Latin-1) text, where 0xE9 is 'é': load it with encoding = "windows-1252""#)
        // A header name is checked too (it was decoded with replacement characters).
        XCTAssertEqual(failure(Array("r".utf8) + [0xE9, 0x0A] + Array("1\n".utf8)),
                       #"text.csv:1:1: a header name is not UTF-8 text; it looks like Windows-1252 (Latin-1) text, where 0xE9 is 'é': load it with encoding = "windows-1252""#)
        let noMark = Array("a,b\n1,2\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertEqual(failure(noMark),
                       #"text.csv: looks like UTF-16LE text without a byte-order mark (a NUL byte in every other place); load it with encoding = "utf-16le""#)
        XCTAssertEqual(failure([0xFF, 0xFE, 0x61, 0x00], encoding: "utf-8"),
                       "text.csv: the file starts with the byte-order mark of UTF-16LE (FF FE), not utf-8 as the load says")
        XCTAssertEqual(failure([0xEF, 0xBB, 0xBF, 0x61], encoding: "windows-1252"),
                       "text.csv: the file starts with the byte-order mark of UTF-8 (EF BB BF), not windows-1252 as the load says")
    }

    func testPositionsAreThoseOfTheFileAsSaved() {
        // Line 3, after seven characters of which two took two bytes in UTF-8: column 8.
        let windows1252: [UInt8] = Array("a,b\n1,2\n".utf8) + [0xE9, 0xE8, 0x2C] + Array("xxx,4\n".utf8)
        XCTAssertEqual(failure(windows1252, encoding: "windows-1252", types: ["b": .int])?.prefix(38), "text.csv:3:1: a row has 3 fields, expe")
        let typed: [UInt8] = Array("a,b\n".utf8) + [0xE9, 0xE8, 0xE9, 0x2C] + Array("x\n".utf8)
        XCTAssertEqual(failure(typed, encoding: "latin-1", types: ["b": .int]), "text.csv:2:5: expected an Int, found 'x'")
        let utf16 = "a,b\nçà,x\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(failure([0xFF, 0xFE] + utf16, types: ["b": .int]), "text.csv:2:4: expected an Int, found 'x'")
        // Half a surrogate pair: where the text stops.
        let broken: [UInt8] = [0xFF, 0xFE] + "a\nbé".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x3D, 0xD8, 0x41, 0x00]
        XCTAssertEqual(failure(broken), "text.csv:2:3: invalid UTF-16: half a surrogate pair (0xD83D)")
        XCTAssertEqual(failure([0xFF, 0xFE, 0x61, 0x00, 0x0A]), "text.csv:1:2: the file ends in the middle of a UTF-16 character (an odd number of bytes)")
    }

    func testEncodingNames() {
        XCTAssertEqual(TextEncoding(name: "Windows-1252"), .windows1252)
        XCTAssertEqual(TextEncoding(name: "latin1"), .latin1)
        XCTAssertEqual(TextEncoding(name: "iso-8859-1"), .latin1)
        XCTAssertEqual(TextEncoding(name: "UTF8"), .utf8)
        XCTAssertNil(TextEncoding(name: "latin9"))
    }
}
