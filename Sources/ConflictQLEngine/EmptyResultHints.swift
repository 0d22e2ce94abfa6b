// Why a query gave no rows (or an aggregate over none), worked out after the fact: the plan
// runs again stage by stage up to the stage that emptied the result, and that stage's input
// says why — a string compared with a value the column does not hold (with the closest that
// it does), a date or number outside the column's range, a join that matched nothing. Only
// an empty result pays for this; a result with rows is never looked at again.
//
// The run itself notes the stage where its rows ran out, with that stage's input
// (`EmptyingRecord`), so the usual hint runs nothing again. Values are suggested from a
// sample of the column's distinct values (`hintSample`), and the executor's cancellation
// carries the hint's time budget (SessionHints.swift): past it, no hint.

/// Where a query's rows ran out: the first stage of its own pipeline (not of a bracketed
/// one or a join's right side) whose input had rows and whose output had none, and that
/// input. Holding the input costs nothing new: it was alive while the stage ran.
package final class EmptyingRecord {
    let stages: Set<SourceRange>
    private(set) var stage: SourceRange?
    private(set) var input: Table?

    package init(_ plan: Plan) { stages = Set(plan.stages.map(\.range)) }

    func note(_ range: SourceRange, input: Table) {
        guard stage == nil, stages.contains(range) else { return }
        stage = range
        self.input = input
    }
}

/// At most this many distinct values are looked at for a suggestion.
let hintSample = 10_000

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Executor {
    /// Notes on why `result`, the rows of `physical`, is empty; none when it is not, or when
    /// nothing more useful than "no rows" can be said, or when the time budget ran out. Never
    /// throws: a hint is a courtesy.
    package func emptyResultHints(_ physical: PhysicalPlan, result: Table, source: Source?, record: EmptyingRecord? = nil) -> [Diagnostic] {
        guard isEmptyAnswer(physical.logical, result) else { return [] }
        // Where the run saw its rows run out, unless a left join before it matched nothing
        // (the walk says so too, and it needs the join run again).
        if let record, let range = record.stage, let input = record.input,
           let index = physical.stages.firstIndex(where: { $0.range == range }),
           !physical.stages[..<index].contains(where: { if case .join(.left, _, _, _, _, nil) = $0.stage { true } else { false } }) {
            let stage = physical.stages[index]
            let hints = explainEmptying(stage.stage, input: input, range: range, right: stage.right, source: source)
            return overBudget ? [] : hints
        }
        let hints = (try? walkToEmptyStage(physical, source: source)) ?? []
        return overBudget ? [] : hints
    }

    /// Why `stage` left none of `input`'s rows, for a stage that ran elsewhere (a remote
    /// engine's, whose input was fetched here in part); none past the time budget.
    package func explainEmptyStage(_ stage: PlanStage, input: Table, range: SourceRange, source: Source?) -> [Diagnostic] {
        let hints = explainEmptying(stage, input: input, range: range, right: nil, source: source)
        return overBudget ? [] : hints
    }

    /// The hint's time is up (or Ctrl-C was pressed).
    var overBudget: Bool { context.cancellation?.isCancelled == true }

    /// No rows, or one row of an aggregate with nothing in it (a count of 0, sums all null).
    func isEmptyAnswer(_ plan: Plan, _ result: Table) -> Bool {
        if result.rowCount == 0 { return true }
        guard result.rowCount == 1, let last = plan.stages.last else { return false }
        switch last.stage {
        case .count:
            return result.columns[0].value(at: 0) == .int(0)
        case .summarize(let keys, _, _) where keys.isEmpty:
            return result.columns.allSatisfy { column in
                let value = column.value(at: 0)
                return value == .null || value == .int(0) || value == .list([])
            }
        case .summarize, .filter, .project, .sort, .take, .top, .distinct, .join, .expand, .extend, .union, .window, .unpivot,
             .fill:
            return false
        }
    }

    /// Runs the stages in turn and explains the first one whose input had rows and whose
    /// output has none.
    func walkToEmptyStage(_ physical: PhysicalPlan, source: Source?) throws -> [Diagnostic] {
        let plan = physical.logical
        var table: Table
        switch physical.input {
        case .table(let name):
            guard let found = catalog.table(named: name) else { return [] }
            table = found
            if table.rowCount == 0 {
                return [Diagnostic(.tableHasNoRows(name), at: plan.stages.first?.range)]
            }
        case .subquery(let inner):
            table = try run(inner)
            if table.rowCount == 0 { return [Diagnostic(.subqueryHasNoRows, at: plan.stages.first?.range)] }
        case .catalogListing:
            return []
        }
        var emptyJoins: [(range: SourceRange, left: String, right: String)] = []
        for planned in physical.stages {
            let (stage, range) = (planned.stage, planned.range)
            let input = table
            table = try run(planned, on: input)
            if case .join(.left, _, let leftKeys, let rightKeys, _, nil) = stage, !leftKeys.isEmpty, input.rowCount > 0 {
                let right = try run(planned.right!)
                let pairs = try joinRowPairs(.inner, input, right, leftKeys, rightKeys, rightColumns: [], context: context, at: range)
                if pairs.left.isEmpty {
                    let rightSchema = planned.right!.logical.schema
                    emptyJoins.append((range, leftKeys.map { input.schema.names[$0] }.joined(separator: ", "),
                                       rightKeys.map { rightSchema.names[$0] }.joined(separator: ", ")))
                }
            }
            guard table.rowCount == 0 && input.rowCount > 0 else { continue }
            var hints = explainEmptying(stage, input: input, range: range, right: planned.right, source: source)
            if case .filter = stage {
                for join in emptyJoins {
                    hints.append(Diagnostic(.leftJoinMatchedNothing(join.left, join.right),
                                            at: join.range))
                }
            }
            return hints
        }
        return []
    }

    func explainEmptying(_ stage: PlanStage, input: Table, range: SourceRange, right: PhysicalPlan?, source: Source?) -> [Diagnostic] {
        switch stage {
        case .filter(let condition):
            return explainFilter(condition, input, range: range, source: source)
        case .join(let kind, _, let leftKeys, let rightKeys, _, let residual):
            guard let right, let rightTable = try? run(right) else { return [] }
            if kind == .anti { return [Diagnostic(.antiJoinKeptNothing, at: range)] }
            if rightTable.rowCount == 0 { return [Diagnostic(.rightSideHasNoRows, at: range)] }
            if residual != nil || leftKeys.isEmpty {
                return [Diagnostic(.noPairMeetsCondition(input.rowCount, rightTable.rowCount), at: range)]
            }
            let leftNames = leftKeys.map { input.schema.names[$0] }, rightNames = rightKeys.map { rightTable.schema.names[$0] }
            var help: String? = nil
            if leftKeys.count == 1 {
                let leftValues = distinctValues(input.columns[leftKeys[0]], limit: hintSample)
                let rightValues = distinctValues(rightTable.columns[rightKeys[0]], limit: hintSample)
                help = "the left has \(sample(leftValues)); the right has \(sample(rightValues))"
            }
            return [Diagnostic(.joinMatchedNothing(left: leftNames, leftRows: input.rowCount, right: rightNames,
                                                   rightRows: rightTable.rowCount),
                               at: range, help: help)]
        case .take:
            return [Diagnostic(.takeKeptNothing, at: range)]
        case .expand:
            return [Diagnostic(.expandMadeNothing, at: range)]
        case .project, .summarize, .sort, .top, .distinct, .count, .extend, .union, .window, .unpivot, .fill:
            return [Diagnostic(.stageEmptied(input.rowCount, input.rowCount == 1 ? "" : "s"), at: range)]
        }
    }

    // MARK: Conditions

    /// The conditions of a `where` that match no row, each explained; when each matches some
    /// rows but not together, how many each matches.
    func explainFilter(_ condition: BoundExpression, _ input: Table, range: SourceRange, source: Source?) -> [Diagnostic] {
        let conjuncts = condition.conjuncts
        var hints: [Diagnostic] = []
        var counts: [(BoundExpression, Int)] = []
        for conjunct in conjuncts {
            if overBudget { return [] }
            // A condition alone matched no row: the stage emptied, nothing to count again.
            guard let count = conjuncts.count == 1 ? 0 : try? matchingRows(conjunct, input) else { continue }
            counts.append((conjunct, count))
            if count == 0 {
                // Every part of an `or` that matches nothing matches nothing itself.
                for part in conjunct.disjuncts { hints.append(explainCondition(part, input, source: source)) }
            }
        }
        if hints.isEmpty && conjuncts.count > 1 {
            let notes = counts.map {
                Diagnostic.Note("\(text(of: $0.0, in: source)) matches \($0.1) of \(input.rowCount) rows", at: span(of: $0.0, in: source))
            }
            hints.append(Diagnostic(.noRowMatchesAll, at: range, notes: notes))
        }
        if hints.isEmpty {
            hints.append(Diagnostic(.noRowOfInputHas(input.rowCount, text(of: condition, in: source)), at: span(of: condition, in: source)))
        }
        return hints
    }

    func matchingRows(_ condition: BoundExpression, _ input: Table) throws -> Int {
        switch try evaluator.evaluate(condition, input) {
        case .scalar(let value): return value == .bool(true) ? input.rowCount : 0
        case .column(let column):
            guard case .bool(let values) = column.storage else { return 0 }
            var count = 0
            for i in 0..<values.count where values[i] && !column.isNull(i) { count += 1 }
            return count
        }
    }

    /// One condition that matches no row: what the column holds instead.
    func explainCondition(_ condition: BoundExpression, _ input: Table, source: Source?) -> Diagnostic {
        let message = DiagnosticMessage.noRowHas(text(of: condition, in: source))
        let plain = Diagnostic(message, at: span(of: condition, in: source))
        switch condition.kind {
        case .binary(let op, let lhs, let rhs):
            let (subject, constant, flipped) = lhs.readsRows && !rhs.readsRows ? (lhs, rhs, false)
                : (rhs.readsRows && !lhs.readsRows ? (rhs, lhs, true) : (lhs, rhs, false))
            guard !overBudget, subject.readsRows, !constant.readsRows, let column = try? evaluator.column(subject, input),
                  let value = try? evaluator.column(constant, Table(schema: Schema([]), columns: [], rowCount: 1)).value(at: 0) else { return plain }
            let name = text(of: subject, in: source)
            if column.nullCount == column.count { return Diagnostic(message, at: span(of: condition, in: source),
                                                                    help: "every value of \(name) here is null") }
            switch op {
            case .equal, .equalIgnoringCase, .has, .startswith, .endswith, .contains:
                if case .string(let wanted) = value, !flipped || op == .equal || op == .equalIgnoringCase {
                    // `has` on text looks for a whole word: the words are what to suggest.
                    var present = stringValues(column)
                    if op == .has, case .list = column.storage {} else if op == .has { present = words(of: present) }
                    return Diagnostic(message, at: span(of: condition, in: source), help: suggestion(for: wanted, op, among: present,
                                                                                                     name: name))
                }
                if op == .equal, let range = valueRange(column) {
                    return Diagnostic(message, at: span(of: condition, in: source), help: "\(name) runs from \(range.low) to \(range.high)")
                }
            case .less, .lessEqual, .greater, .greaterEqual:
                if let range = valueRange(column) {
                    return Diagnostic(message, at: span(of: condition, in: source), help: "\(name) runs from \(range.low) to \(range.high)")
                }
            default:
                break
            }
        case .inList(let subject, let items, negated: false):
            guard subject.readsRows, !items.contains(where: \.readsRows), let column = try? evaluator.column(subject, input) else { return plain }
            let one = Table(schema: Schema([]), columns: [], rowCount: 1)
            let present = stringValues(column)
            let wanted = items.compactMap { item -> String? in
                if case .string(let s)? = try? evaluator.column(item, one).value(at: 0) { return s }
                return nil
            }
            guard !wanted.isEmpty else {
                if let range = valueRange(column) {
                    return Diagnostic(message, at: span(of: condition, in: source),
                                      help: "\(text(of: subject, in: source)) runs from \(range.low) to \(range.high)")
                }
                return plain
            }
            let closest = wanted.compactMap { w in closestValue(to: w, in: present).map { "\(quoted(w)) → \(quoted($0))" } }
            let help = closest.isEmpty ? "the values of \(text(of: subject, in: source)) are \(sample(present.map(Value.string)))"
                : "did you mean " + closest.joined(separator: ", ") + "?"
            return Diagnostic(message, at: span(of: condition, in: source), help: help)
        case .isNull(let subject, let negated):
            return Diagnostic(message, at: span(of: condition, in: source),
                              help: negated ? "every value of \(text(of: subject, in: source)) here is null" : "no value of \(text(of: subject, in: source)) here is null")
        default:
            break
        }
        return plain
    }

    /// `did you mean "Mali"?` for a value the column lacks: the same text in another case
    /// first, then the closest spelling, else a few of the values there are.
    func suggestion(for wanted: String, _ op: BinaryOperator, among all: [String], name: String) -> String {
        let lowered = wanted.lowercased()
        // A sample (the first distinct values, in order of appearance), so the suggestion's
        // work does not grow with the column; what the message counts is the whole.
        let present = Array(all.prefix(hintSample))
        switch op {
        case .startswith, .endswith, .contains:
            // These ignore case already (ASCII): only a Unicode case difference is left to
            // find, which a smaller sample finds as well as a large one.
            let matching = present.prefix(1_000).filter { value in
                let v = value.lowercased()
                return op == .startswith ? v.hasPrefix(lowered) : op == .endswith ? v.hasSuffix(lowered) : v.contains(lowered)
            }
            if !matching.isEmpty { return "the case differs: \(sample(matching.map(Value.string))) \(op.rawValue) \(quoted(wanted)) ignoring case" }
        default:
            if op != .equalIgnoringCase, let same = present.first(where: { $0.lowercased() == lowered }) {
                return "did you mean \(quoted(same))? (the case differs; =~ ignores case)"
            }
            if let closest = closestValue(to: wanted, in: present) { return "did you mean \(quoted(closest))?" }
        }
        return "the values of \(name) are \(sample(all.map(Value.string)))"
    }

    /// The distinct words of some texts (letters and digits), at most `hintSample`.
    func words(of texts: [String]) -> [String] {
        var seen = Set<String>(), ordered: [String] = []
        for text in texts {
            for word in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where seen.insert(String(word)).inserted {
                ordered.append(String(word))
                if ordered.count >= hintSample { return ordered }
            }
        }
        return ordered
    }

    func closestValue(to wanted: String, in present: [String]) -> String? {
        if let same = present.first(where: { $0.lowercased() == wanted.lowercased() && $0 != wanted }) { return same }
        return closestName(to: wanted, in: present)
    }

    /// The distinct strings of a column (or of the elements of a list column), in order of
    /// first appearance, at most `hintSample`: a dictionary's entries are read once, not per row.
    func stringValues(_ column: Column) -> [String] {
        distinctValues(column, limit: hintSample).compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }

    func distinctValues(_ column: Column, limit: Int) -> [Value] {
        if case .list(_, let values) = column.storage { return distinctValues(values, limit: limit) }
        var seen = Set<Value>(), ordered: [Value] = []
        if case .string(let codes, let dictionary) = column.storage {
            var used = [Bool](repeating: false, count: dictionary.count)
            codes.forEachCode { row, code in if !column.isNull(row) { used[Int(code)] = true } }
            for (code, isUsed) in used.enumerated() where isUsed {
                let value = Value.string(dictionary[code])
                if seen.insert(value).inserted { ordered.append(value) }
                if ordered.count >= limit { break }
            }
            return ordered
        }
        for row in 0..<column.count where !column.isNull(row) {
            let value = column.value(at: row)
            if seen.insert(value).inserted { ordered.append(value) }
            if ordered.count >= limit { break }
        }
        return ordered
    }

    /// The smallest and largest value of a date or number column, as text.
    func valueRange(_ column: Column) -> (low: String, high: String)? {
        var low: Value?, high: Value?
        for row in 0..<column.count where !column.isNull(row) {
            let value = column.value(at: row)
            switch value {
            case .int, .float, .date: break
            default: return nil
            }
            if low == nil || compareValues(value, low!) < 0 { low = value }
            if high == nil || compareValues(value, high!) > 0 { high = value }
        }
        guard let low, let high else { return nil }
        return (low.description, high.description)
    }

    func compareValues(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.float(let x), .float(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.date(let x), .date(let y)): return x.days < y.days ? -1 : (x.days > y.days ? 1 : 0)
        default: return 0
        }
    }

    /// `"Chad", "Mali", "Niger", … (12 in all)`.
    func sample(_ values: [Value]) -> String {
        let shown = values.prefix(5).map { value -> String in
            if case .string(let s) = value { return quoted(s) }
            return value.description
        }
        if values.isEmpty { return "no values" }
        let count = values.count >= hintSample ? "\(hintSample) or more" : "\(values.count) in all"
        return shown.joined(separator: ", ") + (values.count > 5 ? ", … (\(count))" : "")
    }

    func quoted(_ text: String) -> String {
        "\"" + (text.count > 60 ? String(text.prefix(60)) + "…" : text) + "\""
    }

    /// An expression's range in the script, closing brackets included: a call's or a list's
    /// `)` belongs to no node, so it is taken while the text's brackets are unbalanced.
    func span(of expression: BoundExpression, in source: Source?) -> SourceRange {
        var span = expression.span
        guard let source, span.start >= 0, span.end <= source.bytes.count else { return span }
        var depth = 0
        for byte in source.bytes[span.start..<span.end] {
            if byte == UInt8(ascii: "(") { depth += 1 } else if byte == UInt8(ascii: ")") { depth -= 1 }
        }
        while depth > 0, span.end < source.bytes.count {
            let byte = source.bytes[span.end]
            if byte == UInt8(ascii: ")") { depth -= 1 } else if byte == UInt8(ascii: "(") { depth += 1 }
            span.end += 1
        }
        return span
    }

    /// The condition as written.
    func text(of expression: BoundExpression, in source: Source?) -> String {
        let span = span(of: expression, in: source)
        guard let source, span.start >= 0, span.end <= source.bytes.count, span.start < span.end else { return "the condition" }
        let written = String(decoding: source.bytes[span.start..<span.end], as: UTF8.self)
        return written.count > 80 ? String(written.prefix(80)) + "…" : written
    }
}

extension BoundExpression {
    /// The parts of `a and b and c`.
    var conjuncts: [BoundExpression] {
        if case .binary(.and, let a, let b) = kind { return a.conjuncts + b.conjuncts }
        return [self]
    }

    /// The parts of `a or b or c`.
    var disjuncts: [BoundExpression] {
        if case .binary(.or, let a, let b) = kind { return a.disjuncts + b.disjuncts }
        return [self]
    }

    /// Whether the expression reads a column (else it is the same on every row).
    var readsRows: Bool {
        switch kind {
        case .column: return true
        case .constant, .variable: return false
        case .unary(_, let a), .toFloat(let a), .isNull(let a, _): return a.readsRows
        case .binary(_, let a, let b): return a.readsRows || b.readsRows
        case .function(_, let arguments), .list(let arguments): return arguments.contains(where: \.readsRows)
        case .inList(let a, let items, _): return a.readsRows || items.contains(where: \.readsRows)
        }
    }

    /// The whole expression's text, from its first token to its last (an operator's own
    /// range is the operator alone).
    var span: SourceRange {
        var low = range.start, high = range.end
        func visit(_ e: BoundExpression) {
            if e.range.start >= 0 && e.range.end > e.range.start {
                low = min(low, e.range.start)
                high = max(high, e.range.end)
            }
            switch e.kind {
            case .unary(_, let a), .toFloat(let a), .isNull(let a, _): visit(a)
            case .binary(_, let a, let b): visit(a); visit(b)
            case .function(_, let arguments), .list(let arguments): arguments.forEach(visit)
            case .inList(let a, let items, _): visit(a); items.forEach(visit)
            case .constant, .column, .variable: break
            }
        }
        visit(self)
        return SourceRange(start: low, end: high)
    }
}
