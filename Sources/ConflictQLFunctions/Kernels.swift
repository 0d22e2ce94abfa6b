// The shapes most kernels share. A text function whose other arguments are the same on
// every row is computed once per distinct string of the dictionary (a million events name
// a few hundred places) and spread to the rows by code; otherwise it runs row by row.

import ConflictQLCore

extension ScalarFunction {
    /// `body(text, arguments)` over the first argument's strings, the other arguments'
    /// values beside it; null where any argument is null.
    static func overStrings(_ call: KernelCall, _ body: (String, [Value]) throws -> Value) throws -> Column {
        let columns = call.columns, count = call.rowCount
        guard case .string(let codes, let dictionary) = columns[0].storage else { return call.nulls() }
        let rest = call.scalars.dropFirst()
        if rest.contains(where: { $0 == nil }) {
            var builder = ColumnBuilder(type: call.resultType, capacity: count)
            for row in 0..<count {
                try call.poll(row)
                let values = columns.map { $0.value(at: row) }
                guard !values.contains(where: \.isNull), case .string(let text) = values[0] else { builder.append(.null); continue }
                builder.append(try body(text, Array(values.dropFirst())))
            }
            return builder.finish()
        }
        let arguments = rest.map { $0! }
        if arguments.contains(where: \.isNull) { return call.nulls() }
        // Only the entries some row holds: a dictionary keeps the entries of rows a `where`
        // dropped, and a function that fails on a value must not fail on theirs.
        var used = [Bool](repeating: false, count: dictionary.count)
        let validity = columns[0].validity
        codes.forEachCode { row, code in if validity?[row] ?? true { used[Int(code)] = true } }
        var perEntry = ColumnBuilder(type: call.resultType, capacity: dictionary.count)
        for index in 0..<dictionary.count {
            try call.poll(index)
            perEntry.append(used[index] ? try body(dictionary[index], arguments) : .null)
        }
        let spread = perEntry.finish().gather(codes.words)
        return Column(type: spread.type, storage: spread.storage, validity: Bitmap.and(spread.validity, columns[0].validity), count: count)
    }

    /// A string column from codes into a mapped dictionary whose entries may now repeat.
    static func recode(_ codes: StringCodes, _ mapped: [String], _ validity: Bitmap?) -> Column {
        var lookup: [String: Int32] = [:]
        var unique: [String] = []
        let remap = mapped.map { s -> Int32 in
            if let code = lookup[s] { return code }
            let code = Int32(unique.count)
            unique.append(s)
            lookup[s] = code
            return code
        }
        return Column(type: .string, storage: .string(codes: StringCodes(codes.map { remap[Int($0)] }).narrowed(entries: unique.count),
            dictionary: StringDictionary(unique)),
                      validity: validity, count: codes.count)
    }
}
