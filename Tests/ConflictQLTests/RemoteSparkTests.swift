// Pipelines run on Spark through `--engine sc://...` and `.connect` (issue 25), against a Spark
// Connect server in local mode (Tests/Spark/spark.sh; CONFLICTQL_SPARK names it). The fuzzing
// session's tables (the briefing's, the GED fixture, its `let` tables) are put in Spark with
// their `_cq_row` order column (`schemaScript(dialect: .spark, numbered: true)`, sent through
// the engine itself), and then: Samples/events.cq gives the same output through `--engine` as
// locally; generated pipelines give the same rows; the catalogue's types before a query;
// cancellation (Spark's Interrupt); a server that goes away; no token ever shown. Skipped
// without a server (a failure when CONFLICTQL_REQUIRE_SPARK is set). ArrowStreamTests and
// SparkTargetTests need no server.

import ConflictQL
import ConflictQLRemote
@testable import ConflictQLSpark
import Foundation
import QueryFuzzing
import XCTest

final class RemoteSparkTests: XCTestCase {
    func server() throws -> String {
        guard let address = ProcessInfo.processInfo.environment["CONFLICTQL_SPARK"] else {
            if ProcessInfo.processInfo.environment["CONFLICTQL_REQUIRE_SPARK"] != nil { XCTFail("CONFLICTQL_SPARK is not set") }
            throw XCTSkip("no Spark Connect server: eval \"$(Tests/Spark/spark.sh start)\"")
        }
        return address
    }

    /// Puts every table of the fuzzing session in Spark, numbered, and a few of Spark's own.
    func makeTables() throws -> Session {
        let local = try fuzzingSession(fixture: repositoryRoot + "/Tests/ConflictQLTests/Fixtures/ged_sahel.csv")
        let engine = SparkEngine(target: try SparkTarget(parsing: try server()))
        try engine.connect()
        defer { engine.close() }
        let script = try local.schemaScript(dialect: .spark, numbered: true) + """
            CREATE OR REPLACE VIEW slow AS SELECT a.id * 1000000 + b.id AS n FROM range(1000000) AS a CROSS JOIN range(1000000) AS b;
            DROP TABLE IF EXISTS odd;
            CREATE TABLE odd (id INT, amount DECIMAL(10, 2), name VARCHAR(20), seen TIMESTAMP, tags ARRAY<STRING>, blob BINARY,
              props MAP<STRING, STRING>);
            INSERT INTO odd VALUES (1, 2.5, 'Gao', TIMESTAMP'2024-05-01 10:00:00', array('a', 'b'), X'00', map('k', 'v')),
              (2, NULL, NULL, NULL, NULL, NULL, NULL);
            """
        for statement in script.components(separatedBy: ";\n") {
            let lines = statement.split(separator: "\n").filter { !$0.hasPrefix("--") }
            guard !lines.isEmpty else { continue }
            try engine.run(statement: lines.joined(separator: "\n"))
        }
        return local
    }

    func remoteSession() throws -> Session {
        let session = Session()
        _ = try session.run("let p_int = 2\nlet p_text = \"Mali\"\nlet p_date = @2013-04\nlet p_flag = true\nlet p_none = float(null)")
        try session.connect(try server())
        return session
    }

    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql").path
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

    /// Samples/events.cq, its `load` line dropped (the table is in Spark), prints through
    /// `--engine sc://...` what it prints locally, every query run in Spark.
    func testTheEventsSampleGivesTheSameOutputThroughEngine() throws {
        _ = try makeTables()
        let sample = try String(contentsOfFile: repositoryRoot + "/Samples/events.cq", encoding: .utf8)
        XCTAssertTrue(sample.contains("load \"Tests/ConflictQLTests/Fixtures/ged_sahel.csv\" as ged"))
        let script = NSTemporaryDirectory() + "conflictql-spark-events-\(getpid()).cq"
        try sample.replacingOccurrences(of: "load \"Tests/ConflictQLTests/Fixtures/ged_sahel.csv\" as ged", with: "")
            .write(toFile: script, atomically: true, encoding: .utf8)
        defer { unlink(script) }
        let local = try runExecutable(["--no-sources", "Samples/events.cq"])
        XCTAssertEqual(local.status, 0, local.errors)
        let remote = try runExecutable(["--no-sources", "--engine", try server(), script])
        XCTAssertEqual(remote.status, 0, remote.errors)
        XCTAssertTrue(remote.errors.hasPrefix("connected to sc://127.0.0.1:"), remote.errors)
        XCTAssertEqual(remote.output, local.output)
        XCTAssertGreaterThan(local.output.split(separator: "\n").count, 30)
        let explained = try runExecutable(["--engine", try server(), "--explain", "-c", "ged | summarize n = count() by year"])
        XCTAssertEqual(explained.status, 0, explained.errors)
        XCTAssertTrue(explained.output.contains("runs on sc://127.0.0.1:"), explained.output)
        XCTAssertTrue(explained.output.contains("(Spark) as:"), explained.output)
        XCTAssertTrue(explained.output.contains("FROM `default`.`ged`"), explained.output)
    }

    /// Generated pipelines over every table give the same rows in Spark as here
    /// (CONFLICTQL_SPARK_PIPELINES of them, 300 unless set).
    func testGeneratedPipelinesGiveTheSameRowsRemotely() throws {
        let local = try makeTables()
        let remote = try remoteSession()
        let runner = QueryRunner(session: local)
        var generator = QueryGenerator(seed: 2512, environment: local.environment)
        let count = ProcessInfo.processInfo.environment["CONFLICTQL_SPARK_PIPELINES"].flatMap { Int($0) } ?? 300
        var compared = 0, refused = 0, localErrors = 0, coarse = 0, differences: [String] = []
        let coarseTables = Set(local.catalog.names.filter { name in
            local.catalog.table(named: name)?.schema.fields.contains { $0.type == .date && $0.datePrecisions.coarsest < .day } ?? false
        })
        let started = Date()
        for _ in 0..<count {
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
                if message.contains("cannot be expressed") || message.contains("so it runs there") { refused += 1; continue }
                // Spark in ANSI mode refuses arithmetic past the finite range, where IEEE gives infinity.
                if message.contains("ARITHMETIC_OVERFLOW") || message.contains("DIVIDE_BY_ZERO"),
                   expected.rows.joined().contains(where: { if case .float(let d) = $0 { !d.isFinite } else { false } }) {
                    continue
                }
                differences.append("\(query)\n  Spark failed: \(message)")
                continue
            }
            compared += 1
            if let difference = RemotePostgresTests.difference(expected, answer) { differences.append("\(query)\n  \(difference)") }
        }
        print("remote spark: \(compared) pipelines compared, \(refused) refused as not expressible, "
              + "\(localErrors) ended in a ConflictQL error, "
              + "\(coarse) over tables of month or year dates skipped, \(differences.count) differ, "
              + "\(Int(Date().timeIntervalSince(started))) s")
        for difference in differences.prefix(10) { XCTFail(difference) }
        XCTAssertGreaterThan(compared, count / 3)
    }

    /// The catalogue's types, read before any query; columns of types ConflictQL cannot read
    /// are left out with a note.
    func testTheCatalogueIsKnownBeforeAnyQuery() throws {
        _ = try makeTables()
        let session = Session()
        let report = try session.connect(try server())
        XCTAssertTrue(report.tables.contains("ged") && report.tables.contains("odd") && report.tables.contains("slow"), "\(report.tables)")
        XCTAssertEqual(report.skippedColumns["odd"], ["blob", "props"])
        XCTAssertTrue(report.hidden.contains("countries"))
        guard case .table(let described)? = try session.run("describe odd").last else { return XCTFail("no table") }
        XCTAssertEqual(described.rows.map { Array($0.prefix(2)) },
                       [["id", "Int"], ["amount", "Float"], ["name", "String"], ["seen", "Date"], ["tags", "List<String>"]]
                        .map { $0.map(Value.string) })
        do {
            _ = try session.run("ged | where cuntry == \"Mali\"")
            XCTFail("an unknown column must not check")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].help, "did you mean 'country'?")
        }
        guard case .table(let odd)? = try session.run("odd | extend total = amount * id | sort by id").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(odd.row(0), [.int(1), .float(2.5), .string("Gao"), .date(DateValue(year: 2024, month: 5, day: 1)!),
                                    .list([.string("a"), .string("b")]), .float(2.5)])
        XCTAssertEqual(odd.row(1), [.int(2), .null, .null, .null, .null, .null])
        XCTAssertEqual(odd.provenance?.files.first?.hasPrefix("odd in sc://127.0.0.1:"), true)
        // A result too large for the memory it may take is refused with its row count.
        session.remoteMemoryLimit = 40
        do {
            _ = try session.run("ged | select country")
            XCTFail("15 countries over 40 bytes must be refused")
        } catch let error as DiagnosticError {
            let message = error.diagnostics[0].message
            XCTAssertTrue(message.hasPrefix("the result has 15 rows, more than fits in memory here: its first "), message)
        }
        session.remoteMemoryLimit = nil
        // Only the rows shown are fetched; the rest are counted there.
        session.rowsShown = { 4 }
        guard case .table(let shown)? = try session.run("ged | select country | sort by country").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(shown.rowCount, 4)
        XCTAssertEqual(shown.rowsLeft, .counted(11))
        session.rowsShown = nil
        XCTAssertNotNil(session.disconnect())
        XCTAssertNil(session.symbols.schema(ofTable: "odd"))
    }

    /// Ctrl-C stops a query that would run for minutes on Spark (Interrupt), promptly, and the
    /// session goes on.
    func testCancellationInterruptsTheOperation() throws {
        _ = try makeTables()
        let session = try remoteSession()
        let started = Date()
        let cancellation = session.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { cancellation.cancel() }
        do {
            _ = try session.run("slow | where n % 7 == 3 | summarize n = count()")
            XCTFail("a cancelled query must not answer")
        } catch let error as DiagnosticError {
            XCTAssertEqual(error.diagnostics[0].message, "cancelled")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 15)
        cancellation.reset()
        guard case .table(let after)? = try session.run("ged | count").last else { return XCTFail("no table") }
        XCTAssertEqual(after.row(0), [.int(15)])
    }

    /// In the REPL, as a person types it: `.connect sc://...` with a token-free address, a
    /// remote query, Ctrl-C on one that would run for minutes (interrupted on Spark), and the
    /// prompt goes on; the history keeps a `.connect` line without its token.
    func testTheREPLConnectsAndCtrlCInterruptsASparkQuery() throws {
        _ = try makeTables()
        let history = NSTemporaryDirectory() + "conflictql-spark-history-\(getpid())"
        defer { unlink(history) }
        let terminal = try TerminalTests.Terminal(executable: executable,
                                                  environment: ["CONFLICTQL_HISTORY": history, "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type(".connect \(try server())\r")
        XCTAssertTrue(terminal.read(until: "connected to sc://", timeout: 60), terminal.screen)
        XCTAssertTrue(terminal.read(until: "cq> "), terminal.screen)
        terminal.type("ged | summarize n = count() by country | top 1 by n\r")
        XCTAssertTrue(terminal.read(until: "(1 row)", timeout: 60), terminal.screen)
        let before = terminal.screen.count
        terminal.type("slow | where n % 7 == 3 | summarize n = count()\r")
        XCTAssertTrue(terminal.read(until: "count()\r\n"), terminal.screen)
        Thread.sleep(forTimeInterval: 2)
        let pressed = Date()
        terminal.type("\u{3}")
        XCTAssertTrue(terminal.read(until: "cancelled", timeout: 60), String(terminal.screen.dropFirst(before)))
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 10)
        terminal.type("ged | count\r")
        XCTAssertTrue(terminal.read(until: "(1 row)", timeout: 60), terminal.screen)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
        let kept = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertTrue(kept.contains(".connect sc://"), kept)
    }

    /// The server goes away (stopped, as a crash or a restart would): the statement fails
    /// saying so, the next one tries again, and once the server is back the same session's
    /// statements run there. Restarts the server: run with CONFLICTQL_SPARK_RESTART=1.
    func testAServerThatGoesAwayAndComesBack() throws {
        guard ProcessInfo.processInfo.environment["CONFLICTQL_SPARK_RESTART"] != nil else {
            throw XCTSkip("restarts the Spark server: set CONFLICTQL_SPARK_RESTART=1")
        }
        _ = try makeTables()
        let session = try remoteSession()
        guard case .table(let before)? = try session.run("ged | count").last else { return XCTFail("no table") }
        XCTAssertEqual(before.row(0), [.int(15)])
        try Self.script("stop")
        do {
            _ = try session.run("ged | count")
            XCTFail("a stopped server must be an error")
        } catch let error as DiagnosticError {
            XCTAssertTrue(error.diagnostics[0].message.contains("sc://127.0.0.1:"), error.diagnostics[0].message)
            XCTAssertNotNil(error.diagnostics[0].help)
        }
        try Self.script("start")
        _ = try makeTables()
        guard case .table(let again)? = try session.run("ged | count").last else { return XCTFail("no table") }
        XCTAssertEqual(again.row(0), [.int(15)])
    }

    /// Runs `Tests/Spark/spark.sh VERB`. Through system(3), not Process: the server it starts
    /// outlives the script, and Foundation's waitUntilExit then never returns.
    static func script(_ verb: String) throws {
        let status = system("'\(repositoryRoot)/Tests/Spark/spark.sh' \(verb) >/dev/null")
        XCTAssertEqual(status, 0, "spark.sh \(verb)")
    }

    /// A token never shows: not in the engine's name, an error, or the history entry.
    /// An error Spark raises while running is shown at the stage whose SQL raised it, found by
    /// running the stages one by one and comparing Spark's error class, as for PostgreSQL.
    func testARemoteErrorIsShownAtTheStageThatRaisedIt() throws {
        let engine = SparkEngine(target: try SparkTarget(parsing: try server()))
        try engine.connect()
        try engine.run(statement: "DROP TABLE IF EXISTS ratios")
        try engine.run(statement: "CREATE TABLE ratios (a BIGINT, b BIGINT, big BIGINT) USING parquet")
        try engine.run(statement: "INSERT INTO ratios VALUES (4, 2, 9223372036854775807), (3, 0, 9223372036854775807)")
        engine.close()
        let session = try remoteSession()
        let divided = try remoteFailure(session, "ratios | where a > 0 | extend q = a / b | sort by q", at: "extend q = a / b",
                                        engine: "Spark")
        XCTAssertTrue(divided.message.hasPrefix("Spark: [USER_RAISED_EXCEPTION] division by zero"), divided.message)
        // A sum past 64 bits (an error here too) at the summarize that made it.
        let summed = try remoteFailure(session, "ratios | extend c = a * 2 | summarize total = sum(big) | take 1",
                                       at: "summarize total = sum(big)", engine: "Spark")
        XCTAssertTrue(summed.message.hasPrefix("Spark: [CAST_OVERFLOW]"), summed.message)
        // The session goes on.
        guard case .table(let after)? = try session.run("ratios | where b != 0 | extend q = a / b | select q").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(after.rows, [[.float(2)]])
        // A list ConflictQL knows to hold only nulls comes back typed as Spark likes
        // (array<string>, found by the generated pipelines): read, since it holds no value.
        guard case .table(let lists)? = try session.run("ratios | summarize l = list(null), n = count() by a | sort by a").last else {
            return XCTFail("no table")
        }
        XCTAssertEqual(lists.rows, [[.int(3), .list([]), .int(1)], [.int(4), .list([]), .int(1)]])
    }

    func testTokensAreNeverShown() throws {
        let secret = "t0k3n-Secret"
        do {
            try Session().connect("sc://127.0.0.1:1/;token=\(secret);user_id=ana")
            XCTFail("nothing listens on port 1")
        } catch {
            XCTAssertFalse(error.message.contains(secret), error.message)
            XCTAssertTrue(error.message.contains("sc://127.0.0.1:1/;use_ssl=true"), error.message)
        }
        XCTAssertEqual(DotCommand.historyEntry(".connect sc://spark.example:443/;token=\(secret);user_id=ana"),
                       ".connect sc://spark.example:443/;user_id=ana")
        XCTAssertEqual(DotCommand.historyEntry(".connect sc://spark.example/;token=\(secret)"), ".connect sc://spark.example")
    }
}

/// Spark Connect addresses, read as Spark's clients read them (no server needed).
final class SparkTargetTests: XCTestCase {
    /// Spark's error class and the place its query context gives, read from messages Spark
    /// 4.3 sent (the stack trace cut).
    func testSparksErrorClassAndPlaceAreRead() {
        let division = """
            [DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. \
            SQLSTATE: 22012
            == SQL (line 1, position 8) ==
            SELECT 1 / 0
                   ^^^^^


            JVM stacktrace:
            org.apache.spark.SparkArithmeticException
            """
        XCTAssertEqual(SparkEngine.errorClass(division), "DIVIDE_BY_ZERO")
        XCTAssertEqual(SparkEngine.queryContext(division).map { [$0.line, $0.position] }, [1, 8])
        XCTAssertEqual(SparkEngine.errorClass("(org.apache.spark.SparkArithmeticException) [CAST_OVERFLOW] The value ..."), "CAST_OVERFLOW")
        XCTAssertNil(SparkEngine.errorClass("[not a class] text"))
        XCTAssertNil(SparkEngine.errorClass("Division by zero"))
        XCTAssertNil(SparkEngine.queryContext("[CAST_OVERFLOW] The value 18446744073709551614BD ... SQLSTATE: 22003\n\nJVM stacktrace:"))
        // The place as a 1-based character of the SQL sent, lines counted from 1.
        let sql = "WITH _cq_s0 AS (SELECT 1),\n_cq_s1 AS (SELECT 1 / 0 AS q)\nSELECT q FROM _cq_s1"
        let at = SparkEngine.character(at: (line: 2, position: 19), in: sql)
        XCTAssertEqual(at.map { Array(sql.unicodeScalars)[$0 - 1] }, "1")
        XCTAssertNil(SparkEngine.character(at: (line: 9, position: 1), in: sql))
        // A position inside the LIMIT put around the caller's SQL is no place in it.
        let error = RemoteError("Spark: ...", position: 20).inside("SELECT * FROM (")
        XCTAssertEqual(error.position, 5)
        XCTAssertNil(RemoteError("Spark: ...", position: 3).inside("SELECT * FROM (").position)
    }

    func testAddressesAreReadAsSparksClientsReadThem() throws {
        let plain = try SparkTarget(parsing: "sc://localhost", environment: ["USER": "ana"])
        XCTAssertEqual([plain.host, String(plain.port), plain.userID], ["localhost", "15002", "ana"])
        XCTAssertFalse(plain.usesTLS)
        XCTAssertEqual(plain.display, "sc://localhost:15002")
        let full = try SparkTarget(parsing: "sc://spark.example:443/;token=abc;user_id=analyst", environment: [:])
        XCTAssertEqual(full.token, "abc")
        XCTAssertTrue(full.usesTLS)
        XCTAssertEqual(full.userID, "analyst")
        XCTAssertEqual(full.display, "sc://spark.example:443/;use_ssl=true")
        XCTAssertEqual(try SparkTarget(parsing: "sc://[::1]:15003", environment: [:]).display, "sc://[::1]:15003")
        XCTAssertThrowsError(try SparkTarget(parsing: "sc://h/;colour=red", environment: [:])) { error in
            XCTAssertEqual((error as? RemoteError)?.message, "unknown connection setting 'colour'")
        }
        XCTAssertThrowsError(try SparkTarget(parsing: "sc://h:99999", environment: [:])) { error in
            XCTAssertEqual((error as? RemoteError)?.message, "the port '99999' is not a number from 1 to 65535")
        }
        XCTAssertThrowsError(try SparkTarget(parsing: "sc://h/;token=x;use_ssl=false", environment: [:])) { error in
            XCTAssertEqual((error as? RemoteError)?.message, "a token is sent only over TLS")
        }
    }

    func testAnUnreachableServerIsAClearError() throws {
        do {
            try Session().connect("sc://127.0.0.1:1")
            XCTFail("nothing listens on port 1")
        } catch {
            XCTAssertTrue(error.message.hasPrefix("cannot reach sc://127.0.0.1:1"), error.message)
            XCTAssertEqual(error.help, "is a Spark Connect server running there? (Tests/Spark/spark.sh start)")
        }
    }
}

/// The Arrow IPC reader against streams another implementation (pyarrow) wrote:
/// Tests/Spark/make_arrow_fixtures.py.
final class ArrowStreamTests: XCTestCase {
    func stream(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/ConflictQLTests/Fixtures/arrow/" + name)))
    }

    static let typesSchema = Schema([Field("i8", .int), Field("i16", .int), Field("i32", .int), Field("i64", .int), Field("f32", .float),
                                     Field("f64", .float), Field("text", .string), Field("large", .string), Field("flag", .bool),
                                     Field("day", .date), Field("seen", .date), Field("total", .int), Field("share", .float),
                                     Field("tags", .list(.string))])

    func testEveryTypeSparkSendsIsRead() throws {
        let table = try SparkEngine.table(fromArrowStreams: [try stream("types.arrows")], schema: Self.typesSchema)
        XCTAssertEqual(table.rowCount, 4)
        func date(_ y: Int, _ m: Int, _ d: Int) -> Value { .date(DateValue(year: y, month: m, day: d)!) }
        var first = table.row(0)
        if case .float(let nan) = first[5] { XCTAssertTrue(nan.isNaN) } else { XCTFail("f64 is not a float") }
        first[5] = .null
        XCTAssertEqual(first, [.int(-128), .int(-32768), .null, .int(9_223_372_036_854_775_807), .float(1.5), .null,
                               .string("Gao"), .null, .bool(true), date(2012, 1, 17), date(2024, 5, 1), .int(-5), .float(12.34),
                               .list([.string("a"), .string("b")])])
        XCTAssertEqual(table.row(1), [.null, .int(2), .int(-2_147_483_648), .null, .null, .float(2.5e300), .null, .string("Kidal"),
                                      .null, .null, .null, .int(123_456_789_012_345_678), .null, .null])
        XCTAssertEqual(table.row(2), [.int(7), .null, .int(3), .int(-1), .float(-0.25), .null, .string("Ségou ✓"), .string(""),
                                      .bool(false), date(1969, 12, 31), date(1969, 12, 31), .null, .float(-0.05), .list([])])
        XCTAssertEqual(table.row(3), [.int(1), .int(2), .int(3), .int(4), .float(5), .float(6), .string("Mopti"), .string("Tombouctou"),
                                      .bool(true), date(2026, 12, 7), date(2026, 12, 7), .int(0), .float(1), .list([.null, .string("c")])])
    }

    func testWhatCannotBeReadIsRefusedByName() throws {
        let schema = Schema([Field("id", .int), Field("attributes", .string)])
        XCTAssertThrowsError(try SparkEngine.table(fromArrowStreams: [try stream("map.arrows")], schema: schema)) { error in
            let error = error as? RemoteError
            XCTAssertEqual(error?.message, "the column 'attributes' came back from Spark as map, which ConflictQL does not read as String")
            XCTAssertEqual(error?.unreadableAnswer, true)
        }
        // A stream cut anywhere is an error, or (cut between messages) the rows before the cut.
        let whole = try stream("types.arrows")
        let full = try SparkEngine.table(fromArrowStreams: [whole], schema: Self.typesSchema)
        var failures = 0
        for length in stride(from: 0, to: whole.count, by: 7) {
            do {
                let part = try SparkEngine.table(fromArrowStreams: [Array(whole.prefix(length))], schema: Self.typesSchema)
                XCTAssertTrue([0, 3, 4].contains(part.rowCount), "cut at \(length)")
                for row in 0..<part.rowCount { XCTAssertEqual(part.row(row).description, full.row(row).description) }
            } catch {
                failures += 1
                XCTAssertTrue(error.unreadableAnswer, error.message)
            }
        }
        XCTAssertGreaterThan(failures, 300)
        XCTAssertNotNil(DiagnosticCatalogue.entry("engine-answer-unreadable"))
    }

    /// A stream with a few bytes changed anywhere (a length, an offset, a type) is read or
    /// refused as unreadable: never a trap, never a loop over a length nobody sent.
    func testAChangedStreamIsReadOrRefusedNeverATrap() throws {
        let whole = try stream("types.arrows")
        var random = SystemRandomNumberGenerator()
        var refused = 0
        for round in 0..<3_000 {
            var changed = whole
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let place = Int.random(in: 0..<changed.count, using: &random)
                changed[place] = round % 3 == 0 ? 0xFF : UInt8.random(in: 0...255, using: &random)
            }
            do {
                let table = try SparkEngine.table(fromArrowStreams: [changed], schema: Self.typesSchema)
                XCTAssertLessThanOrEqual(table.rowCount, 1_000, "round \(round)")
            } catch {
                XCTAssertTrue(error.unreadableAnswer, "round \(round): \(error.message)")
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 0)
    }
}
