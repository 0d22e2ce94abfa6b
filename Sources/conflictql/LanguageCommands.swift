// `conflictql lsp` and `conflictql fmt`: the language server on standard input and output,
// and the formatter. Both live in the library (ConflictQLLanguageServer, Syntax/Formatter.swift);
// these commands only start them and read and write files.

import ArgumentParser
import ConflictQL
import ConflictQLLanguageServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct LanguageServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server on standard input and output (for editors; see the Editors article).")

    func run() throws {
        let status = LanguageServer().run(input: STDIN_FILENO, output: STDOUT_FILENO)
        if status != 0 { throw ExitCode(status) }
    }
}

struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format scripts in the one layout: one stage per line after '|', spacing, comments kept.",
        discussion: """
            Without --check the files are rewritten in place (a file already formatted is left alone).
            Exit status: 0; 1 when --check finds a file to format; 2 for a file with syntax errors, or one that cannot be read or written.
            """)

    @Argument(help: "Scripts to format.", completion: .file(extensions: ["cq"]))
    var files: [String]

    @Flag(name: .long, help: "Change nothing; list the files that are not formatted and exit with status 1 if any.")
    var check = false

    @Flag(name: .long, help: "Write the formatted script to standard output instead of the file.")
    var stdout = false

    func run() throws {
        var status: Int32 = 0
        let renderer = DiagnosticRenderer(useColor: isatty(STDERR_FILENO) != 0 && getenv("NO_COLOR") == nil)
        for path in files {
            let bytes: [UInt8]
            switch readFile(path) {
            case .success(let read): bytes = read
            case .failure(let message):
                writeErrorRendered(renderer.render(Diagnostic(message, at: nil), in: Source(name: "conflictql fmt", text: "")))
                status = 2
                continue
            }
            let (source, invalid) = Source.decoding(bytes, name: path)
            let parsed = parsedScript(source)
            if invalid != nil || !parsed.diagnostics.isEmpty {
                writeErrorRendered(renderer.render(invalid.map { [$0] } ?? parsed.diagnostics, in: source))
                writeError("conflictql fmt: \(path) has syntax errors; not formatted\n")
                status = 2
                continue
            }
            guard let formatted = formatScript(source) else { continue }
            if stdout {
                try writeText(formatted)
            } else if formatted != source.text {
                if check {
                    try writeText(path + "\n")
                    status = max(status, 1)
                } else if !writeFile(path, formatted) {
                    let problem = Diagnostic(.cannotWrite("'\(path)'", "the file or its folder cannot be written"), at: nil)
                    writeErrorRendered(renderer.render(problem, in: Source(name: "conflictql fmt", text: "")))
                    status = 2
                }
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    func writeText(_ text: String) throws {
        do throws(WriteFailure) { try writeOutput(text) } catch {
            writeErrorRendered(DiagnosticRenderer().render(Diagnostic(error.diagnostic, at: nil), in: Source(name: "conflictql "
                + "fmt", text: "")))
            throw ExitCode(2)
        }
    }

    /// Writes `text` to a temporary file beside `path`, then renames it over `path`: a failed
    /// write leaves the script as it was.
    func writeFile(_ path: String, _ text: String) -> Bool {
        let temporary = path + ".fmt-\(getpid())"
        guard let file = fopen(temporary, "wb") else { return false }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file) == 0
        guard written == bytes.count, closed, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}

/// The library's parse, by a name the commands' own `parse` (argument parsing) does not hide.
func parsedScript(_ source: Source) -> ParseResult { parse(source) }
