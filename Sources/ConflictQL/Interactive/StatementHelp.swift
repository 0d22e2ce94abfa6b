// `.help` for the statements that are not a pipeline (`let`, `load`, `describe`, `explain`,
// `tables`): one entry each, whose example a test runs, read by `.help NAME`, the man page's
// language section and its test, so that none of them can list a statement the others miss.

import ConflictQLCore
import ConflictQLSyntax

extension Help {
    /// The statements besides a pipeline, in the order the help and the man page show them.
    public enum StatementTopic: String, CaseIterable, Sendable {
        case `let`, load, describe, explain, tables

        var entry: Entry {
            switch self {
            case .let:
                Entry(signature: "let NAME = QUERY-or-VALUE",
                      meaning: "name a table or a value for the statements after it; a table's name is used as a table's, "
                        + "a value's as $NAME or NAME",
                      example: "let pledged = funding | where kind == \"pledge\"")
            case .load:
                Entry(signature: "load \"FILE\" [as NAME] [with (OPTION = VALUE, ..., COLUMN: Type, ...)]",
                      meaning: "read a CSV, JSON, Parquet, Excel or Stata file (or a pattern, \"data/*.csv\", or a list "
                        + "[\"a.csv\", \"b.csv\"]) as a table, named after the file unless 'as' names it; options as "
                        + "delimiter = \";\", lenient = true, records = \"response.items\", and a column's type",
                      example: "load \"Samples/data/weekly-events.csv\" as weekly")
            case .describe:
                Entry(signature: "describe TABLE",
                      meaning: "a table's columns with their types, and where its rows come from",
                      example: "describe groups")
            case .explain:
                Entry(signature: "explain QUERY, explain analyze QUERY, explain sql [duckdb|postgres|spark|bigquery] QUERY",
                      meaning: "the plan a query runs by; with analyze, run it and show the rows and time of every stage; "
                        + "with sql, the SQL it compiles to for a dialect (duckdb when none is named)",
                      example: "explain sql postgres funding | summarize total = sum(amount_usd) by recipient")
            case .tables:
                Entry(signature: "tables",
                      meaning: "the tables the session knows (the briefing's, the loaded, the let-bound and a connected "
                        + "engine's) with their rows and sources",
                      example: "tables")
            }
        }

        /// The entry of a parsed statement: an exhaustive switch, so that a new kind of
        /// statement does not compile until it has help here (a pipeline's help is its stages').
        package static func of(_ kind: Statement.Kind) -> StatementTopic? {
            switch kind {
            case .binding: .let
            case .load: .load
            case .describe: .describe
            case .explain, .explainSQL: .explain
            case .query: nil
            }
        }
    }

    /// The statements' entries by name, merged into `.help NAME`'s.
    static var statementEntries: [String: Entry] {
        Dictionary(uniqueKeysWithValues: StatementTopic.allCases.map { ($0.rawValue, $0.entry) })
    }
}
