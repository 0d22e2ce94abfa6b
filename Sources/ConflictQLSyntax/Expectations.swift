// What the parser looked for where the input ended. The REPL's completion asks this instead of
// guessing from the last few words: the text before the cursor is parsed as it is, and every
// time the parser tests the end of input for a token (a stage name, a table, an operand, a
// clause word such as `by`) it notes what it would have accepted there, with what the
// completer needs to turn that into names (the pipeline flowing into the stage, the sides of
// a join). Nothing is noted before the end, so a parse of a whole script pays nothing for it.

import ConflictQLCore

/// One kind of thing the grammar accepts at the end of the input.
public enum Expectation: Hashable, Sendable {
    /// A statement starts here: a table, or `let`, `describe`, `explain`.
    case statement
    /// The head of a pipeline: a table.
    case source
    /// A table's name alone (after `describe`, `join`, `union`).
    case table
    /// A stage name, after `|`.
    case stage
    /// An operand: a column of the input, a function, a value bound by `let`.
    case operand
    /// An operand compared with this column (`COLUMN == `, `COLUMN in (`): its values fit.
    case value(of: String)
    /// An operand ended here, so an operator or a clause word may follow. After a quantity (a
    /// number or a duration) only a unit, an operator or a clause word can.
    case continuation(afterQuantity: Bool)
    /// A column of the input by name (`fill COLUMN`, `fill ... with COLUMN = `).
    case column
    /// A word of the grammar as it is written here: `by`, `step`, `and`, `kind=`, `source =`.
    case word(String)
    /// The unit of a duration, after a number (`30 days`).
    case durationUnit
    case joinKind
    case chartKind
    /// An option inside `load ... with (`.
    case loadOption
    /// A column's type inside `load ... with (COLUMN: `.
    case typeName
    /// The file after `load`.
    case filePath
}

/// Everything the parser expected at the end of the input, and where it was.
public struct Expectations: Sendable {
    public var kinds: Set<Expectation> = []
    /// The pipeline flowing into the stage the input ends in: from its head to its last `|`.
    public var input: SourceRange?
    /// In a join's condition: the pipeline before the join (`left.`) and the table or pipeline
    /// joined (`right.`, without its brackets).
    public var joinLeft: SourceRange?
    public var joinRight: SourceRange?
    /// Nothing noted after this is expected (see `Parser.parseStatement`).
    var isFinal = false

    public init() {}
}

extension Parser {
    /// A pipeline being parsed: where its head starts and where its last `|` is.
    struct OpenPipeline {
        var start: Int
        var lastPipe: Int?
    }

    /// Notes `expectation` when the token `ahead` of the current one is the end of the input.
    /// At the head of a pipeline only the head itself is noted (no `not`, no operators).
    mutating func note(_ expectation: Expectation, ahead: Int = 0) {
        guard peekKind(ahead) == .endOfInput, !expected.isFinal else { return }
        if ahead == 0 && index == pipelineHead {
            switch expectation {
            case .word, .operand, .value, .continuation: return
            default: break
            }
        }
        if expected.kinds.isEmpty {
            // The first note is made deepest in the input; the context is taken there.
            if let open = openPipelines.last(where: { $0.lastPipe != nil }), let pipe = open.lastPipe {
                expected.input = SourceRange(start: open.start, end: pipe)
            }
            expected.joinLeft = joinSides?.left
            expected.joinRight = joinSides?.right
        }
        expected.kinds.insert(expectation)
    }

    /// A number or a duration: what a unit or an operator follows, never a name.
    func isQuantity(_ expression: Expression) -> Bool {
        switch expression.kind {
        case .literal(.int), .literal(.float), .duration: return true
        default: return false
        }
    }
}
