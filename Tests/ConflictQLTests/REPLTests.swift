// The REPL's logic without a terminal: completeness, continuation, `|` extension,
// completion candidates, dot-commands and help.

import ConflictQL
import Foundation
import XCTest

final class StatementAssemblerTests: XCTestCase {
    func testCompleteLineRunsAtOnce() {
        var assembler = StatementAssembler()
        XCTAssertEqual(assembler.add("groups | count"), .statement(text: "groups | count", historyEntry: "groups | count"))
        XCTAssertFalse(assembler.isContinuing)
    }

    func testIncompleteStatementWaitsForMoreLines() {
        var assembler = StatementAssembler()
        XCTAssertEqual(assembler.add("groups | where (founded"), .needMore)
        XCTAssertTrue(assembler.isContinuing)
        XCTAssertEqual(assembler.add("  is not null)"),
                       .statement(text: "groups | where (founded\n  is not null)", historyEntry: "groups | where (founded\n  is not null)"))
        for opening in ["funding |", "let x =", "funding | where donor == \"Saudi", "figures | where value >"] {
            var fresh = StatementAssembler()
            XCTAssertEqual(fresh.add(opening), .needMore, opening)
        }
    }

    func testPipeLineExtendsThePreviousStatement() {
        var assembler = StatementAssembler()
        guard case .statement(let first, _) = assembler.add("groups") else { return XCTFail() }
        assembler.succeeded(first)
        guard case .statement(let second, let typed) = assembler.add("| where designation has \"FTO\"") else { return XCTFail() }
        XCTAssertEqual(second, "groups\n| where designation has \"FTO\"")
        XCTAssertEqual(typed, "| where designation has \"FTO\"")
        assembler.succeeded(second)
        guard case .statement(let third, _) = assembler.add("| select name") else { return XCTFail() }
        XCTAssertEqual(third, "groups\n| where designation has \"FTO\"\n| select name")
        // The same text as a script is one statement with the same result.
        XCTAssertEqual(output(third), output("groups | where designation has \"FTO\" | select name"))
        XCTAssertEqual(parse(Source(name: "t", text: third)).script.statements.count, 1)
    }

    func testByLineExtendsToo() {
        var assembler = StatementAssembler()
        guard case .statement(let first, _) = assembler.add("funding | summarize total = sum(amount_usd)") else { return XCTFail() }
        assembler.succeeded(first)
        XCTAssertEqual(assembler.add("by recipient"),
                       .statement(text: "funding | summarize total = sum(amount_usd)\nby recipient", historyEntry: "by recipient"))
    }

    func testPipeWithNothingToExtendIsAnError() {
        var assembler = StatementAssembler()
        XCTAssertEqual(assembler.add("| count"), .error(.nothingToExtend))
        XCTAssertFalse(assembler.isContinuing)
    }

    func testDotCommandsEmptyLinesAndDiscard() {
        var assembler = StatementAssembler()
        XCTAssertEqual(assembler.add("  .tables"), .dotCommand(".tables"))
        XCTAssertEqual(assembler.add(""), .empty)
        XCTAssertEqual(assembler.add("# a comment"), .empty)
        XCTAssertEqual(assembler.add("groups | where ("), .needMore)
        assembler.discard()
        XCTAssertFalse(assembler.isContinuing)
    }
}

final class CompleterTests: XCTestCase {
    let session = Session()

    func complete(_ context: String, _ word: String) -> [String] {
        Completer(symbols: session.symbols).complete(context, word: word)
    }

    func testDollarCompletesLetValuesAndExplainStartsAStatement() throws {
        let session = Session()
        _ = try session.run("let region = \"Gao\"\nlet cutoff = 5\nlet fto = groups | take 1")
        let completer = Completer(symbols: session.symbols)
        XCTAssertEqual(completer.complete("funding | where donor == ", word: "$"), ["$cutoff", "$region"])
        XCTAssertEqual(completer.complete("", word: "expl"), ["explain"])
    }

    func testTablesAtTheStartOfAStatement() {
        XCTAssertEqual(complete("", "fi"), ["figures"])
        XCTAssertEqual(complete("", "gr"), ["groups"])
        XCTAssertEqual(complete("funding | count\n", "ti"), ["timeline"])
        XCTAssertEqual(complete("let x = ", "mi"), ["missions"])
    }

    func testStagesAfterPipe() {
        XCTAssertEqual(complete("groups | ", "s"), ["select", "sort", "summarize"])
        XCTAssertEqual(complete("groups\n| ", "wh"), ["where"])
    }

    func testUnionCompletesTablesAndWindowItsFunctions() {
        XCTAssertEqual(complete("funding | union ", "mis"), ["missions"])
        XCTAssertEqual(complete("funding | union ", "so"), ["source ="])
        XCTAssertEqual(complete("funding | union source = t ", "fi"), ["figures"])
        XCTAssertEqual(complete("funding | union missions, ", "fi"), ["figures"])
        XCTAssertEqual(complete("funding | window sort by year t = ", "runn"), ["running_sum"])
    }

    func testFillCompletesItsClauseWordsAndDurationUnits() {
        XCTAssertEqual(complete("groups | ", "fi"), ["fill"])
        XCTAssertEqual(complete("funding | fill year ", "st"), ["step"])
        XCTAssertEqual(complete("timeline | fill date step 1 ", "we"), ["weeks"])
        XCTAssertEqual(complete("timeline | fill date step 1 months ", "w"), ["with"])
        // Within the bounds, expressions go on: the clause word first, then the functions.
        let bound = complete("timeline | fill date step 1 year from @2011 ", "t")
        XCTAssertEqual(bound.first, "to")
        XCTAssertTrue(bound.contains("to_month"), "\(bound)")
        XCTAssertEqual(complete("funding | fill year step 1 with ", "amo"), ["amount_usd"])
    }

    func testColumnsOfTheTableFlowingIn() {
        XCTAssertEqual(complete("funding | where ", "am"), ["amount_usd"])
        XCTAssertEqual(complete("groups | where ", "desig"), ["designated_by", "designated_year", "designation"])
        // Columns made by an earlier stage count; columns dropped by one do not.
        XCTAssertEqual(complete("funding | extend millions = amount_usd / 1000000 | where ", "mil"), ["millions"])
        XCTAssertEqual(complete("funding | summarize total = sum(amount_usd) by recipient | sort by "
            + "", "to"), ["to_month", "to_week", "to_year", "total"])
        XCTAssertEqual(complete("funding | select donor | where ", "am"), [])
    }

    func testFunctionsInsideExpressions() {
        XCTAssertEqual(complete("timeline | extend y = ", "ye"), ["year"])
        XCTAssertTrue(complete("funding | summarize ", "s").contains("sum"))
        XCTAssertTrue(complete("funding | summarize sum(", "am").contains("amount_usd"))
    }

    func testValuesOfAStringColumnWithFewValues() {
        XCTAssertEqual(complete("funding | where donor == ", "\"S"), ["\"Saudi Arabia\""])
        XCTAssertEqual(complete("funding | where kind in (", ""), ["\"cut off\"", "\"pledge\""])
        XCTAssertEqual(complete("countries | where roles has ", "\"G5 Sahel d"), [])
    }

    /// A completed value is a literal that reads back as that value, whatever it holds.
    func testCompletedValuesReadBackAsThemselves() throws {
        let values = ["a\"\u{301}b", "back\\slash", "c\rd\u{7F}", "line\nbreak"]
        var catalog = Catalog()
        catalog.add("t", Table(schema: Schema([Field("x", .string)]), rows: values.map { [.string($0)] }), description: "test")
        let session = Session(catalog: catalog)
        let completions = Completer(symbols: session.symbols).complete("t | where x == ", word: "")
        XCTAssertEqual(completions.count, values.count)
        for completion in completions {
            guard case .table(let table)? = try session.run("t | where x == \(completion)").last else { return XCTFail(completion) }
            XCTAssertEqual(table.rowCount, 1, completion)
        }
    }

    func testJoinSourcesAndKinds() {
        XCTAssertEqual(complete("funding | join ", "cou"), ["countries"])
        XCTAssertEqual(complete("funding | join (", "co"), ["concerns", "countries"])
        XCTAssertEqual(complete("funding | join kind=", ""), ["anti", "inner", "left", "semi"])
        XCTAssertEqual(complete("funding | join (countries | where ", "g5"), ["g5_member"])
        // In the condition, each side's columns with their side.
        XCTAssertEqual(complete("funding | join countries on ", "right.g"), ["right.g5_member"])
        XCTAssertEqual(complete("funding | join countries on ", "left.don"), ["left.donor"])
        XCTAssertEqual(complete("funding | join kind=semi (countries | select name) on left.donor == ", "right."), ["right.name"])
        XCTAssertEqual(complete("funding | join countries on (left.donor == right.name and ", "left.am"), ["left.amount_usd"])
    }

    func testFilePathsAfterLoadButNotInSafeMode() {
        let completer = Completer(symbols: session.symbols)
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        XCTAssertEqual(completer.complete("load ", word: "\"Sampl"), ["\"Samples/"])
        XCTAssertTrue(completer.complete("load ", word: "\"Samples/to").contains("\"Samples/tour.cq\""))
        let safe = Completer(symbols: session.symbols, allowsFileAccess: false)
        XCTAssertEqual(safe.complete("load ", word: "\"Sampl"), [])
    }

    func testDotCommands() {
        XCTAssertEqual(complete("", ".ta"), [".tables"])
        XCTAssertEqual(complete("", ".m"), [".maxrows", ".mode"])
    }

    /// A command's argument is completed from its description: its choices, a table, a file.
    func testDotCommandArgumentsFromTheirDescriptions() {
        let completer = Completer(symbols: session.symbols)
        let assembler = StatementAssembler()
        XCTAssertEqual(completer.complete(line: ".mode ", word: "c", assembler: assembler), ["csv"])
        XCTAssertEqual(completer.complete(line: ".timer ", word: "o", assembler: assembler), ["off", "on"])
        XCTAssertEqual(completer.complete(line: ".schema ", word: "gr", assembler: assembler), ["groups"])
        XCTAssertEqual(completer.complete(line: ".help ", word: "st", assembler: assembler), ["stages"])
        XCTAssertEqual(completer.complete(line: ".mode csv ", word: "", assembler: assembler), [])
        XCTAssertEqual(completer.complete(line: ".load x.csv ev with (", word: "le", assembler: assembler), ["lenient"])
        // A line that goes on a statement is completed as the statement, not as a command.
        var continuing = StatementAssembler()
        XCTAssertEqual(continuing.add("funding |"), .needMore)
        XCTAssertEqual(completer.complete(line: "", word: "wh", assembler: continuing), ["where"])
    }

    /// What the parser expected after an operand: its operators and the stage's clause words.
    func testWordsTheParserExpectsAfterAnOperand() {
        XCTAssertEqual(complete("groups | where designation ", "ha"), ["has"])
        XCTAssertEqual(complete("groups | where designation has \"FTO\" ", "an"), ["and"])
        XCTAssertTrue(complete("funding | sort by amount_usd ", "de").contains("desc"))
        XCTAssertEqual(complete("funding | summarize ", "b"), ["bin", "by"])
        XCTAssertEqual(complete("explain ", "an"), ["analyze"])
    }
}

final class DotCommandTests: XCTestCase {
    func testParsesEveryCommand() {
        XCTAssertEqual(try DotCommand.parse(".help stages").get(), .help("stages"))
        XCTAssertEqual(try DotCommand.parse(".tables").get(), .tables)
        XCTAssertEqual(try DotCommand.parse(".schema groups").get(), .schema("groups"))
        XCTAssertEqual(try DotCommand.parse(".mode csv").get(), .mode(.csv))
        XCTAssertEqual(try DotCommand.parse(".timer on").get(), .timer(true))
        XCTAssertEqual(try DotCommand.parse(".read \"my script.cq\"").get(), .read("my script.cq"))
        XCTAssertEqual(try DotCommand.parse(".output out.csv").get(), .output("out.csv"))
        XCTAssertEqual(try DotCommand.parse(".output").get(), .output(nil))
        XCTAssertEqual(try DotCommand.parse(".maxrows 10").get(), .maxRows(10))
        XCTAssertEqual(try DotCommand.parse(".exit").get(), .quit)
        XCTAssertEqual(try DotCommand.parse(".mode line").get(), .mode(.line))
        XCTAssertEqual(try DotCommand.parse(".pager off").get(), .pager(.off))
        XCTAssertEqual(try DotCommand.parse(".pager less -S").get(), .pager(.command("less -S")))
        XCTAssertEqual(try DotCommand.parse(".once \"out file.html\"").get(), .once("out file.html"))
        XCTAssertEqual(try DotCommand.parse(".last").get(), .last(nil))
        XCTAssertEqual(try DotCommand.parse(".last ndjson").get(), .last(.ndjson))
        XCTAssertEqual(try DotCommand.parse(".edit").get(), .edit)
    }

    func testUnknownCommandSuggests() {
        let text = ".tabels"
        guard case .failure(let diagnostic) = DotCommand.parse(text) else { return XCTFail() }
        XCTAssertEqual(DiagnosticRenderer().render(diagnostic, in: Source(name: "<repl>", text: text)), """
        <repl>:1:1: error: unknown command '.tabels'
         1 | .tabels
           | ^~~~~~~
        help: did you mean '.tables'?

        """)
    }

    func testBadArguments() {
        guard case .failure(let mode) = DotCommand.parse(".mode xml") else { return XCTFail() }
        XCTAssertEqual(mode.message, "unknown format 'xml'")
        XCTAssertEqual(mode.help, "usage: .mode table|csv|tsv|json|ndjson|line|markdown|html|svg|parquet")
        guard case .failure(let last) = DotCommand.parse(".last nsjson") else { return XCTFail() }
        XCTAssertEqual(last.message, "unknown format 'nsjson'")
        XCTAssertEqual(last.help, "did you mean 'ndjson'?")
        guard case .failure(let once) = DotCommand.parse(".once") else { return XCTFail() }
        XCTAssertEqual(once.message, "'.once' needs a file")
        guard case .failure(let rows) = DotCommand.parse(".maxrows many") else { return XCTFail() }
        XCTAssertEqual(rows.message, "'.maxrows' needs a number of rows, 0 or more")
    }
}

final class HelpTests: XCTestCase {
    func testEveryHelpExampleRuns() {
        for topic in [nil] + Help.topics.map(Optional.some) {
            XCTAssertNotNil(Help.text(topic))
            let examples = Help.examples(topic)
            XCTAssertFalse(examples.isEmpty)
            for example in examples {
                XCTAssertTrue(Help.text(topic)!.contains(example), "help text shows \(example)")
                XCTAssertEqual(diagnostics(example), "", example)
            }
        }
        XCTAssertNil(Help.text("nonsense"))
    }
}

/// The one `perform` behind the REPL and the script runner, through a host that records what
/// it was asked to do.
final class DotCommandPerformerTests: XCTestCase {
    final class RecordingHost: DotCommandHost {
        let session: Session
        var format = OutputFormat.table
        var timer = false
        var maxRows = 40
        var readDepth = 0
        var canShowMore: Bool { true }
        var shown: [String] = []
        var ran: [String] = []
        var reported: [DotCommandFailure] = []
        var outputs: [String?] = []

        init(session: Session = Session()) { self.session = session }

        func showHelp(_ text: String) { shown.append(text) }
        func writeAmongResults(_ text: String) { shown.append(text) }
        func runStatements(_ source: Source) { ran.append(source.text) }
        func runScript(_ source: Source) throws {
            ran.append("script \(source.name)")
            try session.run(source, onCommand: { try self.perform($0.command, at: $0.range, in: source, policy: .stopScript) },
                            onResult: { _ in })
        }
        func runLoad(_ script: Script, in source: Source) { ran.append("load \(source.text)") }
        func readScript(at path: String) throws(HostFileFailure) -> [UInt8] {
            guard path == "self.cq" else { throw HostFileFailure(.cannotReadScript(path, "No such file or directory")) }
            return Array(".read self.cq\n".utf8)
        }
        func closeOutput() { outputs.append(nil) }
        func openOutput(_ path: String) throws(HostFileFailure) {
            guard !path.hasSuffix("/") else { throw HostFileFailure(.outputIsADirectory(path)) }
            outputs.append(path)
        }
        func report(_ failure: DotCommandFailure) { reported.append(failure) }
    }

    func testSettingsAndStatementsGoThroughTheHost() throws {
        let host = RecordingHost()
        for line in [".mode csv", ".timer on", ".maxrows 5", ".sources off", ".tables", ".schema groups", ".output out.csv", ".output"] {
            XCTAssertEqual(try host.perform(line: line, policy: .stopScript), .done, line)
        }
        XCTAssertEqual(host.format, .csv)
        XCTAssertTrue(host.timer)
        XCTAssertEqual(host.maxRows, 5)
        XCTAssertFalse(host.session.showsSources)
        XCTAssertEqual(host.ran, ["tables", "describe `groups`"])
        XCTAssertEqual(host.outputs, [nil, "out.csv", nil])
        XCTAssertEqual(try host.perform(line: ".exit", policy: .stopScript), .quit)
        // `.schema` alone: each table's name among the results, then its description.
        let all = RecordingHost()
        try all.perform(line: ".schema", policy: .stopScript)
        XCTAssertEqual(all.shown.count, all.session.catalog.names.count)
        XCTAssertEqual(all.shown.first, all.session.catalog.names.first.map { "\($0):\n" })
    }

    func testTheErrorPolicyStopsAScriptOrReportsAndGoesOn() throws {
        let host = RecordingHost()
        XCTAssertThrowsError(try host.perform(line: ".help stagez", policy: .stopScript)) { error in
            let diagnostic = (error as? DiagnosticError)?.diagnostics.first
            XCTAssertEqual(diagnostic?.message, "no help on 'stagez'")
            XCTAssertEqual(diagnostic?.help, "did you mean '.help stages'?")
            XCTAssertEqual(diagnostic?.range, SourceRange(start: 0, end: 12))
        }
        XCTAssertTrue(host.reported.isEmpty)
        XCTAssertEqual(try host.perform(line: ".help stagez", policy: .reportAndContinue), .done)
        XCTAssertEqual(host.reported.map(\.cause), [.failed])
        // A line that does not parse is refused, under either policy.
        XCTAssertEqual(try host.perform(line: ".mode xml", policy: .reportAndContinue), .done)
        XCTAssertEqual(host.reported.last?.cause, .refused)
        XCTAssertEqual(host.reported.last?.error.diagnostics.first?.message, "unknown format 'xml'")
        XCTAssertThrowsError(try host.perform(line: ".output dir/", policy: .stopScript))
        // At the prompt the message is plain and keeps a long path whole.
        let long = String(repeating: "d", count: 120) + "/"
        try host.perform(line: ".output \(long)", policy: .reportAndContinue)
        XCTAssertEqual(host.reported.last?.message, "'\(long)' is a directory; '.output' needs a file")
        XCTAssertEqual(host.reported.last?.error.diagnostics.first?.id.rawValue, "output-unwritable")
        XCTAssertThrowsError(try host.perform(line: ".read missing.cq", policy: .stopScript))
    }

    func testSafeModeRefusesTheCommandsThatTouchFiles() throws {
        let host = RecordingHost(session: Session(allowsFileAccess: false))
        for line in [".read x.cq", ".load x.csv", ".output x.csv", ".once x.csv", ".edit", ".pager less"] {
            try host.perform(line: line, policy: .reportAndContinue)
            XCTAssertEqual(host.reported.last?.cause, .refused, line)
            XCTAssertEqual(host.reported.last?.error.diagnostics.first?.help, "run without --safe to read or write files", line)
        }
        XCTAssertEqual(host.reported.count, 6)
        // Back to the screen touches no file, nor does the pager on or off.
        try host.perform(line: ".pager off", policy: .stopScript)
        try host.perform(line: ".output", policy: .stopScript)
        XCTAssertEqual(host.outputs, [nil])
        XCTAssertEqual(DotCommand.Name.allCases.filter { $0.descriptor.files != .never }, [.read, .load, .output, .once, .pager, .edit])
    }

    func testAScriptThatReadsItselfStopsAtTheDepthLimit() {
        let host = RecordingHost()
        XCTAssertThrowsError(try host.perform(line: ".read self.cq", policy: .stopScript)) { error in
            XCTAssertEqual((error as? DiagnosticError)?.diagnostics.first?.message, "'.read' nests deeper than 16 scripts")
        }
        XCTAssertEqual(host.ran.count, DotCommand.maximumReadDepth)
        XCTAssertEqual(host.readDepth, 0)
    }

    /// Help, suggestions and completion read the same descriptions.
    func testEveryCommandIsDescribedOnceAndHelpListsIt() {
        let help = Help.text(nil) ?? ""
        for name in DotCommand.Name.allCases {
            XCTAssertTrue(help.contains("  " + name.usage), name.rawValue)
            XCTAssertTrue(help.contains(name.descriptor.summary), name.rawValue)
            XCTAssertEqual(DotCommand.Name(spelling: name.rawValue.uppercased()), name)
            XCTAssertEqual(Completer(symbols: Session().symbols).complete("", word: "." + name.rawValue).first, "." + name.rawValue)
        }
        XCTAssertEqual(DotCommand.Name(spelling: "q"), .quit)
        XCTAssertEqual(DotCommand.names.filter { DotCommand.Name(spelling: $0) == nil }, [])
        XCTAssertFalse(DotCommand.names.contains("q"), "a shortcut is accepted, not offered")
    }

    /// `.help` names every statement of the grammar and `.help stages` every stage, each with
    /// its own entry: read from Grammar/ConflictQL.ebnf's `statement` and `stage` rules, so a
    /// statement or stage added to the grammar without help fails here.
    func testHelpCoversEveryStatementAndStageOfTheGrammar() throws {
        let grammar = try String(contentsOfFile: repositoryRoot + "/Grammar/ConflictQL.ebnf", encoding: .utf8)
        func alternatives(of rule: String) throws -> [String] {
            let start = try XCTUnwrap(grammar.range(of: "\n\(rule) += ", options: .regularExpression), rule)
            let body = grammar[start.upperBound...].prefix { $0 != ";" }
            return body.split(separator: "|").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        let statements = try alternatives(of: "statement")
        XCTAssertEqual(statements, ["binding", "describe", "explain", "load", "pipeline"])
        let help = try XCTUnwrap(Help.text(nil))
        for word in ["let NAME", "describe TABLE", "explain QUERY", "explain analyze", "explain sql", "load \"FILE", "tables"] {
            XCTAssertTrue(help.contains(word), word)
        }
        let stages = try alternatives(of: "stage")
        XCTAssertGreaterThanOrEqual(stages.count, 17)
        let stageHelp = try XCTUnwrap(Help.text("stages"))
        for stage in stages {
            XCTAssertTrue(stageHelp.contains("\n  " + stage + " ") || stageHelp.contains("\n  " + stage + "\n"), "'.help stages' lists "
                + "\(stage)")
            XCTAssertNotNil(Help.text(stage), "'.help \(stage)'")
        }
    }
}
