// The man page, conflictql(1): swift-argument-parser's `generate-manual` writes the options
// from the command's declarations, and this file adds what it cannot know, the language:
// the statements, the stages and the dot-commands, written from the tables `.help` reads
// (StatementHelp.swift, HelpEntries.swift, DotCommand.Name), so the page cannot list what the
// language does not have or miss what it has. It also makes generate-manual's mdoc clean for
// `mandoc -T lint`: a blank line of the discussion becomes `.Pp`.

import ConflictQLCore
import ConflictQLSyntax

public enum ManualPage {
    /// generate-manual's page with the language section before EXIT STATUS (or at the end),
    /// its blank lines made paragraph breaks, and the `help` subcommand argument-parser gives
    /// every command (the synopsis's `subcommand`, its item among the options) taken out.
    public static func completing(_ generated: String) -> String {
        var lines: [String] = []
        var inserted = false
        // The `help` subcommand's item in the options' list, with its own list nested in it.
        var inHelpItem = false, nestedLists = 0
        for line in generated.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == ".It Em help" { inHelpItem = true; continue }
            if inHelpItem {
                if line.hasPrefix(".Bl") { nestedLists += 1; continue }
                if line.hasPrefix(".El"), nestedLists > 0 { nestedLists -= 1; continue }
                guard nestedLists == 0, line.hasPrefix(".It") || line.hasPrefix(".El") else { continue }
                inHelpItem = false
            }
            if !inserted, line.hasPrefix(".Sh "), ["EXIT STATUS", "AUTHORS", "SEE ALSO"].contains(where: { line.contains($0) }) {
                lines += languageSection.split(separator: "\n").map(String.init)
                inserted = true
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                // A blank line in running text is a paragraph break, written as mdoc writes one.
                if let last = lines.last, !last.hasPrefix(".Pp"), !last.hasPrefix(".Sh"), !last.hasPrefix(".Bl") { lines.append(".Pp") }
                continue
            }
            // The synopsis's `Ar subcommand`: `fmt` and `lsp` are read before the parser, so
            // the command has none in the sense generate-manual means.
            if line == ".Ar subcommand" || line == ".Op Ar subcommand" { continue }
            // A paragraph break before a heading or a list item is skipped, with a warning.
            if lines.last == ".Pp", [".Sh", ".Ss", ".It", ".El"].contains(where: { line.hasPrefix($0) }) { lines.removeLast() }
            lines.append(line)
        }
        while lines.last == ".Pp" || lines.last == "" { lines.removeLast() }
        if !inserted { lines += languageSection.split(separator: "\n").map(String.init) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The LANGUAGE section, in mdoc.
    public static var languageSection: String {
        var page = [".Sh LANGUAGE",
                    text("A statement is a table followed by stages after '|', read top to bottom; a statement ends at the end "
                         + "of its line unless a bracket is open or the next line starts with '|'. Every example below runs."),
                    ".Ss Statements",
                    text("A pipeline is a statement; so are these:"),
                    ".Bl -tag -width Ds"]
        for topic in Help.StatementTopic.allCases { page += item(topic.rawValue, topic.entry) }
        page += [".El", ".Ss Stages", ".Bl -tag -width Ds"]
        for stage in stageNames {
            guard let entry = Help.entries[stage] else { continue }
            page += item(stage, entry)
        }
        page += [".El", ".Ss Functions",
                 text("Scalar functions, aggregates and window functions, each with an example: .help functions in the REPL, "
                      + "and .help NAME for one."),
                 ".Ss Dot-commands",
                 text("In the REPL, and in scripts where marked; a line starting with '.' is a command, not a statement."),
                 ".Bl -tag -width Ds"]
        for name in DotCommand.Name.allCases {
            let descriptor = name.descriptor
            page += [".It Cm \\&." + name.rawValue, literal([name.usage]),
                     text(descriptor.summary + (descriptor.inScripts ? "." : " (not in scripts)."))]
        }
        page += [".El"]
        return page.joined(separator: "\n")
    }

    /// The names the section lists, by kind: what its test compares with the tables.
    public static var listedNames: (statements: [String], stages: [String], dotCommands: [String]) {
        (Help.StatementTopic.allCases.map(\.rawValue), stageNames.filter { Help.entries[$0] != nil },
         DotCommand.Name.allCases.map(\.rawValue))
    }

    /// One entry of a tagged list: the name as the tag, then its signature, meaning and example.
    private static func item(_ name: String, _ entry: Help.Entry) -> [String] {
        [".It Cm " + escapedArgument(name), literal([entry.signature]), text(entry.meaning + "."), "Example:",
         literal([entry.example], indented: true)]
    }

    /// Running text, one sentence a line as mdoc wants (mandoc warns "new sentence, new line"
    /// at a full stop after two letters or digits, then spaces and a capital): mdoc reads a
    /// line starting with '.' or '\'' as a request, and '\\' as an escape.
    private static func text(_ paragraph: String) -> String {
        sentences(paragraph).map { line in
            let escaped = line.replacing("\\", with: "\\e")
            return escaped.first == "." || escaped.first == "'" ? "\\&" + escaped : escaped
        }.joined(separator: "\n")
    }

    /// `paragraph` broken after each full stop that mandoc takes for a sentence's end.
    static func sentences(_ paragraph: String) -> [String] {
        let characters = Array(paragraph)
        var lines: [String] = [], start = 0, index = 2
        func alphanumeric(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        while index + 2 < characters.count {
            if characters[index] == ".", characters[index + 1] == " ",
               alphanumeric(characters[index - 1]), alphanumeric(characters[index - 2]) {
                var next = index + 1
                while next < characters.count, characters[next] == " " { next += 1 }
                if next < characters.count, characters[next].isUppercase {
                    lines.append(String(characters[start...index]))
                    start = next
                    index = next + 2
                    continue
                }
            }
            index += 1
        }
        lines.append(String(characters[start...]))
        return lines
    }

    /// Lines shown as typed, in a display block (not parsed as macros).
    private static func literal(_ lines: [String], indented: Bool = false) -> String {
        ([".Bd -literal" + (indented ? " -offset indent" : " -compact")] + lines.map(text) + [".Ed"]).joined(separator: "\n")
    }

    /// A macro's argument: `\&` keeps a word that is also a macro's name (`Ar`, `No`) or
    /// punctuation from being read as one.
    private static func escapedArgument(_ word: String) -> String {
        "\\&" + word.replacing("\\", with: "\\e")
    }
}
