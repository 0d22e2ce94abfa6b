// Drives the real `conflictql` binary through a pseudo-terminal, as a person would: a
// statement over two lines, Tab in a column position, an error, Ctrl-C, and history kept
// for the next session.

import ConflictQL
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest

final class TerminalTests: XCTestCase {
    final class Terminal {
        let pid: pid_t
        let master: Int32
        var screen = ""

        init(executable: String, environment: [String: String], arguments: [String] = []) throws {
            var master: Int32 = -1
            // Everything the child needs is prepared before fork: after it, only exec.
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable)] + arguments.map { strdup($0) } + [nil]
            let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0)=\($1)") } + [nil]
            var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
            let pid = forkpty(&master, nil, nil, &size)
            if pid == 0 {
                execve(executable, argv, envp)
                _exit(127)
            }
            guard pid > 0 else { throw POSIXError(.EAGAIN) }
            self.pid = pid
            self.master = master
        }

        func type(_ text: String) {
            _ = text.withCString { write(master, $0, strlen($0)) }
        }

        /// Reads until `marker` appears in the screen text after `from`, or the time runs out.
        @discardableResult
        func read(until marker: String, timeout: Double = 30) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                if screen.contains(marker) { return true }
                var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let n = CLibrary.read(master, &buffer, buffer.count)
                if n <= 0 { break }
                screen += String(decoding: buffer[0..<n], as: UTF8.self)
            }
            return screen.contains(marker)
        }

        /// The exit status; `inspect` runs once the child has exited, with the terminal still open.
        func waitForExit(inspect: () -> Void = {}) -> Int32 {
            var status: Int32 = 0
            // Drain output so the child never blocks writing.
            read(until: "\u{0}", timeout: 2)
            waitpid(pid, &status, 0)
            inspect()
            close(master)
            return (status >> 8) & 0xFF
        }
    }

    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql").path
    }

    func testASessionAsAPersonWouldHaveIt() throws {
        let history = NSTemporaryDirectory() + "conflictql-history-\(getpid())"
        defer { unlink(history) }
        unlink(history)
        let environment = ["CONFLICTQL_HISTORY": history, "NO_COLOR": "1", "TERM": "dumb", "HOME": NSTemporaryDirectory()]
        let terminal = try Terminal(executable: executable, environment: environment)
        XCTAssertTrue(terminal.read(until: "cq> "), terminal.screen)
        XCTAssertTrue(terminal.screen.contains("ConflictQL 0.3.0-dev"))

        // A statement over two lines: the continuation prompt, then the result.
        terminal.type("groups | where\r")
        XCTAssertTrue(terminal.read(until: "... "), terminal.screen)
        terminal.type("founded is not null | select name, founded\r")
        XCTAssertTrue(terminal.read(until: "(2 rows)\r\nsource: briefing\r\ncq> "), terminal.screen)
        XCTAssertTrue(terminal.screen.contains("National Movement for the Liberation of Azawad │ 2011-10"), terminal.screen)

        // Tab in a column position completes the column of the table flowing in.
        terminal.type("funding | where amo\t")
        XCTAssertTrue(terminal.read(until: "amount_usd"), terminal.screen)
        terminal.type(" > 1 | count\r")
        XCTAssertTrue(terminal.read(until: "(1 row)\r\nsource: HRW\r\ncq> "), terminal.screen)
        XCTAssertTrue(terminal.screen.contains("    3\r\n(1 row)"), terminal.screen)

        // An error shows a caret under the input and the session goes on.
        terminal.type("grups | count\r")
        // A person waits for the prompt before typing on.
        XCTAssertTrue(terminal.read(until: "help: did you mean 'groups'?\r\ncq> "), terminal.screen)
        XCTAssertTrue(terminal.screen.contains(" 1 | grups | count\r\n   | ^~~~~"), terminal.screen)

        // Ctrl-C discards a half-typed line; the next statement runs normally.
        terminal.type("timeline | where eve")
        XCTAssertTrue(terminal.read(until: "where eve"))
        let before = terminal.screen.count
        terminal.type("\u{3}")
        // A person waits for the fresh prompt before typing on.
        XCTAssertTrue(terminal.read(until: "where eve\r\ncq> "), String(terminal.screen.dropFirst(before)))
        terminal.type("140100 + 51960\r")
        XCTAssertTrue(terminal.read(until: "192060"), terminal.screen)

        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)

        // History: the two-line statement is one entry, and it survives the session.
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertTrue(saved.contains("groups | where\nfounded is not null | select name, founded\n"), saved)
        XCTAssertFalse(saved.contains("timeline | where eve"), saved)
        let second = try Terminal(executable: executable, environment: environment)
        XCTAssertTrue(second.read(until: "cq> "))
        second.type("\u{1B}[A")  // up arrow
        XCTAssertTrue(second.read(until: ".quit"), second.screen)
        second.type("\u{15}.quit\r")  // Ctrl-U clears the recalled line
        XCTAssertEqual(second.waitForExit(), 0)
    }

    func testOutputFileIsWrittenWholeAndSafeModeRefusesFiles() throws {
        let target = NSTemporaryDirectory() + "conflictql-output-\(getpid()).csv"
        defer { unlink(target) }
        try "old content\n".write(toFile: target, atomically: true, encoding: .utf8)
        let terminal = try Terminal(executable: executable, environment: ["CONFLICTQL_HISTORY": "", "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type(".mode csv\r.output \(target)\rfunding | summarize n = count() by kind\r")
        XCTAssertTrue(terminal.read(until: "by kind\r\ncq> "), terminal.screen)
        terminal.type("funding | count\r")
        XCTAssertTrue(terminal.read(until: "| count\r\ncq> "), terminal.screen)
        // Until the file is closed, the old content stays whole.
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "old content\n")
        terminal.type(".output\r.output /no/such/folder/x.csv\r")
        XCTAssertTrue(terminal.read(until: "error: cannot write '/no/such/folder/x.csv'"), terminal.screen)
        // Two CSV results in one file: split by a form-feed line, as in scripts.
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "kind,n\npledge,3\ncut off,1\n\u{0C}\ncount\n4\n")
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)

        let safe = try Terminal(executable: executable + "", environment: ["CONFLICTQL_HISTORY": "", "TERM": "dumb", "NO_COLOR": "1"],
                                arguments: ["--safe"])
        XCTAssertTrue(safe.read(until: "cq> "))
        safe.type(".read Samples/tour.cq\r")
        XCTAssertTrue(safe.read(until: "touches files, which safe mode does not allow"), safe.screen)
        safe.type("funding | count\r")
        XCTAssertTrue(safe.read(until: "(1 row)"), safe.screen)
        safe.type(".quit\r")
        XCTAssertEqual(safe.waitForExit(), 0)
    }

    func testDotLoadTakesTheOptionsOfLoadWithTabAndCarets() throws {
        let terminal = try Terminal(executable: executable, environment: ["CONFLICTQL_HISTORY": "", "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        // Tab after `with (` completes an option name.
        terminal.type(".load Tests/ConflictQLTests/Fixtures/ged_sahel.csv ged with (latitude: String, he\t")
        XCTAssertTrue(terminal.read(until: "header"), terminal.screen)
        terminal.type("= true)\r")
        XCTAssertTrue(terminal.read(until: "into ged"), terminal.screen)
        // `contains` takes text: latitude was loaded as String, as the option said.
        terminal.type("ged | where latitude contains \".\" | count\r")
        XCTAssertTrue(terminal.read(until: "15\r\n(1 row)"), terminal.screen)
        // A bad option: the caret is under it in the line as typed.
        terminal.type(".load Tests/ConflictQLTests/Fixtures/acled_api.json api with (record = \"data\")\r")
        XCTAssertTrue(terminal.read(until: "help: did you mean 'records'?"), terminal.screen)
        XCTAssertTrue(terminal.screen.contains("<repl>:1:63: error: unknown load option 'record'"), terminal.screen)
        terminal.type(".load Tests/ConflictQLTests/Fixtures/acled_api.json api\r")
        XCTAssertTrue(terminal.read(until: "read the records of its 'data' array"), terminal.screen)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    /// A result taller than the terminal (40 rows here) goes through $PAGER, a shorter one
    /// does not, nor any once `.pager off`; `.once` sends the next result to a file, `.last`
    /// shows the last again in another format, `.edit` runs what the editor saved.
    func testThePagerOnceLastAndEdit() throws {
        let folder = NSTemporaryDirectory() + "conflictql-pager-\(getpid())/"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An editor that adds a stage to the statement, as a person would.
        let editor = folder + "editor.sh"
        try "#!/bin/sh\nsed -i 's/$/ | count/' \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        let terminal = try Terminal(executable: executable, environment: [
            "CONFLICTQL_HISTORY": "", "TERM": "dumb", "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
            "PAGER": "sed s/^/paged:/", "EDITOR": editor,
        ])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type("funding | select donor, kind\r")
        XCTAssertTrue(terminal.read(until: "(4 rows)"), terminal.screen)
        XCTAssertFalse(terminal.screen.contains("paged:"), "four rows fit the terminal")
        // Nine groups of 14 columns, a line each: taller than the terminal.
        terminal.type(".mode line\rgroups\r")
        XCTAssertTrue(terminal.read(until: "paged:           name = Al Qaeda"), terminal.screen)
        XCTAssertTrue(terminal.read(until: "paged:         source = "), terminal.screen)
        terminal.type(".edit\r")
        XCTAssertTrue(terminal.read(until: "groups | count\r\ncount = 9"), terminal.screen)
        let target = folder + "count.tsv"
        terminal.type(".once \(target)\r.last tsv\r1 + 41\r")
        XCTAssertTrue(terminal.read(until: "\n42\r\n"), terminal.screen)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "count\n9\n")
        let paged = terminal.screen.components(separatedBy: "paged:").count
        terminal.type(".pager off\r.mode table\r.maxrows 0\rtimeline\r")
        XCTAssertTrue(terminal.read(until: "rows)"), terminal.screen)
        XCTAssertEqual(terminal.screen.components(separatedBy: "paged:").count, paged, "'.pager off' shows results directly")
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testCtrlDOnAnEmptyLineLeaves() throws {
        let terminal = try Terminal(executable: executable, environment: ["CONFLICTQL_HISTORY": "", "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "))
        terminal.type("\u{4}")
        XCTAssertEqual(terminal.waitForExit(), 0)
    }
}
