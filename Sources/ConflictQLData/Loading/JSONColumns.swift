// The JSON loader's columns, built from the cells its readers kept (JSONCells.swift): each
// column's type decided over all its values (JSONTyping's rule, or the type the load gives),
// then its values converted straight into the typed arrays and dictionaries of a table.
// The records come in parts (one per stretch of text read on its own core, or one for the
// whole text), each split into ranges that the cores build at once; every range goes through
// its records a block at a time, all columns together, after reading the block's text once
// ahead (a column at a time over a text of hundreds of MiB missed the caches at every value).

import CCSVScan
import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization

/// The records read from one stretch of the text.
struct JSONPart {
    /// The part's columns, in the order their keys first appear in it.
    var names: [String]
    var cells: [JSONCells]
    var rows: Int
    /// Where the part's first record starts, and where each of its records ends.
    var start: Int
    var ends: [Int]
}

/// The table's columns from the parts read, in order, each of the type `options` gives it or
/// JSONTyping's rule. A value that is not of a given type is an error at it, the first in
/// column order; so is text that cannot be had.
func buildJSONColumns(names: [String], parts: [JSONPart], options: LoadOptions, file: DataFile) throws(LoadError) -> [Column] {
    let text = file.bytes
    let rows = parts.reduce(0) { $0 + $1.rows }
    // Each part's column of each of the table's columns (nil: its records lack the key).
    let local: [[Int?]] = parts.map { part in
        var index: [String: Int] = [:]
        for (k, name) in part.names.enumerated() { index[name] = k }
        return names.map { index[$0] }
    }
    if !options.jsonScansFlatRecords {
        // The oracle: each column typed and built whole from its nodes.
        return try names.indices.map { (c) throws(LoadError) -> Column in
            let type = options.types[names[c]] ?? JSONTyping.columnType(nodes(of: c, parts, local, text).lazy.map(\.node))
            return try buildFromNodes(names[c], c, parts, local, type: type, rows: rows, file: file)
        }
    }
    // The ranges built at once: a part each, or the one part split.
    let ranges: [(part: Int, rows: Range<Int>)]
    if parts.count == 1 {
        let count = parts[0].rows >= options.jsonRangeThreshold ? max(1, System.coreCount * 2) : 1
        ranges = (0..<count).map { k in (0, parts[0].rows * k / count..<parts[0].rows * (k + 1) / count) }
    } else {
        ranges = parts.indices.map { ($0, 0..<parts[$0].rows) }
    }
    let blockRows = max(1, options.jsonBlockRows)
    let shared = UncheckedSendable(value: (parts, local, text))
    /// Goes through range `k` a block of records at a time: `visit(block, part, column, cells)`
    /// for each column of the part in each block, after the block's text was read ahead.
    @Sendable func eachBlock(of k: Int, _ visit: (Range<Int>, Int, Int, JSONCells?) -> Void) {
        let (parts, local, text) = shared.value
        let (p, range) = ranges[k]
        let part = parts[p]
        var blockStart = range.lowerBound
        while blockStart < range.upperBound {
            let blockEnd = min(range.upperBound, blockStart + blockRows)
            let from = blockStart == 0 ? part.start : part.ends[blockStart - 1]
            if let base = text.baseAddress, part.ends[blockEnd - 1] > from { cq_read_ahead(base + from, part.ends[blockEnd - 1] - from) }
            for c in names.indices { visit(blockStart..<blockEnd, p, c, local[p][c].map { part.cells[$0] }) }
            blockStart = blockEnd
        }
    }
    let types = inferredTypes(names: names, options: options, parts: parts, local: local, text: text,
                              ranges: ranges.count, eachBlock: eachBlock)
    // Lists, and declared types the typed arrays do not hold, are built from nodes.
    let byNodes = types.map { type -> Bool in
        switch type {
        case .int, .float, .bool, .date, .string: return false
        case .list, .null: return true
        }
    }
    let built = Mutex<[(k: Int, columns: [ColumnAccumulator], failures: [(cell: Int, problem: FieldProblem?)?])]>([])
    DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
        let (parts, local, text) = shared.value
        let (p, range) = ranges[k]
        var columns: [ColumnAccumulator] = []
        var cursors: [Int] = []
        for c in names.indices {
            let cells = local[p][c].map { parts[p].cells[$0] }
            let first = cells?.firstCell(atOrAfter: range.lowerBound) ?? 0
            var textBytes = 0
            if types[c] == .string, let cells {
                for i in first..<cells.firstCell(atOrAfter: range.upperBound) where cells.kind(i).isString { textBytes += cells.length(i) }
            }
            cursors.append(first)
            // The first range's columns have room for every range's rows: the others are
            // appended to them in place.
            columns.append(ColumnAccumulator(type: byNodes[c] ? .null : types[c], isInferred: false,
                                             capacity: byNodes[c] ? 0 : k == 0 ? rows : range.count, textBytes: textBytes))
        }
        var failures = [(cell: Int, problem: FieldProblem?)?](repeating: nil, count: names.count)
        var scratch = [UInt8](repeating: 0, count: 256)
        let base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
        eachBlock(of: k) { block, _, c, cells in
            guard !byNodes[c], failures[c] == nil else { return }
            var row = block.lowerBound
            if let cells {
                var i = cursors[c]
                while i < cells.count && cells.row(i) < block.upperBound {
                    while row < cells.row(i) { columns[c].appendNull(); row += 1 }
                    do throws(FieldProblem) {
                        guard try convert(cells, i, base, to: &columns[c], types[c], scratch: &scratch) else {
                            failures[c] = (i, nil)
                            return
                        }
                    } catch {
                        failures[c] = (i, error)
                        return
                    }
                    row += 1
                    i += 1
                }
                cursors[c] = i
            }
            while row < block.upperBound { columns[c].appendNull(); row += 1 }
        }
        built.withLock { $0.append((k, columns, failures)) }
    }
    var chunks = built.withLock { $0 }.sorted { $0.k < $1.k }
    // The first failure in column order, and within a column in row order, is the load's.
    for c in names.indices where !byNodes[c] {
        for chunk in chunks {
            guard let (i, problem) = chunk.failures[c], let l = local[ranges[chunk.k].part][c] else { continue }
            let cells = parts[ranges[chunk.k].part].cells[l]
            let offset = cells.offset(i)
            if problem != nil {
                let bytes = cells.kind(i) == .node ? JSONTyping.text(cells.nodes[cells.start(i)]).utf8.count : cells.length(i)
                throw file.error(.recordProblem(.notEnoughMemory(bytes: bytes, offset: offset)), at: offset)
            }
            throw cellTypeError(names[c], types[c], cells.node(i, in: text), at: offset, in: file)
        }
    }
    // The later ranges joined to the first, the columns on all cores.
    var columns = chunks[0].columns
    for k in 1..<chunks.count {
        let failed = Mutex<FieldProblem?>(nil)
        columns.withUnsafeMutableBufferPointer { mine in
            chunks[k].columns.withUnsafeMutableBufferPointer { theirs in
                forEachPiece(of: mine.count, minimumPiece: 1) { piece in
                    for c in piece where !byNodes[c] {
                        do throws(FieldProblem) { try mine[c].absorb(theirs[c]) } catch { failed.withLock { $0 = $0 ?? error } }
                        theirs[c] = ColumnAccumulator(type: .null, isInferred: true, capacity: 0)
                    }
                }
            }
        }
        if let failure = failed.withLock({ $0 }) {
            throw file.error(.recordProblem(.notEnoughMemory(bytes: failure.bytes, offset: 0)), at: 0)
        }
        chunks[k].columns = []
    }
    var result: [Column] = []
    result.reserveCapacity(names.count)
    for c in names.indices {
        if options.cancellation?.isCancelled == true { throw LoadError(.cancelled, path: file.path) }
        result.append(byNodes[c] ? try buildFromNodes(names[c], c, parts, local, type: types[c], rows: rows, file: file) : columns[c].finish())
    }
    return result
}

/// Each column's type: the one `options` gives, or JSONTyping's rule over its values, typed
/// on all cores a range at a time (as the build goes through them) and the ranges' typings
/// merged.
private func inferredTypes(names: [String], options: LoadOptions, parts: [JSONPart], local: [[Int?]], text: UnsafeBufferPointer<UInt8>,
                           ranges: Int, eachBlock: @Sendable (Int, (Range<Int>, Int, Int, JSONCells?) -> Void) -> Void) -> [DataType] {
    // A column of arrays is typed by the rule over nodes (lists).
    let lists = names.indices.map { c in
        parts.indices.contains { p in
            guard let l = local[p][c] else { return false }
            return parts[p].cells[l].nodes.contains { if case .array = $0 { true } else { false } }
        }
    }
    let open = names.indices.map { options.types[names[$0]] == nil && !lists[$0] }
    let typed = Mutex<[JSONScalarTyping]>(names.map { _ in JSONScalarTyping(readsDates: true) })
    let shared = UncheckedSendable(value: text)
    DispatchQueue.concurrentPerform(iterations: ranges) { k in
        let text = shared.value
        let base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
        var typings = names.map { _ in JSONScalarTyping(readsDates: true) }
        var cursors = [Int?](repeating: nil, count: names.count)
        var scratch = [UInt8](repeating: 0, count: 256)
        eachBlock(k) { block, _, c, cells in
            guard open[c], let cells else { return }
            var i = cursors[c] ?? cells.firstCell(atOrAfter: block.lowerBound)
            while i < cells.count && cells.row(i) < block.upperBound {
                switch cells.kind(i) {
                case .null: break
                case .false, .true: typings[c].bools = true
                case .integer: typings[c].addInteger(base + cells.start(i), cells.length(i))
                case .decimal: typings[c].addDecimal(base + cells.start(i), cells.length(i))
                case .string: typings[c].addString(base + cells.start(i) + 1, cells.length(i))
                case .escaped:
                    if !typings[c].readsQuoted { typings[c].strings = true; break }
                    let count = cells.plainText(i, base, into: &scratch)
                    scratch.withUnsafeBufferPointer { typings[c].addString($0.baseAddress!, count) }
                case .node: typings[c].add(cells.nodes[cells.start(i)])
                }
                i += 1
            }
            cursors[c] = i
        }
        typed.withLock { merged in for c in merged.indices { merged[c].merge(typings[c]) } }
    }
    let typings = typed.withLock { $0 }
    return names.indices.map { c in
        if let given = options.types[names[c]] { return given }
        if lists[c] { return JSONTyping.columnType(nodes(of: c, parts, local, text).lazy.map(\.node)) }
        return typings[c].type
    }
}

/// Column `c`'s values as nodes, in row order (nulls left out), with where each is.
private func nodes(of c: Int, _ parts: [JSONPart], _ local: [[Int?]], _ text: UnsafeBufferPointer<UInt8>)
    -> [(row: Int, node: JSONNode, offset: Int)] {
    var out: [(row: Int, node: JSONNode, offset: Int)] = []
    var first = 0
    for (p, part) in parts.enumerated() {
        if let l = local[p][c] {
            let cells = part.cells[l]
            for i in 0..<cells.count { out.append((first + cells.row(i), cells.node(i, in: text), cells.offset(i))) }
        }
        first += part.rows
    }
    return out
}

/// The column built from its values as nodes, by JSONTyping (lists, and declared types that
/// the typed arrays do not hold).
private func buildFromNodes(_ name: String, _ c: Int, _ parts: [JSONPart], _ local: [[Int?]], type: DataType, rows: Int,
                            file: DataFile) throws(LoadError) -> Column {
    var builder = ColumnBuilder(type: type, capacity: rows)
    var row = 0
    for cell in nodes(of: c, parts, local, file.bytes) {
        while row < cell.row { builder.append(.null); row += 1 }
        guard let value = JSONTyping.value(cell.node, as: type) else { throw cellTypeError(name, type, cell.node, at: cell.offset, in: file) }
        builder.append(value)
        row += 1
    }
    while row < rows { builder.append(.null); row += 1 }
    return builder.finish()
}

/// A value of key `name` that is not of its column's `type`, shown as the file spells it.
private func cellTypeError(_ name: String, _ type: DataType, _ node: JSONNode, at offset: Int, in file: DataFile) -> LoadError {
    let found = JSONTyping.text(node)
    let shown = found.count > 40 ? String(found.prefix(40)) + "…" : found
    return file.error(.jsonCellType(name, type == .int ? "an" : "a", "\(type)", shown), at: offset)
}

/// Appends value `i` of `cells` to `column` as `type`; false when it is not one.
@inline(__always)
private func convert(_ cells: JSONCells, _ i: Int, _ base: UnsafePointer<UInt8>, to column: inout ColumnAccumulator,
                     _ type: DataType, scratch: inout [UInt8]) throws(FieldProblem) -> Bool {
    let kind = cells.kind(i)
    switch kind {
    case .integer, .decimal: return try append(kind, base + cells.start(i), cells.length(i), to: &column, type)
    case .string: return try append(.string, base + cells.start(i) + 1, cells.length(i), to: &column, type)
    case .escaped:
        let count = cells.plainText(i, base, into: &scratch)
        let result = scratch.withUnsafeBufferPointer { plain -> Result<Bool, FieldProblem> in
            do throws(FieldProblem) { return .success(try append(.string, plain.baseAddress!, count, to: &column, type)) } catch { return .failure(error) }
        }
        return try result.get()
    case .null, .false, .true: return try append(kind, base, 0, to: &column, type)
    case .node:
        let node = cells.nodes[cells.start(i)]
        switch node {
        case .null: return try append(.null, base, 0, to: &column, type)
        case .bool(let b): return try append(b ? .true : .false, base, 0, to: &column, type)
        case .number(let s): return try append(JSONNumber.isInteger(s) ? .integer : .decimal, s, to: &column, type)
        case .string(let s): return try append(.string, s, to: &column, type)
        case .array, .object: return type == .string ? try append(.string, JSONTyping.text(node), to: &column, type) : false
        }
    }
}

/// Appends a value of `kind` whose bytes (a number's spelling, a string's text) are `p`,
/// `length`, as `type` (JSONTyping.value's rule: a string reads as another type, and the empty
/// string is then a null); false when it is not one.
@inline(__always)
private func append(_ kind: JSONCells.Kind, _ p: UnsafePointer<UInt8>, _ length: Int, to column: inout ColumnAccumulator,
                    _ type: DataType) throws(FieldProblem) -> Bool {
    if kind == .null { column.appendNull(); return true }
    if kind == .string && length == 0 && type != .string { column.appendNull(); return true }
    switch type {
    case .string:
        switch kind {
        case .false: return try append(.string, "false", to: &column, type)
        case .true: return try append(.string, "true", to: &column, type)
        default: try column.strings.append(p, length)
        }
    case .int:
        let v: Int64?
        switch kind {
        case .integer, .string: v = FieldParsers.int(p, length)
        default: v = nil
        }
        guard let v else { return false }
        column.ints.append(v)
    case .float:
        let v: Double?
        switch kind {
        case .integer: v = FieldParsers.int(p, length).map(Double.init)
        case .decimal: v = FieldParsers.float(p, length)
        case .string: v = FieldParsers.floatOrNonFinite(p, length)
        default: v = nil
        }
        guard let v else { return false }
        column.floats.append(v)
    case .bool:
        let v: Bool?
        switch kind {
        case .true: v = true
        case .false: v = false
        case .string: v = FieldParsers.bool(p, length)
        default: v = nil
        }
        guard let v else { return false }
        column.bools.append(v)
    case .date:
        guard kind == .string, let v = FieldParsers.dateOfAnyPrecision(p, length) ?? midnightDate(p, length) else { return false }
        column.days.append(v.days)
        column.precisions.append(v.precision)
    case .list, .null:
        return false
    }
    column.markValid(true)
    return true
}

private func append(_ kind: JSONCells.Kind, _ text: String, to column: inout ColumnAccumulator,
                    _ type: DataType) throws(FieldProblem) -> Bool {
    var text = text
    let result = text.withUTF8 { bytes -> Result<Bool, FieldProblem> in
        do throws(FieldProblem) {
            return .success(try append(kind, bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count, to: &column, type))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

