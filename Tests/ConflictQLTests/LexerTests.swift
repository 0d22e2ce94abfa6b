import ConflictQL
import XCTest

final class LexerTests: XCTestCase {
    func kinds(_ text: String) -> [TokenKind] {
        lex(Source(name: "t", text: text)).tokens.map(\.kind)
    }

    func testPunctuationAndLiterals() {
        XCTAssertEqual(kinds("a == 1 | b != 2.5"), [
            .identifier, .equal, .integer(1), .pipe, .identifier, .notEqual, .decimal(2.5), .endOfInput,
        ])
        XCTAssertEqual(kinds("1_000_000 1e3"), [.integer(1_000_000), .decimal(1000), .endOfInput])
    }

    func testStringEscapes() {
        XCTAssertEqual(kinds(#""a\"b\n\u{e9}" 'it\'s'"#), [.string("a\"b\né"), .string("it's"), .endOfInput])
    }

    func testDateLiteralsKeepTheirPrecision() {
        let tokens = kinds("@2013-04-01 @2011-10 @2013")
        XCTAssertEqual(tokens.count, 4)
        guard case .date(let day) = tokens[0], case .date(let month) = tokens[1], case .date(let year) = tokens[2] else {
            return XCTFail("expected three dates, got \(tokens)")
        }
        XCTAssertEqual(day.description, "2013-04-01")
        XCTAssertEqual(day.precision, .day)
        XCTAssertEqual(month.description, "2011-10")
        XCTAssertEqual(month.precision, .month)
        XCTAssertEqual(year.description, "2013")
        XCTAssertEqual(year.precision, .year)
    }

    func testInvalidDatesAreErrors() {
        let result = lex(Source(name: "t", text: "@2013-02-30 @2013-13"))
        XCTAssertEqual(result.diagnostics.map(\.message), ["invalid date '@2013-02-30'", "invalid date '@2013-13'"])
    }

    func testCommentsAndShebang() {
        XCTAssertEqual(kinds("#!/usr/bin/env conflictql\n# note\ngroups # trailing"), [.newline, .identifier, .endOfInput])
    }

    func testLineStartingWithPipeContinuesTheStatement() {
        XCTAssertEqual(kinds("groups\n  | count\nfunding"), [.identifier, .pipe, .identifier, .newline, .identifier, .endOfInput])
        // Even across a comment line.
        XCTAssertEqual(kinds("groups\n# filter\n| count"), [.identifier, .pipe, .identifier, .endOfInput])
    }

    func testIntegerLiteralBeyondInt64IsAnError() {
        let result = lex(Source(name: "t", text: "9223372036854775809"))
        XCTAssertEqual(result.diagnostics.first?.message, "integer literal '9223372036854775809' does not fit in a 64-bit integer")
        XCTAssertEqual(result.diagnostics.first?.range, SourceRange(start: 0, end: 19))
    }

    func testUnterminatedStringIsIncompleteInput() {
        let result = lex(Source(name: "t", text: "groups | where name == \"Ansar"))
        XCTAssertEqual(result.diagnostics.first?.message, "unterminated string")
        XCTAssertEqual(result.diagnostics.first?.isIncompleteInput, true)
    }

    func testVeryLongStringsAndLines() {
        // A long line of ordinary length for data (100,000 characters) is fine...
        let long = String(repeating: "x", count: 100_000)
        XCTAssertEqual(value("len(\"\(long)\")"), .int(100_000))
        // ...a string beyond the limit is an error, not a hang or a crash.
        let huge = String(repeating: "y", count: (1 << 20) + 1)
        let result = lex(Source(name: "t", text: "\"\(huge)\""))
        XCTAssertEqual(result.diagnostics.map(\.message), ["string literal is longer than 1048576 bytes"])
    }

    func testNulAndInvalidBytesAreReportedNotSkipped() {
        let result = lex(Source(name: "t", text: "a \u{0} b"))
        XCTAssertEqual(result.diagnostics.first?.message, "unexpected control character U+0000")
    }
}
