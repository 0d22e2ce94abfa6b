// Loading through the real `conflictql` executable: what a script's user is told when a
// column's type changed after the sample or a file is one page of a paged API response,
// `--load` with options, and hostile shapes of file under a memory limit.

import Foundation
import XCTest

final class LoaderExecutableTests: XCTestCase {
    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql").path
    }

    /// Runs a shell command line (for `ulimit`) with `$CQ` set to the executable.
    func shell(_ command: String) throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["CQ"] = executable
        environment["NO_COLOR"] = "1"
        environment["SOURCE_DATE_EPOCH"] = fixedClock
        return try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", command], environment: environment)
    }

    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(getpid())-" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testATypeChangedAfterTheSampleIsToldToAScript() throws {
        var text = "id,code\n"
        for i in 0..<25_000 { text += "\(i),\(i % 7)\n" }
        text += "25000,007\n"
        let path = try temporaryFile("late.csv", text)
        let script = try shell("\"$CQ\" -c 'load \"\(path)\" as late' -c 'late | where code == \"007\" | count'")
        XCTAssertEqual(script.status, 0)
        XCTAssertEqual(script.stderr, "note: \(path): after the type sample, 'code' is String, not Int (line 25002)\n")
        XCTAssertEqual(script.stdout, "count\n─────\n    1\n(1 row)\nfile: \(path) (loaded 2026-11-29 10:00 UTC)\n")
        let option = try shell("\"$CQ\" --load '\(path)=late' -c 'late | count'")
        XCTAssertEqual(option.stderr, "note: \(path): after the type sample, 'code' is String, not Int (line 25002)\n")
    }

    func testOnePageOfAPagedResponseIsToldToAScriptAndLoadTakesOptionsOnTheCommandLine() throws {
        let page = #"{"TotalCount": 40, "TotalPages": 20, "PreviousPageUrl": "", "NextPageUrl": "https://example.org/?page=1", "Result": [{"id": 1, "best": "3"}, {"id": 2, "best": "4"}]}"#
        let path = try temporaryFile("page.json", page)
        let note = "note: \(path): the response counts 40 records in all (TotalCount) and the file holds 2: the others are on further pages (NextPageUrl)\n"
        let script = try shell("\"$CQ\" -c 'load \"\(path)\" as p' -c 'p | summarize deaths = sum(best)'")
        XCTAssertEqual(script.status, 0)
        XCTAssertEqual(script.stderr, note)
        XCTAssertEqual(script.stdout, "deaths\n──────\n     7\n(1 row)\nfile: \(path) (loaded 2026-11-29 10:00 UTC)\n")
        // The same file through --load, with a declared type: best as Float.
        let option = try shell("\"$CQ\" --load '\(path)=p with (best: Float, records = \"Result\")' -c 'p | summarize deaths = sum(best)'")
        XCTAssertEqual(option.status, 0, option.stderr)
        XCTAssertEqual(option.stderr, note)
        XCTAssertEqual(option.stdout, "deaths\n──────\n   7.0\n(1 row)\nfile: \(path) (loaded 2026-11-29 10:00 UTC)\n")
        // What the command line names loads in safe mode too; a `load` in the script does not.
        let safe = try shell("\"$CQ\" --safe --load '\(path)=p with (records = \"Result\")' -c 'p | count'")
        XCTAssertEqual(safe.status, 0, safe.stderr)
        XCTAssertEqual(safe.stdout, "count\n─────\n    2\n(1 row)\nfile: \(path) (loaded 2026-11-29 10:00 UTC)\n")
        let refused = try shell("\"$CQ\" --safe -c 'load \"\(path)\" as p with (records = \"Result\")'")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("'load' reads files, which safe mode does not allow"), refused.stderr)
    }

    func testThreeHundredThousandColumnsFailWithAMessageUnderAMemoryLimit() throws {
        let header = (0..<300_000).map { "c\($0 % 10)" }.joined(separator: ",")
        let row = Array(repeating: "1", count: 300_000).joined(separator: ",")
        let path = try temporaryFile("wide.csv", header + "\n" + row + "\n")
        let result = try shell("ulimit -v 2000000; \"$CQ\" -c 'load \"\(path)\" as wide'")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cannot load \(path): the file has more than 32767 columns, the most a table can have"),
                      result.stderr)
    }

    func testTheWidestTableAllowedLoadsUnderAMemoryLimit() throws {
        // 32,767 columns all named 'a' (made unique), two rows.
        let header = Array(repeating: "a", count: 32_767).joined(separator: ",")
        let row = (0..<32_767).map(String.init).joined(separator: ",")
        let path = try temporaryFile("widest.csv", header + "\n" + row + "\n" + row + "\n")
        let result = try shell("ulimit -v 2000000; \"$CQ\" -c 'load \"\(path)\" as w' -c 'w | summarize s = sum(a_32767)'")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "    s\n─────\n65532\n(1 row)\nfile: \(path) (loaded 2026-11-29 10:00 UTC)\n")
    }

    /// One field of 400 MB (a .gz of 400 KB) under a limit that holds the text but not a
    /// second copy of the field: the loader's string buffer asks before it grows, and the
    /// load fails with a message, where the allocator used to abort the process.
    func testAHugeFieldFailsWithAMessageUnderAMemoryLimit() throws {
        let path = NSTemporaryDirectory() + "\(getpid())-huge-field.csv.gz"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let made = try shell("{ printf 'a,b\\n1,'; head -c 419430400 /dev/zero | tr '\\0' x; printf '\\n'; } | gzip -1 > '\(path)'")
        XCTAssertEqual(made.status, 0, made.stderr)
        let result = try shell("ulimit -v 700000; \"$CQ\" -c 'load \"\(path)\" as h'")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains(":2:3: this field is 400 MB, and there is not enough memory for it"), result.stderr)
    }

    /// A row of 100,000 fields is refused once it passes the most columns a table may have,
    /// before its fields fill memory.
    func testARowOfTooManyFieldsIsRefusedAsItIsRead() throws {
        let path = try temporaryFile("many-fields.csv", "a,b\n" + String(repeating: "1,", count: 100_000) + "1\n")
        let result = try shell("\"$CQ\" -c 'load \"\(path)\" as m'")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(path):2:1: a row has more than 32767 fields; a table may have at most 32767 columns"), result.stderr)
    }
}
