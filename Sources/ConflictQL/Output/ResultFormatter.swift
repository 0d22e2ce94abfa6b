// Turns results into text: an aligned table for people, CSV, JSON and Markdown for other
// programs. The library formats; the executable (or an embedding program) writes.

public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown
}

public struct ResultFormatter: Sendable {
    public var format: OutputFormat
    /// Table format only: show at most this many rows, then `… N more rows`.
    public var maxRows: Int?
    /// Table format only: truncate cells with `…` so lines fit this many characters.
    public var maxWidth: Int?

    public init(format: OutputFormat = .table, maxRows: Int? = nil, maxWidth: Int? = nil) {
        self.format = format
        self.maxRows = maxRows
        self.maxWidth = maxWidth
    }

    /// The text for one result, ending in a newline; empty for `let`.
    public func format(_ result: StatementResult) -> String {
        switch result {
        case .bound:
            return ""
        case .value(let value, let type):
            switch format {
            case .json: return json(value) + "\n"
            case .csv: return csvField(value) + "\n"
            case .table, .markdown: return display(value, type) + "\n"
            }
        case .table(let table):
            switch format {
            case .table: return aligned(table)
            case .csv: return csv(table)
            case .json: return json(table)
            case .markdown: return markdown(table)
            }
        }
    }

    // MARK: Table

    func display(_ value: Value, _ type: DataType) -> String {
        value.description
    }

    func isRightAligned(_ type: DataType) -> Bool { type == .int || type == .float }

    func aligned(_ table: Table) -> String {
        let shownRows = min(table.rowCount, maxRows ?? table.rowCount)
        let names = table.schema.names
        var cells: [[String]] = (0..<shownRows).map { row in
            table.columns.map { column in cellText(column.value(at: row)) }
        }
        var widths = names.map(\.count)
        for row in cells { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        if let maxWidth { widths = fit(widths, into: maxWidth) }
        cells = cells.map { row in row.enumerated().map { truncate($0.element, widths[$0.offset]) } }
        let header = names.enumerated().map { truncate($0.element, widths[$0.offset]) }
        var out = ""
        func line(_ row: [String]) -> String {
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: max(0, widths[c] - cell.count))
                return isRightAligned(table.schema.fields[c].type) ? pad + cell : cell + pad
            }.joined(separator: " │ ")
        }
        if !names.isEmpty {
            out += trimRight(line(header)) + "\n"
            out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─") + "\n"
        }
        for row in cells { out += trimRight(line(row)) + "\n" }
        if shownRows < table.rowCount {
            let more = table.rowCount - shownRows
            out += "… \(more) more row\(more == 1 ? "" : "s")\n"
        }
        out += "(\(table.rowCount) row\(table.rowCount == 1 ? "" : "s"))\n"
        return out
    }

    func trimRight(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Control characters would break the layout: newlines and tabs show as `⏎` and `→`.
    func cellText(_ value: Value) -> String {
        let text = value.description
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(text.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "\n": return "⏎"
            case "\t": return "→"
            default: return scalar.value < 0x20 || scalar.value == 0x7F ? "�" : Character(scalar)
            }
        })
    }

    func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    /// Shrinks the widest columns until the line fits (3 characters between columns).
    func fit(_ widths: [Int], into total: Int) -> [Int] {
        var widths = widths
        let separators = max(0, widths.count - 1) * 3
        while widths.reduce(0, +) + separators > total {
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 else { break }
            widths[widest] -= 1
        }
        return widths
    }

    // MARK: CSV (RFC 4180 quoting, LF line ends)

    func csv(_ table: Table) -> String {
        var out = table.schema.names.map(csvQuote).joined(separator: ",") + "\n"
        for row in 0..<table.rowCount {
            out += table.columns.map { csvField($0.value(at: row)) }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Null is an empty field; an empty string is `""`; lists join with `;`.
    func csvField(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s.isEmpty ? "\"\"" : csvQuote(s)
        case .list(let items): return csvQuote(items.map { $0.isNull ? "" : $0.description }.joined(separator: ";"))
        default: return csvQuote(value.description)
        }
    }

    func csvQuote(_ s: String) -> String {
        let needsQuotes = s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }
            || s.first == " " || s.last == " "
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

    func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: Markdown

    func markdown(_ table: Table) -> String {
        func escape(_ s: String) -> String { cellText(.string(s)).replacingAll("|", with: "\\|") }
        var out = "| " + table.schema.names.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + table.schema.fields.map { isRightAligned($0.type) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in 0..<table.rowCount {
            out += "| " + table.columns.map { escape($0.value(at: row).description) }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
