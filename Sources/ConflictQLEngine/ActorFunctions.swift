// `group_of`, `groups_of`, `groups_on` and `is_joint` over a column: resolved once per distinct actor
// name of the dictionary (a million events name a few hundred actors), then spread to the
// rows by code. Rows with a country argument resolve per distinct (name, country) pair.
// The rules are Data/Actors.swift's. Part of the evaluator.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    func actorFunction(_ function: ScalarFunction, _ columns: [Column], _ expression: BoundExpression,
                       _ count: Int) throws -> Column {
        let range = expression.range
        func resolve(_ names: Value, _ country: Value, _ date: Value = .null) -> Value {
            let place: String? = if case .string(let c) = country { c } else { nil }
            let day: DateValue? = if case .date(let d) = date { d } else { nil }
            switch (function, names) {
            case (.groups_on, .string(let name)):
                return .list(Relations.groups(of: [name], on: day, country: place).map(Value.string))
            case (.groups_on, .list(let items)):
                let fields = items.compactMap { item -> String? in if case .string(let s) = item { return s }; return nil }
                return .list(Relations.groups(of: fields, on: day, country: place).map(Value.string))
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
            let result = function == .groups_on
                ? resolve(values[0], values.count > 2 ? values[2] : .null, values[1])
                : resolve(values[0], values.count > 1 ? values[1] : .null)
            if seen.count < 100_000 { seen[values] = result }
            builder.append(result)
        }
        return builder.finish()
    }

    /// `groups_of([a, b, ...][, country])` over string columns, without a list per row: each
    /// field's groups once per dictionary entry (as numbers into `Actors.groupNames`), then
    /// per row the fields' groups in order, each once, written straight into a list column.
    /// Only entries that hold a country-scoped alias (UCDP's "IS") are resolved per row.
    func groupsOfFields(_ fields: [BoundExpression], _ country: BoundExpression?, _ expression: BoundExpression,
                        _ table: Table) throws -> Operand {
        let count = table.rowCount, range = expression.range
        let ids = Dictionary(uniqueKeysWithValues: Actors.groupNames.enumerated().map { ($0.element, Int32($0.offset)) })
        let countries = try country.map { materialize(try evaluate($0, table), .string, count) }
        struct Resolved { var codes: [Int32]; var validity: Column; var groups: [[Int32]]; var scoped: [Bool]; var texts: StringDictionary }
        var resolved: [Resolved] = []
        for field in fields {
            let column = materialize(try evaluate(field, table), .string, count)
            guard case .string(let codes, let dictionary) = column.storage else { continue }  // all null
            var groups: [[Int32]] = [], scoped: [Bool] = []
            groups.reserveCapacity(dictionary.count)
            for entry in 0..<dictionary.count {
                try context.poll(entry, range)
                let text = dictionary[entry]
                groups.append(Actors.groups(of: [text]).map { ids[$0]! })
                scoped.append(countries != nil && Actors.needsCountry(text))
            }
            resolved.append(Resolved(codes: codes, validity: column, groups: groups, scoped: scoped, texts: dictionary))
        }
        var offsets = [Int32](repeating: 0, count: count + 1)
        var values: [Int32] = []
        values.reserveCapacity(count)
        var row: [Int32] = []
        for r in 0..<count {
            try context.poll(r, range)
            row.removeAll(keepingCapacity: true)
            for field in resolved where !field.validity.isNull(r) {
                let code = Int(field.codes[r])
                var found = field.groups[code]
                if field.scoped[code], let countries {
                    let place: String? = countries.isNull(r) ? nil : { if case .string(let c) = countries.value(at: r) { return c }; return nil }()
                    found = Actors.groups(of: [field.texts[code]], country: place).map { ids[$0]! }
                }
                for id in found where !row.contains(id) { row.append(id) }
            }
            values.append(contentsOf: row)
            guard values.count <= Int(Int32.max) else {
                throw Diagnostic.error("groups_of would make more than \(Int32.max) list elements", at: range)
            }
            offsets[r + 1] = Int32(values.count)
        }
        let elements = Column(type: .string, storage: .string(codes: values, dictionary: StringDictionary(Actors.groupNames)),
                              validity: nil, count: values.count)
        return .column(Column(type: .list(.string), storage: .list(offsets: offsets, values: elements), validity: nil, count: count))
    }
}
