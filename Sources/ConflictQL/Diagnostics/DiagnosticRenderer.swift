// Renders diagnostics the way compilers do:
//
//     tour.cq:3:9: error: unknown column 'desgnation'
//       3 | | where desgnation has "FTO"
//         |         ^~~~~~~~~~
//     help: did you mean 'designation'?
//
// Colour only when asked (the executable asks when writing to a terminal without NO_COLOR).

public struct DiagnosticRenderer: Sendable {
    public var useColor: Bool

    public init(useColor: Bool = false) {
        self.useColor = useColor
    }

    public func render(_ diagnostic: Diagnostic, in source: Source) -> String {
        var out = ""
        let label = diagnostic.severity.rawValue
        let colored = useColor ? "\u{1B}[1;31m\(label)\u{1B}[0m" : label
        guard let range = diagnostic.range else {
            out += "\(source.name): \(colored): \(diagnostic.message)\n"
            if let help = diagnostic.help { out += "help: \(help)\n" }
            return out
        }
        let (line, column) = source.location(of: range.start)
        out += "\(source.name):\(line):\(column): \(colored): \(diagnostic.message)\n"
        let lineText = source.lineText(line)
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        out += " \(gutter) | \(displayLine(lineText))\n"
        // Underline the span, clipped to its first line.
        let (endLine, endColumn) = source.location(of: max(range.start, range.end))
        let lineLength = lineText.count
        var width = endLine == line ? endColumn - column : lineLength - column + 1
        width = max(1, width)
        let caretPad = String(repeating: " ", count: displayWidth(of: lineText, upTo: column - 1))
        var marks = "^" + String(repeating: "~", count: max(0, width - 1))
        if useColor { marks = "\u{1B}[1;32m\(marks)\u{1B}[0m" }
        out += " \(pad) | \(caretPad)\(marks)\n"
        if let help = diagnostic.help { out += "help: \(help)\n" }
        return out
    }

    public func render(_ diagnostics: [Diagnostic], in source: Source) -> String {
        diagnostics.map { render($0, in: source) }.joined()
    }

    /// Tabs become single spaces so the caret lines up; control characters are shown as `?`.
    private func displayLine(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            if scalar == "\t" { return " " }
            if scalar.value < 0x20 || scalar.value == 0x7F { return "?" }
            return Character(scalar)
        })
    }

    private func displayWidth(of text: String, upTo characters: Int) -> Int {
        min(characters, text.count)
    }
}
