// The REPL's reading logic, without a terminal: it collects lines until the parser says the
// statement is complete, and turns a line that starts with `|` into the previous statement
// extended by that stage, so a pipeline can be built and seen one step at a time.
//
// In a script the same text is one statement: a line starting with `|` continues the one
// above. The REPL only adds that the "one above" may be a statement that already ran.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

public struct StatementAssembler: Sendable {
    /// Lines of a statement still being typed.
    public private(set) var pending: [String] = []
    /// The last statement that ran without error: what a `|` line extends.
    public private(set) var lastStatement: String?

    public init() {}

    public enum Outcome: Equatable, Sendable {
        /// The statement is not complete: show the continuation prompt.
        case needMore
        /// Run `text`; `historyEntry` is what the user typed, as one history entry.
        case statement(text: String, historyEntry: String)
        /// A `.command` line.
        case dotCommand(String)
        /// Nothing to do (an empty line or only a comment).
        case empty
        /// The input cannot be run; say why.
        case error(DiagnosticMessage)
    }

    public var isContinuing: Bool { !pending.isEmpty }

    public mutating func add(_ line: String) -> Outcome {
        let trimmed = line.trimmingLeadingWhitespace()
        if pending.isEmpty {
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return .empty }
            if trimmed.hasPrefix(".") { return .dotCommand(String(trimmed)) }
        }
        pending.append(line)
        let typed = pending.joined(separator: "\n")
        var text = typed
        if StatementAssembler.extendsPrevious(pending[0]) {
            guard let lastStatement else {
                pending = []
                return .error(.nothingToExtend)
            }
            text = lastStatement + "\n" + typed
        }
        if parse(Source(name: "<repl>", text: text)).isIncomplete { return .needMore }
        pending = []
        return .statement(text: text, historyEntry: typed)
    }

    /// The context completion sees: the statement extended by the lines typed so far.
    public func context(beforeCurrentLine line: String) -> String {
        let typed = (pending + [line]).joined(separator: "\n")
        if StatementAssembler.extendsPrevious(pending.first ?? line), let lastStatement {
            return lastStatement + "\n" + typed
        }
        return typed
    }

    /// A line that continues the statement above it in a script: one starting with `|`, or
    /// with the clause words `by` or `on`.
    static func extendsPrevious(_ line: String) -> Bool {
        let trimmed = line.trimmingLeadingWhitespace()
        if trimmed.hasPrefix("|") { return true }
        let word = trimmed.prefix { $0.isLetter }.lowercased()
        return (word == "by" || word == "on") && trimmed.dropFirst(word.count).first.map { $0 == " " || $0 == "\t" } != false
    }

    /// Remembers a statement that ran, for `|` lines after it.
    public mutating func succeeded(_ text: String) {
        lastStatement = text
    }

    /// Drops a half-typed statement (Ctrl-C).
    public mutating func discard() {
        pending = []
    }
}

extension String {
    func trimmingLeadingWhitespace() -> Substring {
        self.drop { $0 == " " || $0 == "\t" }
    }
}
