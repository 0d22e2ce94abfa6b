// Every aggregate, one descriptor each: in `summarize` one value per group, in `window` the
// group's value on each of its rows. Nulls are skipped by all of them; a group with no value
// gives null (count gives 0, list the empty list). An aggregate is added here and named in
// `all`; the checker, the engine, the SQL compiler, the help and the fuzzer then know it.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension AggregateFunction {
    /// Every aggregate, in the order of the reference.
    public static let all: [AggregateFunction] = [
        count, countif, sum, avg, min, max, median, stdev, variance, percentile, mode, first, last, list,
    ]

    public static let count = AggregateFunction(
        "count", signature: "count(), count(X), count(distinct X) -> Int",
        meaning: "the rows; count(X) the rows where X is not null (of a condition, true and false alike: countif counts where it holds); count(distinct X) the distinct values",
        example: "funding | summarize count(), count(distinct donor)",
        arity: 0...1, allowsDistinct: true,
        forms: [CallForm([], .int)] + CallForm.each(CallForm.valueTypes) { CallForm([.of($0)], .int) },
        check: { call in
            if call.type == .bool, !call.distinct, !call.argumentIsPlainName {
                call.warn(Diagnostic(.countOfCondition,
                                     at: call.range, help: "to count the rows where it holds, write countif(...) or count(where ...)"))
            }
            if case .list = call.type, call.distinct {
                throw Diagnostic(.countDistinctOfLists, at: call.arguments[0].range, help: "use 'expand' first")
            }
            return .int
        },
        kernel: { call in call.aggregator.count(call) },
        sql: { call throws(SQLError) in
            if call.distinct {
                guard call.window == nil else { throw call.refuseOverWindow("count(distinct ...)") }
                return "COUNT(DISTINCT \(call.value))"
            }
            return try call.over("COUNT(\(call.argument ?? "*"))")
        })

    public static let countif = AggregateFunction(
        "countif", signature: "countif(COND) -> Int", meaning: "the rows where COND is true",
        example: "funding | summarize big = countif(amount_usd > 50000000)",
        forms: [CallForm([.of(.bool)], .int)],
        check: { call in
            try call.expect("a condition (Bool)") { $0 == .bool || $0 == .null }
            return .int
        },
        kernel: { call in call.aggregator.countif(call) },
        sql: { call throws(SQLError) in try call.over("COUNT(CASE WHEN \(call.value) THEN 1 END)") })

    public static let sum = AggregateFunction(
        "sum", signature: "sum(X)", meaning: "the total, skipping nulls; Int sums are checked for overflow; null when every value is null",
        example: "funding | summarize sum(amount_usd)",
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0)], $0) },
        check: { call in
            let type = try call.expect("a number", \.isNumeric)
            return type == .null ? .int : type
        },
        kernel: { call in try call.aggregator.sum(call) },
        sql: { call throws(SQLError) in
            // Integer sums are checked here; engines widen them (to NUMERIC or HUGEINT; Spark and
            // BigQuery as decimals, SQLDialect.integerSum), and the cast back fails the same
            // way an overflow does.
            if call.type == .int { return try call.dialect.integerSum(call.value, over: try call.window?.partition()) }
            return try call.over("SUM(\(call.value))")
        })

    public static let avg = AggregateFunction(
        "avg", signature: "avg(X) -> Float", meaning: "the mean, skipping nulls", example: "funding | summarize avg(amount_usd)",
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0)], .float) },
        check: { call in try call.expect("a number", \.isNumeric); return .float },
        kernel: { call in call.aggregator.avg(call) },
        sql: { call throws(SQLError) in try call.over("AVG(CAST(\(call.value) AS \(try call.dialect.typeName(.float))))") })

    public static let min = extreme("min", meaning: "the smallest value, skipping nulls", example: "missions | summarize min(deployed)")
    public static let max = extreme("max", meaning: "the largest value, skipping nulls", example: "missions | summarize max(personnel)")

    public static let median = AggregateFunction(
        "median", signature: "median(X) -> Float",
        meaning: "the middle value (the mean of the two middle ones), skipping nulls; percentile(X, 50)",
        example: "figures | summarize median(value)",
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0)], .float) },
        check: { call in try call.expect("a number", \.isNumeric); return .float },
        kernel: { call in call.aggregator.percentile(call.input, 50) },
        sql: percentileSQL)

    public static let stdev = spread("stdev", signature: "stdev(X) -> Float",
                                     meaning: "the sample standard deviation (n - 1, as SQL's stddev_samp), skipping nulls; null below two values",
                                     example: "figures | summarize stdev(value)", sql: "STDDEV_SAMP", squareRoot: true)
    public static let variance = spread("variance", signature: "variance(X) -> Float",
                                        meaning: "the sample variance (n - 1, as SQL's var_samp), skipping nulls; null below two values",
                                        example: "figures | summarize variance(value)", sql: "VAR_SAMP", squareRoot: false)

    /// `percentile(x, p)`, p from 0 to 100, interpolated as percentile_cont.
    public static let percentile = AggregateFunction(
        "percentile", signature: "percentile(X, P) -> Float",
        meaning: "the P-th percentile, P a constant from 0 to 100, interpolated between the two nearest values as SQL's percentile_cont; percentile(X, 50) is median(X)",
        example: "figures | summarize p90 = percentile(value, 90)",
        arity: 2...2, usage: "percentile(X, P) with P from 0 to 100, for example percentile(fatalities, 90)",
        forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0), .percentage], .float) },
        check: { call in
            let p = try percentage(call.arguments[1])
            if p > 0 && p < 1 {
                let intended = (p * 100).rounded() == p * 100 ? "\(Int(p * 100))" : "\(p * 100)"
                call.warn(Diagnostic(.percentileFraction(p, p),
                                     at: call.arguments[1].range, help: "for the \(intended)th percentile, write \(intended)"))
            }
            call.percentile = p
            try call.expect("a number", \.isNumeric)
            return .float
        },
        kernel: { call in call.aggregator.percentile(call.input, call.percentile) },
        sql: percentileSQL)

    /// The most frequent value; of equally frequent ones, the smallest.
    public static let mode = AggregateFunction(
        "mode", signature: "mode(X)", meaning: "the most frequent value, skipping nulls; of equally frequent values, the smallest",
        example: "funding | summarize mode(donor)",
        forms: CallForm.each(CallForm.valueTypes) { CallForm([.of($0)], $0) },
        check: { call in try call.expect("a value with an order", \.isOrderable) },
        kernel: { call in call.aggregator.mode(call.input, call.type) },
        sql: { call throws(SQLError) in
            // PostgreSQL's mode() reads the values in order and keeps the first of the most
            // frequent, the smallest; Spark's mode(x, true) keeps the smallest too. DuckDB's and
            // BigQuery's leave ties unspecified: there the values are counted and the counts
            // sorted, the smallest value first among equal counts.
            let dialect = call.dialect, value = call.value
            let v = dialect.quote("_cq_v")
            switch dialect {
            case .postgres:
                // No ordered-set aggregate is allowed with OVER.
                guard call.window == nil else { throw call.refuseOverWindow() }
                return "mode() WITHIN GROUP (ORDER BY \(dialect.bytewise(value, call.type)))"
            case .spark:
                return try call.over("mode(\(value), true)")
            case .duckdb:
                let counts = try call.over("histogram(\(value))")
                let pair = "{'c': -CAST(\(v).value AS BIGINT), 'v': \(v).key}"
                return "list_sort(list_transform(map_entries(\(counts)), lambda \(v): \(pair)))[1].v"
            case .bigquery:
                guard call.window == nil else { throw call.refuseOverWindow() }
                return "(SELECT \(v) FROM UNNEST(ARRAY_AGG(\(value) IGNORE NULLS)) AS \(v) "
                    + "GROUP BY \(v) ORDER BY COUNT(*) DESC, \(v) LIMIT 1)"
            }
        })

    public static let first = firstOrLast("first", last: false)
    public static let last = firstOrLast("last", last: true)

    /// The values as a list in the rows' order.
    public static let list = AggregateFunction(
        "list", signature: "list(X), list(distinct X) -> List",
        meaning: "the values that are not null, in the rows' order; distinct keeps each value's first occurrence; [] when there is none",
        example: "funding | summarize list(distinct donor)",
        allowsDistinct: true,
        forms: CallForm.each(CallForm.valueTypes) { CallForm([.of($0)], .list($0)) },
        check: { call in
            if case .list = call.type {
                throw Diagnostic(.listOfLists, at: call.arguments[0].range, help: "use 'expand' first")
            }
            return .list(call.type)
        },
        kernel: { call in call.aggregator.list(call.input, call.type, distinct: call.distinct) },
        sql: { call throws(SQLError) in
            let dialect = call.dialect, value = call.value
            var element = DataType.null
            if case .list(let e) = call.type { element = e }
            let elementName = try dialect.typeName(element == .null ? .int : element)
            if let window = call.window {
                // Over the whole group in the window's order, which DuckDB and PostgreSQL
                // aggregate in frame order.
                guard !call.distinct else { throw call.refuseOverWindow("list(distinct ...)") }
                let present = "FILTER (WHERE \(value) IS NOT NULL)"
                switch dialect {
                case .duckdb:
                    return "COALESCE(list(\(value)) \(present) \(try window.wholeGroupInOrder()), CAST([] AS \(elementName)[]))"
                case .postgres:
                    return "COALESCE(array_agg(\(value)) \(present) \(try window.wholeGroupInOrder()), CAST(ARRAY[] AS \(elementName)[]))"
                case .bigquery, .spark:
                    throw call.refuseOverWindow()
                }
            }
            // In the rows' order; with distinct, each value where it first comes.
            let v = dialect.quote("_cq_v"), i = dialect.quote("_cq_i")
            switch dialect {
            case .duckdb:
                let all = "list(\(value) ORDER BY \(call.row)) FILTER (WHERE \(value) IS NOT NULL)"
                let kept = call.distinct ? "list_filter(\(all), lambda \(v), \(i): list_position(\(all), \(v)) = \(i))" : all
                return "COALESCE(\(kept), CAST([] AS \(elementName)[]))"
            case .postgres:
                let all = "array_agg(\(value) ORDER BY \(call.row)) FILTER (WHERE \(value) IS NOT NULL)"
                if call.distinct {
                    let unnested = "unnest(\(all)) WITH ORDINALITY AS \(dialect.quote("_cq_u"))(\(v), \(i))"
                    return "ARRAY(SELECT \(v) FROM \(unnested) GROUP BY \(v) ORDER BY MIN(\(i)))"
                }
                return "COALESCE(\(all), CAST(ARRAY[] AS \(elementName)[]))"
            case .bigquery:
                let all = "ARRAY_AGG(\(value) IGNORE NULLS ORDER BY \(call.row))"
                if call.distinct {
                    return "ARRAY(SELECT \(v) FROM UNNEST(\(all)) AS \(v) WITH OFFSET AS \(i) GROUP BY \(v) ORDER BY MIN(\(i)))"
                }
                return "IFNULL(\(all), [])"
            case .spark:
                // collect_list keeps no order: pairs of (row, value), sorted by row.
                let s = dialect.quote("_cq_s")
                let pairs = "collect_list(named_struct('r', \(call.row), 'v', \(value))) FILTER (WHERE \(value) IS NOT NULL)"
                let sorted = "transform(array_sort(\(pairs)), \(s) -> \(s).v)"
                return call.distinct ? "array_distinct(\(sorted))" : sorted
            }
        })

    // MARK: Families of alike aggregates

    /// min or max: a value of the group, compared as `sort` orders them.
    static func extreme(_ name: String, meaning: String, example: String) -> AggregateFunction {
        let wantMax = name == "max"
        return AggregateFunction(
            name, signature: "\(name)(X)", meaning: meaning, example: example,
            forms: CallForm.each(CallForm.valueTypes) { CallForm([.of($0)], $0) },
            check: { call in try call.expect("a value with an order", \.isOrderable) },
            kernel: { call in call.aggregator.extreme(call, wantMax: wantMax) },
            sql: { call throws(SQLError) in
                // PostgreSQL has no MIN or MAX of booleans: false < true makes them AND and OR.
                if call.argumentType == .bool && call.dialect == .postgres {
                    return try call.over("\(wantMax ? "BOOL_OR" : "BOOL_AND")(\(call.value))")
                }
                return try call.over("\(name.uppercased())(\(call.dialect.bytewise(call.value, call.argumentType)))")
            })
    }

    /// Sample standard deviation and variance (n - 1), as SQL's stddev_samp and var_samp.
    static func spread(_ name: String, signature: String, meaning: String, example: String, sql function: String,
                       squareRoot: Bool) -> AggregateFunction {
        AggregateFunction(
            name, signature: signature, meaning: meaning, example: example,
            forms: CallForm.each(CallForm.numberTypes) { CallForm([.of($0)], .float) },
            check: { call in try call.expect("a number", \.isNumeric); return .float },
            kernel: { call in call.aggregator.spread(call.input, squareRoot: squareRoot) },
            sql: { call throws(SQLError) in try call.over("\(function)(CAST(\(call.value) AS \(try call.dialect.typeName(.float))))") })
    }

    /// The first or last value in the rows' order (a window's order in `window`).
    static func firstOrLast(_ name: String, last: Bool) -> AggregateFunction {
        AggregateFunction(
            name, signature: "\(name)(X)",
            meaning: "the \(name) value that is not null, in the rows' order (sort before summarize; in a window, the window's order)",
            example: last ? "funding | sort by amount_usd | summarize last(donor)" : "funding | sort by amount_usd desc | summarize first(donor)",
            forms: CallForm.each(CallForm.valueTypes) { CallForm([.of($0)], $0) },
            check: { call in call.type },
            kernel: { call in call.aggregator.firstOrLast(call.input, call.type, last: last) },
            sql: { call throws(SQLError) in
                let value = call.value, direction = last ? "DESC" : "ASC"
                if let window = call.window {
                    let present = "FILTER (WHERE \(value) IS NOT NULL)"
                    switch call.dialect {
                    case .duckdb:
                        return "\(last ? "LAST_VALUE" : "FIRST_VALUE")(\(value) IGNORE NULLS) \(try window.wholeGroupInOrder())"
                    case .postgres where !call.ofList:
                        let ordered = try window.wholeGroupInOrder()
                        return "(array_agg(\(value)) \(present) \(ordered))[\(last ? "COUNT(\(value)) \(ordered)" : "1")]"
                    case .spark:
                        return "\(last ? "last_value" : "first_value")(\(value), true) \(try window.wholeGroupInOrder())"
                    case .bigquery:
                        return "\(last ? "LAST_VALUE" : "FIRST_VALUE")(\(value) IGNORE NULLS) \(try window.wholeGroupInOrder())"
                    case .postgres:
                        throw call.refuseOverWindow()
                    }
                }
                switch call.dialect {
                case .duckdb:
                    return "\(last ? "arg_max" : "arg_min")(\(value), \(call.row)) FILTER (WHERE \(value) IS NOT NULL)"
                case .spark:
                    return "\(last ? "max_by" : "min_by")(\(value), \(call.row)) FILTER (WHERE \(value) IS NOT NULL)"
                case .postgres where !call.ofList:
                    return "(array_agg(\(value) ORDER BY \(call.row) \(direction)) FILTER (WHERE \(value) IS NOT NULL))[1]"
                case .bigquery where !call.ofList:
                    return "ARRAY_AGG(\(value) IGNORE NULLS ORDER BY \(call.row) \(direction) LIMIT 1)[SAFE_OFFSET(0)]"
                case .bigquery:
                    // No arrays of arrays: each list in a struct, a null list as no struct.
                    let v = call.dialect.quote("_cq_v")
                    let wrapped = "IF(\(value) IS NULL, NULL, STRUCT(\(value) AS \(v)))"
                    return "ARRAY_AGG(\(wrapped) IGNORE NULLS ORDER BY \(call.row) \(direction) LIMIT 1)[SAFE_OFFSET(0)].\(v)"
                case .postgres:
                    // array_agg of arrays makes one array of two dimensions, not a list of lists.
                    throw call.refuse("of a list")
                }
            })
    }

    /// median and percentile: an ordered-set aggregate in PostgreSQL (which allows no OVER
    /// with it), an analytic function only in BigQuery (over the group's values, unnested).
    @Sendable static func percentileSQL(_ call: SQLAggregateCall) throws(SQLError) -> String {
        let dialect = call.dialect
        let float = try dialect.typeName(.float)
        let value = "CAST(\(call.value) AS \(float))", fraction = call.percentile / 100
        if let window = call.window {
            switch dialect {
            case .postgres: throw call.refuseOverWindow()
            case .duckdb, .spark:
                let function = dialect == .duckdb ? "quantile_cont" : "percentile"
                return "CAST(\(function)(\(value), \(fraction)) \(try window.partition()) AS \(float))"
            case .bigquery: return "PERCENTILE_CONT(\(value), \(fraction)) \(try window.partition())"
            }
        }
        if dialect == .bigquery {
            let v = dialect.quote("_cq_v")
            return "(SELECT PERCENTILE_CONT(\(v), \(fraction)) OVER () FROM UNNEST(ARRAY_AGG(\(value) IGNORE NULLS)) AS \(v) LIMIT 1)"
        }
        return "CAST(\(dialect.percentile(value, fraction)) AS \(float))"
    }

    /// percentile's p: a constant number from 0 to 100 written in the query, so that every
    /// group uses the same.
    static func percentage(_ source: Expression) throws -> Double {
        guard let value = source.number else {
            throw Diagnostic(.percentileNotConstant, at: source.range,
                                   help: "write: percentile(X, 90) for the 90th percentile")
        }
        guard value >= 0 && value <= 100 else {
            throw Diagnostic(.percentileOutOfRange(source.numberText ?? "\(value)"), at: source.range,
                                   help: "p is a percentage: write percentile(X, 90) for the 90th percentile")
        }
        return value
    }

    /// The argument's one type, when every form takes the same (countif's Bool): a null
    /// argument is given it in SQL.
    package var onlyArgumentType: DataType? {
        let types = Set(forms.compactMap { form -> DataType? in
            if case .of(let type)? = form.arguments.first { return type }
            return nil
        })
        return types.count == 1 ? types.first : nil
    }
}

private extension Expression {
    /// A number written in the query, negated or not.
    var number: Double? {
        switch kind {
        case .literal(.int(let n)): return Double(n)
        case .literal(.float(let x)): return x
        case .unary(.negate, let inner):
            if case .literal(.int(let n)) = inner.kind { return -Double(n) }
            if case .literal(.float(let x)) = inner.kind { return -x }
            return nil
        default: return nil
        }
    }

    /// The number as written, for messages.
    var numberText: String? {
        switch kind {
        case .literal(.int(let n)): return "\(n)"
        case .literal(.float(let x)): return "\(x)"
        case .unary(.negate, let inner): return inner.numberText.map { "-" + $0 }
        default: return nil
        }
    }
}
