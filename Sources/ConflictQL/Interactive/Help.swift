// The REPL's `.help` text. Every example is a statement that runs (a test runs them all), so
// the help cannot drift from the language.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

public enum Help {
    public static let topics = ["stages", "functions", "types"]

    /// Example statements of a topic (nil: the general help), as shown after `  `.
    public static func examples(_ topic: String?) -> [String] {
        switch topic {
        case nil:
            return ["groups | where designation has \"FTO\" | select name, founded",
                    "funding | summarize total = sum(amount_usd) by recipient"]
        case "stages":
            return StageKind.allCases.map(\.descriptor.example)
        case "functions":
            return ["timeline | extend y = year(date), m = month(date), d = day(date)",
                    "groups | select lower(name), upper(abbrev), len(name)",
                    "round(118 / 4.0, 1)",
                    "abs(-5)",
                    "timeline | summarize events = count() by month = to_month(date)",
                    "int(\"42\") + int(3.9)",
                    "groups | select coalesce(abbrev, name)",
                    "funding | summarize count(), count(distinct donor), sum(amount_usd), avg(amount_usd), min(amount_usd), max(amount_usd), median(amount_usd)",
                    "timeline | where date >= @2012-01-01 and date < @2012-01-01 + 1 year",
                    "figures | select indicator, size = if(value > 100000, \"large\", \"small\")",
                    "groups | where name matches r\"^(Ansar|Al) \" | select name, first = extract(name, r\"^(\\w+)\")"]
        case "types":
            return ["[1, 2] has 2",
                    "@2011-10 < @2013-04-01",
                    "1 + 2.5",
                    "null is null",
                    "\"Ansar Dine\" contains \"dine\""]
        default:
            return []
        }
    }

    /// The help text for a topic, or nil when there is no such topic.
    public static func text(_ topic: String?) -> String? {
        let examples = Help.examples(topic).map { "  " + $0 }.joined(separator: "\n")
        switch topic {
        case nil:
            let commands = DotCommand.Name.allCases
                .map { "  " + $0.usage.padding(to: 34) + $0.descriptor.summary }.joined(separator: "\n")
            return """
            A statement is a table followed by stages after '|', read top to bottom:
            \(examples)

            Other statements: let NAME = QUERY-or-VALUE, describe TABLE, tables,
            load "FILE.csv" as NAME [with (delimiter = ";", lenient = true, COLUMN: Int)];
            an API response's records: load "FILE.json" as NAME with (records = "response.items");
            explain QUERY (the plan), explain analyze QUERY (rows and time per stage),
            explain sql [duckdb|postgres|spark|bigquery] QUERY.

            A line starting with '|' extends the previous statement and runs it again, so a
            query can be built one stage at a time. Tab completes tables, stages, columns,
            functions and values. A statement may span lines: the prompt shows '...' until
            it is complete.

            Commands:
            \(commands)

            Help topics: .help stages, .help functions, .help types; and .help NAME for any
            function, aggregate, stage, operator or statement (.help bin, .help union, .help load).

            """
        case "stages":
            return """
            Stages (after '|'):
            \(stageList)

            Examples:
            \(examples)

            """
        case "functions":
            return """
            \(functionList)
              Dates also move and subtract: d + 30 days (or weeks, months, years), d2 - d1 (days).
            \(aggregateList)
            Operators: + - * / % (/ gives a Float), == != < <= > >=, and or not
              (and, or and coalesce short-circuit: x != 0 and y / x > 1 is safe),
              x in (a, b), x between a and b, x is [not] null,
              has (list element, or whole word), contains, startswith, endswith, =~ and !~
              (all ignoring case), matches r"regular expression".
            .help NAME shows one of them with an example.
            Names: a column, or a value bound by let; when both, write this.NAME for the
              column and $NAME for the value.

            Examples:
            \(examples)

            """
        case "types":
            return """
            Types: Int (64-bit), Float, String ("..." or '...'), Bool (true, false),
              Date (@2013-04-01, @2013-04 or @2013: the precision is kept), List ([a, b]).
            null is a missing value: arithmetic and comparisons with null give null,
              'where' keeps only true rows, aggregates skip nulls.
            Integer overflow and division by zero are errors, never wrong answers.

            Examples:
            \(examples)

            """
        default:
            // A diagnostic's ID (`.help unknown-column`): IDs have hyphens, names do not.
            return topic.flatMap(entryText) ?? topic.flatMap { DiagnosticCatalogue.entry($0)?.rendered }
        }
    }
}

extension Help {
    /// The scalar functions by family, from their descriptors: every function the checker
    /// accepts, and no other.
    static var functionList: String {
        FunctionFamily.allCases.map { family in
            wrapped("\(family.title):", ScalarFunction.all.filter { $0.family == family }.map(\.name))
        }.joined(separator: "\n")
    }

    /// The aggregates and the window functions, from their descriptors, with what they share:
    /// nulls skipped, `distinct` where a descriptor allows it, a `where` filter.
    static var aggregateList: String {
        let names = AggregateFunction.all.map(\.name)
        let distinct = AggregateFunction.all.filter(\.allowsDistinct).map { "\($0.name)(distinct x)" }
        let after = "nulls are skipped, count() counts rows, and \(distinct.joined(separator: " and ")) take each value once."
            + " Any aggregate takes a filter: sum(x where cond), count(where cond)."
        return wrapped("Aggregates (in summarize and window):", names.dropLast() + [names.last! + ";"] + after.split(separator: " ").map(String.init))
            + "\n" + wrapped("Window functions (in window, along its order):", WindowFunction.all.map(\.name))
    }

    /// `title` and `words` in lines of at most 86 characters, the later lines indented.
    static func wrapped(_ title: String, _ words: [String]) -> String {
        var lines: [String] = [], line = title
        for word in words {
            if line.count + word.count + 1 > 86 { lines.append(line); line = " " }
            line += " " + word
        }
        return (lines + [line]).joined(separator: "\n  ")
    }
}

extension Help {
    /// Every stage, from its descriptor: how it is written and what it does, in a line (or
    /// two when the signature is long).
    static var stageList: String {
        StageKind.allCases.map { kind in
            let stage = kind.descriptor
            return stage.signature.count < 32 ? "  " + stage.signature.padding(to: 32) + stage.summary
                : "  " + stage.signature + "\n" + String(repeating: " ", count: 34) + stage.summary
        }.joined(separator: "\n")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

extension Help {
    /// The language reference's stage table, in Markdown, from the stage registry: each
    /// stage's signature, meaning and example. The Reference article holds it between markers.
    public static var stageReference: String {
        func cell(_ text: String) -> String { text.replacing("|", with: "\\|") }
        let rows = StageKind.allCases.map { kind in
            let stage = kind.descriptor
            return "| `\(cell(stage.signature))` | \(cell(stage.meaning)) | `\(cell(stage.example))` |"
        }
        return (["| stage | meaning | example |", "|---|---|---|"] + rows).joined(separator: "\n") + "\n"
    }

    /// The language reference's function tables, in Markdown, from the descriptors: one
    /// table per family, each function's signature, meaning and example. The catalogue's
    /// Reference article holds this text between markers, and a test keeps it equal.
    public static var functionReference: String {
        func cell(_ text: String) -> String { text.replacing("|", with: "\\|") }
        return FunctionFamily.allCases.map { family in
            let rows = ScalarFunction.all.filter { $0.family == family }.map { function in
                "| `\(cell(function.signature))` | \(cell(function.meaning)) | `\(cell(function.example))` |"
            }
            return (["### \(family.title)", "", "| function | meaning | example |", "|---|---|---|"] + rows).joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }

    /// The reference's tables of aggregates and window functions, from their descriptors, as
    /// `functionReference` makes the functions'.
    public static var aggregateReference: String {
        func cell(_ text: String) -> String { text.replacing("|", with: "\\|") }
        func table(_ title: String, _ rows: [(signature: String, meaning: String, example: String)]) -> String {
            (["### \(title)", "", "| \(title.lowercased().dropLast()) | meaning | example |", "|---|---|---|"]
                + rows.map { "| `\(cell($0.signature))` | \(cell($0.meaning)) | `\(cell($0.example))` |" }).joined(separator: "\n")
        }
        return table("Aggregates", AggregateFunction.all.map { ($0.signature, $0.meaning, $0.example) }) + "\n\n"
            + table("Window functions", WindowFunction.all.map { ($0.signature, $0.meaning, $0.example) }) + "\n"
    }
}
