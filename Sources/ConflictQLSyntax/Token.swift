// Tokens: what the lexer hands the parser. Words are all `.identifier`; the parser gives
// them meaning by position (stage names after `|`, operators like `and` inside
// expressions), so a column may be called `kind` or `count` without quoting.

import ConflictQLCore

public enum TokenKind: Sendable, Hashable {
    case identifier          // designation, where, and
    case quotedIdentifier    // `event date`
    case parameter           // $region: a value bound by `let`, never a column
    case integer(Int64)
    case decimal(Double)
    case string(String)
    case date(DateValue)     // @2013-04-01, @2011-10, @2013
    case pipe                // |
    case comma, semicolon, dot, colon
    case leftParen, rightParen, leftBracket, rightBracket
    case plus, minus, star, slash, percent
    case assign              // =
    case equal, notEqual     // == !=
    case equalIgnoringCase, notEqualIgnoringCase   // =~ !~
    case less, lessEqual, greater, greaterEqual
    case newline
    case invalid             // a character or literal the lexer could not read (diagnosed)
    case endOfInput
}

public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var range: SourceRange
    /// The identifier's name (unquoted for backtick identifiers); empty for other tokens.
    public var text: String

    /// How the token reads in messages: `'|'`, `'where'`, `end of input`.
    public var display: String {
        switch kind {
        case .identifier, .quotedIdentifier: return "'\(text)'"
        case .parameter: return "'$\(text)'"
        case .integer(let v): return "'\(v)'"
        case .decimal(let v): return "'\(v)'"
        case .string: return "string"
        case .date(let d): return "'@\(d)'"
        case .pipe: return "'|'"
        case .comma: return "','"
        case .semicolon: return "';'"
        case .dot: return "'.'"
        case .colon: return "':'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .percent: return "'%'"
        case .assign: return "'='"
        case .equal: return "'=='"
        case .notEqual: return "'!='"
        case .equalIgnoringCase: return "'=~'"
        case .notEqualIgnoringCase: return "'!~'"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        case .newline: return "end of line"
        case .invalid: return "invalid input"
        case .endOfInput: return "end of input"
        }
    }
}
