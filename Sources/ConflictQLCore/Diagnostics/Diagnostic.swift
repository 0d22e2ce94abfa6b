// Diagnostics are values: every stage (lexer, parser, checker, evaluator, loaders) returns
// them instead of printing. `DiagnosticRenderer` is the one place that turns them into text.

public struct Diagnostic: Error, Sendable, Equatable {
    public enum Severity: String, Sendable { case error, warning, note }

    /// Stable across releases and wordings (`unknown-column`): `conflictql --explain ID`.
    public var id: MessageID
    public var severity: Severity
    /// Lower case, naming what was expected and where: `expected ')' to close '(' at 3:14`.
    public var message: String
    public var range: SourceRange?
    /// A suggestion shown as `help: ...` (for example `did you mean 'designation'?`).
    public var help: String?
    /// True when the input ended before the statement was complete: the REPL keeps reading.
    public var isIncompleteInput: Bool
    /// Shown after the message: for a load, the bad line of the data file; for an empty
    /// result, what each condition matched, each with its condition's range.
    public var notes: [Note]

    /// A line shown under a diagnostic, with the range it speaks of when it has one.
    public struct Note: Sendable, Equatable {
        public var message: String
        public var range: SourceRange?

        public init(_ message: String, at range: SourceRange? = nil) {
            self.message = message
            self.range = range
        }
    }

    public init(_ message: DiagnosticMessage, at range: SourceRange?, help: String? = nil,
                incompleteInput: Bool = false, notes: [Note] = []) {
        self.id = message.id
        self.severity = message.severity
        self.message = shorteningQuotedNames(message.text)
        self.range = range
        self.help = help.map(shorteningQuotedNames)
        self.isIncompleteInput = incompleteInput
        self.notes = notes
    }
}

/// A failure that carries its diagnostics, thrown by `Session.run` and friends.
public struct DiagnosticError: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public var source: Source

    public init(_ diagnostics: [Diagnostic], source: Source) {
        self.diagnostics = diagnostics
        self.source = source
    }
}

/// Suggests the closest of `candidates` to a misspelt `name`, for `help: did you mean ...`.
///
/// The work is bounded whatever the name: an edit distance is computed only for names of
/// at most `maximumSuggestedLength` characters whose lengths differ by no more than the
/// distance allowed (a 10 MB name took 7.7 s before).
public func closestName(to name: String, in candidates: [String]) -> String? {
    let lowered = name.lowercased()
    let scalars = Array(lowered.unicodeScalars)
    // Edits allowed grow with the length of what was typed, a third of it (as rustc's
    // suggestions do): 'bar' is not a slip for 'year', nor 'to_week' for 'to_year'.
    let limit = max(1, min(3, scalars.count / 3))
    var best: (String, Int)?
    for candidate in candidates where candidate != name {
        // The name itself is never a suggestion: it was just found wanting.
        let c = candidate.lowercased()
        if c == lowered { return candidate }
        let candidateScalars = Array(c.unicodeScalars)
        // A prefix either way: `desig` for `designation`, `Integer` for `Int`.
        let isPrefix = (scalars.count >= 3 && c.hasPrefix(lowered)) || (candidateScalars.count >= 3 && lowered.hasPrefix(c))
        let comparable = abs(scalars.count - candidateScalars.count) <= limit
            && max(scalars.count, candidateScalars.count) <= maximumSuggestedLength
        // Lengths further apart than the limit are further apart in distance too.
        let distance = comparable ? editDistance(scalars, candidateScalars) : limit + 1
        guard distance <= limit || isPrefix else { continue }
        let score = isPrefix ? min(distance, 1) : distance
        if best == nil || score < best!.1 { best = (candidate, score) }
    }
    return best?.0
}

/// The longest name an edit distance is computed for.
let maximumSuggestedLength = 256

/// Levenshtein distance, with a transposition counting as one edit.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previous2[j - 2] + 1)
            }
        }
        (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
}
