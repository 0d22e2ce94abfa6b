// The engine's diagnostics: what fails while a query runs over the rows (a division by zero,
// a result too large for memory, a 'fill' whose series cannot be made) and the notes that
// say why an answer is empty (EmptyResultHints.swift). Integer overflows are
// ConflictQLFunctions' `integer-overflow`. DiagnosticMessage.swift in ConflictQLCore says how
// IDs are chosen; the messages themselves are the `DiagnosticMessage` members at the end.

import ConflictQLCore
import ConflictQLFunctions

/// IDs raised while running a query, and the hints for an empty answer.
public enum EngineDiagnostic: String, DiagnosticKind {
    case divisionByZero = "division-by-zero"
    case resultTooLarge = "result-too-large"
    case tableChanged = "table-changed"
    case invalidFillSeries = "invalid-fill-series"
    case emptyInput = "empty-input"
    case joinMatchedNothing = "join-matched-nothing"
    case stageEmptied = "stage-emptied"
    case conditionMatchedNothing = "condition-matched-nothing"

    public static let layer = "the engine"

    public var explanation: MessageExplanation {
        switch self {
        case .divisionByZero:
            MessageExplanation(.error, """
                An Int divided by zero (or its remainder by zero) has no value; ConflictQL stops \
                rather than guess. Dividing Floats gives inf or nan as IEEE arithmetic does.
                """, example: "funding | extend x = amount_usd / 0")
        case .resultTooLarge:
            MessageExplanation(.error, """
                The result would have more rows (or values) than a table may hold, or more than \
                the memory there is: filter the rows first.
                """, example: "let a = groups | take 1 | extend x = split(\"" + String(repeating: ",", count: 149)
                    + "\", \",\") | expand x | extend k = 1 | select x, k\nlet b = a | join (a) on k | select k\n"
                    + "b | join (b) on k | count")
        case .tableChanged:
            MessageExplanation(.error, """
                A table (or value) a prepared query read was dropped or redefined after the query \
                was checked: check or prepare it again. Only a prepared query (Session.prepare, an \
                embedding program's) can raise it, never a script.
                """, example: nil)
        case .invalidFillSeries:
            MessageExplanation(.error, """
                'fill' cannot make the series of steps: a bound is null or after the end, the values \
                mix precisions, or a value is not on the steps.
                """, example: "funding | fill year step 5 from 2050 to 2000")
        case .emptyInput:
            MessageExplanation(.note, "Why an answer is empty: a table or a side of a join had no rows to begin with.",
                               example: "funding | join (groups | take 0) on left.donor == right.abbrev")
        case .joinMatchedNothing:
            MessageExplanation(.note, "Why an answer is empty: no row of the left found a row of the right (or every one did, for 'anti').",
                               example: "funding | join (groups) on left.donor == right.abbrev | select donor")
        case .stageEmptied:
            MessageExplanation(.note, "Why an answer is empty: the stage where the rows ran out.", example: "funding | take 0")
        case .conditionMatchedNothing:
            MessageExplanation(.note, """
                Why an answer is empty: a condition of 'where' that no row meets, with what the \
                column holds instead ("did you mean ...", its range of values).
                """, example: "funding | where donor == \"Frnce\"")
        }
    }
}

extension DiagnosticMessage {
    package static func remoteTableHasNoRows(_ name: String, engine: String) -> Self {
        Self(EngineDiagnostic.emptyInput, "table '\(name)' has no rows in \(engine)")
    }
    package static func unpivotTooLarge(_ maximumJoinRows: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge, "'unpivot' would make more than \(maximumJoinRows) rows")
    }
    package static func tableNoLongerDefined(_ name: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.tableChanged, "table '\(name)' is no longer defined")
    }
    package static func fillPrecisionCannotStep(_ name: String, _ precision: DatePrecision, _ unit: String) -> Self {
        Self(EngineDiagnostic.invalidFillSeries, "'\(name)' holds dates of \(precision) precision, which cannot step by \(unit)s")
    }
    package static func stepBelowOne(_ step: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "the step must be 1 or more, found \(step)")
    }
    package static let fillStepNull = Self(EngineDiagnostic.invalidFillSeries, "the step is null")
    package static func fillSeriesBackwards(_ parameterText: some CustomStringConvertible,
                                            _ parameterText2: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.invalidFillSeries, "the series would end at \(parameterText) before it starts at \(parameterText2)")
    }
    package static func fillMixedPrecisions(_ what: some CustomStringConvertible, _ names: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.invalidFillSeries, "\(what) dates of \(names) precision")
    }
    package static func fillBoundNull(_ word: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.invalidFillSeries, "'\(word)' is null")
    }
    package static func fillValueOffSteps(_ name: some CustomStringConvertible,
                                          _ shown: some CustomStringConvertible,
                                          _ described: some CustomStringConvertible,
                                          _ describe: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.invalidFillSeries, "'\(name)' holds \(shown), which is not one of the steps of \(described) from \(describe)")
    }
    package static func expandTooLarge(_ maximumJoinRows: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge, "'expand' would make more than \(maximumJoinRows) rows")
    }
    package static func rowCountBelowZero(_ n: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "the number of rows must be 0 or more, found \(n)")
    }
    package static let rowCountNull = Self(FunctionDiagnostic.argumentOutOfRange, "the number of rows is null")
    package static func tableChangedSinceCheck(_ name: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.tableChanged, "table '\(name)' has changed since the query was checked; check it again")
    }
    package static func groupsOfTooLarge(_ limit: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge, "groups_of would make more than \(limit) list elements")
    }
    package static func joinTooLarge(_ maximumJoinRows: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge, "this join would make more than \(maximumJoinRows) rows")
    }
    package static func joinPairsTooMany(_ rowCount: some CustomStringConvertible,
                                         _ rowCount2: some CustomStringConvertible,
                                         _ maximumJoinRows: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge,
             "this join compares every left row with every right row: \(rowCount) × \(rowCount2) pairs, more than \(maximumJoinRows)")
    }
    package static func noRowOfInputHas(_ rowCount: some CustomStringConvertible, _ source: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.conditionMatchedNothing, "no row of the \(rowCount) here has \(source)")
    }
    package static let noRowMatchesAll = Self(EngineDiagnostic.conditionMatchedNothing,
                                              "each condition matches some rows, but no row matches them all")
    package static func stageEmptied(_ rows: some CustomStringConvertible, _ plural: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.stageEmptied, "the result became empty at this stage (its input had \(rows) row\(plural))")
    }
    package static let expandMadeNothing = Self(EngineDiagnostic.stageEmptied,
                                                "every list here is empty or null, so 'expand' makes no rows")
    package static let takeKeptNothing = Self(EngineDiagnostic.stageEmptied, "this stage keeps no rows")
    package static func joinMatchedNothing(left: [String], leftRows: Int, right: [String], rightRows: Int) -> Self {
        Self(EngineDiagnostic.joinMatchedNothing, "this join matched no row: no value of \(left.joined(separator: ", ")) on the left "
             + "(\(rowCount(leftRows))) is a value of \(right.joined(separator: ", ")) on the right (\(rowCount(rightRows)))")
    }
    /// "1 row", "2 rows".
    private static func rowCount(_ rows: Int) -> String { "\(rows) row\(rows == 1 ? "" : "s")" }
    package static func noPairMeetsCondition(_ rowCount: some CustomStringConvertible, _ rowCount2: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.joinMatchedNothing,
             "no pair of a left row (\(rowCount)) and a right row (\(rowCount2)) meets this join's condition")
    }
    package static let rightSideHasNoRows = Self(EngineDiagnostic.emptyInput, "the right side of this join has no rows")
    package static let antiJoinKeptNothing = Self(EngineDiagnostic.joinMatchedNothing,
                                                  "every left row has a match on the right, so this anti join keeps none")
    package static func leftJoinMatchedNothing(_ left: some CustomStringConvertible, _ right: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.joinMatchedNothing,
             "the left join here matched no row (no value of \(left) on the left is a value of \(right) on the right), "
             + "so its right columns are null on every row")
    }
    package static let subqueryHasNoRows = Self(EngineDiagnostic.emptyInput, "the bracketed pipeline gives no rows")
    package static func tableHasNoRows(_ name: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.emptyInput, "table '\(name)' has no rows")
    }
    package static let moduloByZero = Self(EngineDiagnostic.divisionByZero, "modulo by zero")
    package static let divisionByZero = Self(EngineDiagnostic.divisionByZero, "division by zero")
    package static func arithmeticOverflow(_ left: some CustomStringConvertible,
                                           _ op: some CustomStringConvertible,
                                           _ right: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.integerOverflow, "integer overflow: \(left) \(op) \(right) does not fit in 64 bits")
    }
    package static func negationOverflow(_ value: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.integerOverflow, "integer overflow: -(\(value)) does not fit in 64 bits")
    }
    package static func notEnoughMemory(_ what: some CustomStringConvertible,
                                        _ rows: some CustomStringConvertible,
                                        _ unit: some CustomStringConvertible,
                                        _ size: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge, "\(what) would make \(rows) \(unit), \(size), and there is not enough memory for them")
    }
    package static func moreRowsThanLimit(_ what: some CustomStringConvertible,
                                          _ rows: some CustomStringConvertible,
                                          _ unit: some CustomStringConvertible,
                                          _ maximumJoinRows: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge, "\(what) would make \(rows) \(unit), more than \(maximumJoinRows)")
    }
    package static func listOnEveryRowTooLarge(_ elements: Int, _ rows: Int, limit: Int) -> Self {
        Self(EngineDiagnostic.resultTooLarge,
             "this list of \(elements) values on each of \(rows) rows would store more than \(limit) values")
    }
    package static let windowListTooLarge = Self(EngineDiagnostic.resultTooLarge,
                                                 "this window's list would store more values than can be counted "
                                                 + "(each row holds its group's list)")
    package static func unionTooLarge(_ total: some CustomStringConvertible, _ limit: some CustomStringConvertible) -> Self {
        Self(EngineDiagnostic.resultTooLarge, "'union' would make \(total) rows, more than the \(limit) a table may have")
    }
}

extension DiagnosticMessage {
    package static func noRowHas(_ condition: String) -> Self {
        Self(EngineDiagnostic.conditionMatchedNothing, "no row has \(condition)")
    }
}
