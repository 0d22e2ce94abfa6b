// Checking the functions and operators of the analyst's extension (issue 11): conditionals,
// durations added to dates and bins of them, text functions, and regular expressions, whose
// patterns are compiled while checking, so a bad one is an error with a caret in the string
// before any row is read. Part of the checker.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension Checker {
    /// `d + 30 days` / `d - 1 month`: the date moved by `n` units (`added` nil: taken away).
    func bindDateShift(_ date: BoundExpression, _ added: Int64?, _ n: Int64, _ unit: DurationUnit,
                       _ l: Expression, _ r: Expression, _ operatorRange: SourceRange, _ range: SourceRange) throws -> BoundExpression {
        guard date.type == .date || date.type == .null else {
            throw Diagnostic.error("a duration is added to a date, found \(date.type)", at: l.range,
                                   help: date.type.isNumeric ? "write the number alone: \(n)" : nil)
        }
        guard let amount = added ?? (n == .min ? nil : -n) else {
            throw Diagnostic.error("the duration is too large", at: r.range)
        }
        let (function, count): (ScalarFunction, Int64)
        switch unit {
        case .day: (function, count) = (.add_days, amount)
        case .week:
            let (weeks, overflow) = amount.multipliedReportingOverflow(by: 7)
            if overflow { throw Diagnostic.error("the duration is too large", at: r.range) }
            (function, count) = (.add_days, weeks)
        case .month: (function, count) = (.add_months, amount)
        case .year: (function, count) = (.add_years, amount)
        }
        return BoundExpression(.function(function, [date, BoundExpression(.constant(.int(count)), .int, r.range)]), .date, operatorRange)
    }

    /// A regular expression must be a string literal, compiled now: an error points into it.
    func checkPattern(_ pattern: BoundExpression, _ source: Expression) throws {
        guard case .constant(let value) = pattern.kind, case .string(let text) = value else {
            if case .constant(.null) = pattern.kind { return }
            throw Diagnostic.error("a regular expression must be written in the query, as a string", at: source.range,
                                   help: "for example: notes matches r\"kidnap(ped|ping)\"")
        }
        do throws(PatternError) {
            _ = try Pattern(text)
        } catch {
            throw Diagnostic.error("invalid regular expression: \(error.message)", at: patternRange(error.offset, text, source.range),
                                   help: "patterns are POSIX extended (as grep -E), with \\d and a leading (?i) to ignore case")
        }
    }

    /// The byte `offset` of a pattern inside its literal in the script, when the literal
    /// spells the pattern byte for byte (raw strings, strings without escapes); else the literal.
    func patternRange(_ offset: Int?, _ text: String, _ literal: SourceRange) -> SourceRange {
        guard let offset, let source = currentSource else { return literal }
        let written = source.text(of: literal)
        let prefix = written.hasPrefix("r") ? 2 : 1
        guard written.utf8.count == text.utf8.count + prefix + 1,
              written.utf8.dropFirst(prefix).prefix(text.utf8.count).elementsEqual(text.utf8) else { return literal }
        return SourceRange(start: literal.start + prefix + offset, end: literal.start + prefix + offset + 1)
    }

    /// The functions of the extension; nil for the others.
    func bindExtendedFunction(_ function: ScalarFunction, _ arguments: [BoundExpression], _ sources: [Expression],
                              _ range: SourceRange) throws -> BoundExpression? {
        func count(_ allowed: ClosedRange<Int>, _ usage: String) throws {
            guard allowed.contains(arguments.count) else {
                let number = allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)"
                throw Diagnostic.error("\(function.rawValue) takes \(number) argument\(allowed.upperBound == 1 ? "" : "s"), found \(arguments.count)",
                                       at: range, help: "write: \(usage)")
            }
        }
        func expect(_ index: Int, _ type: DataType, _ what: String) throws {
            let found = arguments[index].type
            guard found == .null || found == type else {
                throw Diagnostic.error("\(function.rawValue) needs \(what), found \(found)", at: sources[index].range)
            }
        }
        func condition(_ index: Int) throws {
            let found = arguments[index].type
            guard found == .bool || found == .null else {
                throw Diagnostic.error("the condition of \(function.rawValue) must be true or false, found \(found)", at: sources[index].range,
                                       help: "compare it, for example: fatalities > 0")
            }
        }
        /// The common type of the values (Int widened to Float where they meet).
        func common(_ indices: [Int]) throws -> (DataType, [BoundExpression]) {
            var type = DataType.null
            for i in indices {
                guard let next = DataType.common(type, arguments[i].type) else {
                    throw Diagnostic.error("\(function.rawValue) gives one type of value; found \(type) and \(arguments[i].type)", at: sources[i].range,
                                           help: type == .string || arguments[i].type == .string ? "convert with string(...)" : nil)
                }
                type = next
            }
            var converted = arguments
            for i in indices where arguments[i].type == .int && type == .float { converted[i] = .float(of: arguments[i]) }
            return (type, converted)
        }
        switch function {
        case .group_of, .groups_of, .is_joint:
            try count(function == .is_joint ? 1...1 : 1...2, function == .is_joint ? "is_joint(ACTOR)" : "\(function.rawValue)(ACTOR[, COUNTRY])")
            let names = arguments[0].type
            if function == .group_of || function == .is_joint {
                try expect(0, .string, "an actor name (text)")
            } else if names != .null && names != .string && names != .list(.string) {
                throw Diagnostic.error("groups_of needs an actor name or a list of them, found \(names)", at: sources[0].range,
                                       help: "for example: groups_of([actor1, actor2, assoc_actor_1, assoc_actor_2])")
            }
            if arguments.count == 2 { try expect(1, .string, "a country name (text)") }
            let type: DataType = function == .group_of ? .string : function == .groups_of ? .list(.string) : .bool
            return BoundExpression(.function(function, arguments), type, range)
        case .groups_on:
            try count(2...3, "groups_on(ACTOR or [ACTOR, ...], DATE[, COUNTRY])")
            let names = arguments[0].type
            if names != .null && names != .string && names != .list(.string) {
                throw Diagnostic.error("groups_on needs an actor name or a list of them, found \(names)", at: sources[0].range,
                                       help: "for example: groups_on([actor1, actor2, assoc_actor_1, assoc_actor_2], event_date)")
            }
            try expect(1, .date, "the event's date")
            if arguments.count == 3 { try expect(2, .string, "a country name (text)") }
            return BoundExpression(.function(function, arguments), .list(.string), range)
        case .if:
            try count(3...3, "if(CONDITION, THEN, ELSE)")
            try condition(0)
            let (type, converted) = try common([1, 2])
            return BoundExpression(.function(.if, converted), type, range)
        case .case:
            guard arguments.count >= 2 else {
                throw Diagnostic.error("case takes pairs of a condition and a value, and an optional last value for the other rows", at: range,
                                       help: "write: case(fatalities == 0, \"none\", fatalities < 10, \"some\", \"many\")")
            }
            let pairs = arguments.count / 2
            for i in 0..<pairs { try condition(2 * i) }
            let values = (0..<pairs).map { 2 * $0 + 1 } + (arguments.count % 2 == 1 ? [arguments.count - 1] : [])
            let (type, converted) = try common(values)
            return BoundExpression(.function(.case, converted), type, range)
        case .add_days, .add_months, .add_years:
            try count(2...2, "\(function.rawValue)(DATE, N)")
            try expect(0, .date, "a date")
            try expect(1, .int, "a whole number")
            return BoundExpression(.function(function, arguments), .date, range)
        case .days_between:
            try count(2...2, "days_between(FROM, TO)")
            try expect(0, .date, "a date")
            try expect(1, .date, "a date")
            return BoundExpression(.function(function, arguments), .int, range)
        case .to_week:
            try count(1...1, "to_week(DATE)")
            try expect(0, .date, "a date")
            return BoundExpression(.function(function, arguments), .date, range)
        case .week:
            try count(1...1, "week(DATE)")
            try expect(0, .date, "a date")
            return BoundExpression(.function(function, arguments), .int, range)
        case .split:
            try count(2...2, "split(TEXT, SEPARATOR)")
            try expect(0, .string, "text")
            try expect(1, .string, "a separator (text)")
            if case .constant(.string("")) = arguments[1].kind {
                throw Diagnostic.error("split needs a separator that is not empty", at: sources[1].range)
            }
            return BoundExpression(.function(function, arguments), .list(.string), range)
        case .replace:
            try count(3...3, "replace(TEXT, OLD, NEW)")
            for i in 0..<3 { try expect(i, .string, "text") }
            if case .constant(.string("")) = arguments[1].kind {
                throw Diagnostic.error("replace needs text to look for, not an empty string", at: sources[1].range)
            }
            return BoundExpression(.function(function, arguments), .string, range)
        case .trim:
            try count(1...1, "trim(TEXT)")
            try expect(0, .string, "text")
            return BoundExpression(.function(function, arguments), .string, range)
        case .substring:
            try count(2...3, "substring(TEXT, START) or substring(TEXT, START, LENGTH), counting from 1")
            try expect(0, .string, "text")
            try expect(1, .int, "a whole-number start (the first character is 1)")
            if arguments.count == 3 { try expect(2, .int, "a whole-number length") }
            return BoundExpression(.function(function, arguments), .string, range)
        case .concat:
            guard !arguments.isEmpty else {
                throw Diagnostic.error("concat takes at least one argument", at: range, help: "write: concat(admin1, \" (\", year, \")\")")
            }
            for (argument, source) in zip(arguments, sources) {
                if case .list = argument.type { throw Diagnostic.error("concat cannot join a list", at: source.range) }
            }
            return BoundExpression(.function(function, arguments), .string, range)
        case .extract:
            try count(2...3, "extract(TEXT, r\"PATTERN\") or extract(TEXT, r\"PATTERN\", GROUP)")
            try expect(0, .string, "text")
            try expect(1, .string, "a regular expression")
            try checkPattern(arguments[1], sources[1])
            if arguments.count == 3 {
                guard case .constant(.int(let group)) = arguments[2].kind, group >= 0 else {
                    throw Diagnostic.error("the group of extract is a whole number written in the query, 0 for the whole match", at: sources[2].range)
                }
                if case .constant(.string(let text)) = arguments[1].kind, let pattern = try? Pattern(text), group > pattern.groupCount {
                    throw Diagnostic.error("the pattern has \(pattern.groupCount) group\(pattern.groupCount == 1 ? "" : "s"), not \(group)", at: sources[2].range)
                }
            }
            return BoundExpression(.function(function, arguments), .string, range)
        case .bin:
            try count(2...2, "bin(NUMBER, SIZE) or bin(DATE, 1 week)")
            // A duration makes it a bin of dates, also of a null.
            var isDuration = false
            if case .duration = sources[1].kind { isDuration = true }
            if arguments[0].type == .date || (arguments[0].type == .null && isDuration) {
                guard case .duration(let n, let unit) = sources[1].kind else {
                    throw Diagnostic.error("bin of a date takes a duration as its size", at: sources[1].range,
                                           help: "for example: bin(event_date, 1 week), bin(event_date, 3 months)")
                }
                guard n >= 1 else { throw Diagnostic.error("the size of a bin must be 1 or more", at: sources[1].range) }
                let unitCode = BoundExpression(.constant(.string(unit.rawValue)), .string, sources[1].range)
                return BoundExpression(.function(.bin, [arguments[0], BoundExpression(.constant(.int(n)), .int, sources[1].range), unitCode]), .date, range)
            }
            guard arguments[0].type.isNumeric || arguments[0].type == .null else {
                throw Diagnostic.error("bin needs a number or a date, found \(arguments[0].type)", at: sources[0].range)
            }
            if isDuration {
                throw Diagnostic.error("a duration is the size of a bin of dates; for numbers the size is a number", at: sources[1].range)
            }
            guard arguments[1].type.isNumeric, case .constant(let size) = arguments[1].kind else {
                throw Diagnostic.error("the size of a bin is a positive number written in the query", at: sources[1].range)
            }
            switch size {
            case .int(let n) where n > 0: break
            case .float(let x) where x > 0 && x.isFinite: break
            default: throw Diagnostic.error("the size of a bin must be more than 0", at: sources[1].range)
            }
            let (type, converted) = try common([0, 1])
            return BoundExpression(.function(.bin, converted), type == .null ? .int : type, range)
        default:
            return nil
        }
    }
}
