// The output formats' refusals: a result that an SVG or a Parquet file cannot hold, checked
// before the first byte is written so that a file never gets part of an answer. The
// executable raises them (`--format svg`, `.output FILE.parquet`); DiagnosticMessage.swift in
// ConflictQLCore says how IDs are chosen.

import ConflictQLCore

/// IDs of results a file format cannot hold.
public enum OutputDiagnostic: String, DiagnosticKind {
    case svgRefused = "svg-refused"
    case parquetRefused = "parquet-refused"

    public static let layer = "the output formats"

    public var explanation: MessageExplanation {
        switch self {
        case .svgRefused:
            MessageExplanation(.error, """
                SVG output (--format svg, '.output FILE.svg') draws one chart: a table or a single \
                value has no drawing, and a second chart would need a second file. End the query \
                with '| chart', or run each chart with its own '.output FILE.svg'. Nothing is written.
                """, example: "conflictql --format svg -c 'funding | count'")
        case .parquetRefused:
            MessageExplanation(.error, """
                A Parquet file (--format parquet, '.output FILE.parquet') holds one flat table: not \
                a single value, not a second table, not a list column; and it is binary, so it is \
                not written to a terminal. Nothing is written.
                """, example: "conflictql --format parquet -c '1 + 1'")
        }
    }
}

extension DiagnosticMessage {
    package static let svgOfTable = Self(OutputDiagnostic.svgRefused,
                                         "SVG output draws a chart, and this result is a table; end the query with '| chart'")
    package static let svgOfValue = Self(OutputDiagnostic.svgRefused,
                                         "SVG output draws a chart, and this result is a single value; chart a query, ending it with '| "
                                             + "chart'")
    /// A refusal with where it applies in front (`--format svg: `) or what else to do after.
    public func adding(before: String = "", after: String = "") -> Self {
        Self(id: id, severity: severity, text: before + text + after)
    }
    public static let svgSecondChart = Self(OutputDiagnostic.svgRefused,
                                            "--format svg writes one chart, and this run draws a second; run each chart on its own")
    public static let svgNoChart = Self(OutputDiagnostic.svgRefused,
                                        "--format svg writes a chart, and this run draws none; end a query with '| chart'")
    public static func svgFileHoldsChart(_ path: String) -> Self {
        Self(OutputDiagnostic.svgRefused, "'\(path)' already holds a chart, and an SVG file holds one; '.output FILE.svg' again for the "
            + "next")
    }
    package static let parquetOfValue = Self(OutputDiagnostic.parquetRefused, "Parquet output writes a table, and this result is a "
        + "single value")
    package static func parquetListColumn(_ column: String) -> Self {
        Self(OutputDiagnostic.parquetRefused, "column '\(column)' is a list, and ConflictQL writes flat Parquet files; join it to text"
             + " (join(\(column), \";\")) or leave it out")
    }
    public static let parquetToTerminal = Self(OutputDiagnostic.parquetRefused,
                                               "Parquet is a binary file: send it to a file ('.output FILE.parquet', or > FILE.parquet)")
    public static func parquetSecondTable(_ target: String) -> Self {
        Self(OutputDiagnostic.parquetRefused,
             "\(target) already holds a table, and a Parquet file holds one; '.output FILE.parquet' again for the next")
    }
}
