// Columns end to end, for `union` and for loading many files as one table: each part
// converted to the common type (Int to Float; a part of nulls, or a missing one, to nulls).
// String parts keep their dictionaries' bytes: the segments are shared, not copied, and only
// small dictionaries of unique entries are merged by value, so that equal strings keep
// equal codes where operators profit from it.

extension Column {
    /// The parts, in order, as one column of type `type`; a nil part is `count` nulls.
    /// Every part's type must widen to `type` (DataType.common).
    package static func concatenate(_ parts: [(column: Column?, count: Int)], type: DataType) -> Column {
        let total = parts.reduce(0) { $0 + $1.count }
        let present = parts.map { part -> Column? in
            guard let column = part.column else { return nil }
            if case .null = column.storage { return nil }
            return column
        }
        var validity: Bitmap? = nil
        if zip(parts, present).contains(where: { $1 == nil ? $0.count > 0 : $1!.validity != nil }) {
            var bits = Bitmap(count: total, allValid: true)
            var row = 0
            for (part, column) in zip(parts, present) {
                for i in 0..<part.count where column?.isNull(i) ?? true { bits[row + i] = false }
                row += part.count
            }
            validity = bits
        }
        func values<T>(_ fill: T, _ read: (Column) -> [T]?) -> [T] {
            var result: [T] = []
            result.reserveCapacity(total)
            for (part, column) in zip(parts, present) {
                if let column, let array = read(column) { result += array } else {
                    result += repeatElement(fill, count: part.count)
                }
            }
            return result
        }
        let storage: Storage
        switch type {
        case .null:
            storage = .null
        case .int:
            storage = .int(values(0) { if case .int(let v) = $0.storage { return v }; return nil })
        case .float:
            storage = .float(values(0) {
                if case .float(let v) = $0.storage { return v }
                if case .int(let v) = $0.storage { return v.map(Double.init) }
                return nil
            })
        case .bool:
            storage = .bool(values(false) { if case .bool(let v) = $0.storage { return v }; return nil })
        case .date:
            storage = .date(days: values(0) { if case .date(let d, _) = $0.storage { return d }; return nil },
                            precision: values(.day) { if case .date(_, let p) = $0.storage { return p }; return nil })
        case .string:
            storage = concatenateStrings(parts.map(\.count), present)
        case .list(let element):
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(total + 1)
            var children: [(column: Column?, count: Int)] = []
            for (part, column) in zip(parts, present) {
                guard let column, case .list(let partOffsets, let partValues) = column.storage else {
                    offsets += repeatElement(offsets.last!, count: part.count)
                    continue
                }
                let base = offsets.last!
                for i in 1..<partOffsets.count { offsets.append(base + partOffsets[i]) }
                children.append((partValues, partValues.count))
            }
            storage = .list(offsets: offsets, values: Column.concatenate(children, type: element))
        }
        return Column(type: type, storage: storage, validity: validity, count: total)
    }

    /// String parts as one code array over one dictionary.
    private static func concatenateStrings(_ counts: [Int], _ parts: [Column?]) -> Storage {
        var dictionaries: [StringDictionary] = []
        for part in parts {
            if let part, case .string(_, let dictionary) = part.storage,
               !dictionaries.contains(where: { $0 === dictionary }) { dictionaries.append(dictionary) }
        }
        let total = counts.reduce(0, +)
        // Each distinct dictionary's codes become codes of the merged one through `remap`
        // (nil: shifted by the dictionary's first entry in the merged one).
        var remaps: [ObjectIdentifier: [Int32]] = [:]
        var shifts: [ObjectIdentifier: Int32] = [:]
        let merged: StringDictionary
        if dictionaries.isEmpty {
            merged = StringDictionary([""])
        } else if dictionaries.count == 1 {
            merged = dictionaries[0]
            shifts[ObjectIdentifier(merged)] = 0
        } else if dictionaries.allSatisfy(\.isUnique), dictionaries.reduce(0, { $0 + $1.count }) <= max(1 << 16, total / 8) {
            // Few distinct values (countries, event types): one entry per value.
            var index: [String: Int32] = [:]
            var entries: [String] = []
            for dictionary in dictionaries {
                remaps[ObjectIdentifier(dictionary)] = (0..<dictionary.count).map { code in
                    let value = dictionary[code]
                    if let existing = index[value] { return existing }
                    entries.append(value)
                    index[value] = Int32(entries.count - 1)
                    return Int32(entries.count - 1)
                }
            }
            merged = StringDictionary(entries)
        } else {
            // Many values (notes, ids): the segments side by side, as a parallel load keeps them.
            var segments: [StringDictionary.Segment] = []
            for dictionary in dictionaries {
                shifts[ObjectIdentifier(dictionary)] = Int32(segments.reduce(0) { $0 + $1.count })
                segments += dictionary.segments
            }
            merged = StringDictionary(segments: segments, isUnique: false)
        }
        // Codes as narrow as the merged dictionary allows, widened as they go.
        var codes = StringCodeBuilder()
        codes.reserveCapacity(total)
        for (count, part) in zip(counts, parts) {
            guard let part, case .string(let partCodes, let dictionary) = part.storage else {
                for _ in 0..<count { codes.append(0) }
                continue
            }
            if let remap = remaps[ObjectIdentifier(dictionary)] {
                remap.withUnsafeBufferPointer { remap in
                    codes.append(partCodes) { remap[Int($0)] }
                }
            } else {
                let shift = shifts[ObjectIdentifier(dictionary)]!
                codes.append(partCodes) { $0 &+ shift }
            }
        }
        return .string(codes: codes.finish(), dictionary: merged)
    }
}
