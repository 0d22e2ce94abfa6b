// Renders diagnostics the way compilers do:
//
//     tour.cq:3:9: error: unknown column 'desgnation'
//       3 | | where desgnation has "FTO"
//         |         ^~~~~~~~~~
//     help: did you mean 'designation'?
//
// Colour only when asked (the executable asks when writing to a terminal without NO_COLOR).

public struct DiagnosticRenderer: Sendable {
    /// Longer source lines are shown as a window of this many characters around the caret
    /// (the REPL makes it fit the terminal).
    public var maximumLineWidth = 120

    public var useColor: Bool

    /// Shows each diagnostic's ID after its severity, as rustc shows its codes:
    /// `error[unknown-column]: ...`, the name `--explain-diagnostic` takes.
    public var showsIDs: Bool

    public init(useColor: Bool = false, maximumLineWidth: Int = 120, showsIDs: Bool = false) {
        self.useColor = useColor
        self.maximumLineWidth = max(20, maximumLineWidth)
        self.showsIDs = showsIDs
    }

    public func render(_ diagnostic: Diagnostic, in source: Source) -> String {
        // Messages, notes and suggestions may quote data (a cell, a header name): their
        // control characters are shown, never sent to the terminal.
        var diagnostic = diagnostic
        diagnostic.message = escapingControlCharacters(diagnostic.message)
        diagnostic.help = diagnostic.help.map(escapingControlCharacters)
        diagnostic.notes = diagnostic.notes.map { Diagnostic.Note(escapingControlCharacters($0.message), at: $0.range) }
        let name = escapingControlCharacters(source.name)
        var out = ""
        let label = diagnostic.severity.rawValue + (showsIDs ? "[\(diagnostic.id)]" : "")
        let colored = useColor ? "\u{1B}[1;31m\(label)\u{1B}[0m" : label
        // Without a place: `conflictql: error: ...`, or `error: ...` under a line just typed
        // (a source without a name).
        guard let range = diagnostic.range else {
            out += (name.isEmpty ? "" : "\(name): ") + "\(colored): \(diagnostic.message)\n"
            for note in diagnostic.notes { out += note.message + "\n" }
            if let help = diagnostic.help { out += "help: \(help)\n" }
            return out
        }
        let (line, column) = source.location(of: range.start)
        out += "\(name):\(line):\(column): \(colored): \(diagnostic.message)\n"
        let lineCharacters = Array(displayLine(source.lineText(line)))
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        // Underline the span, clipped to its first line.
        let (endLine, endColumn) = source.location(of: max(range.start, range.end))
        var width = endLine == line ? endColumn - column : lineCharacters.count - column + 1
        width = max(1, width)
        // A very long line shows a window around the caret.
        var first = 0, last = lineCharacters.count
        if lineCharacters.count > maximumLineWidth {
            first = max(0, min(column - 1 - maximumLineWidth / 3,
                               lineCharacters.count - maximumLineWidth))
            last = min(lineCharacters.count, first + maximumLineWidth)
            width = min(width, last - (column - 1))
        }
        let prefix = first > 0 ? "…" : ""
        let suffix = last < lineCharacters.count ? "…" : ""
        out += " \(gutter) | \(prefix)\(String(lineCharacters[first..<last]))\(suffix)\n"
        let caretPad = String(repeating: " ", count: max(0, min(column - 1, lineCharacters.count) - first) + prefix.count)
        var marks = "^" + String(repeating: "~", count: max(0, width - 1))
        if useColor { marks = "\u{1B}[1;32m\(marks)\u{1B}[0m" }
        out += " \(pad) | \(caretPad)\(marks)\n"
        for note in diagnostic.notes { out += note.message + "\n" }
        if let help = diagnostic.help { out += "help: \(help)\n" }
        return out
    }

    public func render(_ diagnostics: [Diagnostic], in source: Source) -> String {
        diagnostics.map { render($0, in: source) }.joined()
    }

    /// Tabs become single spaces so the caret lines up; what a terminal must not see raw
    /// (`isTerminalUnsafe`: controls, line separators, bidirectional overrides) as `?`.
    private func displayLine(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            if scalar == "\t" { return " " }
            if isTerminalUnsafe(scalar) { return "?" }
            return Character(scalar)
        })
    }

}

