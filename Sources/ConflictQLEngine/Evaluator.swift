// Expression evaluation, a column at a time. `evaluate` returns either a scalar (when the
// expression does not depend on the row) or a whole column; operators loop over typed
// arrays. String predicates are computed once per dictionary entry, then mapped over codes.
// Integer overflow and division by zero are errors at the operator's position, never traps.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

enum Operand {
    case scalar(Value)
    case column(Column)
}

package struct EvaluationContext {
    var variables: [String: Value]
    var cancellation: Cancellation?

    func checkCancelled(_ range: SourceRange) throws {
        if let cancellation, cancellation.isCancelled {
            throw Diagnostic(.cancelled, at: range)
        }
    }

    /// For loops that do real work per row (strings, boxed values, join matches): looks at
    /// the flag every 1,024 rows, so Ctrl-C stops a statement within milliseconds. Typed
    /// loops over arrays run millions of rows in that time and need no poll.
    @inline(__always)
    func poll(_ row: Int, _ range: SourceRange) throws {
        if row & 0x3FF == 0 { try checkCancelled(range) }
    }

    package init(variables: [String: Value], cancellation: Cancellation?) {
        self.variables = variables
        self.cancellation = cancellation
    }
}

package struct Evaluator {
    let context: EvaluationContext

    /// Evaluates `expression` over every row of `table`, as a full column.
    package func column(_ expression: BoundExpression, _ table: Table) throws -> Column {
        let operand = try evaluate(expression, table)
        try ResultSize.checkRepeated(operand, rows: table.rowCount, at: expression.range)
        return materialize(operand, expression.type, table.rowCount)
    }

    func materialize(_ operand: Operand, _ type: DataType, _ count: Int) -> Column {
        switch operand {
        case .column(let column): return column
        case .scalar(let value): return Column.constant(value, type: type == .null ? value.type : type, count: count)
        }
    }

    func evaluate(_ expression: BoundExpression, _ table: Table) throws -> Operand {
        switch expression.kind {
        case .constant(let value):
            return .scalar(value)
        case .variable(let name):
            return .scalar(context.variables[name] ?? .null)
        case .column(let index):
            return .column(table.columns[index])
        case .toFloat(let operand):
            switch try evaluate(operand, table) {
            case .scalar(let v): return .scalar(v.asDouble.map(Value.float) ?? .null)
            case .column(let c):
                guard case .int(let values) = c.storage else { return .column(c) }
                return .column(Column(type: .float, storage: .float(values.map(Double.init)), validity: c.validity, count: c.count))
            }
        case .unary(let op, let operand):
            return try unary(op, try evaluate(operand, table), expression, table.rowCount)
        case .binary(let op, let left, let right) where op == .and || op == .or:
            return try shortCircuit(op, left, right, expression, table)
        case .binary(let op, let left, let right):
            let a = try evaluate(left, table)
            let b = try evaluate(right, table)
            return try binary(op, a, b, left.type, right.type, expression, table.rowCount)
        case .isNull(let operand, let negated):
            switch try evaluate(operand, table) {
            case .scalar(let v): return .scalar(.bool(v.isNull != negated))
            case .column(let c):
                let flags = (0..<c.count).map { c.isNull($0) != negated }
                return .column(Column(type: .bool, storage: .bool(flags), validity: nil, count: c.count))
            }
        case .inList(let value, let items, let negated):
            return try inList(value, items, negated, table, expression)
        case .list(let items):
            let operands = try items.map { try evaluate($0, table) }
            if operands.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
                return .scalar(.list(operands.map { if case .scalar(let v) = $0 { return v } else { return .null } }))
            }
            let columns = zip(operands, items).map { materialize($0, $1.type, table.rowCount) }
            var builder = ColumnBuilder(type: expression.type, capacity: table.rowCount)
            for row in 0..<table.rowCount {
                try context.poll(row, expression.range)
                builder.append(.list(columns.map { $0.value(at: row) }))
            }
            return .column(builder.finish())
        case .function(let function, let arguments):
            return try call(function, arguments, expression, table)
        }
    }

    // MARK: Unary

    func unary(_ op: UnaryOperator, _ operand: Operand, _ expression: BoundExpression, _ count: Int) throws -> Operand {
        let column: Column
        switch operand {
        case .scalar(let v):
            if v.isNull { return .scalar(.null) }
            let one = try unary(op, .column(materialize(operand, v.type, 1)), expression, 1)
            if case .column(let c) = one { return .scalar(c.value(at: 0)) }
            return one
        case .column(let c): column = c
        }
        switch (op, column.storage) {
        case (.not, .bool(let values)):
            return .column(Column(type: .bool, storage: .bool(values.map { !$0 }), validity: column.validity, count: column.count))
        case (.negate, .int(let values)):
            var result = [Int64](repeating: 0, count: values.count)
            for i in values.indices {
                let (v, overflow) = Int64(0).subtractingReportingOverflow(values[i])
                if overflow && !column.isNull(i) {
                    throw Diagnostic(.negationOverflow(values[i]), at: expression.range)
                }
                result[i] = v
            }
            return .column(Column(type: .int, storage: .int(result), validity: column.validity, count: column.count))
        case (.negate, .float(let values)):
            return .column(Column(type: .float, storage: .float(values.map { -$0 }), validity: column.validity, count: column.count))
        default:
            return .column(Column(type: expression.type, storage: .null, validity: nil, count: column.count))
        }
    }

    // MARK: Binary

    func binary(_ op: BinaryOperator, _ a: Operand, _ b: Operand, _ typeA: DataType, _ typeB: DataType,
                _ expression: BoundExpression, _ count: Int) throws -> Operand {
        // Both scalar: compute on one-row columns and unwrap.
        if case .scalar(let x) = a, case .scalar(let y) = b {
            let ca = materialize(a, x.type == .null ? typeA : x.type, 1)
            let cb = materialize(b, y.type == .null ? typeB : y.type, 1)
            let result = try binaryColumns(op, .column(ca), .column(cb), expression, 1)
            return .scalar(result.value(at: 0))
        }
        return .column(try binaryColumns(op, a, b, expression, count))
    }

    func binaryColumns(_ op: BinaryOperator, _ a: Operand, _ b: Operand, _ expression: BoundExpression, _ count: Int) throws -> Column {
        switch op {
        case .and, .or:
            return logic(op, boolColumn(a, count), boolColumn(b, count))
        case .add, .subtract, .multiply, .divide, .modulo:
            return try arithmetic(op, a, b, expression, count)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return try Comparison(op: op, cancellation: context.cancellation).apply(a, b, count)
        case .has, .contains, .startswith, .endswith, .matches, .equalIgnoringCase, .notEqualIgnoringCase:
            return try textMatch(op, a, b, count, expression.range)
        }
    }

    func boolColumn(_ operand: Operand, _ count: Int) -> Column {
        materialize(operand, .bool, count)
    }

    /// Three-valued `and` / `or`: `false and null` is false, `true or null` is true.
    func logic(_ op: BinaryOperator, _ a: Column, _ b: Column) -> Column {
        let n = a.count
        guard case .bool(let x) = a.storage, case .bool(let y) = b.storage else {
            // One side is the literal null.
            let other = { if case .bool = a.storage { return a } else { return b } }()
            guard case .bool(let values) = other.storage else {
                return Column(type: .bool, storage: .null, validity: nil, count: n)
            }
            var bits = Bitmap(count: n, allValid: false)
            for i in 0..<n where !other.isNull(i) && values[i] == (op == .or) { bits[i] = true }
            return Column(type: .bool, storage: .bool(values), validity: bits, count: n)
        }
        var result = [Bool](repeating: false, count: n)
        if a.validity == nil && b.validity == nil {
            // Bools as bytes: a branch-free byte AND/OR the compiler vectorises.
            result.withUnsafeMutableBytes { result in
                x.withUnsafeBytes { x in
                    y.withUnsafeBytes { y in
                        if op == .and { for i in 0..<n { result[i] = x[i] & y[i] } } else { for i in 0..<n { result[i] = x[i] | y[i] } }
                    }
                }
            }
            return Column(type: .bool, storage: .bool(result), validity: nil, count: n)
        }
        var bits = Bitmap(count: n, allValid: true)
        for i in 0..<n {
            let nullA = a.isNull(i), nullB = b.isNull(i)
            if op == .and {
                if (!nullA && !x[i]) || (!nullB && !y[i]) { result[i] = false } else if nullA || nullB { bits[i] = false } else { result[i] = true }
            } else {
                if (!nullA && x[i]) || (!nullB && y[i]) { result[i] = true } else if nullA || nullB { bits[i] = false } else { result[i] = false }
            }
        }
        return Column(type: .bool, storage: .bool(result), validity: bits, count: n)
    }

    func arithmetic(_ op: BinaryOperator, _ a: Operand, _ b: Operand, _ expression: BoundExpression, _ count: Int) throws -> Column {
        let left = materialize(a, expression.type == .string ? .string : .null, count)
        let right = materialize(b, expression.type == .string ? .string : .null, count)
        let validity = Bitmap.and(left.validity, right.validity)
        if case .null = left.storage { return Column(type: expression.type, storage: .null, validity: nil, count: count) }
        if case .null = right.storage { return Column(type: expression.type, storage: .null, validity: nil, count: count) }
        func valid(_ i: Int) -> Bool { validity?[i] ?? true }
        switch (left.storage, right.storage) {
        case (.int(let x), .int(let y)):
            if op == .divide {
                var result = [Double](repeating: 0, count: count)
                for i in 0..<count where valid(i) {
                    if y[i] == 0 { throw Diagnostic(.divisionByZero, at: expression.range) }
                    result[i] = Double(x[i]) / Double(y[i])
                }
                return Column(type: .float, storage: .float(result), validity: validity, count: count)
            }
            var result = [Int64](repeating: 0, count: count)
            for i in 0..<count where valid(i) {
                let (v, overflow): (Int64, Bool)
                switch op {
                case .add: (v, overflow) = x[i].addingReportingOverflow(y[i])
                case .subtract: (v, overflow) = x[i].subtractingReportingOverflow(y[i])
                case .multiply: (v, overflow) = x[i].multipliedReportingOverflow(by: y[i])
                default:
                    if y[i] == 0 { throw Diagnostic(.moduloByZero, at: expression.range) }
                    (v, overflow) = x[i].remainderReportingOverflow(dividingBy: y[i])
                }
                if overflow {
                    throw Diagnostic(.arithmeticOverflow(x[i], op.rawValue, y[i]),
                                           at: expression.range, help: "convert to Float first, for example by adding 0.0")
                }
                result[i] = v
            }
            return Column(type: .int, storage: .int(result), validity: validity, count: count)
        case (.float(let x), .float(let y)):
            var result = [Double](repeating: 0, count: count)
            for i in 0..<count where valid(i) {
                switch op {
                case .add: result[i] = x[i] + y[i]
                case .subtract: result[i] = x[i] - y[i]
                case .multiply: result[i] = x[i] * y[i]
                case .divide:
                    if y[i] == 0 { throw Diagnostic(.divisionByZero, at: expression.range) }
                    result[i] = x[i] / y[i]
                default:
                    if y[i] == 0 { throw Diagnostic(.moduloByZero, at: expression.range) }
                    result[i] = x[i].truncatingRemainder(dividingBy: y[i])
                }
            }
            return Column(type: .float, storage: .float(result), validity: validity, count: count)
        case (.string, .string):
            var builder = ColumnBuilder(type: .string, capacity: count)
            for i in 0..<count {
                try context.poll(i, expression.range)
                if valid(i), case .string(let s) = left.value(at: i), case .string(let t) = right.value(at: i) {
                    builder.append(.string(s + t))
                } else {
                    builder.append(.null)
                }
            }
            return builder.finish()
        default:
            return Column(type: expression.type, storage: .null, validity: nil, count: count)
        }
    }

    // MARK: has, contains, startswith, endswith, matches, =~, !~

    func textMatch(_ op: BinaryOperator, _ a: Operand, _ b: Operand, _ count: Int, _ range: SourceRange) throws -> Column {
        let test: (String, String) -> Bool
        switch op {
        case .has: test = hasWord
        case .contains: test = foldedContains
        case .endswith: test = { $0.lowercased().hasSuffix($1.lowercased()) }
        case .equalIgnoringCase: test = { $0.lowercased() == $1.lowercased() }
        case .notEqualIgnoringCase: test = { $0.lowercased() != $1.lowercased() }
        case .matches:
            // The pattern was checked with the query; a per-row pattern (a column) is compiled
            // per row and an invalid one matches nothing.
            test = { text, pattern in
                guard let compiled = try? Pattern(pattern) else { return false }
                return Array(text.utf8).withUnsafeBufferPointer { compiled.matches($0) }
            }
        default: test = { $0.lowercased().hasPrefix($1.lowercased()) }
        }
        let left = materialize(a, .null, count)
        if case .list(let offsets, let values) = left.storage {
            // `list has x`: an element equal to x (strings ignoring case).
            let needle = materialize(b, values.type, count)
            if let fast = try listHasText(left, offsets, values, needle, count, range) { return fast }
            var result = [Bool](repeating: false, count: count)
            var bits = Bitmap(count: count, allValid: true)
            for row in 0..<count {
                try context.poll(row, range)
                if left.isNull(row) || needle.isNull(row) { bits[row] = false; continue }
                let wanted = needle.value(at: row)
                for e in Int(offsets[row])..<Int(offsets[row + 1]) where elementEquals(values.value(at: e), wanted) {
                    result[row] = true
                    break
                }
            }
            return Column(type: .bool, storage: .bool(result), validity: bits, count: count)
        }
        guard case .string(let codes, let dictionary) = left.storage else {
            return Column(type: .bool, storage: .null, validity: nil, count: count)
        }
        switch b {
        case .scalar(.string(let pattern)):
            let perEntry = try textMatchPerEntry(op, pattern, dictionary, test, range)
            let result = codes.map { perEntry[Int($0)] }
            return Column(type: .bool, storage: .bool(result), validity: left.validity, count: count)
        case .scalar:
            return Column(type: .bool, storage: .null, validity: nil, count: count)
        case .column(let right):
            var result = [Bool](repeating: false, count: count)
            for row in 0..<count where !left.isNull(row) && !right.isNull(row) {
                try context.poll(row, range)
                if case .string(let s) = right.value(at: row) {
                    result[row] = test(dictionary[Int(codes[row])], s)
                }
            }
            return Column(type: .bool, storage: .bool(result), validity: Bitmap.and(left.validity, right.validity), count: count)
        }
    }

    func elementEquals(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.lowercased() == y.lowercased()
        case (.int(let x), .float(let y)): return Double(x) == y
        case (.float(let x), .int(let y)): return x == Double(y)
        default: return a == b
        }
    }

    // MARK: in (...)

    func inList(_ value: BoundExpression, _ items: [BoundExpression], _ negated: Bool, _ table: Table,
                _ expression: BoundExpression) throws -> Operand {
        let count = table.rowCount
        let operand = try evaluate(value, table)
        let itemOperands = try items.map { try evaluate($0, table) }
        var constants: [Value] = []
        for item in itemOperands {
            guard case .scalar(let v) = item else { constants = []; break }
            constants.append(v)
        }
        if constants.count == items.count {
            let hasNull = constants.contains(where: \.isNull)
            let set = Set(constants.map(normalized))
            func test(_ v: Value) -> Value {
                if v.isNull { return .null }
                if set.contains(normalized(v)) { return .bool(!negated) }
                return hasNull ? .null : .bool(negated)
            }
            switch operand {
            case .scalar(let v): return .scalar(test(v))
            case .column(let column):
                if case .string(let codes, let dictionary) = column.storage, !hasNull {
                    let perEntry = dictionary.values.map { set.contains(.string($0)) != negated }
                    return .column(Column(type: .bool, storage: .bool(codes.map { perEntry[Int($0)] }),
                                          validity: column.validity, count: count))
                }
                if case .int(let values) = column.storage, !hasNull {
                    // `year in (2019, 2020)`: a set of integers, no boxing per row.
                    let wanted = Set(set.compactMap { if case .int(let v) = $0 { return v } else { return nil } })
                    let floats = set.contains { if case .float = $0 { return true } else { return false } }
                    if !floats {
                        return .column(Column(type: .bool, storage: .bool(values.map { wanted.contains($0) != negated }),
                                              validity: column.validity, count: count))
                    }
                }
                var builder = ColumnBuilder(type: .bool, capacity: count)
                for row in 0..<count {
                    try context.poll(row, expression.range)
                    builder.append(test(column.value(at: row)))
                }
                return .column(builder.finish())
            }
        }
        // Items that vary by row: an `or` of equalities.
        var result: Column? = nil
        for item in itemOperands {
            let equal = try Comparison(op: .equal, cancellation: context.cancellation).apply(operand, item, count)
            result = result.map { logic(.or, $0, equal) } ?? equal
        }
        guard var matched = result else { return .scalar(.bool(negated)) }
        if negated, case .bool(let values) = matched.storage {
            matched = Column(type: .bool, storage: .bool(values.map { !$0 }), validity: matched.validity, count: count)
        }
        return .column(matched)
    }

    /// Ints and whole Floats compare equal in `in (...)`.
    func normalized(_ v: Value) -> Value {
        if case .float(let d) = v, d == d.rounded(), abs(d) < 9e18 { return .int(Int64(d)) }
        return v
    }
}

