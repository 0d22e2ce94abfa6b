// What the checker knows of a date column's precision before any row is read. Each date
// keeps its own precision (DateValue), and SQL dates keep none: they are days. A function
// whose answer depends on the precision (`day()` is null for a month, `to_month` of a year is
// null) compiles exactly when every value of its argument is known precisely enough (then it
// is the engine's `date_part`), or when none is (then it is NULL), and is refused only when
// the argument may hold both.
//
// So the checker carries, beside each date expression's type, the precisions its values may
// have: a loaded column of ISO days is `day...day`, the briefing's column of dates known to
// the month or to the day is `month...day`, `to_month(d)` is `month...month`, and what is not
// known (a `let` value) is `year...day`. The property is beside the type rather than in it
// (`DataType.date` stays one case): types are compared for equality in a hundred places, and
// where a precision is not carried it falls back to "any", which can only refuse SQL, never
// give wrong SQL. Tables that hold rows measure their columns (SymbolTable.add); the checker
// derives the rest, stage by stage, from the function descriptors.

/// The precisions the values of a date column or expression may have, from `coarsest` to
/// `finest`.
public struct DatePrecisions: Sendable, Hashable, CustomStringConvertible {
    public var coarsest: DatePrecision
    public var finest: DatePrecision

    public init(_ coarsest: DatePrecision, _ finest: DatePrecision) {
        self.coarsest = min(coarsest, finest)
        self.finest = max(coarsest, finest)
    }

    /// Nothing is known: a date may be known to the year, the month or the day.
    public static let any = DatePrecisions(.year, .day)

    /// Every value has precision `precision`.
    public static func only(_ precision: DatePrecision) -> DatePrecisions { DatePrecisions(precision, precision) }

    /// The precisions of values that come from either side (a union, `coalesce`, `if`).
    public func merged(with other: DatePrecisions) -> DatePrecisions {
        DatePrecisions(min(coarsest, other.coarsest), max(finest, other.finest))
    }

    /// Whether every value is known at least to `precision`.
    public func allKnown(to precision: DatePrecision) -> Bool { coarsest >= precision }

    /// Whether no value is known to `precision` (each is coarser).
    public func noneKnown(to precision: DatePrecision) -> Bool { finest < precision }

    public var description: String {
        coarsest == finest ? "\(coarsest)" : "\(coarsest) to \(finest)"
    }
}

extension Column {
    /// The precisions this column's dates have, read from its values; nil for a column that
    /// holds no date (not a Date column, or only nulls).
    public func measuredDatePrecisions() -> DatePrecisions? {
        guard case .date(_, let precision) = storage else { return nil }
        var seen: UInt8 = 0
        for row in 0..<count where !isNull(row) {
            seen |= 1 << precision[row].rawValue
            if seen == 0b111 { break }
        }
        let present = [DatePrecision.year, .month, .day].filter { seen & (1 << $0.rawValue) != 0 }
        guard let coarsest = present.first, let finest = present.last else { return nil }
        return DatePrecisions(coarsest, finest)
    }
}
