// `union`: rows appended, columns matched by name, types widened or refused with both inputs
// named; the source column; pruning of the inputs; and a property test of the column
// concatenation under it, over every storage kind, nulls and shared or separate dictionaries.

@testable import ConflictQLCore
@testable import ConflictQLSyntax
@testable import ConflictQLData
@testable import ConflictQLFunctions
@testable import ConflictQLSemantics
@testable import ConflictQLPlanning
@testable import ConflictQLEngine
@testable import ConflictQLSQL
@testable import ConflictQLOutput
@testable import ConflictQL
import XCTest

final class UnionTests: XCTestCase {
    func testRowsAreAppendedAndColumnsMatchedByName() {
        XCTAssertEqual(value("funding | union missions | count"), .int(9))
        XCTAssertEqual(rows("funding | take 1 | union (missions | take 1) | select donor, kind, name"), [
            [.string("European Union"), .string("pledge"), .null],
            [.null, .string("peacekeeping mission"), .string("UN Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)")],
        ])
        // Columns: the input's, then each new one in the order the inputs bring it.
        let session = Session()
        let query = try! session.prepare("funding | select donor, year | union (missions | select name, kind), (figures | select kind = indicator, value)")
        XCTAssertEqual(query.schema.names, ["donor", "year", "name", "kind", "value"])
    }

    func testTheSourceColumnNamesEachRowsInput() {
        XCTAssertEqual(rows("funding | union source = origin missions, (figures | where value > 100000) | summarize n = count() by origin"), [
            [.string("funding"), .int(4)], [.string("missions"), .int(5)], [.string("figures"), .int(2)],
        ])
        XCTAssertEqual(rows("let f = funding\nf | union source = t f | summarize n = count() by t"), [[.string("f"), .int(8)]])
    }

    func testIntMeetsFloatAsFloatAndNullMeetsAnything() {
        let session = Session()
        let query = try! session.prepare("(funding | select x = year) | union (funding | select x = 1.5), (funding | select x = null)")
        XCTAssertEqual(query.schema.fields, [Field("x", .float)])
        XCTAssertEqual(rows("(funding | take 1 | select x = 2012) | union (funding | take 1 | select x = 1.5), (funding | take 1 | select x = null)"),
                       [[.float(2012)], [.float(1.5)], [.null]])
    }

    func testAClashThatCannotWidenIsACheckedError() {
        XCTAssertEqual(diagnostics("funding | union (missions | select year = name)"), """
            <test>:1:18: error: cannot union column 'year': it is Int in funding and String in missions
             1 | funding | union (missions | select year = name)
               |                  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            help: convert one side first, for example: (missions | extend year = int(year))

            """)
        XCTAssertEqual(diagnostics("funding | union source = donor missions"), """
            <test>:1:26: error: 'donor' is already a column of the union
             1 | funding | union source = donor missions
               |                          ^~~~~
            help: name the source column otherwise: union source = donor_table ...

            """)
        XCTAssertTrue(diagnostics("funding | union misions").contains("unknown table 'misions'"))
        XCTAssertTrue(diagnostics("funding | append missions").contains("did you mean 'union'?"))
    }

    func testOnlyTheColumnsLaterStagesReadAreComputed() throws {
        let session = Session()
        let query = try session.prepare("funding | union source = t (missions | extend p = personnel * 2) | summarize n = count() by t")
        // The union needs only its source column; the inputs, none of theirs.
        XCTAssertEqual(query.nodes.map(\.neededColumns), [0, 1, 0, 0, 2])
        XCTAssertEqual(query.nodes[1].operation, .union(inputs: ["missions"], sourceColumn: "t"))
    }

    func testListsAndDatesConcatenate() {
        guard case .int(let once)? = value("timeline | expand a = actors | count") else { return XCTFail("no count") }
        XCTAssertEqual(value("timeline | union timeline | expand a = actors | count"), .int(2 * once))
        XCTAssertEqual(rows("(timeline | top 1 by date | select date) | union (missions | top 1 by deployed | select date = deployed)"),
                       rows("timeline | top 1 by date | select date") + rows("missions | top 1 by deployed | select date = deployed"))
    }

    // MARK: Column.concatenate, as a property

    func testConcatenationKeepsEveryValue() {
        var random = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let type = [DataType.int, .float, .bool, .date, .string, .list(.int), .list(.string)].randomElement(using: &random)!
            var parts: [(column: Column?, count: Int)] = []
            var expected: [Value] = []
            let shared = StringDictionary(["a", "b", "Mali"])
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let count = Int.random(in: 0...70, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0:
                    parts.append((nil, count))
                    expected += repeatElement(.null, count: count)
                case 1:
                    parts.append((Column(type: type, storage: .null, validity: nil, count: count), count))
                    expected += repeatElement(.null, count: count)
                case 2 where type == .string:
                    // A dictionary shared with other parts, codes in any order.
                    let codes = (0..<count).map { _ in Int32.random(in: 0..<3, using: &random) }
                    parts.append((Column(type: .string, storage: .string(codes: StringCodes(codes).narrowed(entries: 3),
                        dictionary: shared), validity: nil, count: count), count))
                    expected += codes.map { .string(shared[Int($0)]) }
                case 3 where type == .float:
                    // Int parts of a Float column are widened.
                    let values = (0..<count).map { _ in Value.int(Int64.random(in: -5...5, using: &random)) }
                    parts.append((Table(schema: Schema([Field("x", .int)]), rows: values.map { [$0] }).columns[0], count))
                    expected += values.map { if case .int(let v) = $0 { return .float(Double(v)) }; return $0 }
                default:
                    let values = (0..<count).map { _ in randomValue(type, &random) }
                    var builder = ColumnBuilder(type: type, capacity: count)
                    for v in values { builder.append(v) }
                    parts.append((builder.finish(), count))
                    expected += values
                }
            }
            let column = Column.concatenate(parts, type: type)
            XCTAssertEqual(column.count, expected.count, "round \(round)")
            XCTAssertEqual(column.values, expected, "round \(round), \(type)")
        }
    }

    func randomValue(_ type: DataType, _ random: inout SystemRandomNumberGenerator) -> Value {
        if Int.random(in: 0..<5, using: &random) == 0 { return .null }
        switch type {
        case .int: return .int(Int64.random(in: -1000...1000, using: &random))
        case .float: return .float(Double(Int.random(in: -1000...1000, using: &random)) / 8)
        case .bool: return .bool(Bool.random(using: &random))
        case .date: return .date(DateValue(year: Int.random(in: 1997...2024, using: &random), month: Int.random(in: 1...12, using: &random),
                                           day: Int.random(in: 1...28, using: &random), precision: [.year, .month, .day].randomElement(using: &random)!)!)
        case .string: return .string(["Mali", "Niger", "Burkina Faso", "", "é"].randomElement(using: &random)!)
        case .list(let element): return .list((0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(element, &random) }.filter { !$0.isNull })
        default: return .null
        }
    }
}
