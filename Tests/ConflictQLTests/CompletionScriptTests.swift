// The shell completions the executable writes (`conflictql --generate-completion-script
// bash|zsh|fish`), tested as a user meets them: bash runs the completion function on command
// lines and the test reads what it offers.

import ConflictQL
import Foundation
import XCTest

final class CompletionScriptTests: XCTestCase {
    var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("conflictql")
    }

    /// What bash's completion function offers for `words`, the last being the word typed.
    func bashCompletions(_ words: [String], in directory: URL) throws -> [String] {
        let script = try runProcess(executable, ["--generate-completion-script", "bash"], in: directory)
        XCTAssertEqual(script.status, 0, script.stderr)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cq-completion-\(getpid()).bash")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let line = words.joined(separator: " ")
        let program = """
            shopt -s extglob
            source '\(file.path)'
            COMP_WORDS=(\(quoted.joined(separator: " ")))
            COMP_CWORD=\(words.count - 1)
            COMP_LINE='\(line)'
            COMP_POINT=${#COMP_LINE}
            _conflictql conflictql '\(words.last!)' '\(words.count > 1 ? words[words.count - 2] : "")'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let run = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", program], in: directory)
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout.split(separator: "\n").map(String.init)
    }

    func testBashCompletesFormatsDialectsAndScripts() throws {
        let root = URL(fileURLWithPath: repositoryRoot)
        XCTAssertEqual(try bashCompletions(["conflictql", "--format", ""], in: root), OutputFormat.allCases.map(\.rawValue))
        XCTAssertEqual(try bashCompletions(["conflictql", "--format", "m"], in: root), ["markdown"])
        XCTAssertEqual(try bashCompletions(["conflictql", "--to-sql", ""], in: root), ["duckdb", "postgres", "spark", "bigquery"])
        // Scripts: .cq files (and folders to walk into), not other files.
        let scripts = try bashCompletions(["conflictql", "Samples/to"], in: root)
        XCTAssertTrue(scripts.contains("Samples/tour.cq"), "\(scripts)")
        XCTAssertFalse(scripts.contains { $0.hasSuffix(".out") }, "\(scripts)")
        // --load: any file (a table's data), not only scripts; --engine: the URL schemes.
        XCTAssertEqual(try bashCompletions(["conflictql", "--load", "Samples/data/we"], in: root), ["Samples/data/weekly-events.csv"])
        XCTAssertEqual(try bashCompletions(["conflictql", "--engine", ""], in: root), ["postgres://", "postgresql://", "sc://"])
        // Options by their prefix.
        XCTAssertTrue(try bashCompletions(["conflictql", "--fo"], in: root).contains("--format"))
    }

    func testZshAndFishScriptsNameTheSameValues() throws {
        for shell in ["zsh", "fish"] {
            let script = try runProcess(executable, ["--generate-completion-script", shell], in: URL(fileURLWithPath: repositoryRoot))
            XCTAssertEqual(script.status, 0, script.stderr)
            for value in ["markdown", "bigquery", "cq", "postgresql"] { XCTAssertTrue(script.stdout.contains(value), "\(shell): \(value)") }
        }
    }

    /// argument-parser gives every command a `help` subcommand in its scripts; conflictql has
    /// none (a word `help` runs as a script), and in zsh its rest-argument specs beside the
    /// scripts' made `_arguments` fail, so nothing completed. (Tests/Install/static-binary.sh
    /// runs zsh's and fish's completion on command lines.)
    func testNoShellIsOfferedAHelpSubcommand() throws {
        let root = URL(fileURLWithPath: repositoryRoot)
        let zsh = try runProcess(executable, ["--generate-completion-script", "zsh"], in: root).stdout
        XCTAssertFalse(zsh.contains("->command") || zsh.contains("->arg'"), zsh)
        XCTAssertEqual(zsh.components(separatedBy: "\n").filter { $0.contains("'*:files:") }.count, 1, "one rest argument: the scripts")
        // _describe reads VALUE:DESCRIPTION, so a scheme's colons are escaped.
        XCTAssertTrue(zsh.contains("=('postgres\\://' 'postgresql\\://' 'sc\\://')"), zsh)
        let fish = try runProcess(executable, ["--generate-completion-script=fish"], in: root).stdout
        XCTAssertFalse(fish.contains("-fa 'help'"), fish)
        XCTAssertTrue(fish.contains("-l 'format'"), fish)
        XCTAssertFalse(try bashCompletions(["conflictql", ""], in: root).contains("help"))
    }
}
