// The checker's diagnostics: names, types and the shape of each stage. IDs about values and
// calls (wrong-type, incompatible-types, list-not-allowed, …) are ConflictQLFunctions'; those
// about syntax ConflictQLSyntax's. DiagnosticMessage.swift in ConflictQLCore says how IDs are
// chosen; the messages themselves are the `DiagnosticMessage` members at the end.

import ConflictQLCore
import ConflictQLFunctions
import ConflictQLSyntax

/// IDs raised while checking names, types and stages.
public enum SemanticsDiagnostic: String, DiagnosticKind {
    case unknownTable = "unknown-table"
    case unknownColumn = "unknown-column"
    case unknownFunction = "unknown-function"
    case unboundValue = "unbound-value"
    case ambiguousName = "ambiguous-name"
    case notATable = "not-a-table"
    case notAValue = "not-a-value"
    case duplicateName = "duplicate-name"
    case aggregateOutsideSummarize = "aggregate-outside-summarize"
    case windowFunctionOutsideWindow = "window-function-outside-window"
    case columnNotGrouped = "column-not-grouped"
    case missingAggregate = "missing-aggregate"
    case misplacedExpression = "misplaced-expression"
    case windowNeedsOrder = "window-needs-order"
    case misplacedChart = "misplaced-chart"
    case chartShape = "chart-shape"
    case unknownChartKind = "unknown-chart-kind"
    case invalidChartOption = "invalid-chart-option"
    case tooManyColumns = "too-many-columns"
    case unknownDialect = "unknown-dialect"
    case fileAccessRefused = "file-access-refused"
    case invalidLoad = "invalid-load"
    case unknownLoadOption = "unknown-load-option"
    case invalidLoadOption = "invalid-load-option"
    case unknownType = "unknown-type"
    case parameterRebound = "parameter-rebound"
    case invalidFill = "invalid-fill"

    public static let layer = "the checker"

    public var explanation: MessageExplanation {
        switch self {
        case .unknownTable:
            MessageExplanation(.error, "No table of that name: 'tables' lists the briefing's tables and those loaded or bound with 'let'.",
                               example: "fundng | take 1")
        case .unknownColumn:
            MessageExplanation(.error, """
                The table at this stage has no column of that name (a stage before may have dropped \
                or renamed it); the help line suggests the closest name or lists the columns.
                """, example: "funding | where donr == \"France\"")
        case .unknownFunction:
            MessageExplanation(.error, """
                No function of that name; functions from SQL, KQL or dplyr get their ConflictQL \
                spelling in the help line. '.help functions' lists them.
                """, example: "funding | extend d = dcount(donor)")
        case .unboundValue:
            MessageExplanation(.error, "'$NAME' reads a value bound by 'let NAME = ...' or given as --param NAME=VALUE.",
                               example: "funding | where amount_usd > $threshold")
        case .ambiguousName:
            MessageExplanation(.error, """
                The name could mean two things (a column of both sides of a join, a column and a \
                'let' value): say which with left./right. or this./$.
                """, example: "groups | join countries on name contains \"a\"")
        case .notATable:
            MessageExplanation(.error, "A pipeline starts with a table; this name is a value bound by 'let'.",
                               example: "let n = 3\nn | take 1")
        case .notAValue:
            MessageExplanation(.error, "A table was used where a value is needed; start a pipeline with it or join it.",
                               example: "funding | where amount_usd > countries")
        case .duplicateName:
            MessageExplanation(.error, "Two columns (or two list items) would have the same name; name one of them otherwise.",
                               example: "groups | select name, name")
        case .aggregateOutsideSummarize:
            MessageExplanation(.error, """
                An aggregate (count, sum, avg, …) combines many rows: it goes in 'summarize', \
                'pivot' or 'window', not in a stage that works row by row.
                """, example: "funding | where sum(amount_usd) > 0")
        case .windowFunctionOutsideWindow:
            MessageExplanation(.error, "A window function (prev, next, row_number, running_sum, …) is computed in a 'window' stage.",
                               example: "funding | extend r = row_number()")
        case .columnNotGrouped:
            MessageExplanation(.error, "In 'summarize', a column is either aggregated or named after 'by'.",
                               example: "funding | summarize donor, total = sum(amount_usd)")
        case .missingAggregate:
            MessageExplanation(.error, "'summarize' and 'pivot' compute aggregates; a plain value there has no group to come from.",
                               example: "funding | summarize x = 1")
        case .misplacedExpression:
            MessageExplanation(.error, """
                Something written where it has no meaning: left./right. outside a join condition, a \
                pipeline used as a value, 'where' inside a call that is not an aggregate, a value of \
                'fill' that reads a column.
                """, example: "funding | where left.donor == \"France\"")
        case .windowNeedsOrder:
            MessageExplanation(.error, "prev, next and the running aggregates depend on the order of the rows: add 'sort by'.",
                               example: "funding | window p = prev(amount_usd)")
        case .misplacedChart:
            MessageExplanation(.error, "'chart' draws a query's result, so it is its last stage and cannot be bound with 'let'.",
                               example: "funding | chart | take 3")
        case .chartShape:
            MessageExplanation(.error, """
                The result does not have the columns this kind of chart draws (bar: a label and a \
                number; line and column: a date or number and numbers; histogram: one number).
                """, example: "funding | select donor | chart bar")
        case .unknownChartKind:
            MessageExplanation(.error, """
                Kinds of chart are bar, column, stacked, line, histogram, scatter, map and pie, or none to \
                let the result choose.
                """, example: "funding | summarize n = count() by donor | chart donut")
        case .invalidChartOption:
            MessageExplanation(.error, """
                A chart option given twice, a width or height outside what an image can be, or \
                'labels' on a chart without bars or columns.
                """, example: "funding | summarize n = count() by donor | chart bar width 10")
        case .tooManyColumns:
            MessageExplanation(.error,
                               "A table may have at most 32,767 columns, and a script's stages may describe at most so many in all. "
                               + "A script that reaches it lists 32,768 columns, too long to show here.",
                               example: nil)
        case .unknownDialect:
            MessageExplanation(.error, "'sql' compiles to duckdb, postgres, spark or bigquery.",
                               example: "explain sql mysql funding | take 1")
        case .fileAccessRefused:
            MessageExplanation(.error, "In safe mode (--safe) statements that read or write files are refused.",
                               example: "conflictql --safe -c 'load \"events.csv\"'")
        case .invalidLoad:
            MessageExplanation(.error, """
                A 'load' that cannot be carried out as written: an empty path, several files without \
                a table name, a 'source' option for one file.
                """, example: "load \"\"")
        case .unknownLoadOption:
            MessageExplanation(.error, "The options of 'load ... with (...)' are listed by '.help load'; COLUMN: TYPE forces a type.",
                               example: "load \"a.csv\" with (delimeter = \";\")")
        case .invalidLoadOption:
            MessageExplanation(.error, "A load option with a value it does not take (or given twice); the message says what it takes.",
                               example: "load \"a.csv\" with (delimiter = \";;\")")
        case .unknownType:
            MessageExplanation(.error, "Types are Int, Float, String, Bool and Date.",
                               example: "load \"a.csv\" with (year: Integr)")
        case .parameterRebound:
            MessageExplanation(.error, "A name given with --param cannot be bound again by the script; read it as $NAME.",
                               example: "conflictql -D region=Gao -c 'let region = \"Mopti\"'")
        case .invalidFill:
            MessageExplanation(.error, """
                'fill' adds the missing steps of a Date or Int column: the column, its groups, the \
                step and the values of the added rows must fit together.
                """, example: "funding | fill donor step 1")
        }
    }
}

extension DiagnosticMessage {
    package static func chartOptionTwice(_ name: String) -> Self {
        Self(SemanticsDiagnostic.invalidChartOption, "'\(name)' is given twice")
    }
    package static func chartSizeOutOfRange(_ dimension: String, _ allowed: ClosedRange<Int>, found: Int64) -> Self {
        Self(SemanticsDiagnostic.invalidChartOption,
             "the \(dimension) of a chart is from \(allowed.lowerBound) to \(allowed.upperBound) pixels, found \(found)")
    }
    package static func chartLabelsWithoutBars(_ kind: String) -> Self {
        Self(SemanticsDiagnostic.invalidChartOption, "'labels' writes values on bars, columns and pies; a \(kind) chart has none")
    }
    package static func aggregateFilterNotCondition(_ function: some CustomStringConvertible,
                                                    _ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.notACondition, "'where' in \(function)(...) needs a condition (Bool), found \(type)")
    }
    package static func distinctNeedsColumn(_ functionName: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.invalidDistinct, "\(functionName)(distinct ...) needs a column")
    }
    package static func aggregateOutsideSummarize(_ functionName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.aggregateOutsideSummarize, "aggregate '\(functionName)' is only allowed in 'summarize' or 'window'")
    }
    package static func alreadyAColumn(_ newName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.duplicateName, "'\(newName)' is already a column")
    }
    package static func unpivotTypes(_ column: some CustomStringConvertible,
                                     _ type: some CustomStringConvertible,
                                     _ typeBefore: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes,
             "the values of an unpivot share one type; '\(column)' is \(type), the ones before \(typeBefore)")
    }
    package static func listedTwice(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.duplicateName, "'\(name)' is listed twice")
    }
    package static let pivotNeedsAggregate = Self(SemanticsDiagnostic.missingAggregate,
                                                  "a pivot's cells need an aggregate such as count(), sum(...) or avg(...)")
    package static func groupNamedAsPivotValue(_ expression: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.duplicateName, "the group column '\(expression)' has the name of a pivot value")
    }
    package static func cannotCompare(_ type: some CustomStringConvertible, _ other: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "cannot compare \(type) with \(other)")
    }
    package static let pivotValueNull = Self(FunctionDiagnostic.constantArgument,
                                             "a pivot's values are constants written in the query, not null")
    package static func fillValueReadsColumn(_ what: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.misplacedExpression, "\(what) is one value for all the added rows; it cannot read a column")
    }
    package static func stepBelowOne(_ n: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "the step must be 1 or more, found \(n)")
    }
    package static func fillStepType(_ type: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "the step of an Int column is a whole number, found \(type)")
    }
    package static func fillDateByNumber(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'\(name)' is a Date and steps by a duration")
    }
    package static func fillIntByDuration(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'\(name)' is Int and steps by a number, not a duration")
    }
    package static func fillValueType(_ targetName: some CustomStringConvertible,
                                      _ columnType: some CustomStringConvertible,
                                      _ type: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'\(targetName)' is \(columnType), and the value for the added rows is \(type)")
    }
    package static func givenTwiceAfterWith(_ targetName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.duplicateName, "'\(targetName)' is given twice after 'with'")
    }
    package static func fillValueOfGroup(_ targetName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'\(targetName)' names the groups: the added rows hold their group's value")
    }
    package static func fillValueOfFilledColumn(_ targetName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'\(targetName)' is the column being filled: the added rows hold its steps")
    }
    package static func fillBoundType(_ word: some CustomStringConvertible,
                                      _ needed: some CustomStringConvertible,
                                      _ column: some CustomStringConvertible,
                                      _ found: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'\(word)' needs \(needed) like '\(column)', found \(found)")
    }
    package static let groupByList = Self(FunctionDiagnostic.listNotAllowed, "cannot group by a list")
    package static func namedTwiceAfterBy(_ keyName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.duplicateName, "'\(keyName)' is named twice after 'by'")
    }
    package static func fillKeyIsFilled(_ keyName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'\(keyName)' is the column being filled; it cannot also name the groups")
    }
    package static func fillColumnType(_ name: some CustomStringConvertible, _ type: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidFill, "'fill' steps a Date or Int column; '\(name)' is \(type)")
    }
    package static func alreadyAColumnOfUnion(_ sourceColumnName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.duplicateName, "'\(sourceColumnName)' is already a column of the union")
    }
    package static func unionTypes(_ column: some CustomStringConvertible,
                                   _ firstType: some CustomStringConvertible,
                                   _ firstLabel: some CustomStringConvertible,
                                   _ type: some CustomStringConvertible,
                                   _ label: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes,
             "cannot union column '\(column)': it is \(firstType) in \(firstLabel) and \(type) in \(label)")
    }
    package static func unknownColumn(_ name: some CustomStringConvertible, _ place: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownColumn, "unknown column '\(name)'\(place)")
    }
    package static let joinOnList = Self(FunctionDiagnostic.listNotAllowed, "cannot join on a list column")
    package static func joinTypes(_ a: some CustomStringConvertible,
                                  _ lName: some CustomStringConvertible,
                                  _ b: some CustomStringConvertible,
                                  _ rName: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "cannot join \(a) column '\(lName)' with \(b) column '\(rName)'")
    }
    package static let summarizeNeedsAggregate = Self(SemanticsDiagnostic.missingAggregate,
                                                      "'summarize' needs an aggregate such as count(), sum(...) or avg(...)")
    package static func rowCountNegative(_ stage: some CustomStringConvertible, _ n: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.argumentOutOfRange, "'\(stage)' needs a number of rows of 0 or more, found \(n)")
    }
    package static func rowCountType(_ stage: some CustomStringConvertible, _ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongType, "'\(stage)' needs a whole number of rows, found \(type)")
    }
    package static let sortByList = Self(FunctionDiagnostic.listNotAllowed, "cannot sort by a list")
    package static func duplicateColumn(_ fieldName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.duplicateName, "duplicate column name '\(fieldName)'")
    }
    package static func expandNeedsList(_ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongType, "'expand' needs a list, found \(type)")
    }
    package static func distinctOfList(_ listName: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.listNotAllowed, "'distinct' cannot compare list column '\(listName)'")
    }
    package static let distinctTakesColumns = Self(FunctionDiagnostic.wrongType, "'distinct' takes column names")
    package static func whereNotCondition(_ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.notACondition, "'where' needs a true/false condition, found \(type)")
    }
    package static let pipelineStartsWithTable = Self(SemanticsDiagnostic.notATable, "a pipeline starts with a table")
    package static func valueNotTable(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.notATable, "'\(name)' is a value, not a table")
    }
    package static func unknownTable(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownTable, "unknown table '\(name)'")
    }
    package static func unknownLoadOption(_ nameName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownLoadOption, "unknown load option '\(nameName)'")
    }
    package static let memberName = Self(SemanticsDiagnostic.invalidLoadOption,
                                         "'member' takes the name of a file inside the zip, in quotes")
    package static let recordsPath = Self(SemanticsDiagnostic.invalidLoadOption,
                                          "'records' takes the path of the array of records in quotes, keys joined by '.'")
    package static let sheetValue = Self(SemanticsDiagnostic.invalidLoadOption,
                                         "'sheet' takes the name of a sheet in quotes, or its number from 1")
    package static let labelsValue = Self(SemanticsDiagnostic.invalidLoadOption, "'labels' is \"text\", \"codes\" or \"both\"")
    package static let formatValue = Self(SemanticsDiagnostic.invalidLoadOption, "'format' is csv, json, parquet, xlsx or dta")
    package static let threadsRange = Self(SemanticsDiagnostic.invalidLoadOption, "'threads' takes a number from 1 to 64")
    package static let sourceTakesName = Self(SemanticsDiagnostic.invalidLoadOption, "'source' takes the name of the column of file names")
    package static func delimiterOneCharacter(_ text: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidLoadOption, "'delimiter' takes one character (not a quote or a newline), found \"\(text)\"")
    }
    package static let delimiterInQuotes = Self(SemanticsDiagnostic.invalidLoadOption, "'delimiter' takes one character in quotes")
    package static func optionTakesBool(_ nameName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidLoadOption, "'\(nameName)' takes true or false")
    }
    package static func unknownType(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownType, "unknown type '\(name)'")
    }
    package static func optionGivenTwice(_ what: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.invalidLoadOption, "\(what) is given twice")
    }
    package static func parameterRebound(_ name: some CustomStringConvertible,
                                         _ sameName: some CustomStringConvertible,
                                         _ value: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.parameterRebound,
             "'\(name)' is a parameter given on the command line (--param \(sameName)\(value)); a script cannot bind it again")
    }
    package static let sourceOfOneFile = Self(SemanticsDiagnostic.invalidLoad,
                                              "'source' names the column of file names when loading several files; this loads one")
    package static let nameTheTable = Self(SemanticsDiagnostic.invalidLoad, "name the table these files load into")
    package static let emptyFilePath = Self(SemanticsDiagnostic.invalidLoad, "the file path is empty")
    package static let loadInSafeMode = Self(SemanticsDiagnostic.fileAccessRefused, "'load' reads files, which safe mode does not allow")
    package static func unknownDialect(_ dialectName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownDialect, "unknown SQL dialect '\(dialectName)'")
    }
    package static let letBindsChart = Self(SemanticsDiagnostic.misplacedChart, "'let' binds a table, not a chart")
    package static func columnOfBothSides(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.ambiguousName, "'\(name)' is a column of both sides of the join")
    }
    package static func namesNeitherSide(_ side: some CustomStringConvertible, _ nameName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownColumn, "'\(side).\(nameName)' names neither side of the join")
    }
    package static func joinConditionNotCondition(_ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.notACondition, "a join condition must be true or false, not \(type)")
    }
    package static func cannotLookFor(_ b: some CustomStringConvertible, _ a: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "cannot look for \(b) in \(a)")
    }
    package static func logicalNeedsConditions(_ op: some CustomStringConvertible, _ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.notACondition, "'\(op)' needs true/false values, found \(type)")
    }
    package static let listsHaveNoOrder = Self(FunctionDiagnostic.listNotAllowed, "lists have no order")
    package static func cannotCompareTypes(_ a: some CustomStringConvertible, _ b: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "cannot compare \(a) with \(b)")
    }
    package static func cannotApply(_ op: some CustomStringConvertible,
                                    _ a: some CustomStringConvertible,
                                    _ b: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "cannot apply '\(op)' to \(a) and \(b)")
    }
    package static func unboundValue(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unboundValue, "no value is bound to '$\(name)'")
    }
    package static func dollarNamesTable(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.notAValue, "'$\(name)' names a table, and '$' is for values bound by 'let'")
    }
    package static func unknownName(_ what: some CustomStringConvertible, _ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownColumn, "unknown \(what) '\(name)'")
    }
    package static func tableNotValue(_ table: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.notAValue, "'\(table)' is a table, not a value")
    }
    package static func unknownThisColumn(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownColumn, "unknown column 'this.\(name)'")
    }
    package static func columnNotGrouped(_ name: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.columnNotGrouped, "column '\(name)' must be inside an aggregate or listed after 'by'")
    }
    package static func columnAndValue(_ name: some CustomStringConvertible, _ scalarName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.ambiguousName, "'\(name)' is both a column and a value bound by 'let \(scalarName) = ...'")
    }
    package static func unknownFunction(_ nameName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownFunction, "unknown function '\(nameName)'")
    }
    package static let filterOutsideAggregate = Self(SemanticsDiagnostic.misplacedExpression,
                                                     "'where' inside a call is only allowed in an aggregate")
    package static let pipelineAsValue = Self(SemanticsDiagnostic.misplacedExpression, "a pipeline cannot be used as a value here")
    package static let listsOfLists = Self(FunctionDiagnostic.listNotAllowed, "lists of lists are not supported")
    package static func listOfOneType(_ type: some CustomStringConvertible, _ other: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "a list holds values of one type; found \(type) and \(other)")
    }
    package static func cannotCompareInList(_ type: some CustomStringConvertible, _ other: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.incompatibleTypes, "cannot compare \(type) with \(other) in 'in'")
    }
    package static let durationAlone = Self(FunctionDiagnostic.wrongType,
                                            "a duration is added to or taken from a date, or is the width of bin()")
    package static func notNeedsCondition(_ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.notACondition, "'not' needs a true/false value, found \(type)")
    }
    package static func cannotNegate(_ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongType, "cannot negate \(type)")
    }
    package static func sideOutsideJoin(_ side: some CustomStringConvertible, _ nameName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.misplacedExpression, "'\(side).\(nameName)' is only meaningful in a join condition")
    }
    package static func thisInJoinCondition(_ nameName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.ambiguousName, "'this.\(nameName)' is ambiguous in a join condition, which reads two rows")
    }
    package static func tableColumnLimit(_ maximumColumns: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.tooManyColumns, "a table may have at most \(maximumColumns) columns")
    }
    package static func invalidPattern(_ message: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.invalidPattern, "invalid regular expression: \(message)")
    }
    package static let patternNotConstant = Self(FunctionDiagnostic.constantArgument,
                                                 "a regular expression must be written in the query, as a string")
    package static let durationTooLarge = Self(FunctionDiagnostic.argumentOutOfRange, "the duration is too large")
    package static func durationAddedToNonDate(_ type: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.wrongType, "a duration is added to a date, found \(type)")
    }
    package static func stageColumnLimit(_ maximumColumns: some CustomStringConvertible, _ fields: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.tooManyColumns, "a table may have at most \(maximumColumns) columns; this stage makes \(fields)")
    }
    package static func scriptColumnLimit(_ maximumPlanColumns: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.tooManyColumns, "the script's stages would describe more than \(maximumPlanColumns) columns in all")
    }
    package static func windowOffsetNotConstant(_ what: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.constantArgument, "\(what) is a whole number from 1 to 1000000 written in the query")
    }
    package static func windowFunctionOutsideWindow(_ functionName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.windowFunctionOutsideWindow, "'\(functionName)' is a window function, only allowed in 'window'")
    }
    package static func windowNeedsOrder(_ functionName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.windowNeedsOrder, "\(functionName) needs an order: the rows before and after depend on it")
    }
    package static func chartNeedsShape(_ kind: some CustomStringConvertible,
                                        _ shape: some CustomStringConvertible,
                                        _ detail: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.chartShape, "a \(kind) needs \(shape); \(detail)")
    }
    package static func unknownChartKind(_ wordName: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.unknownChartKind, "unknown kind of chart '\(wordName)'")
    }
    package static func chartShapeUnknown(_ shape: some CustomStringConvertible) -> Self {
        Self(SemanticsDiagnostic.chartShape, "cannot choose a chart for this result (\(shape))")
    }
    package static func chartOfList(_ listName: some CustomStringConvertible) -> Self {
        Self(FunctionDiagnostic.listNotAllowed, "cannot chart the list column '\(listName)'")
    }
    package static let chartNotLast = Self(SemanticsDiagnostic.misplacedChart,
                                           "'chart' draws the result, so it must be the last stage of a query")
}

extension DiagnosticMessage {
    package static func unknownEncoding(_ text: String) -> Self {
        Self(SemanticsDiagnostic.invalidLoadOption, text.isEmpty ? "'encoding' takes a name in quotes" : "unknown encoding '\(text)'")
    }
    package static func unknownLayout(_ text: String) -> Self {
        Self(SemanticsDiagnostic.invalidLoadOption, text.isEmpty ? "'layout' takes \"events\" or \"rows\"" : "unknown layout '\(text)'")
    }
}
