// The diagnostics of calls to functions, aggregates and window functions: checking their
// arguments and computing them. The checker (ConflictQLSemantics) and the engine raise some
// of these IDs too (a type that does not fit, an integer overflow); they are declared here,
// the lowest layer that raises them. DiagnosticMessage.swift in ConflictQLCore says how IDs
// are chosen; the messages themselves are the `DiagnosticMessage` members at the end.

import ConflictQLCore

/// IDs raised by calls and by the checks of values.
public enum FunctionDiagnostic: String, DiagnosticKind {
    case wrongArgumentCount = "wrong-argument-count"
    case wrongType = "wrong-type"
    case notACondition = "not-a-condition"
    case incompatibleTypes = "incompatible-types"
    case constantArgument = "constant-argument"
    case argumentOutOfRange = "argument-out-of-range"
    case listNotAllowed = "list-not-allowed"
    case invalidDistinct = "invalid-distinct"
    case invalidPattern = "invalid-pattern"
    case invalidDateFormat = "invalid-date-format"
    case integerOverflow = "integer-overflow"
    case dateOutOfRange = "date-out-of-range"
    case invalidConversion = "invalid-conversion"
    case countOfCondition = "count-of-condition"
    case percentileFraction = "percentile-fraction"

    public static let layer = "the functions"

    public var explanation: MessageExplanation {
        switch self {
        case .wrongArgumentCount:
            MessageExplanation(.error, "A function was called with too few or too many arguments; the help line shows its form.",
                               example: "funding | extend y = year()")
        case .wrongType:
            MessageExplanation(.error, """
                A value of the wrong type: a function, stage or operator needs one kind of value \
                (a number, text, a date, a list) and was given another. Convert it first \
                (int(...), string(...), parse_date(...)).
                """, example: "funding | extend y = year(donor)")
        case .notACondition:
            MessageExplanation(.error, """
                A condition must be true or false: 'where', 'if', 'not', 'and', 'or', a join's 'on' \
                and an aggregate's 'where' take a comparison such as fatalities > 0.
                """, example: "funding | where amount_usd")
        case .incompatibleTypes:
            MessageExplanation(.error, """
                Two values that must share a type do not: a comparison, an 'in' list, the branches \
                of if or coalesce, the columns of a union or of a join's keys.
                """, example: "funding | where amount_usd == \"large\"")
        case .constantArgument:
            MessageExplanation(.error, """
                This argument must be written in the query (a number, a string, a pattern), not \
                computed from the rows: every row uses the same.
                """, example: "funding | extend r = round(amount_usd, amount_usd)")
        case .argumentOutOfRange:
            MessageExplanation(.error, """
                A number outside what the function or stage accepts: a negative count of rows, a \
                step or bin size of 0, a percentile outside 0 to 100, a start of 0.
                """, example: "funding | take -1")
        case .listNotAllowed:
            MessageExplanation(.error, """
                Lists cannot be sorted, grouped, compared with '<' or collected into lists; \
                'expand' first gives one row per element.
                """, example: "countries | sort by roles")
        case .invalidDistinct:
            MessageExplanation(.error, """
                'distinct' goes inside count, list and a few other aggregates, before a column: \
                count(distinct actor1).
                """, example: "funding | summarize s = sum(distinct amount_usd)")
        case .invalidPattern:
            MessageExplanation(.error, """
                A regular expression that does not compile, or uses what ConflictQL refuses \
                (backreferences, lookaround): the caret points at the problem.
                """, example: "groups | where name matches \"(unclosed\"")
        case .invalidDateFormat:
            MessageExplanation(.error, "parse_date's format knows the directives %Y, %m, %d, %b, %B and %%.",
                               example: "parse_date(\"2020\", \"%Q\")")
        case .integerOverflow:
            MessageExplanation(.error, """
                An Int computation gave a value beyond 64 bits; ConflictQL stops rather than wrap \
                around. Compute in Float (float(x)) for such magnitudes.
                """, example: "9223372036854775807 + 1")
        case .dateOutOfRange:
            MessageExplanation(.error, "Dates run from the year 1 to the year 9999; this computation left them.",
                               example: "@9999-12-01 + 1 month")
        case .invalidConversion:
            MessageExplanation(.error, "Text that is not a number or a date in the form asked for; the message quotes it.",
                               example: "int(\"twelve\")")
        case .countOfCondition:
            MessageExplanation(.warning, """
                count(CONDITION) counts the rows where the condition is true or false (not null): \
                to count where it holds, write countif(CONDITION) or count(where CONDITION).
                """, example: "funding | summarize n = count(amount_usd > 0)")
        case .percentileFraction:
            MessageExplanation(.warning, """
                percentile's p is a percentage from 0 to 100; a p between 0 and 1 is almost \
                always a fraction meant as a percentage.
                """, example: "funding | summarize p = percentile(amount_usd, 0.9)")
        }
    }
}

extension DiagnosticMessage {
    package static func dateSumOutOfRange(_ date: some CustomStringConvertible,
                                          _ amount: some CustomStringConvertible,
                                          _ unit: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.dateOutOfRange, "\(date) + \(amount) \(unit) is outside the years 1 to 9999")
    }
    package static func notADateInFormat(_ text: some CustomStringConvertible, _ formatText: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.invalidConversion, "parse_date(\"\(text)\", \"\(formatText)\"): not a date in that format")
    }
    package static func invalidDateFormat(_ message: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.invalidDateFormat, "invalid date format: \(message)")
    }
    package static let formatNotConstant = Self(FunctionDiagnostic.constantArgument,
                                                "the format of parse_date must be written in the query, as a string")
    package static func unixTimeOutOfRange(_ seconds: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.dateOutOfRange, "from_unixtime(\(seconds)) is outside the years 1 to 9999")
    }
    package static func functionNeeds(_ functionName: some CustomStringConvertible,
                                      _ what: some CustomStringConvertible,
                                      _ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongType, "\(functionName) needs \(what), found \(type)")
    }
    package static func functionGivesOneType(_ name: some CustomStringConvertible,
                                             _ first: some CustomStringConvertible,
                                             _ second: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "\(name) gives one type of value; found \(first) and \(second)")
    }
    package static func conditionOfFunction(_ name: some CustomStringConvertible, _ found: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.notACondition, "the condition of \(name) must be true or false, found \(found)")
    }
    package static func wrongArgumentCount(_ name: some CustomStringConvertible,
                                           _ number: some CustomStringConvertible,
                                           _ plural: some CustomStringConvertible,
                                           _ found: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongArgumentCount, "\(name) takes \(number) argument\(plural), found \(found)")
    }
    package static let sumOverflow = Self(FunctionDiagnostic.integerOverflow, "integer overflow in sum: the total does not fit in 64 bits")
    package static func binBelowSmallestInt(_ value: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.integerOverflow, "integer overflow: the bin of \(value) is below the smallest Int")
    }
    package static func notANumber(_ text: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.invalidConversion, "float(\"\(text)\"): not a number")
    }
    package static func notAWholeNumber(_ text: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.invalidConversion, "int(\"\(text)\"): not a whole number")
    }
    package static func intOfFloatOverflow(_ value: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.integerOverflow, "int(\(value)) does not fit in a 64-bit integer")
    }
    package static let binSizeNotPositive = Self(FunctionDiagnostic.argumentOutOfRange, "the size of a bin must be more than 0")
    package static let binSizeNotConstant = Self(FunctionDiagnostic.constantArgument,
                                                 "the size of a bin is a positive number written in the query")
    package static let binOfNumberTakesNumber = Self(FunctionDiagnostic.wrongType,
                                                     "a duration is the size of a bin of dates; for numbers the size is a number")
    package static func binNeeds(_ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongType, "bin needs a number or a date, found \(type)")
    }
    package static let binSizeBelowOne = Self(FunctionDiagnostic.argumentOutOfRange, "the size of a bin must be 1 or more")
    package static let binOfDateNeedsDuration = Self(FunctionDiagnostic.wrongType, "bin of a date takes a duration as its size")
    package static func absOverflow(_ value: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.integerOverflow, "integer overflow: abs(\(value)) does not fit in 64 bits")
    }
    package static let roundOverflow = Self(FunctionDiagnostic.integerOverflow, "integer overflow in round")
    package static func runningSumOverflow(_ limit: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.integerOverflow, "integer overflow in running_sum: the total passes \(limit)")
    }
    package static func percentileOutOfRange(_ value: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "percentile needs p from 0 to 100, found \(value)")
    }
    package static let percentileNotConstant = Self(FunctionDiagnostic.constantArgument,
                                                    "percentile needs a constant number from 0 to 100 as its second argument")
    package static let listOfLists = Self(FunctionDiagnostic.listNotAllowed, "list cannot collect lists")
    package static func percentileFraction(_ p: some CustomStringConvertible, _ p2: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.percentileFraction,
             "percentile's p is a percentage: \(p) is the \(p2)th percentile, near the smallest value")
    }
    package static let countDistinctOfLists = Self(FunctionDiagnostic.listNotAllowed, "count(distinct ...) cannot compare lists")
    package static let countOfCondition = Self(FunctionDiagnostic.countOfCondition,
                                               "count(...) of a condition counts the rows where it is true or false, not where it holds")
    package static func actorFunctionNeeds(_ functionName: some CustomStringConvertible, _ names: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongType, "\(functionName) needs an actor name or a list of them, found \(names)")
    }
    package static func extractGroupMissing(_ groupCount: some CustomStringConvertible,
                                            _ plural: some CustomStringConvertible,
                                            _ group: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "the pattern has \(groupCount) group\(plural), not \(group)")
    }
    package static let extractGroupNotConstant = Self(FunctionDiagnostic.constantArgument,
                                                      "the group of extract is a whole number written in the query, 0 for the whole match")
    package static let concatOfList = Self(FunctionDiagnostic.listNotAllowed, "concat cannot join a list")
    package static let splitEmptySeparator = Self(FunctionDiagnostic.argumentOutOfRange, "split needs a separator that is not empty")
    package static let replaceEmptyText = Self(FunctionDiagnostic.argumentOutOfRange, "replace needs text to look for, not an empty string")
    package static func substringLength(_ n: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "substring needs a length of 0 or more, found \(n)")
    }
    package static func substringStart(_ start: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "substring starts at 1 or later, found \(start)")
    }
    package static func coalesceOneType(_ first: some CustomStringConvertible, _ second: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "coalesce needs arguments of one type; found \(first) and \(second)")
    }
}

extension DiagnosticMessage {
    package static let roundDigitsNotConstant = Self(FunctionDiagnostic.constantArgument, "round needs a constant number of digits")
}
