// Parameters: `conflictql --param region=Gao script.cq` (or `-D region=Gao`). A parameter is a
// `let` value bound before any script runs, read as `$region`; its value is typed as the same
// text would be as a literal of the language, and the script cannot bind the name again.
//
// Why text that is not a literal becomes a String: `--param region=Gao` must just work. Why
// a value that starts like a literal (a digit, a sign and a digit, '@', a quote) must be a
// whole valid literal: `--param since=@2020-13` or `--param code=0123` silently taken as text
// (or as 123) would give a wrong answer, not an error. Quoting forces text: `code='"0123"'`.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

/// A command-line parameter that cannot be bound, with a message in the house phrasing.
public struct ParameterError: Error, Sendable, Equatable {
    public let message: String
    /// As a diagnostic (`invalid-parameter`), for the command line to show as it shows others.
    public var diagnostic: DiagnosticMessage { DiagnosticMessage(InteractiveDiagnostic.invalidParameter, message) }
}

/// A parameter read from `NAME=VALUE`: its name and its typed value.
public struct Parameter: Sendable, Equatable {
    public let name: String
    public let value: Value

    /// Reads `NAME=VALUE`; the first '=' separates them (a value may contain '=').
    public init(parsing assignment: String) throws(ParameterError) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ParameterError(message: "parameter '\(assignment)' has no value; write --param "
                + "\(assignment.isEmpty ? "NAME" : assignment)=VALUE")
        }
        let name = String(assignment[..<equals])
        let text = String(assignment[assignment.index(after: equals)...])
        guard !name.isEmpty else {
            throw ParameterError(message: "parameter '\(assignment)' has no name; write --param NAME=VALUE")
        }
        guard Parameter.isName(name) else {
            throw ParameterError(message: "'\(name)' cannot name a parameter: a name is a letter or '_' followed by letters, digits or '_'")
        }
        self.name = name
        self.value = try Parameter.value(of: text, name: name)
    }

    /// True when `$name` reads as one parameter token: the language's identifier rule.
    static func isName(_ name: String) -> Bool {
        let tokens = lex(Source(name: "--param", text: "$" + name)).tokens
        return tokens.count == 2 && tokens[0].kind == .parameter && tokens[0].text == name
    }

    /// The typed value of `text`: a literal of the language if it is one, else the text itself.
    static func value(of text: String, name: String) throws(ParameterError) -> Value {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null":
            throw ParameterError(message: "parameter '\(name)' cannot be null: a parameter has a type; to pass the text, quote it: "
                + "\(name)='\"null\"'")
        default: break
        }
        let bytes = Array(text.utf8)
        let negative = bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+")
        let body = negative ? bytes.dropFirst() : bytes[...]
        guard let first = body.first else { return .string(text) }
        let isDigit = first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
        let startsLikeNumber = isDigit || (first == UInt8(ascii: ".") && body.dropFirst().first.map { $0 >= 48 && $0 <= 57 } == true)
        let startsLikeLiteral = startsLikeNumber
            || (!negative && [UInt8(ascii: "@"), UInt8(ascii: "\""), UInt8(ascii: "'")].contains(first))
        guard startsLikeLiteral else { return .string(text) }
        // A number with a leading zero is most often a code (a P-code, a ZIP): refused, not
        // silently shortened.
        if startsLikeNumber, first == UInt8(ascii: "0"), body.count > 1, body.dropFirst().first.map({ $0 >= 48 && $0 <= 57 }) == true {
            throw ParameterError(message: "parameter '\(name)': '\(text)' has a leading zero; to pass it as text, quote it: "
                + "\(name)='\"\(text)\"'")
        }
        let result = lex(Source(name: "--param", text: String(decoding: body, as: UTF8.self)))
        if let diagnostic = result.diagnostics.first {
            let hint = startsLikeNumber ? "to pass it as text, quote it: \(name)='\"\(text)\"'" : diagnostic.help
            throw ParameterError(message: "parameter '\(name)': \(diagnostic.message)" + (hint.map { "; " + $0 } ?? ""))
        }
        guard result.tokens.count == 2 else {
            let hint = startsLikeNumber ? "to pass it as text, quote it: \(name)='\"\(text)\"'" : "a value is one literal: a number, "
                + "@DATE, true, false or \"text\""
            throw ParameterError(message: "parameter '\(name)': '\(text)' is not one value; \(hint)")
        }
        switch result.tokens[0].kind {
        case .integer(let value):
            let minus = bytes.first == UInt8(ascii: "-")
            if minus { return .int(0 &- value) }   // -9223372036854775808 lexes as .min, which negates to itself
            guard value != .min else {
                throw ParameterError(message: "parameter '\(name)': integer literal '\(text)' does not fit in a 64-bit integer")
            }
            return .int(value)
        case .decimal(let value): return .float(bytes.first == UInt8(ascii: "-") ? -value : value)
        case .date(let value): return .date(value)
        case .string(let value): return .string(value)
        default:
            throw ParameterError(message: "parameter '\(name)': '\(text)' is not a value")
        }
    }
}

extension Session {
    /// Binds parameters before any script runs, as `let` values that the script may read but
    /// not bind again. A name given twice is an error (the later one would silently win).
    public func bind(_ parameters: [Parameter]) throws(ParameterError) {
        var seen: [String: Value] = [:]
        for parameter in parameters {
            if let earlier = seen[parameter.name] {
                throw ParameterError(message: "parameter '\(parameter.name)' is given twice (\(earlier.parameterText), then "
                    + "\(parameter.value.parameterText))")
            }
            seen[parameter.name] = parameter.value
            if symbols.tableName(for: parameter.name) == parameter.name {
                throw ParameterError(message: "parameter '\(parameter.name)' has the name of a table; name it otherwise")
            }
            symbols.bindParameter(parameter.name, parameter.value)
        }
    }
}
