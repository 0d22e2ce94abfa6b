// Checking the functions and operators of the analyst's extension (issue 11): conditionals,
// durations added to dates and bins of them, text functions, and regular expressions, whose
// patterns are compiled while checking, so a bad one is an error with a caret in the string
// before any row is read. Part of the checker.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions

extension Checker {
    /// `d + 30 days` / `d - 1 month`: the date moved by `n` units (`added` nil: taken away).
    func bindDateShift(_ date: BoundExpression, _ added: Int64?, _ n: Int64, _ unit: DurationUnit,
                       _ l: Expression, _ r: Expression, _ operatorRange: SourceRange, _ range: SourceRange) throws -> BoundExpression {
        guard date.type == .date || date.type == .null else {
            throw Diagnostic(.durationAddedToNonDate(date.type), at: l.range,
                                   help: date.type.isNumeric ? "write the number alone: \(n)" : nil)
        }
        guard let amount = added ?? (n == .min ? nil : -n) else {
            throw Diagnostic(.durationTooLarge, at: r.range)
        }
        let (function, count, needs): (ScalarFunction, Int64, DatePrecision)
        switch unit {
        case .day: (function, count, needs) = (.add_days, amount, .day)
        case .week:
            let (weeks, overflow) = amount.multipliedReportingOverflow(by: 7)
            if overflow { throw Diagnostic(.durationTooLarge, at: r.range) }
            (function, count, needs) = (.add_days, weeks, .day)
        case .month: (function, count, needs) = (.add_months, amount, .month)
        case .year: (function, count, needs) = (.add_years, amount, .year)
        }
        return BoundExpression(.function(function, [date, BoundExpression(.constant(.int(count)), .int, r.range)]), .date, operatorRange,
                               datePrecisions: ScalarFunction.shifted(date.datePrecisions, needs: needs))
    }

    /// A regular expression must be a string literal, compiled now: an error points into it.
    func checkPattern(_ pattern: BoundExpression, _ source: Expression) throws {
        guard case .constant(let value) = pattern.kind, case .string(let text) = value else {
            if case .constant(.null) = pattern.kind { return }
            throw Diagnostic(.patternNotConstant, at: source.range,
                                   help: "for example: notes matches r\"kidnap(ped|ping)\"")
        }
        do throws(PatternError) {
            _ = try Pattern(text)
        } catch {
            throw Diagnostic(.invalidPattern(error.message), at: patternRange(error.offset, text, source.range),
                                   help: error.help ?? PatternError.syntaxHelp)
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
}
