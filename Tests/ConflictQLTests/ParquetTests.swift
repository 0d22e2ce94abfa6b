// Parquet in and out: files made by pyarrow and DuckDB (Fixtures/parquet/make_fixtures.py)
// load with the values and types of their CSV; the types we map (timestamps, decimals,
// unsigned, INT96) and refuse (nested); our own files read back by our loader (a round-trip
// property over random tables), by DuckDB and by pyarrow; every truncated or damaged fixture
// an error with a message, never a trap; and the executable's `--format parquet` and `.output`.

import ConflictQL
import Foundation
import XCTest

let parquetFixtures = fixtures + "parquet/"

final class ParquetTests: XCTestCase {
    func loadFile(_ path: String) throws -> (Table, LoadReport) { try loadTable(path: path) }

    func loadBytes(_ bytes: [UInt8], name: String = "damaged.parquet") -> Result<Table, LoadError> {
        bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(LoadError) in try loadTable(bytes: buffer, name: name, options: LoadOptions()).0 }
        }
    }

    func signature(_ table: Table) -> [String] { table.schema.fields.map { "\($0.name): \($0.type)" } }

    /// Values compared as the language shows them, so 14.0 and 14 as Float are one.
    func assertSameTable(_ a: Table, _ b: Table, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(signature(a), signature(b), label, file: file, line: line)
        XCTAssertEqual(a.rowCount, b.rowCount, label, file: file, line: line)
        func same(_ x: Value, _ y: Value) -> Bool {
            if case .float(let p) = x, case .float(let q) = y, p.isNaN && q.isNaN { return true }
            return x == y
        }
        for (r, (x, y)) in zip(a.rows, b.rows).enumerated() where !zip(x, y).allSatisfy(same) {
            XCTFail("\(label): row \(r) differs: \(x) against \(y)", file: file, line: line)
            return
        }
    }

    // MARK: Reading files others wrote

    func testEveryWriterAndCodecLoadsAsItsCSV() throws {
        let csv = try loadFile(parquetFixtures + "events.csv").0
        XCTAssertEqual(signature(csv), ["event_id_cnty: String", "event_date: Date", "year: Int", "event_type: String", "admin1: String",
                                        "latitude: Float", "longitude: Float", "fatalities: Int", "civilian_targeting: Bool",
                                        "notes: String"])
        let files = ["pyarrow_snappy", "pyarrow_zstd_v2", "pyarrow_gzip_plain", "pyarrow_row_groups", "pyarrow_delta", "duckdb",
                     "duckdb_zstd_v2"]
        for name in files {
            let (table, report) = try loadFile(parquetFixtures + name + ".parquet")
            assertSameTable(table, csv, name)
            XCTAssertEqual(report.rows, 40, name)
        }
        // The nulls and the empty string survive: 4 null notes, one "" (row 7), 4 null fatalities.
        let snappy = try loadFile(parquetFixtures + "pyarrow_snappy.parquet").0
        let notes = snappy.column(named: "notes")!
        XCTAssertEqual((0..<40).filter { notes.isNull($0) }, [3, 14, 25, 36])
        XCTAssertEqual(notes.value(at: 7), .string(""))
        XCTAssertEqual((0..<40).filter { snappy.column(named: "fatalities")!.isNull($0) }, [4, 13, 22, 31])
    }

    func testTextKeepsTheFilesDictionary() throws {
        // pyarrow wrote event_type with a dictionary of 4 entries: the column's dictionary is it.
        let table = try loadFile(parquetFixtures + "pyarrow_row_groups.parquet").0
        guard case .string(_, let dictionary) = table.column(named: "event_type")!.storage else { return XCTFail("not text") }
        XCTAssertEqual(Set(dictionary.values), ["Battles", "Violence against civilians", "Explosions/Remote violence", "Protests"])
        XCTAssertEqual(dictionary.count, 4, "three row groups' dictionaries are one")
        XCTAssertTrue(dictionary.isUnique)
    }

    func testTypesMapToOurs() throws {
        let (table, report) = try loadFile(parquetFixtures + "types.parquet")
        XCTAssertEqual(signature(table), ["midnight: Date", "moment: String", "amount: Float", "big_amount: Float", "count32: Int",
                                          "small: Int", "ratio: Float", "nothing: String"])
        XCTAssertEqual(table.rows[0].map(\.description),
                       ["2020-01-04", "2020-01-04 13:45:07.25", "1234.5", "1.2345678901234568e+17", "4000000000", "-3", "0.5", "null"])
        XCTAssertEqual(table.rows[1].map(\.description), ["null", "1960-06-01 00:00:01", "-0.25", "-1.5", "0", "127", "null", "null"])
        XCTAssertEqual(table.rows[2][0], .date(DateValue(year: 1969, month: 12, day: 31)!))
        XCTAssertTrue(table.rows[2][2...].prefix(4).allSatisfy(\.isNull))
        // The one column loaded as another type than the file's says so in the summary.
        XCTAssertEqual(report.remarks.count, 1)
        XCTAssertTrue(report.remarks[0].contains("'moment' holds times of day"), report.remarks[0])
        // Spark's INT96 timestamps read as the same instants.
        let int96 = try loadFile(parquetFixtures + "int96.parquet").0
        XCTAssertEqual(int96.rows.map { $0[0].description }, ["2020-01-04 13:45:07.25", "1960-06-01 00:00:01", "null"])
    }

    func testANestedColumnIsRefusedByName() throws {
        XCTAssertThrowsError(try loadFile(parquetFixtures + "nested.parquet")) { error in
            let message = (error as! LoadError).message
            XCTAssertTrue(message.contains("column 'actors': it is a list, a nested type"), message)
        }
    }

    func testOptionsForTextAreRefusedAndFormatIsChecked() throws {
        var options = LoadOptions()
        options.delimiter = UInt8(ascii: ";")
        XCTAssertThrowsError(try loadTable(path: parquetFixtures + "duckdb.parquet", options: options)) { error in
            XCTAssertTrue((error as! LoadError).message.contains("'delimiter' does not apply"), "\(error)")
        }
        // A CSV named .parquet says what it is not.
        options = LoadOptions()
        options.format = .parquet
        XCTAssertThrowsError(try loadTable(path: parquetFixtures + "events.csv", options: options)) { error in
            XCTAssertEqual((error as! LoadError).message, "is not a Parquet file: it does not begin with PAR1")
        }
        // The same answers as from the CSV.
        let session = Session()
        let query = "| summarize deaths = sum(fatalities), events = count() by event_type | sort by event_type"
        let results = try session.run("load \"\(parquetFixtures)duckdb_zstd_v2.parquet\" as ev with (format = parquet)\n"
                                      + "load \"\(parquetFixtures)events.csv\" as csv\nev \(query)\ncsv \(query)")
        guard case .table(let fromParquet) = results[2], case .table(let fromCSV) = results[3] else { return XCTFail("no tables") }
        XCTAssertEqual(fromParquet.rowCount, 4)
        XCTAssertEqual(fromParquet.rows, fromCSV.rows)
    }

    func testAPatternLoadsSeveralParquetFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cq-parquet-many-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["pyarrow_snappy", "duckdb"] {
            try FileManager.default.copyItem(atPath: parquetFixtures + name + ".parquet",
                                             toPath: folder.appendingPathComponent(name + ".parquet").path)
        }
        let session = Session()
        let results = try session.run("load \"\(folder.path)/*.parquet\" as ev\nev | summarize n = count() by file | sort by file")
        guard case .table(let table)? = results.last else { return XCTFail("no table") }
        XCTAssertEqual(table.rows.map { $0[1] }, [.int(40), .int(40)])
    }

    // MARK: Damaged files

    func testEveryTruncationAndManyFlippedBytesAreErrorsNotTraps() throws {
        var generator = SplitMix(seed: 27)
        for name in ["pyarrow_snappy", "pyarrow_zstd_v2", "pyarrow_gzip_plain", "pyarrow_delta", "duckdb", "types"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: parquetFixtures + name + ".parquet")))
            guard case .success = loadBytes(bytes) else { return XCTFail("\(name) does not load whole") }
            // Every prefix: the footer is at the end, so each is an error that says what it is.
            for length in 0..<bytes.count {
                guard case .failure(let error) = loadBytes(Array(bytes.prefix(length))) else {
                    return XCTFail("\(name) cut to \(length) bytes loaded")
                }
                XCTAssertFalse(error.message.isEmpty)
            }
            // Flipped bytes, half of them in the footer (the last 1,500 bytes, where the schema
            // and the offsets are): an error with a message, or a table with the file's row count.
            // CONFLICTQL_PARQUET_DAMAGE=N runs N per fixture instead of 800 (a longer fuzzing run).
            let rounds = ProcessInfo.processInfo.environment["CONFLICTQL_PARQUET_DAMAGE"].flatMap { Int($0) } ?? 800
            for round in 0..<rounds {
                var damaged = bytes
                let footer = min(bytes.count, 1_500)
                let at = round % 2 == 0 ? bytes.count - 1 - Int(generator.next() % UInt64(footer))
                    : Int(generator.next() % UInt64(bytes.count))
                damaged[at] ^= UInt8(1 << (generator.next() % 8))
                if generator.next() % 4 == 0 {
                    damaged[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
                switch loadBytes(damaged) {
                case .failure(let error): XCTAssertFalse(error.message.isEmpty)
                case .success(let table): XCTAssertTrue(table.rowCount == 40 || table.rowCount == 3, "\(name): \(table.rowCount) rows")
                }
            }
        }
    }

    func testMessagesForDamagedFilesSayWhere() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: parquetFixtures + "pyarrow_snappy.parquet")))
        guard case .failure(let truncated) = loadBytes(Array(bytes.prefix(bytes.count - 1))) else { return XCTFail("loaded") }
        XCTAssertEqual(truncated.message, "is not a complete Parquet file: it does not end with PAR1 (a truncated copy?)")
        // A page's compressed bytes zeroed: the column, the row group and the bytes are named.
        var damaged = bytes
        for i in 40..<80 { damaged[i] = 0 }
        guard case .failure(let error) = loadBytes(damaged) else { return XCTFail("loaded") }
        XCTAssertTrue(error.message.hasPrefix("cannot load column 'event_id_cnty', row group 1 (bytes 4-")
                      || error.message.contains("column 'event_id_cnty', row group 1"), error.message)
    }

    // MARK: Writing

    func written(_ table: Table) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try ParquetWriter.write(table) { bytes += $0 }
        return bytes
    }

    func testWrittenFilesReadBackAsTheyWere() throws {
        var generator = SplitMix(seed: 7)
        for size in [0, 1, 7, 300, 70_000] {
            let table = randomTable(rows: size, &generator)
            let bytes = try written(table)
            switch loadBytes(bytes, name: "ours.parquet") {
            case .failure(let error): XCTFail("\(size) rows: \(error)")
            case .success(let back): assertSameTable(back, table, "\(size) rows")
            }
        }
        let csv = try loadFile(parquetFixtures + "events.csv").0
        guard case .success(let back) = loadBytes(try written(csv)) else { return XCTFail("events do not read back") }
        assertSameTable(back, csv, "events")
        // Repeated text is written with a dictionary, so the file is smaller than its plain text.
        let codes = StringCodes((0..<10_000).map { Int32($0 % 3) }).narrowed(entries: 3)
        let regions = StringDictionary(["Mopti", "Gao", "Ségou"])
        let repeated = Table([("region", Column(type: .string, storage: .string(codes: codes, dictionary: regions),
                                                   validity: nil, count: 10_000))])
        XCTAssertLessThan(try written(repeated).count, 3_000)
    }

    func testAListColumnIsRefusedBeforeAnythingIsWritten() throws {
        let parts = Column(type: .list(.string), storage: .list(offsets: [0, 2], values: Column(type: .string, storage:
            .string(codes: StringCodes([0, 1]),
                dictionary: StringDictionary(["x", "y"])), validity: nil, count: 2)), validity: nil, count: 1)
        let table = Table([("parts", parts)])
        XCTAssertEqual(ParquetWriter.problem(table)?.text, "column 'parts' is a list, and ConflictQL writes flat Parquet files; join it to "
            + "text (join(parts, \";\")) or leave it out")
    }

    /// Our file read by DuckDB and by pyarrow: the same values and types (null as None).
    func testDuckDBAndPyarrowReadOurFilesBack() throws {
        let required = ProcessInfo.processInfo.environment["CONFLICTQL_REQUIRE_ENGINES"] != nil
        var generator = SplitMix(seed: 11)
        let table = randomTable(rows: 500, &generator)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cq-ours-\(getpid()).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(try written(table)).write(to: URL(fileURLWithPath: path))
        let expected = table.rows.map { row in row.map { $0.isNull ? "None" : $0.description } }
        for engine in ["duckdb", "pyarrow"] {
            let script = engine == "duckdb"
                ? "import duckdb, sys, json\nr = duckdb.sql(\"select * from '\(path)'\")\nprint(json.dumps([str(t) for t in "
                    + "r.types]))\nrows = r.fetchall()\n"
                : "import pyarrow.parquet as pq, json\nt = pq.read_table('\(path)')\nprint(json.dumps([str(f.type) for f in "
                    + "t.schema]))\nrows = [tuple(r.values()) for r in t.to_pylist()]\n"
            let printing = script + """
                import datetime
                def show(v):
                    if v is None: return "None"
                    if isinstance(v, bool): return "true" if v else "false"
                    if isinstance(v, float): return repr(v)
                    return str(v)
                print(json.dumps([[show(v) for v in row] for row in rows]))
                """
            let run = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", printing],
                                     environment: ProcessInfo.processInfo.environment)
            if run.status != 0 && run.stderr.contains("ModuleNotFoundError") {
                if required && engine == "duckdb" { XCTFail("python3 cannot import duckdb") }
                continue
            }
            XCTAssertEqual(run.status, 0, run.stderr)
            let lines = run.stdout.split(separator: "\n").map(String.init)
            guard lines.count == 2 else { XCTFail("\(engine): \(run.stdout)"); continue }
            let types = try JSONDecoder().decode([String].self, from: Data(lines[0].utf8))
            XCTAssertEqual(types, engine == "duckdb" ? ["BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN", "DATE", "VARCHAR"]
                                                     : ["int64", "double", "string", "bool", "date32[day]", "string"], engine)
            let rows = try JSONDecoder().decode([[String]].self, from: Data(lines[1].utf8))
            XCTAssertEqual(rows.count, expected.count, engine)
            for (k, (ours, theirs)) in zip(expected, rows).enumerated() where ours != theirs {
                XCTFail("\(engine): row \(k): \(ours) against \(theirs)")
                break
            }
        }
    }

    // MARK: The executable

    func conflictql(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
        return try runProcess(executable, arguments, environment: ["NO_COLOR": "1"], directory: repositoryRoot)
    }

    func testOutputFileAndFormatWriteOneTable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cq-parquet-out-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("deaths.parquet").path
        let ok = try conflictql(["-c", ".output \(target)", "-c", "funding | summarize total = sum(amount_usd) by donor | sort by donor"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let back = try conflictql(["--format", "csv", "-c", "load \"\(target)\" as d\nd | take 2"])
        let expected = try conflictql(["--format", "csv", "-c", "funding | summarize total = sum(amount_usd) by donor | sort by donor | "
            + "take 2"])
        XCTAssertEqual(back.stdout, expected.stdout, back.stderr)
        // A second table for the same file, or a single value: refused, and the file left as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: target))
        let second = try conflictql(["-c", ".output \(target)", "-c", "funding | count", "-c", "funding | take 1"])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("already holds a table, and a Parquet file holds one"), second.stderr)
        let value = try conflictql(["--format", "parquet", "-c", ".output \(target)", "-c", "1 + 1"])
        XCTAssertEqual(value.status, 1)
        XCTAssertTrue(value.stderr.contains("Parquet output writes a table, and this result is a single value"), value.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["deaths.parquet"], "no temporary file left")
        // To standard output when it is not a terminal.
        let piped = try conflictql(["--format", "parquet", "-c", "funding | take 3"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.utf8.starts(with: "PAR1".utf8))
    }
}

/// A table of every type we write, with nulls, repeated and distinct text, NaN and extremes.
func randomTable(rows: Int, _ generator: inout SplitMix) -> Table {
    func valid(_ g: inout SplitMix) -> Bitmap? {
        var bits = Bitmap(count: rows, allValid: true)
        var any = false
        for r in 0..<rows where g.next() % 7 == 0 { bits[r] = false; any = true }
        return any ? bits : nil
    }
    let ints = (0..<rows).map { _ in
        [Int64.min, Int64.max, 0, -1][Int(generator.next() % 4)] &+ Int64(bitPattern: generator.next() % 1000)
    }
    let floats = (0..<rows).map { k in k % 97 == 5 ? Double.nan : Double(Int64(bitPattern: generator.next()) % 1_000_000) / 64 }
    let regions = ["Mopti", "Gao", "Ségou", "", "Tombouctou \"nord\""]
    let codes = (0..<rows).map { _ in Int32(generator.next() % UInt64(regions.count)) }
    let notes = (0..<rows).map { k in "note \(k) \(generator.next())" }
    let bools = (0..<rows).map { _ in generator.next() % 2 == 0 }
    let days = (0..<rows).map { _ in Int32(generator.next() % 40_000) - 10_000 }
    return Table([
        ("count", Column(type: .int, storage: .int(ints), validity: valid(&generator), count: rows)),
        ("ratio", Column(type: .float, storage: .float(floats), validity: valid(&generator), count: rows)),
        ("region", Column(type: .string, storage: .string(codes: StringCodes(codes).narrowed(entries: regions.count),
            dictionary: StringDictionary(regions)), validity: valid(&generator), count: rows)),
        ("flag", Column(type: .bool, storage: .bool(bools), validity: valid(&generator), count: rows)),
        ("day", Column(type: .date, storage: .date(days: days, precision: [DatePrecision](repeating: .day, count: rows)),
                       validity: valid(&generator), count: rows)),
        ("note", Column(type: .string, storage: .string(codes: .sequence(rows), dictionary: StringDictionary(notes, isUnique: false)),
                        validity: valid(&generator), count: rows)),
    ])
}

/// A small deterministic generator for the tests' random tables and damage.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
