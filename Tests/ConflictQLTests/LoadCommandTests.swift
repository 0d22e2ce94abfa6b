// `.load FILE [NAME] with (...)` and `--load 'PATH=NAME with (...)'` say what a `load`
// statement can say: the same options, parsed by the same rule and checked by the same checker,
// with messages whose carets point into the text typed.

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

final class LoadCommandTests: XCTestCase {
    func command(_ text: String, _ form: LoadCommand.Form = .commandLine, from start: Int = 0) throws -> LoadCommand {
        try LoadCommand.parse(Source(name: "--load", text: text), from: start, form: form).get()
    }

    func rendered(_ text: String, _ form: LoadCommand.Form = .commandLine) -> String {
        let source = Source(name: form == .commandLine ? "--load" : "<repl>", text: text)
        do {
            let parsed = try LoadCommand.parse(source, from: form == .commandLine ? 0 : 5, form: form).get()
            _ = try Session().checkLoad(parsed, in: source)
            return "no error"
        } catch {
            return DiagnosticRenderer().render(error.diagnostics, in: error.source)
        }
    }

    func testCommandLineFormTakesPathNameAndOptions() throws {
        let session = Session()
        let spec = #"data/events.csv=ev with (delimiter = ";", header = false, lenient = true, fatalities: Int, records = "x.y")"#
        let source = Source(name: "--load", text: spec)
        let checked = try session.checkLoad(try command(spec), in: source)
        XCTAssertEqual(checked.path, "data/events.csv")
        XCTAssertEqual(checked.name, "ev")
        XCTAssertEqual(checked.options.delimiter, UInt8(ascii: ";"))
        XCTAssertFalse(checked.options.header)
        XCTAssertTrue(checked.options.lenient)
        XCTAssertEqual(checked.options.types, ["fatalities": .int])
        XCTAssertEqual(checked.options.records, "x.y")
        // Without a name, or without options, as before.
        XCTAssertEqual(try command("a=b/c.csv").path, "a=b/c.csv")
        XCTAssertEqual(try command("events.csv with (header = false)").name, nil)
        XCTAssertEqual(try command("events.csv with (header = false)").optionsText, "with (header = false)")
        XCTAssertEqual(try session.checkLoad(try command("e.csv"), in: Source(name: "--load", text: "e.csv")).name, "e")
    }

    func testDotCommandFormTakesQuotedPathsAndANameWord() throws {
        guard case .success(.load(let quoted)) = DotCommand.parse(#".load "my files/events.csv" ev WITH (format = csv)"#) else {
            return XCTFail()
        }
        XCTAssertEqual(quoted.path, "my files/events.csv")
        XCTAssertEqual(quoted.name, "ev")
        XCTAssertEqual(quoted.optionsText, "WITH (format = csv)")
        guard case .success(.load(let plain)) = DotCommand.parse(".load events.csv") else { return XCTFail() }
        XCTAssertEqual([plain.path], ["events.csv"])
        XCTAssertNil(plain.name)
        // A quoted path may hold ` with (`; an unquoted file name may hold the word.
        guard case .success(.load(let tricky)) = DotCommand.parse(#".load "odd with (x).csv" with (header = false)"#),
              case .success(.load(let word)) = DotCommand.parse(".load with.csv without") else { return XCTFail() }
        XCTAssertEqual(tricky.path, "odd with (x).csv")
        XCTAssertEqual(tricky.optionsText, "with (header = false)")
        XCTAssertEqual([word.path, word.name], ["with.csv", "without"])
    }

    func testBadOptionsGiveTheLanguagesMessagesWithCaretsInTheTextTyped() {
        XCTAssertEqual(rendered(#"events.csv=ev with (delimter = ";")"#), """
            --load:1:21: error: unknown load option 'delimter'
             1 | events.csv=ev with (delimter = ";")
               |                     ^~~~~~~~
            help: did you mean 'delimiter'?

            """)
        XCTAssertEqual(rendered(#".load événements.csv ev with (lenient = "yes")"#, .dotCommand), """
            <repl>:1:41: error: 'lenient' takes true or false
             1 | .load événements.csv ev with (lenient = "yes")
               |                                         ^~~~~
            
            """)
        XCTAssertEqual(rendered("events.csv with (fatalities: Integer)"), """
            --load:1:30: error: unknown type 'Integer'
             1 | events.csv with (fatalities: Integer)
               |                              ^~~~~~~
            help: did you mean 'Int'?

            """)
        XCTAssertEqual(rendered("events.csv with (header = false"), """
            --load:1:32: error: expected ')' to close '(' at 1:17, found end of input
             1 | events.csv with (header = false
               |                                ^

            """)
        XCTAssertEqual(rendered("events.csv=and"), """
            --load:1:12: error: 'and' is a reserved word and cannot name a table
             1 | events.csv=and
               |            ^~~
            help: name it: load "events.csv" as NAME

            """)
    }

    func testTabOffersOptionNamesAfterWith() {
        let completer = Completer(symbols: Session().symbols)
        XCTAssertEqual(completer.complete(#"load "x.csv" with ("#, word: "de"), ["delimiter"])
        XCTAssertEqual(completer.complete(#"load "x.csv" with (header = false, "#, word: "rec"), ["records"])
        XCTAssertEqual(completer.complete(#"load "x.csv" with (fatalities: "#, word: "I"), ["Int"])
        XCTAssertEqual(completer.completeLoadCommand(".load x.csv ev with (", word: "le"), ["lenient"])
        XCTAssertEqual(completer.completeLoadCommand(".load x.csv ev with (lenient = true, ", word: ""), Checker.loadOptionNames.sorted())
        XCTAssertNil(completer.completeLoadCommand(".load data/", word: "data/"), "before the options, Tab completes the path")
    }
}
