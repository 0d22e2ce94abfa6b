// Nothing written is lost or misplaced: the real binary with standard output on a full disk,
// `.output` to a FIFO, a symbolic link, a directory and a full device, SIGTERM, SIGHUP and
// kill -9 in the middle of a session, and two sessions sharing one history file.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest

final class WriteTests: XCTestCase {
    typealias Terminal = TerminalTests.Terminal

    var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql").path
    }

    /// A fresh folder for one test's files.
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "conflictql-writes-\(getpid())-\(name.filter(\.isLetter))"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func session(history: String = "") throws -> Terminal {
        let terminal = try Terminal(executable: executable, environment: ["CONFLICTQL_HISTORY": history, "TERM": "dumb", "NO_COLOR": "1"])
        XCTAssertTrue(terminal.read(until: "cq> "), terminal.screen)
        return terminal
    }

    func temporaries(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
    }

    /// Runs the binary with standard output and error captured.
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProcess(URL(fileURLWithPath: executable), arguments, environment: ["NO_COLOR": "1", "CONFLICTQL_HISTORY": ""])
    }

    /// The issue's reproducer: a quote (or pipe) followed by a combining mark is escaped, so
    /// the CSV has two fields and loads back as it was.
    func testAQuoteBeforeACombiningMarkIsEscapedAndLoadsBack() throws {
        let file = try folder() + "/marks.csv"
        let query = #"funding | take 1 | select x = "a\"\u{301},b", y = "|\u{301}""#
        let csv = try run(["--format", "csv", "-c", query])
        XCTAssertEqual(csv.stdout, "x,y\n\"a\"\"\u{301},b\",\"|\u{301}\"\n")
        try csv.stdout.write(toFile: file, atomically: false, encoding: .utf8)
        let loaded = try run(["--format", "json", "-c", "load \"\(file)\" as t\nt"])
        XCTAssertEqual(loaded.stderr, "")
        XCTAssertEqual(loaded.stdout, "[\n{\"x\":\"a\\\"\u{301},b\",\"y\":\"|\u{301}\"}\n]\n")
        let markdown = try run(["--format", "markdown", "-c", query])
        XCTAssertEqual(markdown.stdout, "| x | y |\n|---|---|\n| a\"\u{301},b | \\|\u{301} |\n")
    }

    func testAFullStandardOutputIsAnErrorWithStatus2() throws {
        for arguments in [["-c", "groups"], ["--format", "csv", "-c", "groups"], ["--help"], ["--version"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 2, "\(arguments)")
            XCTAssertEqual(message, "conflictql: error: cannot write to standard output: No space left on device\n", "\(arguments)")
        }
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("OVERVIEW: Query the conflict"), help.stdout)
        XCTAssertTrue(help.stdout.hasSuffix("\n") && !help.stdout.hasSuffix("\n\n\n"), help.stdout)
    }

    func testOutputFollowsASymbolicLinkAndKeepsThePermissions() throws {
        let folder = try folder()
        let target = folder + "/private.csv", link = folder + "/link.csv"
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, 0o600)
        symlink("private.csv", link)
        let terminal = try session()
        terminal.type(".mode csv\r.output \(link)\rfunding | count\r.output\r")
        XCTAssertTrue(terminal.read(until: ".output\r\ncq> "), terminal.screen)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "private.csv")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "count\n4\n")
        var info = stat()
        XCTAssertEqual(stat(target, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertEqual(try temporaries(in: folder), [])
    }

    func testOutputToAFIFOWritesIntoItAndADirectoryIsRefused() throws {
        let folder = try folder()
        let fifo = folder + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // The reader is open first, so the session's open does not wait for one.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        let terminal = try session()
        terminal.type(".output \(folder)\r")
        XCTAssertTrue(terminal.read(until: "error: '\(folder)' is a directory; '.output' needs a file\r\ncq> "), terminal.screen)
        terminal.type(".mode csv\r.output \(fifo)\rfunding | count\r.output\r")
        XCTAssertTrue(terminal.read(until: ".output\r\ncq> "), terminal.screen)
        var buffer = [UInt8](repeating: 0, count: 100)
        let n = read(reader, &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[0..<max(0, n)], as: UTF8.self), "count\n4\n")
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO must stay a FIFO")
        terminal.type(".quit\r")
        // A refused `.output` loses nothing: like an error in a query, it leaves the status 0.
        XCTAssertEqual(terminal.waitForExit(), 0)
    }

    func testAFullOutputDeviceIsReportedAtOnceAndTheSessionEndsWithStatus2() throws {
        let terminal = try session()
        terminal.type(".output /dev/full\rfunding | count\r")
        XCTAssertTrue(terminal.read(until: "error: cannot write '/dev/full': No space left on device; results go to the terminal "
            + "again\r\ncq> "), terminal.screen)
        terminal.type("funding | count\r")
        XCTAssertTrue(terminal.read(until: "(1 row)"), terminal.screen)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 2)
    }

    /// TERM and HUP end the session as Ctrl-D does: the `.output` file gets the finished
    /// results, no temporary file stays, and the terminal has its echo back.
    func testTerminationSignalsFinishTheOutputFileAndRestoreTheTerminal() throws {
        for (signal, status) in [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))] {
            let folder = try folder()
            let target = folder + "/results.csv"
            let terminal = try session()
            // The session's terminal, opened here too, to look at its settings.
            let device = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(terminal.pid)/fd/0")
            let slave = open(device, O_RDWR | O_NOCTTY)
            defer { close(slave) }
            terminal.type(".mode csv\r.output \(target)\rfunding | count\r")
            XCTAssertTrue(terminal.read(until: "count\r\ncq> "), terminal.screen)
            var settings = termios()
            XCTAssertEqual(tcgetattr(slave, &settings), 0)
            XCTAssertEqual(settings.c_lflag & tcflag_t(ECHO), 0, "readline has echo off at the prompt")
            kill(terminal.pid, signal)
            XCTAssertEqual(terminal.waitForExit {
                XCTAssertEqual(tcgetattr(slave, &settings), 0)
                XCTAssertNotEqual(settings.c_lflag & tcflag_t(ECHO), 0, "echo is back after signal \(signal)")
            }, status)
            XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "count\n4\n", "signal \(signal)")
            XCTAssertEqual(try temporaries(in: folder), [])
        }
    }

    /// kill -9 cannot be handled: the temporary file stays, and the next `.output` to the
    /// same target removes it.
    func testAStaleTemporaryFileIsRemovedOnTheNextWrite() throws {
        let folder = try folder()
        let target = folder + "/results.csv"
        let killed = try session()
        killed.type(".output \(target)\rgroups\r")
        XCTAssertTrue(killed.read(until: "groups\r\ncq> "), killed.screen)
        kill(killed.pid, SIGKILL)
        _ = killed.waitForExit()
        XCTAssertEqual(try temporaries(in: folder), ["results.csv.tmp-\(killed.pid)"])
        let next = try session()
        next.type(".output \(target)\rfunding | count\r")
        XCTAssertTrue(next.read(until: "count\r\ncq> "), next.screen)
        XCTAssertEqual(try temporaries(in: folder), ["results.csv.tmp-\(next.pid)"])
        next.type(".quit\r")
        XCTAssertEqual(next.waitForExit(), 0)
        XCTAssertEqual(try temporaries(in: folder), [])
    }

    func testTwoSessionsOnOneHistoryFileKeepBothTheirEntries() throws {
        let history = try folder() + "/history"
        let first = try session(history: history)
        let second = try session(history: history)
        first.type("1 + 1\r")
        XCTAssertTrue(first.read(until: "2\r\ncq> "), first.screen)
        second.type("funding\r| count\r")
        XCTAssertTrue(second.read(until: "(1 row)\r\nsources: HRW, briefing\r\ncq> "), second.screen)
        first.type("3 +\r4\r")
        XCTAssertTrue(first.read(until: "7\r\ncq> "), first.screen)
        first.type(".quit\r")
        XCTAssertEqual(first.waitForExit(), 0)
        second.type(".quit\r")
        XCTAssertEqual(second.waitForExit(), 0)
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        let entries = saved.split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(entries, ["1 + 1", "funding", "| count", "3 +", "4", ".quit", ".quit"], saved)
    }

    /// Both sessions cut the file past its limit while the other appends: no entry of
    /// either is lost, and the file keeps the newest 2000.
    /// The history is reached through a symbolic link, which compaction leaves in place.
    func testEntriesSurviveTheOtherSessionsCompaction() throws {
        let folder = try folder()
        let history = folder + "/history", link = folder + "/link"
        try (1...2498).map { "#1700000000\nold \($0)\n" }.joined().write(toFile: history, atomically: false, encoding: .utf8)
        chmod(history, 0o640)
        symlink("history", link)
        let first = try session(history: link)
        let second = try session(history: link)
        for n in 1...8 {
            let terminal = n % 2 == 1 ? first : second
            terminal.type("\(n) * 1000\r")
            XCTAssertTrue(terminal.read(until: "\(n)000\r\ncq> "), terminal.screen)
        }
        first.type(".quit\r")
        XCTAssertEqual(first.waitForExit(), 0)
        second.type(".quit\r")
        XCTAssertEqual(second.waitForExit(), 0)
        let entries = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(Array(entries.suffix(10)), (1...8).map { "\($0) * 1000" } + [".quit", ".quit"])
        XCTAssertLessThanOrEqual(entries.count, 2500)
        XCTAssertTrue(entries.count >= 2000 && entries.first!.hasPrefix("old "), "\(entries.count) \(entries.prefix(2))")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "history")
        var info = stat()
        XCTAssertEqual(stat(history, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o640)
        XCTAssertEqual(try temporaries(in: folder), [])
    }

    /// A file without `#SECONDS` lines (written by an older version, or by hand) is one entry
    /// a line, not one entry of every line; past the limit it is cut to the newest entries.
    func testAHistoryFileWithoutTimestampsIsOneEntryALine() throws {
        let history = try folder() + "/history"
        try (1...5000).map { "\($0) + 0\n" }.joined().write(toFile: history, atomically: false, encoding: .utf8)
        let terminal = try session(history: history)
        terminal.type("\u{1B}[A\u{1B}[A\r")  // up arrow twice: the entry before the last
        XCTAssertTrue(terminal.read(until: "4999\r\ncq> "), terminal.screen)
        terminal.type(".quit\r")
        XCTAssertEqual(terminal.waitForExit(), 0)
        let lines = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
        // The first new entry made 5001, cut to the newest 2000 (1999 old lines and one
        // stamped entry); `.quit` came after.
        XCTAssertEqual(lines.count, 1999 + 2 + 2, "\(lines.prefix(3))")
        XCTAssertEqual(lines.first, "3002 + 0")
        XCTAssertEqual(lines.suffix(5).filter { !$0.hasPrefix("#") }, ["5000 + 0", "4999 + 0", ".quit"])
    }
}
