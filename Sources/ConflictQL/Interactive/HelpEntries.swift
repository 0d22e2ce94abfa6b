// `.help NAME`: one function, aggregate, stage or operator, with its signature, what it means
// (its null rule where it has one) and an example that a test runs, so the help cannot drift
// from the language. Every function and stage has an entry (a test checks that too).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

extension Help {
    struct Entry {
        var signature: String
        var meaning: String
        var example: String
    }

    /// Every entry: the stages', functions', aggregates' and window functions' from their
    /// descriptors, the statements' (StatementHelp.swift), the operators written here. `count`
    /// is both a stage and an aggregate: its entry says both.
    static let entries: [String: Entry] = written.merging(statementEntries, uniquingKeysWith: { written, _ in written }).merging(
        ScalarFunction.all.map { ($0.name, Entry(signature: $0.signature, meaning: $0.meaning, example: $0.example)) }
            + AggregateFunction.all.map { ($0.name, Entry(signature: $0.signature, meaning: $0.meaning, example: $0.example)) }
            + WindowFunction.all.map { ($0.name, Entry(signature: $0.signature, meaning: $0.meaning, example: $0.example)) },
        uniquingKeysWith: { written, _ in written })
        .merging(stageEntries, uniquingKeysWith: { function, stage in
            let what = AggregateFunction.all.contains { function.signature == $0.signature } ? "an aggregate" : "a function"
            return Entry(signature: "\(stage.signature)  (a stage) or \(function.signature) (\(what))",
                         meaning: "\(stage.meaning); as \(what), \(function.meaning)", example: stage.example)
        })

    /// The stages' entries, from their descriptors (ConflictQLSyntax/Stages.swift).
    static var stageEntries: [(String, Entry)] {
        StageKind.allCases.map { kind in
            let stage = kind.descriptor
            return (kind.keyword, Entry(signature: stage.signature, meaning: stage.meaning, example: stage.example))
        }
    }

    private static let written: [String: Entry] = [
        // Operators
        "=~": Entry(signature: "A =~ B, A !~ B", meaning: "text equal (or not) ignoring case: admin1 =~ \"mopti\"", example: "groups | where abbrev =~ \"jnim\" | select name"),
        "matches": Entry(signature: "TEXT matches r\"PATTERN\"", meaning: "a regular expression (RE2 syntax, as in DuckDB and BigQuery: \\d \\w \\s \\b, (?i) to ignore case) matches somewhere, by characters, in time linear in the text; the pattern is checked with the query", example: "groups | where name matches r\"^(Ansar|Al) \" | select name"),
        "contains": Entry(signature: "TEXT contains PART", meaning: "PART occurs in TEXT, ignoring case", example: "groups | where name contains \"qaeda\" | select name"),
        "startswith": Entry(signature: "TEXT startswith PART, TEXT endswith PART", meaning: "TEXT begins (ends) with PART, ignoring case", example: "groups | where name endswith \"dine\" | select name"),
        "has": Entry(signature: "LIST has X, TEXT has WORD", meaning: "an element of the list, or a whole word of the text, ignoring case", example: "groups | where designation has \"FTO\" | select name"),
    ]

    /// Names with an entry, sorted: for completion and suggestions.
    public static var entryNames: [String] { entries.keys.sorted() }

    /// Aliases that share an entry.
    static let entryAliases = ["!~": "=~", "endswith": "startswith", "iff": "if", "days": "add_days"]

    package static func entryText(_ name: String) -> String? {
        guard let entry = entries[name] ?? entryAliases[name].flatMap({ entries[$0] }) else { return nil }
        return "\(entry.signature)\n  \(entry.meaning)\nExample:\n  \(entry.example)\n"
    }

    /// Every entry's example, for the test that runs them.
    public static var entryExamples: [(name: String, example: String)] { entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value.example) } }
}
