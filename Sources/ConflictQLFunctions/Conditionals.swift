// Conditionals and nulls: `if`, `case` and `coalesce`. The engine computes each value only
// on the rows that choose it (Engine/ShortCircuit.swift, ExtendedFunctions.swift), so
// `if(x != 0, y / x, 0)` cannot fail on the rows where x is 0.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension ScalarFunction {
    static let conditionals: [ScalarFunction] = [`if`, `case`, coalesce]

    public static let `if` = ScalarFunction(
        "if", family: .conditionals, signature: "if(COND, THEN, ELSE)",
        meaning: "THEN where COND is true, ELSE where it is false or null; each is computed only on its rows",
        example: "figures | select indicator, size = if(value > 100000, \"large\", \"small\")",
        arity: 3...3, usage: "if(CONDITION, THEN, ELSE)",
        forms: CallForm.each(CallForm.valueTypes) { CallForm([.of(.bool), .of($0), .of($0)], $0) },
        check: { call in
            try call.condition(0)
            return try call.common([1, 2])
        },
        evaluation: .conditional,
        sql: { call throws(SQLError) in try caseSQL(call, pairs: 1, otherwise: 2) })

    public static let `case` = ScalarFunction(
        "case", family: .conditionals, signature: "case(COND1, VALUE1, COND2, VALUE2, ..., [ELSE])",
        meaning: "the value of the first true condition; ELSE (or null) when none is true",
        example: "figures | select case(value > 100000, \"large\", value > 5000, \"medium\", \"small\")",
        arity: 2...Int.max, usage: "case(fatalities == 0, \"none\", fatalities < 10, \"some\", \"many\")",
        forms: CallForm.each(CallForm.valueTypes) { CallForm([.of(.bool), .of($0), .of(.bool), .of($0)], $0) }
            + CallForm.each(CallForm.valueTypes) { CallForm([.of(.bool), .of($0), .of(.bool), .of($0), .of($0)], $0) },
        check: { call in
            let pairs = call.count / 2
            for i in 0..<pairs { try call.condition(2 * i) }
            let values = (0..<pairs).map { 2 * $0 + 1 } + (call.count % 2 == 1 ? [call.count - 1] : [])
            return try call.common(values)
        },
        evaluation: .conditional,
        sql: { call throws(SQLError) in
            try caseSQL(call, pairs: call.count / 2, otherwise: call.count % 2 == 1 ? call.count - 1 : nil)
        })

    public static let coalesce = ScalarFunction(
        "coalesce", family: .conditionals, signature: "coalesce(A, B, ...)",
        meaning: "the first value that is not null; later ones are evaluated only where needed",
        example: "groups | select coalesce(abbrev, name)",
        arity: 1...Int.max, usage: "coalesce(A, B, ...)",
        forms: CallForm.each(CallForm.valueTypes) { CallForm([.of($0), .of($0)], $0) },
        check: { call in
            var common = DataType.null
            for i in 0..<call.count {
                guard let next = DataType.common(common, call.types[i]) else {
                    throw call.error(.coalesceOneType(common, call.types[i]), at: i)
                }
                common = next
            }
            call.widen(Array(0..<call.count), to: common)
            if common == .date { call.resultDatePrecisions = call.mergedDatePrecisions(0..<call.count) }
            return common
        },
        evaluation: .coalesce,
        sql: { call throws(SQLError) in
            var parts: [String] = []
            for i in 0..<call.count { parts.append(try call.argument(i, as: call.resultType)) }
            return "COALESCE(" + parts.joined(separator: ", ") + ")"
        })

    /// `if` and `case` as SQL's CASE: conditions at 0, 2, 4, ..., each value after its
    /// condition, and the value for the other rows at `otherwise`.
    static func caseSQL(_ call: SQLFunctionCall, pairs: Int, otherwise: Int?) throws(SQLError) -> String {
        var parts: [String] = []
        for i in 0..<pairs {
            parts.append("WHEN \(try call.argument(2 * i, as: .bool)) THEN \(try call.argument(2 * i + 1, as: call.resultType))")
        }
        let elseSQL = try otherwise.map { (o) throws(SQLError) in " ELSE \(try call.argument(o, as: call.resultType))" } ?? ""
        return "(CASE \(parts.joined(separator: " "))\(elseSQL) END)"
    }
}
