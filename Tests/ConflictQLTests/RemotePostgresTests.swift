// Pipelines run on PostgreSQL through `--engine` and `.connect` (issue 25), against the
// throwaway server .ci/run starts (Tests/SQL/postgres.sh; CONFLICTQL_POSTGRES names it). The
// briefing's tables, the GED fixture and the fuzzing session's `let` tables are put in a
// database of their own, with their `_cq_row` order column (`--to-sql postgres --schema`),
// and then: Samples/events.cq gives the same output through `--engine` as locally; a few
// hundred generated pipelines give the same rows; the catalogue's types, `describe` before a
// query, a mixed pipeline's refusal, `explain`, cancellation, a dropped connection, and that
// no password is ever shown. Skipped without the server unless CONFLICTQL_REQUIRE_ENGINES is set.

import ConflictQL
import Foundation
import QueryFuzzing
import XCTest

final class RemotePostgresTests: XCTestCase {
    static let database = "conflictql_remote"

    /// The server's settings as psql takes them, or a skip (a failure when engines are required).
    func server() throws -> String {
        guard let dsn = ProcessInfo.processInfo.environment["CONFLICTQL_POSTGRES"] else {
            if ProcessInfo.processInfo.environment["CONFLICTQL_REQUIRE_ENGINES"] != nil { XCTFail("CONFLICTQL_POSTGRES is not set") }
            throw XCTSkip("no PostgreSQL: eval \"$(Tests/SQL/postgres.sh start)\"")
        }
        return dsn
    }

    /// The test database's settings: the server's with its own dbname.
    func address() throws -> String {
        try server().split(separator: " ").filter { !$0.hasPrefix("dbname=") }.joined(separator: " ") + " dbname=\(Self.database)"
    }

    /// Runs SQL with psql; fails the test on an error.
    @discardableResult
    static func psql(_ sql: String, dsn: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", dsn, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-f", "-"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = Data(sql.utf8)
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "psql failed: \(problems)")
        return text
    }

    /// The database, made anew with every table of the fuzzing session (the briefing's, `ged`,
    /// and its `let` tables), each with its `_cq_row` order column.
    func makeDatabase() throws -> Session {
        let local = try fuzzingSession(fixture: repositoryRoot + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv")
        try Self.psql("DROP DATABASE IF EXISTS \(Self.database) WITH (FORCE);\nCREATE DATABASE \(Self.database);\n", dsn: try server())
        try Self.psql(try local.schemaScript(dialect: .postgres) + """
            CREATE VIEW slow AS SELECT g AS n FROM generate_series(1, 2000000000) AS g;
            CREATE TABLE many AS SELECT g::bigint AS n FROM generate_series(1, 300000) AS g;
            CREATE TABLE odd (id integer, amount numeric, name varchar(20), seen timestamp, tags text[], blob bytea);
            INSERT INTO odd VALUES (1, 2.5, 'Gao', '2024-05-01 10:00', ARRAY['a', 'b'], '\\x00'), (2, NULL, NULL, NULL, NULL, NULL);
            """, dsn: try address())
        return local
    }

    /// A session connected to the test database, with the fuzzing session's `let` values.
    func remoteSession() throws -> Session {
        let session = Session()
        _ = try session.run("let p_int = 2\nlet p_text = \"Mali\"\nlet p_date = @2013-04\nlet p_flag = true\nlet p_none = float(null)")
        try session.connect(try address())
        return session
    }

    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("conflictql").path
    }

    func runExecutable(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = fixedClock
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text, problems)
    }

    // MARK: The tests

    /// Samples/events.cq, its `load` line dropped (the table is in PostgreSQL), prints through
    /// `--engine` what it prints locally, every query (a join with the briefing's `countries`
    /// among them) run in PostgreSQL.
    func testTheEventsSampleGivesTheSameOutputThroughEngine() throws {
        _ = try makeDatabase()
        let sample = try String(contentsOfFile: repositoryRoot + "/Samples/events.cq", encoding: .utf8)
        XCTAssertTrue(sample.contains("load \"Tests/ConflictQLTests/Fixtures/ged_sahel.csv\" as ged"))
        let script = NSTemporaryDirectory() + "conflictql-remote-events-\(getpid()).cq"
        try sample.replacingOccurrences(of: "load \"Tests/ConflictQLTests/Fixtures/ged_sahel.csv\" as ged", with: "")
            .write(toFile: script, atomically: true, encoding: .utf8)
        defer { unlink(script) }
        let local = try runExecutable(["--no-sources", "Samples/events.cq"])
        XCTAssertEqual(local.status, 0, local.errors)
        let remote = try runExecutable(["--no-sources", "--engine", try address(), script])
        XCTAssertEqual(remote.status, 0, remote.errors)
        XCTAssertTrue(remote.errors.hasPrefix("connected to postgres://postgres@["), remote.errors)
        XCTAssertEqual(remote.output, local.output)
        XCTAssertGreaterThan(local.output.split(separator: "\n").count, 30)
        // `explain` says where each query ran: the same script's first query, explained.
        let explained = try runExecutable(["--engine", try address(), "--explain", "-c", "ged | summarize n = count() by year"])
        XCTAssertEqual(explained.status, 0, explained.errors)
        XCTAssertTrue(explained.output.contains("runs on postgres://postgres@["), explained.output)
        XCTAssertTrue(explained.output.contains("FROM \"public\".\"ged\""), explained.output)
    }

    /// Generated pipelines over every table give the same rows in PostgreSQL as here.
    func testGeneratedPipelinesGiveTheSameRowsRemotely() throws {
        let local = try makeDatabase()
        let remote = try remoteSession()
        let runner = QueryRunner(session: local)
        var generator = QueryGenerator(seed: 2512, environment: local.environment)
        var compared = 0, refused = 0, localErrors = 0, coarse = 0, differences: [String] = []
        // Tables with dates known here only to the month or the year (the briefing's `2018`):
        // PostgreSQL's DATE is a day, so a date function answers there as for the 1st of
        // January (quarter 1) where here it has no quarter. Not compared.
        let coarseTables = Set(local.catalog.names.filter { name in
            local.catalog.table(named: name)?.schema.fields.contains { $0.type == .date && $0.datePrecisions.coarsest < .day } ?? false
        })
        for _ in 0..<800 {
            let query = generator.pipeline().text
            let words = Set(query.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init))
            if !words.isDisjoint(with: coarseTables) { coarse += 1; continue }
            guard case (.rows, let expected?) = try runner.run(query) else { localErrors += 1; continue }
            let answer: Table
            do {
                guard case .table(let table)? = try remote.run(query, name: "<generated>").last else { continue }
                answer = table
            } catch let error as DiagnosticError {
                let message = error.diagnostics[0].message
                // What the SQL cannot say is refused before anything is sent: not compared.
                if message.contains("cannot be expressed") || message.contains("so it runs there") { refused += 1; continue }
                // PostgreSQL refuses Float arithmetic past the finite range, where IEEE gives infinity.
                if message.contains("value out of range"), expected.rows.joined().contains(where: { if case .float(let d) = $0 { !d.isFinite } else { false } }) {
                    continue
                }
                differences.append("\(query)\n  PostgreSQL failed: \(message)")
                continue
            }
            compared += 1
            if let difference = RemotePostgresTests.difference(expected, answer) { differences.append("\(query)\n  \(difference)") }
        }
        print("remote postgres: \(compared) pipelines compared, \(refused) refused as not expressible, \(localErrors) ended in a ConflictQL error, "
              + "\(coarse) over tables of month or year dates skipped, \(differences.count) differ")
        for difference in differences.prefix(10) { XCTFail(difference) }
        XCTAssertGreaterThan(compared, 250)
    }

    static func difference(_ mine: Table, _ theirs: Table) -> String? {
        if mine.schema.names != theirs.schema.names { return "columns \(mine.schema.names) here, \(theirs.schema.names) there" }
        if mine.rowCount != theirs.rowCount { return "\(mine.rowCount) rows here, \(theirs.rowCount) there" }
        for row in 0..<mine.rowCount where !zip(mine.row(row), theirs.row(row)).allSatisfy(same) {
            return "row \(row + 1): \(mine.row(row)) here, \(theirs.row(row)) there"
        }
        return nil
    }

    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN) || Swift.abs(x - y) <= 1e-9 * Swift.max(Swift.abs(x), Swift.abs(y))
        case (.date(let x), .date(let y)): return x.days == y.days
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy(same)
        default: return a == b
        }
    }

    /// The catalogue's types, read before any query: `describe`, the checker's "did you mean",
    /// and columns of types ConflictQL cannot read left out with a note.
    func testTheCatalogueIsKnownBeforeAnyQuery() throws {
        _ = try makeDatabase()
        let session = Session()
        let report = try session.connect(try address())
        XCTAssertTrue(report.tables.contains("ged") && report.tables.contains("odd"), "\(report.tables)")
        XCTAssertEqual(report.skippedColumns["odd"], ["blob"])
        XCTAssertTrue(report.hidden.contains("countries"))
        XCTAssertEqual(session.remoteEngine?.hasSuffix("/\(Self.database)"), true, session.remoteEngine ?? "")
        guard case .table(let described)? = try session.run("describe odd").last else { return XCTFail("no table") }
        XCTAssertEqual(described.rows.map { Array($0.prefix(2)) },
                       [["id", "Int"], ["amount", "Float"], ["name", "String"], ["seen", "Date"], ["tags", "List<String>"]].map { $0.map(Value.string) })
        do {
            _ = try session.run("ged | where cuntry == \"Mali\"")
            XCTFail("an unknown column must not check")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].help, "did you mean 'country'?")
        }
        // Every type comes back as the checker said.
        guard case .table(let odd)? = try session.run("odd | extend total = amount * id | sort by id").last else { return XCTFail("no table") }
        XCTAssertEqual(odd.row(0), [.int(1), .float(2.5), .string("Gao"), .date(DateValue(year: 2024, month: 5, day: 1)!),
                                    .list([.string("a"), .string("b")]), .float(2.5)])
        XCTAssertEqual(odd.row(1), [.int(2), .null, .null, .null, .null, .null])
        // The result names the engine it came from.
        XCTAssertEqual(odd.provenance?.files.first?.hasPrefix("odd in postgres://postgres@["), true)
        // `.disconnect` gives the local `countries` back.
        XCTAssertNotNil(session.disconnect())
        XCTAssertNil(session.symbols.schema(ofTable: "odd"))
        XCTAssertEqual(session.symbols.table(named: "countries")?.rowCount, Session().symbols.table(named: "countries")?.rowCount)
    }

    /// A pipeline reading a remote and a local table says what to do; `let` brings rows here.
    func testAMixedPipelineIsRefusedWithWhatToDo() throws {
        _ = try makeDatabase()
        let session = try remoteSession()
        _ = try session.run("let here = groups | take 2")
        do {
            _ = try session.run("ged | join here on left.side_b == right.name")
            XCTFail("a mixed pipeline must not run")
        } catch let error as DiagnosticError {
            XCTAssertTrue(error.diagnostics[0].message.contains("reads 'ged' in postgres://"), error.diagnostics[0].message)
            XCTAssertTrue(error.diagnostics[0].message.contains("and 'here' here"), error.diagnostics[0].message)
            XCTAssertTrue(error.diagnostics[0].help?.contains("let small = ged") == true)
        }
        // Rows brought here with let are local: the join then runs here.
        let results = try session.run("let mali = ged | where country == \"Mali\" | select side_b, best\nmali | join here on left.side_b == right.name | count")
        guard case .table(let count)? = results.last else { return XCTFail("no table") }
        XCTAssertEqual(count.rowCount, 1)
        XCTAssertEqual(session.symbols.table(named: "mali")?.rowCount, 7)
    }

    /// Cancelling (Ctrl-C) stops a query that would run for minutes on the engine, promptly,
    /// and the session goes on; a connection the server drops is an error saying so, and the
    /// next statement connects again.
    func testCancellationAndADroppedConnection() throws {
        _ = try makeDatabase()
        let session = try remoteSession()
        let started = Date()
        let cancellation = session.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { cancellation.cancel() }
        do {
            _ = try session.run("slow | summarize n = count()")
            XCTFail("a cancelled query must not answer")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].message, "cancelled")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        guard case .table(let after)? = try session.run("ged | count").last else { return XCTFail("no table") }
        XCTAssertEqual(after.row(0), [.int(15)])

        // The server drops the connection in the middle of a query (a restart, a killed backend).
        let server = try server()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            _ = try? RemotePostgresTests.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(Self.database)' AND pid <> pg_backend_pid();",
                               dsn: server)
        }
        do {
            _ = try session.run("slow | summarize n = count()")
            XCTFail("a dropped connection must be an error")
        } catch let error as DiagnosticError {
            XCTAssertTrue(error.diagnostics[0].message.contains("postgres://postgres@["), error.diagnostics[0].message)
            XCTAssertEqual(error.diagnostics[0].help, "the next statement connects again")
        }
        // A connection found closed before a statement is opened again without a word.
        guard case .table(let again)? = try session.run("ged | count").last else { return XCTFail("no table") }
        XCTAssertEqual(again.row(0), [.int(15)])
    }

    /// An empty remote answer gets the hint a local one gets, worked out by asking the engine.
    func testAnEmptyRemoteAnswerGetsAHint() throws {
        _ = try makeDatabase()
        let session = try remoteSession()
        for (query, expected) in [(#"ged | where country == "Mail" | select side_a"#, #"did you mean "Mali"?"#),
                                  (#"ged | where year > 2030"#, "year runs from")] {
            var hints: [Diagnostic] = []
            var rows = -1
            try session.run(Source(name: "<test>", text: query), onHint: { hints += $0.diagnostics }, onCommand: { _ in }) { result in
                if case .table(let table) = result { rows = table.rowCount }
            }
            XCTAssertEqual(rows, 0, query)
            XCTAssertEqual(hints.first?.severity, .note, query)
            XCTAssertTrue(hints.first?.help?.contains(expected) == true, "\(query): \(hints)")
        }
    }

    /// In the REPL, as a person types it: `.connect`, a remote query, Ctrl-C on one that would
    /// run for minutes (cancelled on the engine), and the prompt goes on; the history file keeps
    /// the `.connect` line without its password.
    func testTheREPLConnectsAndCtrlCCancelsARemoteQuery() throws {
        _ = try makeDatabase()
        let history = NSTemporaryDirectory() + "conflictql-remote-history-\(getpid())"
        defer { unlink(history) }
        let terminal = try TerminalTests.Terminal(executable: executable,
                                                  environment: ["CONFLICTQL_HISTORY": history, "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type(".connect \(try address()) password=hunter2-secret\r")
        XCTAssertTrue(terminal.read(until: "connected to postgres://"), terminal.screen)
        XCTAssertTrue(terminal.read(until: "cq> "), terminal.screen)
        terminal.type("ged | summarize n = count() by country | top 1 by n\r")
        XCTAssertTrue(terminal.read(until: "(1 row)"), terminal.screen)
        let before = terminal.screen.count
        terminal.type("slow | summarize n = count()\r")
        XCTAssertTrue(terminal.read(until: "count()\r\n"), terminal.screen)
        Thread.sleep(forTimeInterval: 1)
        let pressed = Date()
        terminal.type("\u{3}")
        XCTAssertTrue(terminal.read(until: "cancelled", timeout: 60), String(terminal.screen.dropFirst(before)))
        // 'slow' counts 2,000,000,000 rows (minutes): 30 s tells a cancelled query from a finished one.
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 30)
        terminal.type("ged | count\r")
        XCTAssertTrue(terminal.read(until: "(1 row)"), terminal.screen)
        // `.maxrows 3`: three rows fetched, the rest counted there; `.last` fetches them all.
        terminal.type(".maxrows 3\r")
        terminal.type("ged | select country | sort by country\r")
        XCTAssertTrue(terminal.read(until: "… 12 more rows on the engine, not fetched (.maxrows 0 fetches every row)\r\n(15 rows)"),
                      terminal.screen)
        let shown = terminal.screen.count
        terminal.type(".last\r")
        let deadline = Date().addingTimeInterval(30)
        while !terminal.screen.dropFirst(shown).contains("(15 rows)") && Date() < deadline { terminal.read(until: "\u{0}", timeout: 0.2) }
        let whole = String(terminal.screen.dropFirst(shown))
        XCTAssertTrue(whole.contains("(15 rows)") && !whole.contains("more rows"), whole)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
        let kept = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertTrue(kept.contains(".connect host="), kept)
        XCTAssertFalse(kept.contains("hunter2-secret"), kept)
        // The typed line shows it as it was typed; nothing the shell wrote after it does.
        let answers = terminal.screen.components(separatedBy: "hunter2-secret").last ?? ""
        XCTAssertEqual(terminal.screen.components(separatedBy: "hunter2-secret").count, 2, terminal.screen)
        XCTAssertTrue(answers.contains("connected to postgres://postgres@["), answers)
    }

    /// A result larger than the memory a result may take is refused with its row count, as
    /// soon as the rows read pass it: the rest is never sent, and the connection goes on.
    func testATooLargeResultIsRefusedBeforeItIsRead() throws {
        _ = try makeDatabase()
        let session = try remoteSession()
        session.remoteMemoryLimit = 40
        do {
            _ = try session.run("ged | select country")
            XCTFail("15 countries over 40 bytes must be refused")
        } catch let error as DiagnosticError {
            let message = error.diagnostics[0].message
            XCTAssertTrue(message.hasPrefix("the result has 15 rows, more than fits in memory here: its first "), message)
            XCTAssertTrue(message.hasSuffix(" bytes, past the 40 bytes a result may take (Session.remoteMemoryLimit)"), message)
            XCTAssertEqual(error.diagnostics[0].help, "take or summarize on the engine (| take N, | summarize ...), or bring it in parts (| where ...)")
        }
        guard case .table(let taken)? = try session.run("ged | take 1 | select country").last else { return XCTFail("no table") }
        XCTAssertEqual(taken.rowCount, 1)
        // 300,000 numbers (2.4 MB as they travel) over 100 kB: the reading stops at the budget,
        // a small part of the rows, and the connection goes on.
        session.remoteMemoryLimit = 100_000
        do {
            _ = try session.run("many | sort by n")
            XCTFail("300,000 rows over 100 kB must be refused")
        } catch let error as DiagnosticError {
            let message = error.diagnostics[0].message
            XCTAssertTrue(message.hasPrefix("the result has 300000 rows, more than fits in memory here: its first "), message)
            let read = message.dropFirst("the result has 300000 rows, more than fits in memory here: its first ".count)
                .prefix { $0.isNumber }
            XCTAssertLessThan(Int(read) ?? .max, 20_000, message)
        }
        guard case .table(let counted)? = try session.run("ged | count").last else { return XCTFail("no table") }
        XCTAssertEqual(counted.rows, [[.int(15)]])
        // A value that does not decode, 90,000 rows in (the stream is well under way), is said
        // as itself, not as the cancelled stream it ends in; the connection goes on.
        let engine = PostgresEngine(target: try PostgresTarget(parsing: try address()))
        defer { engine.close() }
        try engine.connect()
        let odd = "SELECT CASE WHEN g < 90000 THEN '\\x0102'::bytea ELSE '\\x010203'::bytea END AS v FROM generate_series(1, 100000) AS g"
        XCTAssertThrowsError(try engine.rows(of: odd, types: [.int], budget: nil, cancellation: nil)) { error in
            XCTAssertEqual((error as? RemoteError)?.message, "the engine's value for 'v' is not a Int")
        }
        XCTAssertEqual(try engine.rows(of: "SELECT 2::bigint", types: [.int], budget: nil, cancellation: nil).rows, [[.int(2)]])
        // The default is half of what a load may take.
        session.remoteMemoryLimit = nil
        XCTAssertEqual(session.remoteResultBudget()?.source.hasPrefix("half of the memory"), true)
    }

    /// With `.maxrows` on a terminal, only the rows shown are fetched, in the result's order;
    /// the rest are counted on the engine. A chart or a `let` fetches every row.
    func testOnlyTheRowsShownAreFetched() throws {
        let local = try makeDatabase()
        let session = try remoteSession()
        session.rowsShown = { 4 }
        let query = "ged | select country, deaths = best | sort by deaths desc, country"
        guard case .table(let shown)? = try session.run(query).last,
              case .table(let whole)? = try local.run(query).last else { return XCTFail("no table") }
        XCTAssertEqual(shown.rowCount, 4)
        XCTAssertEqual(shown.rowsLeft, .counted(11))
        XCTAssertEqual(shown.rows, Array(whole.rows.prefix(4)))
        let text = ResultFormatter(maxRows: 4).format(.table(shown))
        XCTAssertTrue(text.contains("\n… 11 more rows on the engine, not fetched (.maxrows 0 fetches every row)\n(15 rows)\n"), text)
        var lines = ResultFormatter(format: .line, maxRows: 4)
        lines.maxWidth = 80
        XCTAssertTrue(lines.format(.table(shown)).contains("… 11 more rows on the engine, not fetched"))
        // Exactly as many rows as shown: nothing is left.
        guard case .table(let four)? = try session.run("ged | take 4").last else { return XCTFail("no table") }
        XCTAssertEqual(four.rowsLeft, .none)
        XCTAssertEqual(four.rowCount, 4)
        guard case .bound? = try session.run("let all = \(query)").last,
              case .table(let bound)? = try session.run("all | count").last else { return XCTFail("no table") }
        XCTAssertEqual(bound.rows, [[.int(15)]])
        guard case .chart(let chart)? = try session.run("ged | summarize n = count() by country | chart bar").last else {
            return XCTFail("no chart")
        }
        XCTAssertGreaterThan(chart.table.rowCount, 4)
        XCTAssertEqual(chart.table.rowsLeft, .none)
    }

    /// A password never shows: not in the session's engine name, `explain`, an error, or the
    /// REPL's history entry for `.connect`.
    func testPasswordsAreNeverShown() throws {
        _ = try makeDatabase()
        let secret = "s3cr3t-Pa55"
        let withPassword = try address() + " password=\(secret)"
        let session = Session()
        try session.connect(withPassword)           // trust authentication: the password is not asked for
        XCTAssertFalse(session.remoteEngine!.contains(secret))
        guard case .table(let explained)? = try session.run("explain ged | count").last else { return XCTFail("no table") }
        XCTAssertFalse(explained.rows.description.contains(secret))
        XCTAssertTrue(explained.rows.description.contains("runs on postgres://"), explained.rows.description)
        do {
            try Session().connect("postgres://analyst:\(secret)@127.0.0.1:1/nowhere?sslmode=disable")
            XCTFail("nothing listens on port 1")
        } catch {
            XCTAssertFalse(error.message.contains(secret), error.message)
            XCTAssertTrue(error.message.contains("postgres://analyst@127.0.0.1:1/nowhere"), error.message)
        }
        XCTAssertEqual(DotCommand.historyEntry(".connect postgres://analyst:\(secret)@db.example/acled?sslmode=require"),
                       ".connect postgres://analyst@db.example/acled?sslmode=require")
        XCTAssertEqual(DotCommand.historyEntry(".connect host=db.example password='\(secret) x' dbname=acled"),
                       ".connect host=db.example dbname=acled")
        XCTAssertEqual(DotCommand.historyEntry(".connect postgres://db.example/acled?password=\(secret)&sslmode=require"),
                       ".connect postgres://db.example/acled?sslmode=require")
    }

    /// `explain analyze` of a remote pipeline shows PostgreSQL's own EXPLAIN ANALYZE, its
    /// timing included, under the SQL sent.
    func testExplainAnalyzeShowsTheEnginesTiming() throws {
        _ = try makeDatabase()
        let session = try remoteSession()
        guard case .table(let explained)? = try session.run("explain analyze ged | where country == \"Mali\" | count").last else {
            return XCTFail("no table")
        }
        let lines = explained.rows.compactMap { if case .string(let line) = $0[0] { line } else { nil } }
        let analyzed = try XCTUnwrap(lines.firstIndex(of: "PostgreSQL's EXPLAIN ANALYZE:"), "\(lines)")
        XCTAssertTrue(lines[..<analyzed].contains { $0.contains("WHERE (\"country\" = 'Mali')") }, "\(lines)")
        XCTAssertTrue(lines[analyzed...].contains { $0.contains("actual time=") }, "\(lines)")
        XCTAssertTrue(lines[analyzed...].contains { $0.hasPrefix("  Execution Time: ") && $0.hasSuffix(" ms") }, "\(lines)")
    }

    /// An error PostgreSQL raises while running (it gives no position then) is shown at the
    /// stage whose SQL raised it, found by running the stages one by one, with its SQLSTATE.
    func testARemoteErrorIsShownAtTheStageThatRaisedIt() throws {
        _ = try makeDatabase()
        try Self.psql("""
            CREATE TABLE ratios (a bigint, b bigint, big bigint);
            INSERT INTO ratios VALUES (4, 2, 9223372036854775807), (3, 0, 9223372036854775807);
            """, dsn: try address())
        let session = try remoteSession()
        let divided = try remoteFailure(session, "ratios | where a > 0 | extend q = a / b | sort by q", at: "extend q = a / b",
                                        engine: "PostgreSQL")
        XCTAssertEqual(divided.message, "PostgreSQL: division by zero (SQLSTATE 22012)")
        // A sum past 64 bits (an error here too) at the summarize that made it.
        let summed = try remoteFailure(session, "ratios | extend c = a * 2 | summarize total = sum(big) | take 1",
                                       at: "summarize total = sum(big)", engine: "PostgreSQL")
        XCTAssertTrue(summed.message.hasSuffix("(SQLSTATE 22003)"), summed.message)
        // The session goes on.
        guard case .table(let after)? = try session.run("ratios | where b != 0 | extend q = a / b | select q").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(after.rows, [[.float(2)]])
    }

    /// Tables of other schemas than the search path's are known as `schema.table`: listed,
    /// completed, described and queried; the search path decides which table a bare name is.
    func testTablesOfOtherSchemasAreQualified() throws {
        _ = try makeDatabase()
        try Self.psql("""
            CREATE SCHEMA acled;
            CREATE TABLE acled.events (country text, fatalities integer, event_date date);
            INSERT INTO acled.events VALUES ('Mali', 3, '2020-01-05'), ('Niger', 1, '2020-02-01'), ('Mali', 2, '2020-03-09');
            CREATE TABLE acled.ged (note text);
            INSERT INTO acled.ged VALUES ('the acled schema''s ged');
            """, dsn: try address())
        var session = Session()
        var report = try session.connect(try address())
        XCTAssertTrue(report.tables.contains("ged") && report.tables.contains("acled.events") && report.tables.contains("acled.ged"),
                      "\(report.tables)")
        XCTAssertFalse(report.tables.contains("events"))
        XCTAssertEqual(Completer(symbols: session.symbols).complete("", word: "acled.e"), ["acled.events"])
        XCTAssertEqual(Completer(symbols: session.symbols).complete("ged | join kind=semi ", word: "acled.e"), ["acled.events"])
        guard case .table(let described)? = try session.run("describe acled.events").last else { return XCTFail("no table") }
        XCTAssertEqual(described.rows.map { $0[0] }, ["country", "fatalities", "event_date"].map(Value.string))
        guard case .table(let listed)? = try session.run("tables | where name startswith \"acled.\" | select name").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(listed.rows, [[.string("acled.events")], [.string("acled.ged")]])
        let summed = "acled.events | summarize f = sum(fatalities) by country | sort by country"
        guard case .table(let sums)? = try session.run(summed).last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(sums.rows, [[.string("Mali"), .int(5)], [.string("Niger"), .int(1)]])
        guard case .table(let joined)? = try session.run("acled.events | join kind=semi ged on country | count").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(joined.rows, [[.int(3)]])
        do {
            _ = try session.run("acled.evnts | count")
            XCTFail("an unknown table must not check")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].help, "did you mean 'acled.events'?")
        }
        // With acled first on the search path, its tables have the bare names, and public's
        // ged is public.ged.
        try Self.psql("ALTER DATABASE \(Self.database) SET search_path = acled, public;", dsn: try server())
        session = Session()
        report = try session.connect(try address())
        XCTAssertTrue(report.tables.contains("events") && report.tables.contains("public.ged") && !report.tables.contains("acled.ged"),
                      "\(report.tables)")
        guard case .table(let ged)? = try session.run("ged").last,
              case .table(let publicGed)? = try session.run("public.ged | count").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(ged.rows, [[.string("the acled schema's ged")]])
        XCTAssertEqual(publicGed.rows, [[.int(15)]])
    }

    /// The TCP server of Tests/SQL/postgres.sh: loopback, TLS from its own CA, a
    /// scram-sha-256 user; or a skip.
    func tcpServer() throws -> (settings: String, password: String, ca: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let settings = environment["CONFLICTQL_POSTGRES_TCP"], let password = environment["CONFLICTQL_POSTGRES_PASSWORD"],
              let ca = environment["CONFLICTQL_POSTGRES_CA"] else {
            if environment["CONFLICTQL_REQUIRE_ENGINES"] != nil { XCTFail("CONFLICTQL_POSTGRES_TCP is not set") }
            throw XCTSkip("no PostgreSQL over TCP: eval \"$(Tests/SQL/postgres.sh start)\"")
        }
        return (settings, password, ca)
    }

    /// A client certificate signs in as libpq's does: `sslcert`/`sslkey`, PGSSLCERT/PGSSLKEY,
    /// or ~/.postgresql/postgresql.crt and .key. Without one, a server that asks for it refuses
    /// the sign-in; a key others may read, or a certificate file that is not there, is refused
    /// before connecting.
    func testAClientCertificateSignsIn() throws {
        let (settings, _, ca) = try tcpServer()
        let folder = (ca as NSString).deletingLastPathComponent
        let (certificate, key) = (folder + "/client.crt", folder + "/client.key")
        let home = NSTemporaryDirectory() + "conflictql-cert-home-\(getpid())"
        try FileManager.default.createDirectory(atPath: home + "/.postgresql", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try XCTUnwrap(settings.split(separator: " ").first { $0.hasPrefix("port=") }.map { String($0.dropFirst(5)) })
        let base = "host=localhost port=\(port) dbname=postgres user=certified sslmode=verify-full sslrootcert=\(ca)"
        func user(_ words: String, _ environment: [String: String] = [:]) throws(RemoteError) -> Value? {
            let engine = PostgresEngine(target: try PostgresTarget(parsing: words, environment: environment, home: home))
            defer { engine.close() }
            try engine.connect()
            return try engine.rows(of: "SELECT current_user::text", types: [.string], budget: nil, cancellation: nil).rows.first?.first
        }
        XCTAssertEqual(try user(base + " sslcert=\(certificate) sslkey=\(key)"), .string("certified"))
        XCTAssertEqual(try user(base, ["PGSSLCERT": certificate, "PGSSLKEY": key]), .string("certified"))
        do {
            _ = try user(base)
            XCTFail("the server asks for a certificate, and none was shown")
        } catch {
            XCTAssertEqual(error.kind, .signIn)
            XCTAssertTrue(error.message.contains("refused the sign-in") && error.message.contains("certificate"), error.message)
            XCTAssertEqual(error.help?.hasPrefix("give a client certificate: sslcert=FILE sslkey=FILE"), true, error.help ?? "")
        }
        try FileManager.default.copyItem(atPath: certificate, toPath: home + "/.postgresql/postgresql.crt")
        try FileManager.default.copyItem(atPath: key, toPath: home + "/.postgresql/postgresql.key")
        chmod(home + "/.postgresql/postgresql.key", 0o600)
        XCTAssertEqual(try user(base), .string("certified"))
        chmod(home + "/.postgresql/postgresql.key", 0o644)
        do {
            _ = try user(base)
            XCTFail("a key others may read must be refused")
        } catch {
            XCTAssertTrue(error.message.hasSuffix("has group or world access; permissions should be u=rw (0600) or less"), error.message)
        }
        do {
            _ = try user(base + " sslcert=\(home)/nothing.crt")
            XCTFail("a certificate file that is not there must be refused")
        } catch {
            XCTAssertEqual(error.message, "cannot read the client certificate (sslcert) file \"\(home)/nothing.crt\"")
        }
    }

    /// Signing in as psql does, over TCP with TLS: each sslmode, the password from the
    /// address, PGPASSWORD, ~/.pgpass or PGPASSFILE; a wrong password, a certificate that does
    /// not verify and a host name it does not name are refused, saying so, no password shown.
    func testTLSAndPasswordsAsPsqlTakesThem() throws {
        let (settings, password, ca) = try tcpServer()
        let home = NSTemporaryDirectory() + "conflictql-tls-home-\(getpid())"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let port = try XCTUnwrap(settings.split(separator: " ").first { $0.hasPrefix("port=") }.map { String($0.dropFirst(5)) })
        func connect(_ words: String, _ environment: [String: String] = [:]) throws(RemoteError) -> Bool {
            let engine = PostgresEngine(target: try PostgresTarget(parsing: words, environment: environment, home: home))
            defer { engine.close() }
            try engine.connect()
            let answer = try engine.rows(of: "SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                                         types: [.bool], budget: nil, cancellation: nil)
            return answer.rows == [[.bool(true)]]
        }
        let withPassword = ["PGPASSWORD": password]
        XCTAssertFalse(try connect(settings + " sslmode=disable", withPassword))
        XCTAssertTrue(try connect(settings + " sslmode=prefer", withPassword))
        XCTAssertTrue(try connect(settings + " sslmode=require", withPassword))
        XCTAssertTrue(try connect(settings + " sslmode=verify-ca sslrootcert=\(ca)", withPassword))
        let byName = settings.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        XCTAssertTrue(try connect(byName + " sslmode=verify-full sslrootcert=\(ca)", withPassword))
        // The password in the URL; the root certificate from PGSSLROOTCERT.
        XCTAssertTrue(try connect("postgres://analyst:\(password)@localhost:\(port)/postgres?sslmode=verify-full",
                                  ["PGSSLROOTCERT": ca]))

        func refusal(_ words: String, _ environment: [String: String] = [:]) -> RemoteError? {
            do throws(RemoteError) {
                _ = try connect(words, environment)
                XCTFail("\(words) must be refused")
                return nil
            } catch {
                XCTAssertFalse(error.message.contains(password) || (error.help ?? "").contains(password), error.message)
                return error
            }
        }
        // verify-full to 127.0.0.1: the certificate names localhost only.
        let wrongHost = refusal(settings + " sslmode=verify-full sslrootcert=\(ca)", withPassword)
        XCTAssertEqual(wrongHost?.kind, .signIn)
        XCTAssertEqual(wrongHost?.message, "TLS with postgres://analyst@127.0.0.1:\(port)/postgres failed (sslmode=verify-full): "
                       + "the server's certificate does not name '127.0.0.1'")
        // The system's roots do not hold the test's CA; without sslrootcert there is no root
        // certificate at all (no ~/.postgresql/root.crt in this home), as libpq says.
        XCTAssertEqual(refusal(settings + " sslmode=verify-ca sslrootcert=system", withPassword)?.message,
                       "TLS with postgres://analyst@127.0.0.1:\(port)/postgres failed (sslmode=verify-ca): "
                       + "the server's certificate does not verify against the system's trusted roots")
        XCTAssertEqual(refusal(settings + " sslmode=verify-ca", withPassword)?.message,
                       "root certificate file \"\(home)/.postgresql/root.crt\" does not exist, and sslmode=verify-ca needs one")
        // A wrong password and none at all.
        let wrong = refusal(settings + " sslmode=require password=not-the-\(password)")
        XCTAssertEqual(wrong?.message, "postgres://analyst@127.0.0.1:\(port)/postgres refused the sign-in: "
                       + "password authentication failed for user \"analyst\"")
        XCTAssertEqual(refusal(settings + " sslmode=require")?.message, "postgres://analyst@127.0.0.1:\(port)/postgres asks for a password")

        // ~/.pgpass, then PGPASSFILE; a file others may read is ignored with psql's warning.
        let pgpass = home + "/.pgpass"
        try "127.0.0.1:\(port):*:analyst:\(password)\n".write(toFile: pgpass, atomically: true, encoding: .utf8)
        chmod(pgpass, 0o600)
        XCTAssertTrue(try connect(settings + " sslmode=require"))
        let elsewhere = home + "/elsewhere"
        try FileManager.default.moveItem(atPath: pgpass, toPath: elsewhere)
        XCTAssertTrue(try connect(settings + " sslmode=require", ["PGPASSFILE": elsewhere]))
        chmod(elsewhere, 0o644)
        let ignored = try PostgresTarget(parsing: settings, environment: ["PGPASSFILE": elsewhere], home: home)
        XCTAssertNil(ignored.password)
        XCTAssertEqual(ignored.warnings, ["password file \"\(elsewhere)\" has group or world access; "
                                          + "permissions should be u=rw (0600) or less (it is ignored, as psql ignores it)"])

        // Through the executable: the refusal's ID-bearing message, no password anywhere.
        let run = try runExecutable(["--engine", "postgres://analyst:wrong-\(password)@127.0.0.1:\(port)/postgres?sslmode=require",
                                     "-c", "tables | count"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.errors, "conflictql: error: cannot connect: postgres://analyst@127.0.0.1:\(port)/postgres refused the sign-in: "
                       + "password authentication failed for user \"analyst\"\n"
                       + "help: give the password in the address, PGPASSWORD or ~/.pgpass (as psql reads them)\n")
        XCTAssertFalse(run.output.contains(password))
        // And the REPL's .connect: the message has the sign-in ID.
        do {
            try DotCommandPerformerTests.RecordingHost().perform(line: ".connect \(settings) sslmode=require password=wrong-\(password)",
                                                                 policy: .stopScript)
            XCTFail("a wrong password must be refused")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].id.rawValue, "engine-sign-in-refused")
            XCTAssertFalse(error.diagnostics[0].message.contains(password))
        }
    }

    /// `.connect` is refused in safe mode, as files are.
    func testSafeModeRefusesConnect() throws {
        let result = try runExecutable(["--safe", "-c", ".connect postgres://analyst@127.0.0.1/db"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.errors.contains("'.connect' reaches another machine, which safe mode does not allow"), result.errors)
    }
}

/// Addresses, the password file and TLS modes, read as psql reads them (no server needed).
final class PostgresTargetTests: XCTestCase {
    func testAddressesAreReadAsPsqlReadsThem() throws {
        let url = try PostgresTarget(parsing: "postgres://analyst:pw@db.example:6543/acled?sslmode=verify-full", environment: [:])
        XCTAssertEqual([url.host, url.user, url.database, String(url.port), url.tls.rawValue],
                       ["db.example", "analyst", "acled", "6543", "verify-full"])
        XCTAssertEqual(url.display, "postgres://analyst@db.example:6543/acled")
        let words = try PostgresTarget(parsing: "host=/tmp/pg dbname=postgres user=postgres", environment: [:])
        XCTAssertTrue(words.isUnixSocket)
        XCTAssertEqual(words.socketPath, "/tmp/pg/.s.PGSQL.5432")
        XCTAssertEqual(words.tls, .disable)
        XCTAssertEqual(words.display, "postgres://postgres@[/tmp/pg]/postgres")
        // What the address leaves out comes from the PG* variables, then libpq's defaults.
        let fromEnvironment = try PostgresTarget(parsing: "postgres:///acled",
                                                 environment: ["PGHOST": "warehouse", "PGUSER": "ana", "PGSSLMODE": "require"])
        XCTAssertEqual([fromEnvironment.host, fromEnvironment.user, fromEnvironment.database, fromEnvironment.tls.rawValue],
                       ["warehouse", "ana", "acled", "require"])
        XCTAssertEqual(try PostgresTarget(parsing: "postgres://h/d", environment: [:]).tls, .prefer)
        XCTAssertThrowsError(try PostgresTarget(parsing: "postgres://h/d?sslmode=sometimes", environment: [:])) { error in
            XCTAssertEqual((error as? RemoteError)?.message, "unknown sslmode 'sometimes'")
        }
        XCTAssertThrowsError(try PostgresTarget(parsing: "mysql://h/d", environment: [:])) { error in
            XCTAssertEqual((error as? RemoteError)?.message, "'mysql://h/d' is not a PostgreSQL address")
        }
    }

    func testThePasswordFileIsReadAsLibpqReadsIt() throws {
        let home = NSTemporaryDirectory() + "conflictql-pgpass-\(getpid())"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let file = home + "/.pgpass"
        try "# comment\nother:5432:*:analyst:wrong\ndb.example:5432:acled:analyst:pa\\:ss\n*:*:*:*:fallback\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let target = try PostgresTarget(parsing: "postgres://analyst@db.example/acled", environment: [:], home: home)
        XCTAssertEqual(target.password, "pa:ss")
        let other = try PostgresTarget(parsing: "postgres://someone@elsewhere/x", environment: [:], home: home)
        XCTAssertEqual(other.password, "fallback")
        // PGPASSWORD comes first; a file others may read is ignored, as libpq ignores it.
        XCTAssertEqual(try PostgresTarget(parsing: "postgres://analyst@db.example/acled", environment: ["PGPASSWORD": "env"], home: home).password, "env")
        chmod(file, 0o644)
        let ignored = try PostgresTarget(parsing: "postgres://analyst@db.example/acled", environment: [:], home: home)
        XCTAssertNil(ignored.password)
        XCTAssertEqual(ignored.warnings.count, 1)
        XCTAssertTrue(ignored.warnings[0].hasPrefix("password file \"\(file)\" has group or world access"), ignored.warnings[0])
    }

    /// sslrootcert as libpq reads it: a file, `system`, or ~/.postgresql/root.crt; a root
    /// certificate makes `require` verify the chain.
    func testTheRootCertificateIsFoundAsLibpqFindsIt() throws {
        let home = NSTemporaryDirectory() + "conflictql-sslroot-\(getpid())"
        try FileManager.default.createDirectory(atPath: home + "/.postgresql", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let none = try PostgresTarget(parsing: "postgres://h/d?sslmode=require", environment: [:], home: home)
        XCTAssertEqual(none.tls, .require)
        XCTAssertEqual(none.rootCertificates, .missing(defaultPath: home + "/.postgresql/root.crt"))
        let given = try PostgresTarget(parsing: "host=h sslmode=require sslrootcert=/etc/ca.pem", environment: [:], home: home)
        XCTAssertEqual(given.tls, .verifyCA)
        XCTAssertEqual(given.rootCertificates, .file("/etc/ca.pem"))
        XCTAssertEqual(try PostgresTarget(parsing: "host=h sslmode=verify-full", environment: ["PGSSLROOTCERT": "system"], home: home)
                        .rootCertificates, .system)
        try "".write(toFile: home + "/.postgresql/root.crt", atomically: true, encoding: .utf8)
        let found = try PostgresTarget(parsing: "postgres://h/d?sslmode=require", environment: [:], home: home)
        XCTAssertEqual(found.tls, .verifyCA)
        XCTAssertEqual(found.rootCertificates, .file(home + "/.postgresql/root.crt"))
    }
}

/// Runs `query`, which must fail on the engine, and checks that the failure is the engine's own
/// error (`engine-query-failed`) shown at `stage`, the part of the query it covers, with the
/// note that says so (RemotePostgresTests and RemoteSparkTests). Gives the diagnostic.
func remoteFailure(_ session: Session, _ query: String, at stage: String, engine: String,
                   file: StaticString = #filePath, line: UInt = #line) throws -> Diagnostic {
    do {
        _ = try session.run(query, name: "<test>")
    } catch let error as DiagnosticError {
        let diagnostic = error.diagnostics[0]
        XCTAssertEqual(diagnostic.id.rawValue, "engine-query-failed", file: file, line: line)
        let covered = diagnostic.range.map { String(decoding: Array(query.utf8)[$0.start..<$0.end], as: UTF8.self) }
        XCTAssertEqual(covered, stage, diagnostic.message, file: file, line: line)
        XCTAssertEqual(diagnostic.notes.map(\.message), ["\(engine) raised it running the SQL of this stage"], file: file, line: line)
        return diagnostic
    }
    XCTFail("\(query) must fail in \(engine)", file: file, line: line)
    throw XCTSkip("\(query) did not fail")
}
