// Turns results into text: an aligned table or one `column = value` line per field (`line`)
// for people, CSV, TSV, JSON, NDJSON, Markdown and HTML for other programs. The library
// formats; the executable (or an embedding program) writes. Every piece of data in a table, a
// Markdown table, a single value or the lines under a table goes through
// `escapingControlCharacters` (Foundation/TerminalText.swift); columns line up by display
// width, so 東京都 takes six cells.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

public enum OutputFormat: String, Sendable, CaseIterable {
    /// `svg` writes charts (a query ending in `chart`) as standalone SVG (Output/ChartSVG.swift);
    /// `line` shows each row as one `column = value` line per column (sqlite3's `.mode line`);
    /// `parquet` writes a table as a Parquet file (Output/ParquetWriter.swift), not as text.
    case table, csv, tsv, json, ndjson, line, markdown, html, svg, parquet

    /// Whether a file of several results of this format needs a line between them (a
    /// form feed, as ScriptRunner writes): CSV and TSV, whose tables have header lines.
    public var separatesResults: Bool {
        switch self {
        case .csv, .tsv: return true
        case .table, .json, .ndjson, .line, .markdown, .html, .svg, .parquet: return false
        }
    }
}

public struct ResultFormatter: Sendable {
    public var format: OutputFormat
    /// Table format only: show at most this many rows, then `… N more rows`.
    public var maxRows: Int?

    /// How many rows of a result this formatter shows: `maxRows` in the formats that honour
    /// it, nil (every row) in the others. What a session fetches from an engine
    /// (`Session.rowsShown`).
    public var rowsShown: Int? { format == .table || format == .line ? maxRows : nil }

    /// `… 12 more rows` under the first `shown` rows of `table`, saying which were left on
    /// the engine; nil when every row was shown.
    static func moreRows(_ table: Table, shown: Int) -> String? {
        let notShown = table.rowCount - shown
        switch table.rowsLeft {
        case .none:
            return notShown > 0 ? "… \(notShown) more row\(notShown == 1 ? "" : "s")" : nil
        case .counted(let left):
            let more = notShown + left
            return "… \(more) more row\(more == 1 ? "" : "s") on the engine, not fetched (.maxrows 0 fetches every row)"
        case .uncounted:
            return "… more rows on the engine, not fetched or counted (.maxrows 0 fetches every row)"
        }
    }
    /// Table format only: truncate cells with `…` so lines fit this many characters.
    public var maxWidth: Int?
    /// Table format only: show `null` dimmed (ANSI), so it stands apart from the text "null".
    public var dimNulls = false
    /// Table format only: draw charts in colour (ANSI), for a terminal without NO_COLOR.
    public var chartColor = false

    public init(format: OutputFormat = .table, maxRows: Int? = nil, maxWidth: Int? = nil) {
        self.format = format
        self.maxRows = maxRows
        self.maxWidth = maxWidth
    }

    /// Why `result` cannot be written as SVG (only a chart can), or nil when it can. A
    /// caller checks this before writing, so a file never gets part of an answer.
    public static func svgProblem(_ result: StatementResult) -> DiagnosticMessage? {
        switch result {
        case .chart, .bound, .loaded: return nil
        case .table: return .svgOfTable
        case .value: return .svgOfValue
        }
    }

    /// The table a Parquet file gets for `result` (a chart's rows), nil for a result that writes
    /// nothing (`let`, `load`), or why it cannot be written (a single value, a list column).
    public static func parquetTable(_ result: StatementResult) -> Result<Table?, ParquetRefusal> {
        let table: Table
        switch result {
        case .bound, .loaded: return .success(nil)
        case .value: return .failure(ParquetRefusal(.parquetOfValue))
        case .table(let t): table = t
        case .chart(let chart): table = chart.table
        }
        if let problem = ParquetWriter.problem(table) { return .failure(ParquetRefusal(problem)) }
        return .success(table)
    }

    /// Writes one result in pieces (CSV of a large table streams; others come whole). A sink
    /// that throws (a full disk, a closed pipe) stops the writing at once.
    public func write(_ result: StatementResult, to sink: (String) throws -> Void) rethrows {
        guard case .table(let table) = result else { return try sink(self.format(result)) }
        switch format {
        case .csv: try csv(table, write: sink)
        case .tsv: try tsv(table, write: sink)
        case .ndjson: try ndjson(table, write: sink)
        case .line: try lines(table, write: sink)
        case .html: try html(table, write: sink)
        case .table, .json, .markdown, .svg, .parquet: try sink(self.format(result))
        }
    }

    /// The text for one result, ending in a newline; empty for `let`.
    public func format(_ result: StatementResult) -> String {
        switch result {
        case .bound, .loaded:
            return ""
        case .value(let value, let type):
            switch format {
            case .json, .ndjson: return json(value) + "\n"
            case .csv: return csvField(value) + "\n"
            case .tsv: return tsvField(value) + "\n"
            case .table, .markdown, .line: return display(value, type) + "\n"
            case .html: return "<p>" + htmlEscaped(value.description) + "</p>\n"
            case .svg, .parquet: return ""   // refused before writing: svgProblem(_:), parquetTable(_:)
            }
        case .table(let table):
            switch format {
            case .table: return aligned(table)
            case .csv: return csv(table)
            case .json: return json(table)
            case .markdown: return markdown(table)
            case .tsv, .ndjson, .line, .html:
                var out = ""
                write(.table(table)) { out += $0 }
                return out
            case .svg, .parquet: return ""  // Parquet is bytes: ParquetWriter
            }
        case .chart(let chart):
            switch format {
            case .table: return ChartTerminal(width: maxWidth, useColor: chartColor).render(ChartData(chart))
            case .svg: return ChartSVG(options: chart.spec.options).render(ChartData(chart))
            // Programs get the chart's rows.
            case .csv, .tsv, .json, .ndjson, .line, .markdown, .html, .parquet: return self.format(.table(chart.table))
            }
        }
    }

    // MARK: Table

    /// A single value keeps its line breaks and tabs (a value of several lines, such as
    /// `explain sql`'s, reads as lines); everything else unsafe is escaped.
    func display(_ value: Value, _ type: DataType) -> String {
        escapingControlCharacters(value.description, keeping: ["\n", "\t"])
    }

    func isRightAligned(_ type: DataType) -> Bool { type == .int || type == .float }

    func aligned(_ table: Table) -> String {
        let shownRows = min(table.rowCount, maxRows ?? table.rowCount)
        let allNames = table.schema.names.map { cellText(.string($0)) }
        var natural = allNames.map { displayWidth($0) }
        let qualifiers = table.provenance?.qualifiers ?? [:]
        let allCells: [[String]] = (0..<shownRows).map { row in
            table.columns.enumerated().map { c, column in
                // A figure shown without its qualifier column keeps it: `over 13000`.
                let qualifier = column.isNull(row) ? nil : qualifiers[c]?[row] ?? nil
                let text = cellText(.string((qualifier.map { $0 + " " } ?? "") + column.value(at: row).description))
                natural[c] = max(natural[c], displayWidth(text))
                return text
            }
        }
        // Too wide for the terminal: shrink the widest columns, and if that is not enough,
        // show the leading columns that fit and name the rest.
        var shown = Array(allNames.indices)
        var widths = natural
        if let maxWidth {
            widths = fit(natural, into: maxWidth)
            // The elided columns are shown as a last column "…" (4 characters with its rule).
            while shown.count > 1 && total(widths) + (shown.count < allNames.count ? 4 : 0) > maxWidth {
                shown.removeLast()
                widths = fit(shown.map { natural[$0] }, into: maxWidth - 4)
            }
        }
        let fields = shown.map { table.schema.fields[$0] }
        let cells = allCells.map { row in shown.enumerated().map { truncate(row[$0.element], widths[$0.offset]) } }
        let nulls: [[Bool]] = (0..<shownRows).map { row in shown.map { table.columns[$0].isNull(row) } }
        let header = shown.enumerated().map { truncate(allNames[$0.element], widths[$0.offset]) }
        let elided = shown.count < allNames.count
        var out = ""
        func line(_ row: [String], nulls: [Bool]?, more: String) -> String {
            trimRight(row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: max(0, widths[c] - displayWidth(cell)))
                let text = dimNulls && nulls?[c] == true ? "\u{1B}[2m\(cell)\u{1B}[0m" : cell
                return isRightAligned(fields[c].type) ? pad + text : text + pad
            }.joined(separator: " │ ") + (elided ? " │ " + more : ""))
        }
        if !allNames.isEmpty {
            out += line(header, nulls: nil, more: "…") + "\n"
            out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─") + (elided ? "─┼──" : "") + "\n"
        }
        for (row, rowNulls) in zip(cells, nulls) { out += line(row, nulls: rowNulls, more: "…") + "\n" }
        if let more = ResultFormatter.moreRows(table, shown: shownRows) { out += more + "\n" }
        switch table.rowsLeft {
        case .none: out += "(\(table.rowCount) row\(table.rowCount == 1 ? "" : "s")"
        case .counted(let left): out += "(\(table.rowCount + left) rows"
        case .uncounted: out += "(more than \(table.rowCount) rows"
        }
        if elided {
            let hidden = allNames[shown.count...]
            let list = hidden.prefix(8).joined(separator: ", ") + (hidden.count > 8 ? ", …" : "")
            out += "; \(hidden.count) more column\(hidden.count == 1 ? "" : "s"): \(list)"
        }
        // Where the rows came from (Foundation/Provenance.swift), under the count.
        return out + ")\n" + (table.provenance?.lines.map { escapingControlCharacters($0) + "\n" }.joined() ?? "")
    }

    /// The width of a line with these column widths.
    func total(_ widths: [Int]) -> Int {
        widths.reduce(0, +) + max(0, widths.count - 1) * 3
    }

    func trimRight(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }

    /// A cell on one line: newlines and tabs show as `⏎` and `→`, a carriage return as `␍`
    /// (so a CRLF kept in a value shows as `␍⏎`); every other control character, line
    /// separator or bidirectional control as its escape (`\u{1B}`).
    func cellText(_ value: Value) -> String {
        let text = value.description
        guard text.unicodeScalars.contains(where: isTerminalUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out.append("⏎")
            case "\t": out.append("→")
            case "\r": out.append("␍")
            default: out.append(contentsOf: escapingControlCharacters(String(scalar)).unicodeScalars)
            }
        }
        return String(out)
    }

    func truncate(_ text: String, _ width: Int) -> String { truncated(text, toWidth: width) }

    /// Shrinks the widest columns until the line fits, but no column below 10 characters
    /// (or its natural width): past that, columns are better left out than unreadable. The
    /// widths are capped at the largest cap that fits, found by bisection (a fuzzer found the
    /// one-character-at-a-time way far too slow for wide tables of long cells).
    func fit(_ widths: [Int], into limit: Int) -> [Int] {
        guard total(widths) > limit else { return widths }
        func capped(_ cap: Int) -> [Int] { widths.map { min($0, max(cap, 10)) } }
        var low = 10, high = widths.max() ?? 10
        if total(capped(low)) > limit { return capped(low) }
        while low < high {
            let mid = (low + high + 1) / 2
            if total(capped(mid)) <= limit { low = mid } else { high = mid - 1 }
        }
        return capped(low)
    }

    // MARK: CSV (RFC 4180 quoting, LF line ends)

    func csv(_ table: Table) -> String {
        var out = ""
        csv(table) { out += $0 }
        return out
    }

    /// CSV in pieces of about a megabyte, for results of millions of rows. Each column renders
    /// its cells its own way: a string column quotes each distinct value once.
    func csv(_ table: Table, write: (String) throws -> Void) rethrows {
        var out = table.schema.names.map(csvQuote).joined(separator: ",") + "\n"
        let cells: [(Int) -> String] = table.columns.map { column in
            switch column.storage {
            case .string(let codes, let dictionary) where dictionary.isUnique && dictionary.count <= max(1024, table.rowCount / 4):
                let quoted = dictionary.values.map { $0.isEmpty ? "\"\"" : csvQuote($0) }
                return { row in column.isNull(row) ? "" : quoted[Int(codes[row])] }
            case .int(let values):
                return { row in column.isNull(row) ? "" : String(values[row]) }
            default:
                return { row in csvField(column.value(at: row)) }
            }
        }
        for row in 0..<table.rowCount {
            for (index, cell) in cells.enumerated() {
                if index > 0 { out += "," }
                out += cell(row)
            }
            out += "\n"
            if out.utf8.count >= 1 << 20 {
                try write(out)
                out = ""
            }
        }
        try write(out)
    }

    /// Null is an empty field; an empty string is `""`; lists join with `;`.
    func csvField(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s.isEmpty ? "\"\"" : csvQuote(s)
        case .list(let items):
            // An empty list is text too: `""`, not the empty field of a null.
            let text = items.map { $0.isNull ? "" : $0.description }.joined(separator: ";")
            return text.isEmpty ? "\"\"" : csvQuote(text)
        default: return csvQuote(value.description)
        }
    }

    func csvQuote(_ s: String) -> String {
        // Bytes, not characters: the quote-worthy ones are all ASCII. Beside RFC 4180's comma,
        // quote and line ends: `;` (lists), and tab and `|`, which a reader that detects the
        // delimiter (ours among them) could otherwise take for one; and a form feed, so that
        // no row is the form-feed line that separates results (conflictql's ScriptRunner).
        let utf8 = s.utf8
        let needsQuotes = utf8.contains {
            $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x3B || $0 == 0x09 || $0 == 0x7C || $0 == 0x0C
        }
            || utf8.first == 0x20 || utf8.last == 0x20
        return needsQuotes ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
    }

    // MARK: JSON

    func json(_ table: Table) -> String {
        if table.rowCount == 0 { return "[]\n" }
        let names = table.schema.names.map(jsonString)
        var lines: [String] = []
        for row in 0..<table.rowCount {
            let fields = zip(names, table.columns).map { name, column in "\(name):\(json(column.value(at: row)))" }
            lines.append("{" + fields.joined(separator: ",") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    func json(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .int(let v): return String(v)
        case .float(let v): return v.isFinite ? (v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) + ".0" : String(v)) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return jsonString(s)
        case .date(let d): return jsonString(d.description)
        case .list(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        }
    }

    func jsonString(_ s: String) -> String { jsonQuoted(s) }

    // MARK: Markdown

    func markdown(_ table: Table) -> String {
        // A backslash is escaped too: GitHub splits cells at a `|` after `\\`.
        func escape(_ s: String) -> String { cellText(.string(s)).replacingAll("\\", with: "\\\\").replacingAll("|", with: "\\|") }
        var out = "| " + table.schema.names.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + table.schema.fields.map { isRightAligned($0.type) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in 0..<table.rowCount {
            out += "| " + table.columns.map { escape($0.value(at: row).description) }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}

/// Why a result cannot be written as Parquet.
public struct ParquetRefusal: Error, Sendable {
    public let diagnostic: DiagnosticMessage
    public var message: String { diagnostic.text }
    public init(_ diagnostic: DiagnosticMessage) { self.diagnostic = diagnostic }
}
