// The analyst's expressions (issue 11): conditionals evaluated only where chosen, dates that
// move (month ends, precision), weeks and bins, text functions, case-insensitive equality and
// regular expressions checked with the query. Each with its null rule and edge cases.

import ConflictQL
import Foundation
import XCTest

final class AnalystExpressionTests: XCTestCase {
    // MARK: Conditionals

    func testIfAndCaseChooseAValuePerRow() {
        XCTAssertEqual(rows("figures | top 3 by value | select size = if(value > 100000, \"large\", \"small\")"),
                       [[.string("large")], [.string("large")], [.string("small")]])
        // Null conditions choose the else value; a case without one gives null.
        XCTAssertEqual(rows("groups | take 4 | select if(founded > @2005, 1, 2), case(founded > @2005, \"new\")"),
                       [[.int(2), .null], [.int(2), .null], [.int(2), .null], [.int(1), .string("new")]])
        // Int meets Float as Float.
        XCTAssertEqual(value("case(false, 1, true, 2.5, 3)"), .float(2.5))
        XCTAssertEqual(value("if(null, 1, 2)"), .int(2))
    }

    func testAValueIsComputedOnlyOnTheRowsThatChooseIt() {
        // Dividing by zero on the rows that do not choose the value cannot fail.
        XCTAssertEqual(value("figures | extend z = value - value | summarize x = sum(if(z == 0, 0.0, value / z))"), .float(0))
        XCTAssertEqual(value("figures | extend z = value - value | summarize n = countif(case(z != 0, value / z > 1, true))"), .int(8))
        XCTAssertTrue(diagnostics("figures | extend z = value - value | select if(z == 0, value / z, 0.0)").contains("division by zero"))
    }

    func testConditionalsAreChecked() {
        XCTAssertTrue(diagnostics("groups | select if(name, 1, 2)").contains("the condition of if must be true or false, found String"))
        XCTAssertTrue(diagnostics("groups | select if(true, 1, \"a\")").contains("if gives one type of value; found Int and String"))
        XCTAssertTrue(diagnostics("groups | select case(true)").contains("case takes at least 2 arguments, found 1"))
        XCTAssertTrue(diagnostics("groups | select if(true, 1)").contains("if takes 3 arguments, found 2"))
    }

    // MARK: Dates

    func testDurationsMoveDatesAndMonthEndsClamp() {
        XCTAssertEqual(value("@2020-01-31 + 1 month"), .date(DateValue(year: 2020, month: 2, day: 29)!))
        XCTAssertEqual(value("@2021-01-31 + 1 month"), .date(DateValue(year: 2021, month: 2, day: 28)!))
        XCTAssertEqual(value("@2020-02-29 + 1 year"), .date(DateValue(year: 2021, month: 2, day: 28)!))
        XCTAssertEqual(value("@2015-06-20 + 30 days"), .date(DateValue(year: 2015, month: 7, day: 20)!))
        XCTAssertEqual(value("@2015-06-20 - 2 weeks"), .date(DateValue(year: 2015, month: 6, day: 6)!))
        XCTAssertEqual(value("@2013-01 + 3 months"), .date(DateValue(year: 2013, month: 4, precision: .month)!))
        XCTAssertEqual(value("@2015-06-20 - @2015-06-01"), .int(19))
        XCTAssertEqual(value("add_days(@2015-06-20, -20)"), .date(DateValue(year: 2015, month: 5, day: 31)!))
    }

    func testALessPreciseDateNeverGetsAnInventedDay() {
        XCTAssertEqual(value("@2013-01 + 10 days"), .null)
        XCTAssertEqual(value("@2013 + 1 month"), .null)
        XCTAssertEqual(value("@2013 + 1 year"), .date(DateValue(year: 2014, precision: .year)!))
        XCTAssertEqual(value("@2013-01 - @2012-12-01"), .null)
        XCTAssertEqual(value("to_week(@2013-01)"), .null)
    }

    func testDatesOutsideTheCalendarAreErrors() {
        XCTAssertTrue(diagnostics("@9999-12-31 + 1 day").contains("9999-12-31 + 1 days is outside the years 1 to 9999"))
        XCTAssertTrue(diagnostics("@2020-01-01 + 5").contains("add or take a duration: event_date + 30 days"))
        XCTAssertTrue(diagnostics("groups | select x = 3 days").contains("a duration is added to or taken from a date"))
    }

    func testWeeksAreISOWeeks() {
        // 2021-01-03 is a Sunday in ISO week 53 of 2020; its Monday is 2020-12-28.
        XCTAssertEqual(value("to_week(@2021-01-03)"), .date(DateValue(year: 2020, month: 12, day: 28)!))
        XCTAssertEqual(value("week(@2021-01-03)"), .int(53))
        XCTAssertEqual(value("week(@2021-01-04)"), .int(1))
        XCTAssertEqual(value("week(@2019-12-30)"), .int(1))
        XCTAssertEqual(value("bin(@2021-01-03, 1 week)"), .date(DateValue(year: 2020, month: 12, day: 28)!))
    }

    func testBinsRoundDown() {
        XCTAssertEqual(value("bin(17, 5)"), .int(15))
        XCTAssertEqual(value("bin(-17, 5)"), .int(-20))
        XCTAssertEqual(value("bin(2.75, 0.5)"), .float(2.5))
        XCTAssertEqual(value("bin(@2020-05-17, 3 months)"), .date(DateValue(year: 2020, month: 4, precision: .month)!))
        XCTAssertEqual(value("bin(@2020-05-17, 10 years)"), .date(DateValue(year: 2020, precision: .year)!))
        // Two-week bins start on Mondays.
        guard case .date(let d)? = value("bin(@2020-05-17, 2 weeks)") else { return XCTFail("no date") }
        XCTAssertEqual((Int(d.days) + 3) % 7, 0)
        XCTAssertTrue(diagnostics("bin(-9223372036854775807, 10)").contains("integer overflow"))
        XCTAssertTrue(diagnostics("bin(5, 0)").contains("the size of a bin must be more than 0"))
        XCTAssertTrue(diagnostics("bin(@2020-01-01, 7)").contains("bin of a date takes a duration as its size"))
    }

    // MARK: Text

    func testTextFunctions() {
        XCTAssertEqual(value("split(\"a;b;;c\", \";\")"), .list(["a", "b", "", "c"].map(Value.string)))
        XCTAssertEqual(value("replace(\"Kidal, Kidal\", \"Kidal\", \"Gao\")"), .string("Gao, Gao"))
        XCTAssertEqual(value("trim(\"  Mopti \\t\")"), .string("Mopti"))
        // Every space, tab, CR and LF at both ends, as SQL's trim: a CRLF is one character
        // (a grapheme), yet its CR and LF are trimmed like any other.
        XCTAssertEqual(value("trim(\"\\t x \\n\")"), .string("x"))
        XCTAssertEqual(value("trim(\"a\\n\")"), .string("a"))
        XCTAssertEqual(value("trim(\"\\r\\n a b\\r\\n \\r\")"), .string("a b"))
        XCTAssertEqual(value("trim(\"\\n\\r\\n\")"), .string(""))
        XCTAssertEqual(value("substring(\"Tombouctou\", 1, 4)"), .string("Tomb"))
        XCTAssertEqual(value("substring(\"Ségou\", 2)"), .string("égou"))
        XCTAssertEqual(value("substring(\"Gao\", 9)"), .string(""))
        XCTAssertEqual(value("concat(\"Mali \", 2012, \"!\")"), .string("Mali 2012!"))
        XCTAssertEqual(value("concat(\"a\", null)"), .null)
        XCTAssertEqual(value("split(null, \",\")"), .null)
        XCTAssertTrue(diagnostics("substring(\"Gao\", 0)").contains("substring starts at 1 or later, found 0"))
        XCTAssertTrue(diagnostics("split(\"a\", \"\")").contains("split needs a separator that is not empty"))
        // Over a column: computed per distinct string, the same answer per row.
        XCTAssertEqual(rows("groups | where abbrev is not null | top 2 by abbrev | select s = split(name, \" \"), t = len(trim(name))"),
                       [[.list(["Movement", "for", "Unity", "and", "Jihad", "in", "West", "Africa"].map(Value.string)), .int(43)],
                        [.list(["National", "Movement", "for", "the", "Liberation", "of", "Azawad"].map(Value.string)), .int(46)]])
    }

    func testEqualityIgnoringCase() {
        XCTAssertEqual(value("groups | where abbrev =~ \"jnim\" | count"), .int(1))
        XCTAssertEqual(value("groups | where abbrev !~ \"jnim\" | count"), value("groups | where abbrev is not null and abbrev != \"JNIM\" | count"))
        XCTAssertEqual(value("\"Mopti\" =~ null"), .null)
        XCTAssertTrue(diagnostics("funding | where amount_usd =~ 5").contains("'=~' compares text ignoring case"))
        XCTAssertEqual(value("groups | where name endswith \"DINE\" | count"), .int(1))
    }

    func testRegularExpressions() {
        XCTAssertEqual(value("groups | where name matches r\"^(Ansar|Al) \" | count"), .int(2))
        XCTAssertEqual(value("\"kidnapped 12 people\" matches r\"\\d+ people\""), .bool(true))
        XCTAssertEqual(value("\"KIDNAPPED\" matches r\"(?i)kidnap\""), .bool(true))
        XCTAssertEqual(value("\"KIDNAPPED\" matches \"kidnap\""), .bool(false))
        XCTAssertEqual(value("extract(\"attack on 12 May\", r\"(\\d+) (\\w+)\")"), .string("12"))
        XCTAssertEqual(value("extract(\"attack on 12 May\", r\"(\\d+) (\\w+)\", 2)"), .string("May"))
        XCTAssertEqual(value("extract(\"attack on 12 May\", r\"\\d+ \\w+\")"), .string("12 May"))
        XCTAssertEqual(value("extract(\"no number\", r\"\\d+\")"), .null)
    }

    func testABadPatternIsACheckedErrorInsideTheString() {
        XCTAssertEqual(diagnostics("groups | where notes matches r\"kidnap(ped|ping\""), """
            <test>:1:38: error: invalid regular expression: '(' without ')'
             1 | groups | where notes matches r"kidnap(ped|ping"
               |                                      ^
            help: patterns are RE2 syntax, as DuckDB and BigQuery read them: \\d \\w \\s \\b, (?i) to ignore case, (?s) so that . takes line breaks too; no backreferences or lookaround

            """)
        XCTAssertTrue(diagnostics("groups | where name matches \"a{2,1}\"").contains("invalid regular expression"))
        XCTAssertTrue(diagnostics("groups | where name matches abbrev").contains("a regular expression must be written in the query"))
        XCTAssertTrue(diagnostics("extract(\"a\", r\"(a)\", 2)").contains("the pattern has 1 group, not 2"))
    }
}

final class HelpEntryTests: XCTestCase {
    func testEveryFunctionAggregateAndStageHasHelpWhoseExampleRuns() throws {
        // `.help load`'s example reads a sample by its path in the repository.
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let names = Set(Help.entryNames)
        for function in ScalarFunction.all { XCTAssertTrue(names.contains(function.name), "no .help \(function.name)") }
        for aggregate in AggregateFunction.all { XCTAssertTrue(names.contains(aggregate.name), "no .help \(aggregate.name)") }
        for function in WindowFunction.all { XCTAssertTrue(names.contains(function.name), "no .help \(function.name)") }
        for stage in stageNames { XCTAssertTrue(names.contains(stage), "no .help \(stage)") }
        // Every descriptor's example runs, also count's, whose .help entry is the stage's.
        for (name, example) in AggregateFunction.all.map({ ($0.name, $0.example) }) + WindowFunction.all.map({ ($0.name, $0.example) }) {
            XCTAssertNoThrow(try Session().run(example), "\(name): \(example)")
        }
        for (name, example) in Help.entryExamples {
            XCTAssertNoThrow(try Session().run(example), ".help \(name): \(example)")
            XCTAssertTrue(Help.text(name)?.contains(example) == true)
        }
        XCTAssertEqual(Help.text("endswith"), Help.text("startswith"))
    }
}

extension HelpEntryTests {
    /// `.help functions` and the checker both read the descriptor table: every function the
    /// checker knows is listed, and every name listed is a function the checker knows.
    func testHelpFunctionsListsExactlyTheFunctionsTheCheckerAccepts() throws {
        let text = try XCTUnwrap(Help.text("functions"))
        let familyLines = text.components(separatedBy: "Dates also move")[0]
        var listed = Set<String>()
        for line in familyLines.split(separator: "\n") {
            let words = line.split(separator: ":", maxSplits: 1).last.map { $0.split(separator: " ").map(String.init) } ?? []
            listed.formUnion(words)
        }
        XCTAssertEqual(listed, Set(ScalarFunction.all.map(\.name)))
        for name in listed {
            let message = diagnostics("\(name)()")
            XCTAssertFalse(message.contains("unknown function"), "\(name): \(message)")
            XCTAssertTrue(message.contains("\(name) takes"), "\(name): \(message)")
        }
    }

    /// The aggregate and window function lines of `.help functions` name exactly the
    /// descriptors, which are what the checker accepts in `summarize` and `window`.
    func testHelpFunctionsListsExactlyTheAggregatesAndWindowFunctions() throws {
        let text = try XCTUnwrap(Help.text("functions"))
        func listed(after title: String, until end: String) throws -> [String] {
            let start = try XCTUnwrap(text.range(of: title))
            let rest = text[start.upperBound...]
            return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)]).split(whereSeparator: \.isWhitespace).map(String.init)
        }
        XCTAssertEqual(try listed(after: "Aggregates (in summarize and window):", until: ";"), AggregateFunction.all.map(\.name))
        XCTAssertEqual(try listed(after: "Window functions (in window, along its order):", until: "\nOperators"), WindowFunction.all.map(\.name))
        XCTAssertTrue(text.contains("count(distinct x) and list(distinct x)"))
        for aggregate in AggregateFunction.all {
            XCTAssertTrue(diagnostics("figures | where \(aggregate.name)(value) > 0").contains("aggregate '\(aggregate.name)' is only allowed"),
                          aggregate.name)
        }
        for function in WindowFunction.all {
            XCTAssertTrue(diagnostics("figures | summarize n = \(function.name)()").contains("'\(function.name)' is a window function"),
                          function.name)
        }
    }
}
