// Checked expressions as SQL. The meaning must be ConflictQL's exactly, or the compiler
// refuses with an error naming the construct and the dialect: `and`/`or` become CASE so the
// right side is guarded as it is here, `/` always divides as Float, text compares by bytes,
// `contains` and `has` ignore case, and a Date is its first day (so a function that reads a
// date's precision, which SQL dates do not carry, compiles only where the checker knows it).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

package struct SQLExpressionCompiler {
    let dialect: SQLDialect
    /// The SQL of each input column, by index (usually its quoted name).
    let columns: [String]
    /// The SQL of each `let` value, inlined where it is read.
    let values: [String: String]

    func refuse(_ what: String, _ expression: BoundExpression) -> SQLError {
        SQLError(.notExpressible(what, in: dialect), range: expression.range)
    }

    func compile(_ e: BoundExpression) throws(SQLError) -> String {
        // PostgreSQL computes constants while planning, even in a branch no row reaches
        // (coalesce's second argument, if's other value), where ConflictQL never computes
        // them: an integer constant that overflows would fail the whole query there.
        if dialect == .postgres, e.overflowsAsConstant {
            throw refuse("an integer constant that overflows (PostgreSQL computes constants before any row is read)", e)
        }
        // PostgreSQL types a small integer literal as 32-bit, so 100000 * 100000 overflows there
        // while it is an Int here: arithmetic over literals only is written as its value (which
        // fits 64 bits: the check above refused the rest).
        if dialect == .postgres, e.isConstantInteger, let value = try? e.constantInteger() {
            if case .constant = e.kind {} else { return try literal(.int(value), .int, e) }
        }
        return try compileNode(e)
    }

    func compileNode(_ e: BoundExpression) throws(SQLError) -> String {
        switch e.kind {
        case .constant(let value):
            return try literal(value, e.type, e)
        case .column(let index):
            // A column of type Null holds only nulls: a bare NULL takes the type it meets in
            // each engine, where the column would be text in PostgreSQL (text <> integer).
            return e.type == .null ? "NULL" : columns[index]
        case .variable(let name):
            guard let sql = values[name] else { throw refuse("the value '\(name)'", e) }
            return sql
        case .toFloat(let operand):
            return "CAST(\(try compile(operand)) AS \(try dialect.typeName(.float)))"
        case .unary(.negate, let operand):
            // Minus an untyped NULL is ambiguous in PostgreSQL (which '-'?); it is NULL anyway.
            if operand.type == .null { return "NULL" }
            // In parentheses: minus a negative literal written `--1` would start a SQL comment.
            return "(-(\(try compile(operand))))"
        case .unary(.not, let operand):
            return "(NOT \(try compile(operand)))"
        case .binary(let op, let a, let b):
            return try binary(op, a, b, e)
        case .isNull(let operand, let negated):
            return "(\(try compile(operand)) IS \(negated ? "NOT " : "")NULL)"
        case .inList(let value, let items, let negated):
            if items.isEmpty { return negated ? "TRUE" : "FALSE" }
            return "(\(try compile(value)) \(negated ? "NOT IN" : "IN") (\(try items.map { (i) throws(SQLError) in try compile(i) }.joined(separator: ", "))))"
        case .list(let items):
            return dialect.list(try items.map { (i) throws(SQLError) in try compile(i) })
        case .function(let function, let arguments):
            return try call(function, arguments, e)
        }
    }

    package func literal(_ value: Value, _ type: DataType, _ e: BoundExpression) throws(SQLError) -> String {
        switch value {
        case .null: return type == .null ? "NULL" : "CAST(NULL AS \(try dialect.typeName(type)))"
        case .int(let v):
            // The most negative integer has no literal of its own in SQL either.
            return v == .min ? "(-9223372036854775807 - 1)" : String(v)
        case .float(let v):
            guard v.isFinite else { throw refuse("a Float that is not finite", e) }
            return "CAST(\(String(v)) AS \(try dialect.typeName(.float)))"
        case .string(let s): return dialect.string(s)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .date(let d):
            // A Date travels as its first day.
            return "DATE '\(DateValue(days: d.days, precision: .day))'"
        case .list(let items):
            guard case .list(let element) = type else { throw refuse("this list", e) }
            // PostgreSQL cannot type an empty ARRAY[] alone (the places table's empty aliases).
            if items.isEmpty && dialect == .postgres { return "CAST(ARRAY[] AS \(try dialect.typeName(type)))" }
            return dialect.list(try items.map { (item) throws(SQLError) in try literal(item, element, e) })
        }
    }

    func binary(_ op: BinaryOperator, _ a: BoundExpression, _ b: BoundExpression, _ e: BoundExpression) throws(SQLError) -> String {
        var x = try compile(a), y = try compile(b)
        // A side that is null by type (null, coalesce(null, null)) takes the other side's type,
        // or PostgreSQL reads it as text and finds no operator for text and a number.
        if a.type == .null, b.type != .null, !b.type.isList { x = "CAST(\(x) AS \(try dialect.typeName(b.type)))" }
        if b.type == .null, a.type != .null, !a.type.isList { y = "CAST(\(y) AS \(try dialect.typeName(a.type)))" }
        // Both null by type: arithmetic in the result's type (PostgreSQL has no unknown * unknown).
        if a.type == .null, b.type == .null, op.isArithmetic, e.type != .null {
            let type = try dialect.typeName(op == .divide ? .float : e.type)
            (x, y) = ("CAST(\(x) AS \(type))", "CAST(\(y) AS \(type))")
        }
        switch op {
        case .and:
            // Guarded as in ConflictQL: the right side only where the left leaves it open.
            return "(CASE WHEN \(x) IS NOT NULL AND NOT \(x) THEN FALSE ELSE (\(x) AND \(y)) END)"
        case .or:
            return "(CASE WHEN \(x) IS NOT NULL AND \(x) THEN TRUE ELSE (\(x) OR \(y)) END)"
        case .add where e.type == .string:
            return "(\(x) || \(y))"
        case .add, .subtract, .multiply:
            return "(\(x) \(op.rawValue) \(y))"
        case .divide:
            // Always a Float, and division by zero is an error, never null or infinity.
            let float = try dialect.typeName(.float)
            return "(CAST(\(x) AS \(float)) / CAST(\(nonZero(y, b, over: x)) AS \(float)))"
        case .modulo:
            // BigQuery has no % operator: MOD, which also keeps the dividend's sign.
            if e.type == .int {
                return dialect == .bigquery ? "MOD(\(x), \(nonZero(y, b, over: x)))" : "(\(x) % \(nonZero(y, b, over: x)))"
            }
            switch dialect {
            case .postgres:
                return "CAST(MOD(CAST(\(x) AS NUMERIC), CAST(\(nonZero(y, b, over: x)) AS NUMERIC)) AS DOUBLE PRECISION)"
            default:
                return "MOD(\(x), \(nonZero(y, b, over: x)))"
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            if case .list = a.type { throw refuse("comparing lists", e) }
            if op == .equal || op == .notEqual { return "(\(x) \(op == .equal ? "=" : "<>") \(y))" }
            return "(\(dialect.bytewise(x, a.type)) \(op.rawValue) \(dialect.bytewise(y, b.type)))"
        case .contains:
            return "(\(dialect.position("lower(\(y))", in: "lower(\(x))")) > 0)"
        case .startswith:
            return dialect.startsWith("lower(\(x))", "lower(\(y))")
        case .endswith:
            switch dialect {
            case .spark: return "endswith(lower(\(x)), lower(\(y)))"
            case .bigquery: return "ENDS_WITH(lower(\(x)), lower(\(y)))"
            default: return "(right(lower(\(x)), length(lower(\(y)))) = lower(\(y)))"
            }
        case .equalIgnoringCase:
            return "(lower(\(x)) = lower(\(y)))"
        case .notEqualIgnoringCase:
            return "(lower(\(x)) <> lower(\(y)))"
        case .matches:
            guard case .constant(.string(let pattern)) = b.kind else { return "CAST(NULL AS BOOLEAN)" }
            // Written for the engine so that it means what RE2 means here (PatternSQL.swift).
            do throws(PatternTranslationError) {
                return dialect.matches(x, dialect.string(try dialect.regularExpression(pattern)))
            } catch {
                throw refuse("matches with a pattern that has \(error.reason)", e)
            }
        case .has:
            if case .list(let element) = a.type {
                let needle = element == .string ? "lower(\(y))" : y
                // The element's name is in the SQL's own space: a column named `e` would be hidden.
                let e = SQLCompiler.internalName("e")
                let item = element == .string ? "lower(\(e))" : e
                let exists: String
                switch dialect {
                case .spark: exists = "exists(\(x), \(e) -> \(item) = \(needle))"
                case .duckdb: exists = "len(list_filter(\(x), lambda \(e): \(item) = \(needle))) > 0"
                case .postgres:
                    exists = "EXISTS (SELECT 1 FROM UNNEST(\(x)) AS \(SQLCompiler.internalName("u"))(\(e)) WHERE \(item) = \(needle))"
                // BigQuery names the element by the alias itself (no column list).
                case .bigquery: exists = "EXISTS (SELECT 1 FROM UNNEST(\(x)) AS \(e) WHERE \(item) = \(needle))"
                }
                return "(CASE WHEN \(x) IS NULL OR \(y) IS NULL THEN NULL ELSE \(exists) END)"
            }
            // A whole word: the needle with no letter or digit right before or after it.
            guard case .constant(.string(let word)) = b.kind else {
                throw refuse("'has' with a word that is not a constant", e)
            }
            return dialect.matches("lower(\(x))", dialect.string(wordPattern(word.lowercased())))
        }
    }

    /// `y`, or an error when it is zero (SQL engines give null or infinity instead).
    /// `y`, or an error when it is zero and `x` (the numerator) is not null: null / 0 is null
    /// here, as in SQL, and only a value divided by zero fails.
    func nonZero(_ y: String, _ b: BoundExpression, over x: String) -> String {
        if case .constant(let v) = b.kind, let d = v.asDouble, d != 0 { return y }
        switch dialect {
        case .duckdb: return "(CASE WHEN \(y) = 0 AND \(x) IS NOT NULL THEN error('division by zero') ELSE \(y) END)"
        case .postgres:
            // PostgreSQL raises "division by zero" itself, but folds constants while planning,
            // so a constant zero in a guarded branch would fail every query: a subquery is
            // evaluated only when reached.
            var read = Set<Int>()
            b.referencedColumns(into: &read)
            return read.isEmpty && !b.readsValues ? "(SELECT \(y))" : y
        case .spark: return "(CASE WHEN \(y) = 0 AND \(x) IS NOT NULL THEN raise_error('division by zero') ELSE \(y) END)"
        case .bigquery: return "(CASE WHEN \(y) = 0 AND \(x) IS NOT NULL THEN ERROR('division by zero') ELSE \(y) END)"
        }
    }

    func wordPattern(_ word: String) -> String {
        let special = Set("\\^$.|?*+()[]{}".unicodeScalars)
        var escaped = String.UnicodeScalarView()
        for c in word.unicodeScalars {
            if special.contains(c) { escaped.append("\\") }
            escaped.append(c)
        }
        // Letters, marks and numbers, as the engine's `has` (WordCharacters.swift).
        let isWord: (Unicode.Scalar?) -> Bool = { $0.map(WordCharacters.contains) ?? false }
        let notWord = "[^" + wordClass + "]"
        let before = isWord(word.unicodeScalars.first) ? "(^|\(notWord))" : ""
        let after = isWord(word.unicodeScalars.last) ? "(\(notWord)|$)" : ""
        return before + String(escaped) + after
    }

    /// The word characters inside a bracket expression of the dialect's regular expressions:
    /// Unicode classes where the engine has them (RE2, Java), else the code points written
    /// out (PostgreSQL, whose `[[:alnum:]]` follows the collation's locale).
    var wordClass: String {
        switch dialect {
        case .duckdb, .bigquery, .spark: return "\\p{L}\\p{M}\\p{N}"
        case .postgres: return SQLExpressionCompiler.postgresWordClass
        }
    }

    static let postgresWordClass: String = WordCharacters.ranges.map { range in
        func escaped(_ value: UInt32) -> String {
            let hex = String(value, radix: 16, uppercase: true)
            return value <= 0xFFFF ? "\\u" + hex.leftPadded(to: 4) : "\\U" + hex.leftPadded(to: 8)
        }
        return range.count == 1 ? escaped(range.lowerBound) : escaped(range.lowerBound) + "-" + escaped(range.upperBound)
    }.joined()

    /// A function's SQL, as its descriptor writes it in this dialect.
    func call(_ function: ScalarFunction, _ arguments: [BoundExpression], _ e: BoundExpression) throws(SQLError) -> String {
        let call = SQLFunctionCall(
            function: function, dialect: dialect, types: arguments.map(\.type),
            constants: arguments.map { if case .constant(let value) = $0.kind { return value } else { return nil } },
            resultType: e.type,
            datePrecisions: arguments.map(\.datePrecisions),
            compile: { (index) throws(SQLError) in try compile(arguments[index]) },
            refusal: { refuse($0, e) })
        return try function.sql(call)
    }

    package init(dialect: SQLDialect, columns: [String], values: [String: String]) {
        self.dialect = dialect
        self.columns = columns
        self.values = values
    }
}


extension BoundExpression {
    /// Integer arithmetic over literals that overflows, or int() of a Float literal out of
    /// Int's range.
    var overflowsAsConstant: Bool {
        if case .function(.int, let arguments) = kind, arguments.count == 1, case .constant(.float(let x)) = arguments[0].kind {
            return !(x.rounded(.towardZero) >= -0x1p63 && x.rounded(.towardZero) < 0x1p63)
        }
        if case .constant = kind { return false }
        guard isConstantInteger else { return false }
        do { _ = try constantInteger(); return false } catch { return true }
    }

    struct Overflow: Error {}

    /// Whether the expression is integer arithmetic over integer literals only.
    var isConstantInteger: Bool {
        switch kind {
        case .constant(.int): return true
        case .binary(let op, let a, let b): return type == .int && op.isArithmetic && a.isConstantInteger && b.isConstantInteger
        case .unary(.negate, let a): return type == .int && a.isConstantInteger
        default: return false
        }
    }

    /// The value of an integer constant expression (nil for a division by zero, which
    /// each engine reports itself); throws when it overflows.
    func constantInteger() throws(Overflow) -> Int64? {
        switch kind {
        case .constant(.int(let n)): return n
        case .unary(.negate, let a):
            guard let x = try a.constantInteger() else { return nil }
            let (r, o) = Int64(0).subtractingReportingOverflow(x)
            if o { throw Overflow() }
            return r
        case .binary(let op, let a, let b):
            guard let x = try a.constantInteger(), let y = try b.constantInteger() else { return nil }
            let (r, o): (Int64, Bool)
            switch op {
            case .add: (r, o) = x.addingReportingOverflow(y)
            case .subtract: (r, o) = x.subtractingReportingOverflow(y)
            case .multiply: (r, o) = x.multipliedReportingOverflow(by: y)
            case .modulo: if y == 0 { return nil }; (r, o) = x.remainderReportingOverflow(dividingBy: y)
            default: return nil
            }
            if o { throw Overflow() }
            return r
        default: return nil
        }
    }

    /// Whether a `let` value is read anywhere inside.
    var readsValues: Bool {
        switch kind {
        case .variable: return true
        case .constant, .column: return false
        case .toFloat(let e), .unary(_, let e), .isNull(let e, _): return e.readsValues
        case .binary(_, let a, let b): return a.readsValues || b.readsValues
        case .function(_, let arguments), .list(let arguments): return arguments.contains { $0.readsValues }
        case .inList(let e, let items, _): return e.readsValues || items.contains { $0.readsValues }
        }
    }
}

extension DataType {
    var isList: Bool { if case .list = self { return true } else { return false } }
}
