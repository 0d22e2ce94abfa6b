// `group_of`, `groups_of` and `is_joint` over a column: resolved once per distinct actor
// name of the dictionary (a million events name a few hundred actors), then spread to the
// rows by code. Rows with a country argument resolve per distinct (name, country) pair.
// The rules are Data/Actors.swift's. Part of the evaluator.

extension Evaluator {
    func actorFunction(_ function: ScalarFunction, _ columns: [Column], _ expression: BoundExpression,
                       _ count: Int) throws -> Column {
        let range = expression.range
        func resolve(_ names: Value, _ country: Value) -> Value {
            let place: String? = if case .string(let c) = country { c } else { nil }
            switch (function, names) {
            case (.group_of, .string(let name)):
                return Actors.group(of: name, country: place).map(Value.string) ?? .null
            case (.is_joint, .string(let name)):
                return .bool(Actors.isJoint(name))
            case (.groups_of, .string(let name)):
                return .list(Actors.groups(of: [name], country: place).map(Value.string))
            case (.groups_of, .list(let items)):
                let fields = items.compactMap { item -> String? in if case .string(let s) = item { return s }; return nil }
                return .list(Actors.groups(of: fields, country: place).map(Value.string))
            default:
                return .null
            }
        }
        // One string column and no country: once per dictionary entry.
        if columns.count == 1, case .string(let codes, let dictionary) = columns[0].storage {
            var perEntry = ColumnBuilder(type: expression.type, capacity: dictionary.count)
            for index in 0..<dictionary.count {
                try context.poll(index, range)
                perEntry.append(resolve(.string(dictionary[index]), .null))
            }
            let spread = perEntry.finish().gather(codes)
            return Column(type: spread.type, storage: spread.storage, validity: Bitmap.and(spread.validity, columns[0].validity), count: count)
        }
        // Lists of names, or a country per row: once per distinct pair of values.
        var builder = ColumnBuilder(type: expression.type, capacity: count)
        var seen: [[Value]: Value] = [:]
        for row in 0..<count {
            try context.poll(row, range)
            let values = columns.map { $0.value(at: row) }
            if values[0].isNull { builder.append(.null); continue }
            if let known = seen[values] { builder.append(known); continue }
            let result = resolve(values[0], values.count > 1 ? values[1] : .null)
            if seen.count < 100_000 { seen[values] = result }
            builder.append(result)
        }
        return builder.finish()
    }
}
