// What the parser expected where the input ends: the kinds completion turns into names. Each
// prefix is parsed as typed; the set is the whole of what the parser noted there.

import ConflictQL
import XCTest

final class ExpectationTests: XCTestCase {
    func expected(_ text: String) -> Set<Expectation> {
        parse(Source(name: "t", text: text)).expected.kinds
    }

    let operandStart: Set<Expectation> = [.operand, .word("not")]
    let afterName: Set<Expectation> = Set(["is", "in", "between", "has", "contains", "startswith", "endswith", "matches", "and", "or"]
        .map { Expectation.word($0) }).union([.continuation(afterQuantity: false)])

    func testStatementsStagesAndTables() {
        XCTAssertEqual(expected(""), [.statement])
        XCTAssertEqual(expected("groups | count\n"), [.statement])
        XCTAssertEqual(expected("let x = "), [.source])
        XCTAssertEqual(expected("describe "), [.table])
        XCTAssertEqual(expected("explain "), [.source, .word("analyze"), .word("sql")])
        XCTAssertEqual(expected("load "), [.filePath])
        XCTAssertEqual(expected("groups | "), [.stage])
        XCTAssertEqual(expected("groups\n| "), [.stage])
        XCTAssertEqual(expected("funding | join "), [.word("kind="), .table])
        XCTAssertEqual(expected("funding | join kind="), [.joinKind])
        XCTAssertEqual(expected("funding | join ("), [.source])
        XCTAssertEqual(expected("funding | union "), [.word("source ="), .table])
        XCTAssertEqual(expected("funding | union missions, "), [.table])
    }

    func testOperandsAndWhatFollowsThem() {
        XCTAssertEqual(expected("groups | where "), operandStart)
        XCTAssertEqual(expected("funding | summarize "), operandStart.union([.word("by")]))
        XCTAssertEqual(expected("groups | where founded "), afterName)
        XCTAssertEqual(expected("funding | sort by amount_usd "), afterName.union([.word("desc"), .word("asc")]))
        XCTAssertEqual(expected("funding | where donor == "), [.operand, .value(of: "donor")])
        XCTAssertEqual(expected("funding | where kind in (\"pledge\", "), operandStart.union([.value(of: "kind")]))
        // The value is offered right after the comparison only, not inside a call there.
        XCTAssertEqual(expected("funding | where donor == lower("), operandStart)
    }

    func testClauseWordsUnitsAndKinds() {
        XCTAssertEqual(expected("timeline | fill "), [.column])
        XCTAssertEqual(expected("timeline | fill date "), [.word("by"), .word("step")])
        let afterNumber = expected("timeline | fill date step 1 ")
        XCTAssertTrue(afterNumber.isSuperset(of: [.durationUnit, .word("from"), .word("to"), .word("with"), .continuation(afterQuantity: true)]))
        XCTAssertFalse(afterNumber.contains(.continuation(afterQuantity: false)))
        XCTAssertTrue(expected("timeline | fill date step 1 year from @2011 ").contains(.continuation(afterQuantity: false)))
        let options: Set<Expectation> = [.word("title"), .word("width"), .word("height"), .word("xtitle"), .word("ytitle"), .word("labels")]
        XCTAssertEqual(expected("funding | chart "), options.union([.chartKind]))
        XCTAssertEqual(expected("funding | chart bar "), options)
        XCTAssertEqual(expected("load \"x.csv\" with ("), [.loadOption])
        XCTAssertEqual(expected("load \"x.csv\" with (fatalities: "), [.typeName])
    }

    /// The context that comes with the kinds: the pipeline flowing into the stage, the join's sides.
    func testInputAndJoinSides() {
        func text(_ range: SourceRange?, _ source: String) -> String? {
            range.map { Source(name: "t", text: source).text(of: $0) }
        }
        let nested = "funding | join (countries | where "
        XCTAssertEqual(text(parse(Source(name: "t", text: nested)).expected.input, nested), "countries ")
        let join = "funding | where amount_usd > 0 | join kind=semi (countries | select name) on left.donor == "
        let expected = parse(Source(name: "t", text: join)).expected
        XCTAssertEqual(text(expected.joinLeft, join), "funding | where amount_usd > 0 ")
        XCTAssertEqual(text(expected.joinRight, join), "countries | select name")
        XCTAssertNil(parse(Source(name: "t", text: "funding | where ")).expected.joinRight)
    }
}
