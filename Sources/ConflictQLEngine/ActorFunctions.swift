// `group_of`, `groups_of`, `groups_on` and `is_joint` over a column: resolved once per distinct actor
// name of the dictionary (a million events name a few hundred actors), then spread to the
// rows by code. Rows with a country argument resolve per distinct (name, country) pair.
// The rules are Data/Actors.swift's. Part of the evaluator.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    /// `groups_of([a, b, ...][, country])` over string columns, without a list per row: each
    /// field's groups once per dictionary entry (as numbers into `Actors.groupNames`), then
    /// per row the fields' groups in order, each once, written straight into a list column.
    /// Only entries that hold a country-scoped alias (UCDP's "IS") are resolved per row.
    func groupsOfFields(_ fields: [BoundExpression], _ country: BoundExpression?, _ expression: BoundExpression,
                        _ table: Table) throws -> Operand {
        let count = table.rowCount, range = expression.range
        let ids = Dictionary(uniqueKeysWithValues: Actors.groupNames.enumerated().map { ($0.element, Int32($0.offset)) })
        let countries = try country.map { materialize(try evaluate($0, table), .string, count) }
        struct Resolved {
            var codes: StringCodes; var validity: Column; var groups: [[Int32]]; var scoped: [Bool]; var texts: StringDictionary
        }
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
                throw Diagnostic(.groupsOfTooLarge(Int32.max), at: range)
            }
            offsets[r + 1] = Int32(values.count)
        }
        let elements = Column(type: .string, storage: .string(codes: StringCodes(values).narrowed(entries: Actors.groupNames.count),
                                                            dictionary: StringDictionary(Actors.groupNames)),
                              validity: nil, count: values.count)
        return .column(Column(type: .list(.string), storage: .list(offsets: offsets, values: elements), validity: nil, count: count))
    }
}
