// The lexer's and the parser's diagnostics: each ID with its explanation and an example that
// raises it, and the messages as `DiagnosticMessage` members (`.expected("an expression",
// found: ...)`). DiagnosticMessage.swift in ConflictQLCore says how IDs are chosen.

import ConflictQLCore

/// IDs raised while reading the text of a script.
public enum SyntaxDiagnostic: String, DiagnosticKind {
    case scriptTooLarge = "script-too-large"
    case notAnOperator = "not-an-operator"
    case unexpectedCharacter = "unexpected-character"
    case invalidUTF8 = "invalid-utf8"
    case emptyQuotedName = "empty-quoted-name"
    case unterminatedQuotedName = "unterminated-quoted-name"
    case invalidNumber = "invalid-number"
    case numberOutOfRange = "number-out-of-range"
    case invalidDate = "invalid-date"
    case unterminatedString = "unterminated-string"
    case invalidEscape = "invalid-escape"
    case stringTooLong = "string-too-long"
    case expectedToken = "expected-token"
    case unclosedBracket = "unclosed-bracket"
    case nestingTooDeep = "nesting-too-deep"
    case assignmentIsNotComparison = "assignment-is-not-comparison"
    case expectedFilePath = "expected-file-path"
    case reservedWord = "reserved-word"
    case unknownStage = "unknown-stage"
    case unknownJoinKind = "unknown-join-kind"
    case unknownChartOption = "unknown-chart-option"

    public static let layer = "the parser"

    public var explanation: MessageExplanation {
        switch self {
        case .scriptTooLarge:
            MessageExplanation(.error, """
                A script may hold at most 4 MiB of text; split a longer one into several scripts. \
                (An example would be 4 MiB long.)
                """, example: nil)
        case .notAnOperator:
            MessageExplanation(.error, """
                An operator from another language: ConflictQL writes 'and', 'or' and '!=' \
                ('|' starts a stage).
                """, example: "funding | where amount_usd > 0 && kind == \"pledge\"")
        case .unexpectedCharacter:
            MessageExplanation(.error, "A character that starts no token of the language.",
                               example: "funding | where amount_usd > 0 # ok\nfunding | where ! g5")
        case .invalidUTF8:
            MessageExplanation(.error, "Scripts are UTF-8 text; a byte that is not UTF-8 is shown by its value. "
                               + "(An example here is text, so always UTF-8: a script file with such a byte raises it.)",
                               example: nil)
        case .emptyQuotedName:
            MessageExplanation(.error, "A name in backquotes needs at least one character.", example: "funding | select ``")
        case .unterminatedQuotedName:
            MessageExplanation(.error, "A name opened with '`' must close with '`' on the same line.",
                               example: "funding | select `donor")
        case .invalidNumber:
            MessageExplanation(.error, """
                A number followed by letters: units are written as words ('7 days'), thousands without separators.
                """, example: "funding | where amount_usd > 7d")
        case .numberOutOfRange:
            MessageExplanation(.error, """
                An integer larger than the largest Int (9223372036854775807), or a decimal too large \
                for a Float; write a decimal with '.0' for large numbers.
                """, example: "99999999999999999999")
        case .invalidDate:
            MessageExplanation(.error, "Dates are written @YYYY-MM-DD, @YYYY-MM or @YYYY.", example: "@2013-13-01")
        case .unterminatedString:
            MessageExplanation(.error, "A string must close with the quote that opened it.", example: "\"Mali")
        case .invalidEscape:
            MessageExplanation(.error, """
                The escapes a string knows are \\n \\t \\r \\0 \\\\ \\" \\' and \\u{XXXX}; a raw string \
                r"..." keeps backslashes as they are (for regular expressions).
                """, example: #""a\qb""#)
        case .stringTooLong:
            MessageExplanation(.error, "A string literal may be at most 1 MiB long. (An example would be 1 MiB long.)", example: nil)
        case .expectedToken:
            MessageExplanation(.error, """
                The parser expected something else at this point of the statement: the message says \
                what, and the help line how such a statement is written.
                """, example: "funding | sort amount_usd")
        case .unclosedBracket:
            MessageExplanation(.error, "A bracket or parenthesis was opened and not closed; the message gives where it opened.",
                               example: "funding | where (amount_usd > 0")
        case .nestingTooDeep:
            MessageExplanation(.error, "An expression nested too deeply to read (more than \(Parser.maximumDepth) levels); "
                               + "split it with 'let' bindings.",
                               example: "funding | where " + String(repeating: "(", count: Parser.maximumDepth + 1) + "true"
                                   + String(repeating: ")", count: Parser.maximumDepth + 1))
        case .assignmentIsNotComparison:
            MessageExplanation(.error, "'=' names a column or binds a value; '==' compares.",
                               example: "funding | where kind = \"pledge\"")
        case .expectedFilePath:
            MessageExplanation(.error, "'load' (and '.load', '--load') need the path of a file, in quotes in a script.",
                               example: "load events")
        case .reservedWord:
            MessageExplanation(.error, "A word of the language (a stage, 'let', 'true', …) cannot name a value or a table.",
                               example: "let and = 3")
        case .unknownStage:
            MessageExplanation(.error, """
                After '|' comes a stage (where, select, extend, summarize, sort, take, join, …); \
                words from SQL, KQL or dplyr get their ConflictQL name in the help line.
                """, example: "funding | filter kind == \"pledge\"")
        case .unknownJoinKind:
            MessageExplanation(.error, "Join kinds are 'inner', 'left', 'semi' and 'anti'.",
                               example: "funding | join kind=outer countries on donor == name")
        case .unknownChartOption:
            MessageExplanation(.error, """
                After 'chart' and its kind come options: title, width, height, xtitle, ytitle (or \
                xlabel, ylabel) and labels.
                """, example: "figures | chart bar colour \"red\"")
        }
    }
}

extension DiagnosticMessage {
    /// The parser's sentinel for a token the lexer has already reported: never shown.
    package static let reportedByLexer = DiagnosticMessage(id: MessageID(""), severity: .error, text: "")

    package static func scriptTooLarge(limit: Int) -> Self {
        Self(SyntaxDiagnostic.scriptTooLarge, "the script is over the limit of \(limit) bytes (4 MiB)")
    }
    package static func notAnOperator(_ written: String) -> Self {
        Self(SyntaxDiagnostic.notAnOperator, "'\(written)' is not an operator")
    }
    package static func unexpectedCharacter(_ character: String) -> Self {
        Self(SyntaxDiagnostic.unexpectedCharacter, "unexpected character '\(character)'")
    }
    package static func unexpectedControlCharacter(_ code: String) -> Self {
        Self(SyntaxDiagnostic.unexpectedCharacter, "unexpected control character U+\(code)")
    }
    package static func invalidUTF8Byte(_ hex: String) -> Self {
        Self(SyntaxDiagnostic.invalidUTF8, "invalid UTF-8 byte 0x\(hex)")
    }
    package static let invalidUTF8InString = Self(SyntaxDiagnostic.invalidUTF8, "string contains invalid UTF-8")
    package static let invalidUTF8InScript = Self(SyntaxDiagnostic.invalidUTF8, "invalid UTF-8 in script")
    package static let emptyQuotedName = Self(SyntaxDiagnostic.emptyQuotedName, "empty quoted name")
    package static let unterminatedQuotedName = Self(SyntaxDiagnostic.unterminatedQuotedName, "unterminated quoted name")
    package static func invalidNumber(_ text: String) -> Self {
        Self(SyntaxDiagnostic.invalidNumber, "invalid number '\(text)'")
    }
    package static func decimalOutOfRange(_ text: String) -> Self {
        Self(SyntaxDiagnostic.numberOutOfRange, "decimal literal '\(text)' is out of range")
    }
    package static func integerOutOfRange(_ text: String) -> Self {
        Self(SyntaxDiagnostic.numberOutOfRange, "integer literal '\(text)' does not fit in a 64-bit integer")
    }
    package static func invalidDate(_ text: String) -> Self {
        Self(SyntaxDiagnostic.invalidDate, text.isEmpty ? "expected a date after '@'" : "invalid date '@\(text)'")
    }
    package static let unterminatedString = Self(SyntaxDiagnostic.unterminatedString, "unterminated string")
    package static let invalidUnicodeEscape = Self(SyntaxDiagnostic.invalidEscape, "invalid unicode escape")
    package static func unknownEscape(_ escape: String) -> Self {
        Self(SyntaxDiagnostic.invalidEscape, "unknown escape '\\\(escape)' in string")
    }
    package static func stringTooLong(limit: Int) -> Self {
        Self(SyntaxDiagnostic.stringTooLong, "string literal is longer than \(limit) bytes")
    }
    package static func expected(_ what: String, found: String) -> Self {
        Self(SyntaxDiagnostic.expectedToken, "expected \(what), found \(found)")
    }
    package static func unclosed(_ close: String, open: String, line: Int, column: Int, found: String) -> Self {
        Self(SyntaxDiagnostic.unclosedBracket, "expected '\(close)' to close \(open) at \(line):\(column), found \(found)")
    }
    package static func nestingTooDeep(limit: Int) -> Self {
        Self(SyntaxDiagnostic.nestingTooDeep, "expression nests deeper than \(limit) levels")
    }
    package static let assignmentIsNotComparison = Self(SyntaxDiagnostic.assignmentIsNotComparison, "'=' is not a comparison")
    package static let expectedFilePath = Self(SyntaxDiagnostic.expectedFilePath, "expected a file path")
    package static let expectedQuotedFilePath = Self(SyntaxDiagnostic.expectedFilePath, "expected a file path in quotes after 'load'")
    package static func reservedWordBound(_ name: String) -> Self {
        Self(SyntaxDiagnostic.reservedWord, "'\(name)' is a reserved word and cannot be bound")
    }
    package static func reservedWordAsTable(_ name: String) -> Self {
        Self(SyntaxDiagnostic.reservedWord, "'\(name)' is a reserved word and cannot name a table")
    }
    package static func unknownStage(_ word: String) -> Self {
        Self(SyntaxDiagnostic.unknownStage, "unknown stage '\(word)'")
    }
    package static func unknownChartOption(_ word: String) -> Self {
        Self(SyntaxDiagnostic.unknownChartOption, "unknown option of chart '\(word)'")
    }
    package static func unknownJoinKind(_ word: String) -> Self {
        Self(SyntaxDiagnostic.unknownJoinKind, "unknown join kind '\(word)'")
    }
}
