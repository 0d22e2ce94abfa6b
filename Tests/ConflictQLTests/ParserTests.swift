import ConflictQL
import XCTest

final class ParserTests: XCTestCase {
    func statements(_ text: String) -> [Statement] {
        let result = parse(Source(name: "t", text: text))
        XCTAssertEqual(result.diagnostics.map(\.message), [], "unexpected syntax errors")
        return result.script.statements
    }

    func testPipelineWithStages() {
        let parsed = statements("groups | where designation has \"FTO\" | select name, founded")
        XCTAssertEqual(parsed.count, 1)
        guard case .query(let pipeline) = parsed[0].kind else { return XCTFail("not a query") }
        XCTAssertEqual(pipeline.stages.map(\.keyword.name), ["where", "select"])
    }

    func testSeparatorsAndContinuationLines() {
        XCTAssertEqual(statements("groups; funding\n\ntimeline").count, 3)
        XCTAssertEqual(statements("groups\n| where founded is not null\n| count").count, 1)
        // Inside brackets newlines are space.
        XCTAssertEqual(statements("groups | where abbrev in (\n  \"AQIM\",\n  \"JNIM\"\n)").count, 1)
    }

    func testPrecedence() {
        // `a or b and c` is `a or (b and c)`; `1 + 2 * 3` is `1 + (2 * 3)`.
        guard case .query(let p) = statements("true or false and false")[0].kind,
              case .binary(let op, _, _, _) = p.head.kind else { return XCTFail() }
        XCTAssertEqual(op, .or)
        XCTAssertEqual(value("1 + 2 * 3"), .int(7))
        XCTAssertEqual(value("(1 + 2) * 3"), .int(9))
        XCTAssertEqual(value("-2 * -3"), .int(6))
        XCTAssertEqual(value("not 1 > 2 and true"), .bool(true))
    }

    func testEverySyntaxErrorIsReported() {
        let result = parse(Source(name: "t", text: "groups | wher x\nfunding | select donor,, kind\ntimeline | take 2\ncountries | sort name"))
        XCTAssertEqual(result.diagnostics.map(\.message), [
            "unknown stage 'wher'",
            "expected an expression, found ','",
            "expected 'by' after 'sort', found 'name'",
        ])
    }

    func testAStageMayContinueOnTheNextLine() {
        XCTAssertEqual(statements("missions | where\n  lead == \"France\"\n| select name").count, 1)
        XCTAssertEqual(statements("funding | summarize\n  total = sum(amount_usd)\n  by recipient").count, 1)
    }

    func testIncompleteInputIsRecognised() {
        for text in ["groups |", "groups | where (founded", "let x =", "funding | where donor == \"Saudi", "[1, 2", "1 +"] {
            XCTAssertTrue(parse(Source(name: "t", text: text)).isIncomplete, text)
        }
        for text in ["groups", "groups | where", "1 + 2", "groups | wher"] where text != "groups | where" {
            XCTAssertFalse(parse(Source(name: "t", text: text)).isIncomplete, text)
        }
    }

    func testDepthLimitGivesAMessageNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let result = parse(Source(name: "t", text: deep))
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertEqual(result.diagnostics.first?.message, "expression nests deeper than 200 levels")
        let chain = "1" + String(repeating: " + 1", count: 100_000)
        XCTAssertEqual(parse(Source(name: "t", text: chain)).diagnostics.first?.message, "expression nests deeper than 200 levels")
        let nots = String(repeating: "not ", count: 100_000) + "true"
        XCTAssertEqual(parse(Source(name: "t", text: nots)).diagnostics.first?.message, "expression nests deeper than 200 levels")
    }

    func testModestNestingIsFine() {
        XCTAssertEqual(value(String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)), .int(1))
    }

    func testEmptyAndCommentOnlyScripts() {
        XCTAssertEqual(statements("").count, 0)
        XCTAssertEqual(statements("# only a comment\n\n# and another").count, 0)
    }
}
