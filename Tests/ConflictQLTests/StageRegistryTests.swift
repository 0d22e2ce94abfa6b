// The stage registry (ConflictQLSyntax/Stages.swift) against everything that lists stages:
// every stage the parser accepts is in `.help stages`, has its own `.help` entry and is offered
// after `|`; its example uses it, runs and compiles to SQL in every dialect or is refused
// there with a reason; and nothing else is taken for a stage.

import ConflictQL
import Foundation
import XCTest

final class StageRegistryTests: XCTestCase {
    /// The stages of every pipeline of a parsed script, nested ones included.
    func stageKinds(_ text: String) -> Set<StageKind> {
        var kinds: Set<StageKind> = []
        func visit(_ pipeline: Pipeline) {
            for stage in pipeline.stages {
                kinds.insert(StageKind(stage.kind))
                // Only the stages that hold pipelines matter here, so a new stage needs no line.
                if case .join(_, let right, _) = stage.kind { visit(right) }
                if case .union(let inputs, _) = stage.kind { inputs.forEach(visit) }
            }
        }
        for statement in parse(Source(name: "<test>", text: text)).script.statements {
            if case .query(let pipeline) = statement.kind { visit(pipeline) }
        }
        return kinds
    }

    func testEveryStageTheParserAcceptsIsTheRegistrys() {
        XCTAssertEqual(stageNames, StageKind.allCases.map(\.keyword))
        XCTAssertEqual(Set(stageNames).count, StageKind.allCases.count, "two stages share a keyword")
        for kind in StageKind.allCases {
            // The keyword alone after `|` is that stage, or an error inside it, never an unknown stage.
            let parsed = parse(Source(name: "<test>", text: "groups | \(kind.keyword.uppercased())"))
            XCTAssertFalse(parsed.diagnostics.contains { $0.id == SyntaxDiagnostic.unknownStage.id },
                           "'\(kind.keyword)' is not parsed as a stage")
            XCTAssertEqual(StageKind(keyword: kind.keyword.uppercased()), kind)
            for word in kind.descriptor.othersSay {
                XCTAssertNil(StageKind(keyword: word), "'\(word)' is both a stage and another language's word")
                XCTAssertEqual(StageKind(habit: word), kind)
                let other = parse(Source(name: "<test>", text: "groups | \(word) x"))
                XCTAssertEqual(other.diagnostics.first?.help, "did you mean '\(kind.keyword)'?", word)
            }
        }
        let unknown = parse(Source(name: "<test>", text: "groups | wherever x"))
        XCTAssertEqual(unknown.diagnostics.first?.id, SyntaxDiagnostic.unknownStage.id)
    }

    func testEveryStageHasHelpAndIsOffered() throws {
        let stages = try XCTUnwrap(Help.text("stages"))
        let completer = Completer(symbols: Session().symbols)
        for kind in StageKind.allCases {
            let stage = kind.descriptor
            XCTAssertTrue(stages.contains("  " + stage.signature), "'.help stages' lacks \(kind.keyword)")
            XCTAssertTrue(stages.contains(stage.summary), "'.help stages' lacks the summary of \(kind.keyword)")
            XCTAssertTrue(stages.contains("  " + stage.example), "'.help stages' lacks the example of \(kind.keyword)")
            let entry = try XCTUnwrap(Help.text(kind.keyword), "no '.help \(kind.keyword)'")
            XCTAssertTrue(entry.hasPrefix(stage.signature), entry)
            XCTAssertTrue(entry.contains(stage.meaning), entry)
            XCTAssertTrue(entry.contains(stage.example), entry)
            XCTAssertFalse(stage.summary.isEmpty || stage.meaning.isEmpty || stage.grammar.isEmpty, kind.keyword)
            let rule = kind.keyword.padding(toLength: 16, withPad: " ", startingAt: 0) + "= \"\(kind.keyword)\""
            XCTAssertTrue(stage.grammar.hasPrefix(rule), "the grammar of \(kind.keyword) starts with its rule")
            XCTAssertTrue(completer.complete("groups | ", word: String(kind.keyword.prefix(2))).contains(kind.keyword),
                          "'\(kind.keyword)' is not offered after '|'")
        }
        // `count` is both: its entry says so.
        XCTAssertTrue(try XCTUnwrap(Help.text("count")).contains("(an aggregate)"))
        // Every kind of chart is named where chart's help says how it is written.
        for chart in ChartKind.allCases {
            XCTAssertTrue(StageKind.chart.descriptor.signature.contains(chart.rawValue), "chart's signature lacks \(chart)")
        }
    }

    /// Each stage's example uses that stage, runs over the briefing, and compiles to SQL in
    /// every dialect, or is refused there with a message saying why.
    func testEveryStagesExampleRunsAndCompilesOrIsRefused() throws {
        for kind in StageKind.allCases {
            let example = kind.descriptor.example
            XCTAssertTrue(stageKinds(example).contains(kind), "the example of \(kind.keyword) does not use it: \(example)")
            let results = try Session().run(example, name: kind.keyword)
            XCTAssertEqual(results.count, 1, example)
            for dialect in SQLDialect.allCases {
                let statements = try Session().sql(for: Source(name: kind.keyword, text: example), dialect: dialect)
                switch statements.last {
                case .rows(let sql)?:
                    XCTAssertTrue(sql.uppercased().contains("SELECT"), "\(dialect) \(kind.keyword): \(sql)")
                case .refused(let diagnostic)?:
                    XCTAssertFalse(diagnostic.message.isEmpty, "\(dialect) refuses \(kind.keyword) without a reason")
                    XCTAssertNotNil(diagnostic.range, "\(dialect) refuses \(kind.keyword) without saying where")
                case .definition?, .none?, nil:
                    XCTFail("\(dialect) \(kind.keyword): not a query: \(statements)")
                }
            }
        }
    }

    /// The byte fuzzer's dictionary holds every stage keyword, so mutations reach every stage.
    func testTheFuzzDictionaryHasEveryStage() throws {
        let dictionary = try String(contentsOfFile: repositoryRoot + "/Tests/Fuzz/conflictql.dict", encoding: .utf8)
        let words = Set(dictionary.split(separator: "\n").map(String.init))
        for keyword in stageNames { XCTAssertTrue(words.contains("\"\(keyword)\""), "Tests/Fuzz/conflictql.dict lacks \(keyword)") }
    }

    /// The grammar's `stage` rule names every stage, in the registry's order.
    func testTheGrammarsStageRuleIsTheRegistrys() {
        let rule = StageKind.grammarText.prefix { $0 != ";" }
        let alternatives = rule.dropFirst("stage           =".count).split(separator: "|")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(alternatives, stageNames)
    }
}
