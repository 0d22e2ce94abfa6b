// The formats written a row at a time, in pieces of about a megabyte, so that a result of a
// million rows never becomes one string: TSV (CSV's quoting with tabs, which our loader
// reads back), NDJSON (one JSON object per line, for jq and streaming tools), `line` (one
// `column = value` line per column, the view of a wide row such as an ACLED event with its
// notes, wrapped to the terminal) and HTML (a <table>, every text escaped).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

extension ResultFormatter {
    /// Calls `line` for each row, gathering its text and handing `write` a piece whenever a
    /// megabyte has gathered.
    func pieces(rows: Int, start: String, end: String = "", write: (String) throws -> Void,
                line: (Int, inout String) -> Void) rethrows {
        var out = start
        for row in 0..<rows {
            line(row, &out)
            if out.utf8.count >= 1 << 20 {
                try write(out)
                out = ""
            }
        }
        try write(out + end)
    }

    // MARK: TSV

    func tsv(_ table: Table, write: (String) throws -> Void) rethrows {
        let header = table.schema.names.map(tsvQuote).joined(separator: "\t") + "\n"
        try pieces(rows: table.rowCount, start: header, write: write) { row, out in
            for (index, column) in table.columns.enumerated() {
                if index > 0 { out += "\t" }
                out += tsvField(column.value(at: row))
            }
            out += "\n"
        }
    }

    /// Null is an empty field, an empty string `""`, as in CSV.
    func tsvField(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s.isEmpty ? "\"\"" : tsvQuote(s)
        case .list(let items):
            let text = items.map { $0.isNull ? "" : $0.description }.joined(separator: ";")
            return text.isEmpty ? "\"\"" : tsvQuote(text)
        default: return tsvQuote(value.description)
        }
    }

    /// Quoted as CSV quotes, when a tab, a line break, a quote, a form feed or an edge space
    /// would otherwise be misread.
    func tsvQuote(_ s: String) -> String {
        let utf8 = s.utf8
        let needsQuotes = utf8.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x22 || $0 == 0x0C }
            || utf8.first == 0x20 || utf8.last == 0x20
        return needsQuotes ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
    }

    // MARK: NDJSON

    func ndjson(_ table: Table, write: (String) throws -> Void) rethrows {
        let names = table.schema.names.map(jsonString)
        try pieces(rows: table.rowCount, start: "", write: write) { row, out in
            out += "{"
            for (index, column) in table.columns.enumerated() {
                if index > 0 { out += "," }
                out += names[index] + ":" + json(column.value(at: row))
            }
            out += "}\n"
        }
    }

    // MARK: Line

    /// Each row as `name = value` lines, names aligned right, rows apart by a blank line. On
    /// a terminal (`maxWidth`) a long value wraps at spaces under itself; a value's own line
    /// breaks are kept.
    func lines(_ table: Table, write: (String) throws -> Void) rethrows {
        let names = table.schema.names.map { cellText(.string($0)) }
        let nameWidth = names.map { displayWidth($0) }.max() ?? 0
        let shownRows = min(table.rowCount, maxRows ?? table.rowCount)
        let valueWidth = maxWidth.map { $0 - nameWidth - 3 }.flatMap { $0 >= 20 ? $0 : nil }
        let indent = String(repeating: " ", count: nameWidth + 3)
        let end = ResultFormatter.moreRows(table, shown: shownRows).map { "\n" + $0 + "\n" } ?? ""
        try pieces(rows: shownRows, start: "", end: end, write: write) { row, out in
            if row > 0 { out += "\n" }
            for (index, column) in table.columns.enumerated() {
                out += String(repeating: " ", count: nameWidth - displayWidth(names[index])) + names[index] + " = "
                if column.isNull(row) {
                    out += dimNulls ? "\u{1B}[2mnull\u{1B}[0m\n" : "null\n"
                    continue
                }
                let text = escapingControlCharacters(column.value(at: row).description, keeping: ["\n"])
                let shown = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { piece in
                    valueWidth.map { wrapped(String(piece), width: $0) } ?? [String(piece)]
                }
                out += shown.joined(separator: "\n" + indent) + "\n"
            }
        }
    }

    /// Text broken into lines of at most `width` cells, at spaces where it can be.
    func wrapped(_ text: String, width: Int) -> [String] {
        guard displayWidth(text) > width else { return [text] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            var wordWidth = displayWidth(word)
            if currentWidth > 0 && currentWidth + 1 + wordWidth > width {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            // A word longer than the line is cut.
            while wordWidth > width {
                var piece = ""
                var pieceWidth = 0
                var rest = word
                while let character = rest.first, pieceWidth + displayWidth(String(character)) <= width - currentWidth {
                    piece.append(character)
                    pieceWidth += displayWidth(String(character))
                    rest = rest.dropFirst()
                }
                if piece.isEmpty { break }
                lines.append(current + piece)
                current = ""
                currentWidth = 0
                word = rest
                wordWidth = displayWidth(word)
            }
            if currentWidth > 0 {
                current += " "
                currentWidth += 1
            }
            current += word
            currentWidth += wordWidth
        }
        lines.append(current)
        return lines
    }

    // MARK: HTML

    /// A `<table>` (header in `<thead>`, numbers with class `number`, nulls as empty cells of
    /// class `null`), every name and value escaped.
    func html(_ table: Table, write: (String) throws -> Void) rethrows {
        let numeric = table.schema.fields.map { isRightAligned($0.type) }
        let names = table.schema.names.map { "<th>" + htmlEscaped($0) + "</th>" }.joined()
        let header = "<table>\n<thead>\n<tr>" + names + "</tr>\n</thead>\n<tbody>\n"
        try pieces(rows: table.rowCount, start: header, end: "</tbody>\n</table>\n", write: write) { row, out in
            out += "<tr>"
            for (index, column) in table.columns.enumerated() {
                if column.isNull(row) {
                    out += "<td class=\"null\"></td>"
                } else {
                    out += (numeric[index] ? "<td class=\"number\">" : "<td>") + htmlEscaped(column.value(at: row).description) + "</td>"
                }
            }
            out += "</tr>\n"
        }
    }

    func htmlEscaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
