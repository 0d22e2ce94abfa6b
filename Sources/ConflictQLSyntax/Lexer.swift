// The lexer: source bytes to tokens, with diagnostics for what it cannot read. It never
// stops early: a bad character becomes an `.invalid` token so the parser can go on and
// report every error of a script in one run.
//
// Newlines separate statements; a line whose first token is `|` continues the statement
// before it (no newline token is emitted). Inside brackets the parser ignores newlines.

import ConflictQLCore

public struct LexResult: Sendable {
    public var tokens: [Token]
    public var diagnostics: [Diagnostic]
}

/// Splits `source` into tokens; the last token is always `.endOfInput`.
public func lex(_ source: Source) -> LexResult {
    var lexer = Lexer(bytes: source.bytes)
    return lexer.run()
}

struct Lexer {
    /// The longest identifier, string or number we read; beyond it a literal is an error.
    static let maximumTokenLength = 1 << 20

    let bytes: [UInt8]
    var position = 0
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Cursor helpers

    func peek(_ ahead: Int = 0) -> UInt8? {
        let i = position + ahead
        return i < bytes.count ? bytes[i] : nil
    }

    mutating func advance() { position += 1 }

    mutating func match(_ byte: UInt8) -> Bool {
        if peek() == byte { position += 1; return true }
        return false
    }

    mutating func emit(_ kind: TokenKind, from start: Int, text: String = "") {
        tokens.append(Token(kind: kind, range: SourceRange(start: start, end: position), text: text))
    }

    mutating func error(_ message: DiagnosticMessage, _ start: Int, _ end: Int, help: String? = nil,
                        incomplete: Bool = false) {
        diagnostics.append(Diagnostic(message, at: SourceRange(start: start, end: end),
                                      help: help, incompleteInput: incomplete))
    }

    // MARK: Scanning

    mutating func run() -> LexResult {
        // A `#!` first line is a comment like any other `#` line.
        while let byte = peek() {
            let start = position
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                advance()
            case UInt8(ascii: "\n"):
                advance()
                newline(at: start)
            case UInt8(ascii: "#"):
                while let b = peek(), b != UInt8(ascii: "\n") { advance() }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                string(quote: byte)
            case UInt8(ascii: "r") where peek(1) == UInt8(ascii: "\"") || peek(1) == UInt8(ascii: "'"):
                // r"...": a raw string, its backslashes kept (for regular expressions).
                advance()
                string(quote: peek()!, raw: true, from: start)
            case UInt8(ascii: "`"):
                quotedIdentifier()
            case UInt8(ascii: "@"):
                date()
            case UInt8(ascii: "$") where peek(1).map(isIdentifierStart) == true:
                advance()
                let nameStart = position
                while let b = peek(), isIdentifierStart(b) || isDigit(b) { advance() }
                emit(.parameter, from: start, text: String(decoding: bytes[nameStart..<position], as: UTF8.self))
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number()
            case UInt8(ascii: "."):
                if let next = peek(1), isDigit(next) { number() } else { advance(); emit(.dot, from: start) }
            default:
                if isIdentifierStart(byte) {
                    identifier()
                } else {
                    punctuation(byte)
                }
            }
        }
        emit(.endOfInput, from: position)
        return LexResult(tokens: tokens, diagnostics: diagnostics)
    }

    /// Emits a newline unless it is redundant or the next line starts with `|`.
    mutating func newline(at start: Int) {
        var look = position
        while look < bytes.count {
            let b = bytes[look]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
                || b == UInt8(ascii: "\n") {
                look += 1
            } else if b == UInt8(ascii: "#") {
                while look < bytes.count && bytes[look] != UInt8(ascii: "\n") { look += 1 }
            } else {
                break
            }
        }
        if look < bytes.count && bytes[look] == UInt8(ascii: "|") { return }
        if let last = tokens.last, last.kind == .newline { return }
        tokens.append(Token(kind: .newline, range: SourceRange(start: start, end: start + 1), text: ""))
    }

    mutating func punctuation(_ byte: UInt8) {
        let start = position
        advance()
        let kind: TokenKind
        switch byte {
        case UInt8(ascii: "|"):
            if match(UInt8(ascii: "|")) {
                error(.notAnOperator("||"), start, position, help: "write 'or' to combine conditions ('|' starts a stage)")
                kind = .invalid
            } else {
                kind = .pipe
            }
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: ";"): kind = .semicolon
        case UInt8(ascii: ":"): kind = .colon
        case UInt8(ascii: "("): kind = .leftParen
        case UInt8(ascii: ")"): kind = .rightParen
        case UInt8(ascii: "["): kind = .leftBracket
        case UInt8(ascii: "]"): kind = .rightBracket
        case UInt8(ascii: "+"): kind = .plus
        case UInt8(ascii: "-"): kind = .minus
        case UInt8(ascii: "*"): kind = .star
        case UInt8(ascii: "/"): kind = .slash
        case UInt8(ascii: "%"): kind = .percent
        case UInt8(ascii: "="): kind = match(UInt8(ascii: "=")) ? .equal : match(UInt8(ascii: "~")) ? .equalIgnoringCase : .assign
        case UInt8(ascii: "!"):
            if match(UInt8(ascii: "=")) {
                kind = .notEqual
            } else if match(UInt8(ascii: "~")) {
                kind = .notEqualIgnoringCase
            } else {
                error(.unexpectedCharacter("!"), start, position, help: "write 'not' for negation, '!=' for inequality")
                kind = .invalid
            }
        case UInt8(ascii: "<"):
            if match(UInt8(ascii: "=")) { kind = .lessEqual }
            else if match(UInt8(ascii: ">")) {
                error(.notAnOperator("<>"), start, position, help: "write '!=' for inequality")
                kind = .notEqual
            } else { kind = .less }
        case UInt8(ascii: ">"): kind = match(UInt8(ascii: "=")) ? .greaterEqual : .greater
        case UInt8(ascii: "&") where peek() == UInt8(ascii: "&"):
            advance()
            error(.notAnOperator("&&"), start, position, help: "write 'and' to combine conditions")
            kind = .invalid
        case UInt8(ascii: "&"), UInt8(ascii: "^"), UInt8(ascii: "~"), UInt8(ascii: "$"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "?"),
             UInt8(ascii: "\\"):
            let text = String(UnicodeScalar(byte))
            var help: String? = nil
            if byte == UInt8(ascii: "&") { help = "write 'and' to combine conditions" }
            error(.unexpectedCharacter(text), start, position, help: help)
            kind = .invalid
        default:
            // Skip a whole UTF-8 sequence (or one invalid byte) and describe it.
            position = start
            let (scalar, length) = decodeScalar(at: start)
            position = start + length
            if let scalar, scalar.value >= 0x20, scalar.value != 0x7F {
                error(.unexpectedCharacter(String(Character(scalar))), start, position)
            } else if let scalar {
                error(.unexpectedControlCharacter(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)), start, position)
            } else {
                error(.invalidUTF8Byte(String(byte, radix: 16, uppercase: true).leftPadded(to: 2)), start, position)
            }
            kind = .invalid
        }
        emit(kind, from: start)
    }

    /// Decodes one Unicode scalar at `offset`: the scalar (nil when the bytes are not
    /// valid UTF-8) and how many bytes to skip.
    func decodeScalar(at offset: Int) -> (Unicode.Scalar?, Int) {
        var iterator = bytes[offset..<min(bytes.count, offset + 4)].makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): return (scalar, UTF8.width(scalar))
        default: return (nil, 1)
        }
    }

    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_")
    }

    mutating func identifier() {
        let start = position
        while let b = peek(), isIdentifierStart(b) || isDigit(b) { advance() }
        emit(.identifier, from: start, text: String(decoding: bytes[start..<position], as: UTF8.self))
    }

    /// `` `any text` `` names a column whose name is not a plain identifier.
    mutating func quotedIdentifier() {
        let start = position
        advance()
        var name: [UInt8] = []
        while let b = peek(), b != UInt8(ascii: "`"), b != UInt8(ascii: "\n") {
            name.append(b)
            advance()
        }
        if match(UInt8(ascii: "`")) {
            if name.isEmpty { error(.emptyQuotedName, start, position) }
            emit(.quotedIdentifier, from: start, text: String(decoding: name, as: UTF8.self))
        } else {
            error(.unterminatedQuotedName, start, position, help: "close it with '`'",
                  incomplete: peek() == nil)
            emit(.invalid, from: start)
        }
    }

    mutating func number() {
        let start = position
        var isDecimal = false
        func digits(_ lexer: inout Lexer) {
            while let b = lexer.peek(), lexer.isDigit(b) || (b == UInt8(ascii: "_") && lexer.peek(1).map(lexer.isDigit) == true) {
                lexer.advance()
            }
        }
        digits(&self)
        if peek() == UInt8(ascii: "."), let next = peek(1), isDigit(next) {
            isDecimal = true
            advance()
            digits(&self)
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var look = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { look = 2 }
            if let d = peek(look), isDigit(d) {
                isDecimal = true
                position += look
                digits(&self)
            }
        }
        // A letter glued to a number (`12abc`) is a typo, not two tokens.
        if let b = peek(), isIdentifierStart(b) {
            while let b = peek(), isIdentifierStart(b) || isDigit(b) { advance() }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            error(.invalidNumber(text), start, position, help: Habits.numberWithLetters(text))
            emit(.invalid, from: start)
            return
        }
        let text = String(decoding: bytes[start..<position].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if isDecimal {
            guard let value = Double(text), value.isFinite else {
                error(.decimalOutOfRange(text), start, position)
                emit(.invalid, from: start)
                return
            }
            emit(.decimal(value), from: start)
        } else if let value = Int64(text) {
            emit(.integer(value), from: start)
        } else if text == "9223372036854775808" {
            // Only valid right after a unary minus (Int64.min); the parser decides.
            emit(.integer(.min), from: start, text: text)
        } else {
            error(.integerOutOfRange(text.count > 40 ? String(text.prefix(40)) + "…" : text),
                  start, position, help: "the largest Int is 9223372036854775807; write a decimal (with '.0') for larger numbers")
            emit(.invalid, from: start)
        }
    }

    /// `@2013-04-01`, `@2011-10` or `@2013`: a date that cannot be read as subtraction.
    package mutating func date() {
        let start = position
        advance()
        while let b = peek(), isDigit(b) || b == UInt8(ascii: "-") || isIdentifierStart(b) { advance() }
        let text = String(decoding: bytes[(start + 1)..<position], as: UTF8.self)
        if let value = DateValue.parseISO(Substring(text)) {
            emit(.date(value), from: start)
        } else {
            error(.invalidDate(text), start, position,
                  help: "write dates as @YYYY-MM-DD, @YYYY-MM or @YYYY (for example @2013-04-01)")
            emit(.invalid, from: start)
        }
    }

    package mutating func string(quote: UInt8, raw: Bool = false, from rawStart: Int? = nil) {
        let start = rawStart ?? position
        advance()
        var value: [UInt8] = []
        while true {
            guard let b = peek() else {
                error(.unterminatedString, start, start + 1,
                      help: "close the string with \(quote == UInt8(ascii: "\"") ? "\"" : "'")", incomplete: true)
                emit(.invalid, from: start)
                return
            }
            if b == quote { advance(); break }
            if b == UInt8(ascii: "\\") && !raw {
                let escapeStart = position
                advance()
                guard let e = peek() else { continue }
                advance()
                switch e {
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "r"): value.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "0"): value.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(e)
                case UInt8(ascii: "u"):
                    if let scalar = unicodeEscape() {
                        value.append(contentsOf: Array(String(Character(scalar)).utf8))
                    } else {
                        error(.invalidUnicodeEscape, escapeStart, position,
                              help: "write \\u{XXXX} with 1 to 6 hexadecimal digits")
                    }
                default:
                    error(.unknownEscape(String(UnicodeScalar(e))), escapeStart, position,
                          help: "known escapes: \\n \\t \\r \\0 \\\\ \\\" \\' \\u{XXXX}; a raw string r\"...\" keeps backslashes (for regular expressions)")
                }
                continue
            }
            value.append(b)
            advance()
        }
        if value.count > Lexer.maximumTokenLength {
            error(.stringTooLong(limit: Lexer.maximumTokenLength), start, start + 1)
        }
        // Invalid UTF-8 inside a string is replaced, and reported: scripts are text.
        let text = String(decoding: value, as: UTF8.self)
        if String(validating: value, as: UTF8.self) == nil {
            error(.invalidUTF8InString, start, position)
        }
        emit(.string(text), from: start)
    }

    /// Reads `{XXXX}` after `\u`.
    mutating func unicodeEscape() -> Unicode.Scalar? {
        guard match(UInt8(ascii: "{")) else { return nil }
        var digits = ""
        while let b = peek(), b != UInt8(ascii: "}"), digits.count <= 6,
              let scalar = Optional(UnicodeScalar(b)), scalar.properties.isASCIIHexDigit {
            digits.append(Character(scalar))
            advance()
        }
        guard match(UInt8(ascii: "}")), (1...6).contains(digits.count),
              let code = UInt32(digits, radix: 16) else { return nil }
        return Unicode.Scalar(code)
    }
}

/// `text` as a string literal the lexer reads back as `text`: quotes, backslashes and line
/// breaks escaped, other control characters and DEL as `\u{...}`. By scalars, not Characters:
/// a quote followed by a combining mark is one Character, yet it ends the literal.
package func stringLiteral(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\0": out += "\\0"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{" + String(scalar.value, radix: 16) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

