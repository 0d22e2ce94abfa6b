// Typed diagnostic messages with stable IDs, as swift-syntax's `DiagnosticMessage` and
// `MessageID`. Each layer declares its catalogue next to the code that raises it (an enum of
// IDs, `DiagnosticKind`, with each ID's severity, explanation and example) and the messages
// themselves as static members of `DiagnosticMessage`; a call site writes
// `throw Diagnostic(.unknownColumn(name), at: range)`. IDs are short, lower-case and
// hyphenated (`unknown-column`): readable in JSON and `--explain`, and chosen by name, so
// sessions adding messages in parallel cannot collide the way numbered codes (`E0101`) do.
// `Tests/ConflictQLTests/Snapshots/diagnostic-ids.txt` lists them all: renaming one is a visible change.

/// The stable identity of a kind of diagnostic: `unknown-column`, `division-by-zero`.
public struct MessageID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (a: MessageID, b: MessageID) -> Bool { a.rawValue < b.rawValue }
}

/// One message as raised: its ID, severity and text (lower case, naming what was expected
/// and where). Made by the static members each layer declares in its catalogue file.
public struct DiagnosticMessage: Sendable, Equatable {
    public var id: MessageID
    public var severity: Diagnostic.Severity
    public var text: String

    public init<Kind: DiagnosticKind>(_ kind: Kind, _ text: String) {
        self.id = kind.id
        self.severity = kind.severity
        self.text = text
    }

    package init(id: MessageID, severity: Diagnostic.Severity, text: String) {
        self.id = id
        self.severity = severity
        self.text = text
    }
}

/// What `--explain ID` prints: the severity, what the message means and what to do, and a
/// query that raises it (run by `DiagnosticIDTests`, which checks it raises exactly this ID).
public struct MessageExplanation: Sendable {
    public var severity: Diagnostic.Severity
    public var text: String
    /// A script that raises this ID in a fresh session, or nil when none can (a full disk,
    /// a cancelled query, a file that changes while it loads).
    public var example: String?

    public init(_ severity: Diagnostic.Severity = .error, _ text: String, example: String?) {
        self.severity = severity
        self.text = text
        self.example = example
    }
}

/// One layer's catalogue of IDs: an enum whose raw values are the IDs. Its `explanation`
/// is an exhaustive switch, so an ID without one does not compile.
public protocol DiagnosticKind: CaseIterable, Sendable, RawRepresentable where RawValue == String {
    /// The layer's name as `--explain` shows it (`syntax`, `semantics`, …).
    static var layer: String { get }
    var explanation: MessageExplanation { get }
}

extension DiagnosticKind {
    public var id: MessageID { MessageID(rawValue) }
    public var severity: Diagnostic.Severity { explanation.severity }

    /// Every ID of the layer with its explanation, for `--explain` and the catalogue test.
    public static var catalogue: [MessageCatalogueEntry] {
        allCases.map { MessageCatalogueEntry(id: $0.id, layer: layer, explanation: $0.explanation) }
    }
}

/// An ID with the layer that raises it and its explanation.
public struct MessageCatalogueEntry: Sendable {
    public var id: MessageID
    public var layer: String
    public var explanation: MessageExplanation

    /// The text `conflictql --explain ID` prints.
    public var rendered: String {
        var text = "\(id) (\(explanation.severity.rawValue), raised by \(layer))\n\n" + wrapped(explanation.text) + "\n"
        if let example = explanation.example {
            text += "\nFor example:\n\n" + example.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        return text
    }
}

/// `text` broken at spaces into lines of at most `width` characters, for a terminal.
func wrapped(_ text: String, width: Int = 88) -> String {
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n")
}
