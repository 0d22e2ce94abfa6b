// Spark Connect's answers are Arrow IPC streams (one per `ExecutePlanResponse.arrow_batch`):
// a Schema message, then RecordBatch messages, each a FlatBuffers header and a body of
// buffers. This reads exactly what the SQL we send makes Spark write, into our columns, with
// no Arrow library: the FlatBuffers tables are walked by hand (a table is an offset to its
// vtable, a vtable lists each field's offset; vectors, strings and sub-tables are reached by
// relative offsets) and every read is bounds-checked, so a malformed batch is an error, never
// a trap. The columns are read by the type the checker gave each one (the SQL casts every
// output to it): Int from int8 to int64 and decimal of scale 0, Float from float32, float64
// and decimal, String from utf8 and large_utf8, Bool, Date from date32, date64 and timestamp
// (its UTC day), List of those; anything else is refused with the column's name and type.
//
// The format: https://arrow.apache.org/docs/format/Columnar.html#serialization-and-interprocess-communication-ipc

import ConflictQLCore
import ConflictQLRemote

/// One Arrow field's type, as far as it matters here.
indirect enum ArrowType: Equatable, CustomStringConvertible {
    case null
    case int(bits: Int, signed: Bool)
    case float(bits: Int)
    case utf8(large: Bool)
    case bool
    case decimal(precision: Int, scale: Int, bits: Int)
    case date(milliseconds: Bool)
    /// The unit as a power of ten of a second: 0 seconds, 3 milli, 6 micro, 9 nano.
    case timestamp(digits: Int)
    case list(ArrowType, large: Bool)
    /// A type this reader has no column for, by Arrow's name.
    case other(String)

    var description: String {
        switch self {
        case .null: "null"
        case .int(let bits, let signed): "\(signed ? "" : "u")int\(bits)"
        case .float(let bits): "float\(bits)"
        case .utf8(let large): large ? "large_utf8" : "utf8"
        case .bool: "bool"
        case .decimal(let precision, let scale, _): "decimal(\(precision), \(scale))"
        case .date(let milliseconds): milliseconds ? "date64" : "date32"
        case .timestamp: "timestamp"
        case .list(let element, let large): "\(large ? "large_" : "")list<\(element)>"
        case .other(let name): name
        }
    }
}

struct ArrowField {
    var name: String
    var type: ArrowType
}

/// Reads Arrow IPC streams into columns of the types `types` names.
struct ArrowStreamReader {
    let types: [DataType]
    private(set) var builders: [ColumnBuilder]
    private(set) var rowCount = 0
    private(set) var fields: [ArrowField]?

    init(types: [DataType]) {
        self.types = types
        builders = types.map { ColumnBuilder(type: $0) }
    }

    func malformed(_ what: String) -> RemoteError {
        RemoteError("Spark's Arrow batch is malformed: \(what)", unreadableAnswer: true)
    }

    /// Appends the rows of one IPC stream.
    mutating func read(_ data: [UInt8]) throws(RemoteError) {
        let bytes = FlatBytes(data)
        var position = 0
        while position + 8 <= data.count {
            // A message: 0xFFFFFFFF, the metadata's length, the FlatBuffers Message, its body.
            var length = Int(try bytes.u32(position))
            position += 4
            if length == 0xFFFF_FFFF {
                length = Int(try bytes.u32(position))
                position += 4
            }
            if length == 0 { return }    // the end-of-stream marker
            guard position + length <= data.count else { throw malformed("a message runs past the batch") }
            let message = try bytes.root(at: position)
            position += length
            let headerType = try message.u8(1, default: 0)
            let bodyLength = Int(try message.i64(3, default: 0))
            guard bodyLength >= 0, position + bodyLength <= data.count else { throw malformed("a body runs past the batch") }
            let body = position
            position += bodyLength
            guard let header = try message.table(2) else { continue }
            switch headerType {
            case 1: try readSchema(header)
            case 3:
                guard fields != nil else { throw malformed("rows before the schema") }
                try readRecordBatch(header, bytes: bytes, body: body, bodyLength: bodyLength)
            case 2:
                throw RemoteError("Spark answered with dictionary-encoded columns, which ConflictQL does not read", unreadableAnswer: true)
            default: continue
            }
        }
    }

    mutating func readSchema(_ schema: FlatTable) throws(RemoteError) {
        var read: [ArrowField] = []
        for field in try schema.tables(1) { read.append(try ArrowStreamReader.field(field)) }
        guard read.count == types.count else {
            throw RemoteError("Spark answered \(read.count) columns where \(types.count) were expected", unreadableAnswer: true)
        }
        for (field, type) in zip(read, types) where !ArrowStreamReader.reads(field.type, as: type) {
            throw RemoteError("the column '\(field.name)' came back from Spark as \(field.type), which ConflictQL does not read as \(type)",
                              help: "cast it on the engine (to BIGINT, DOUBLE, STRING, BOOLEAN or DATE), or leave it out",
                              unreadableAnswer: true)
        }
        fields = read
    }

    static func field(_ table: FlatTable) throws(RemoteError) -> ArrowField {
        let name = try table.string(0) ?? ""
        let typeID = try table.u8(2, default: 0)
        let type = try table.table(3)
        let children = try table.tables(5)
        func int(_ index: Int, _ fallback: Int64) throws(RemoteError) -> Int { Int(try type?.i64Any(index, default: fallback) ?? fallback) }
        let kind: ArrowType
        switch typeID {
        case 1: kind = .null
        case 2: kind = .int(bits: try int(0, 0), signed: try type?.u8(1, default: 0) == 1)
        case 3:
            let precision = try type?.i16(0, default: 0) ?? 0
            kind = precision == 2 ? .float(bits: 64) : precision == 1 ? .float(bits: 32) : .other("float16")
        case 5: kind = .utf8(large: false)
        case 20: kind = .utf8(large: true)
        case 6: kind = .bool
        case 7: kind = .decimal(precision: try int(0, 0), scale: try int(1, 0), bits: try int(2, 128))
        case 8: kind = .date(milliseconds: try type?.i16(0, default: 1) != 0)
        case 10: kind = .timestamp(digits: [0, 3, 6, 9][min(3, max(0, Int(try type?.i16(0, default: 0) ?? 0)))])
        case 12, 21:
            guard children.count == 1 else {
                throw RemoteError("Spark's list column '\(name)' has no element type", unreadableAnswer: true)
            }
            kind = .list(try field(children[0]).type, large: typeID == 21)
        default:
            let names = [4: "binary", 9: "time", 11: "interval", 13: "struct", 14: "union", 15: "fixed_size_binary",
                         16: "fixed_size_list", 17: "map", 18: "duration", 19: "large_binary", 22: "run_end_encoded",
                         23: "binary_view", 24: "utf8_view", 25: "list_view", 26: "large_list_view"]
            kind = .other(names[Int(typeID)] ?? "Arrow type \(typeID)")
        }
        return ArrowField(name: name, type: kind)
    }

    /// Whether a column of Arrow type `arrow` reads as `type`.
    static func reads(_ arrow: ArrowType, as type: DataType) -> Bool {
        switch (arrow, type) {
        case (.null, _): return true
        // A column (or list element) ConflictQL knows to hold only nulls (`list(null)`), which
        // Spark types as it likes (`array<string>`): read when every value is null.
        case (.int, .null), (.float, .null), (.decimal, .null), (.utf8, .null), (.bool, .null), (.date, .null),
             (.timestamp, .null), (.list, .null): return true
        case (.int(let bits, let signed), .int): return signed || bits < 64
        case (.decimal(_, let scale, let bits), .int): return scale == 0 && bits == 128
        case (.float, .float), (.int, .float): return true
        case (.decimal(_, _, let bits), .float): return bits == 128
        case (.utf8, .string), (.bool, .bool), (.date, .date), (.timestamp, .date): return true
        case (.list(let element, _), .list(let inner)): return reads(element, as: inner)
        default: return false
        }
    }

    mutating func readRecordBatch(_ batch: FlatTable, bytes: FlatBytes, body: Int, bodyLength: Int) throws(RemoteError) {
        guard try batch.table(3) == nil else {
            throw RemoteError("Spark sent a compressed Arrow batch, which ConflictQL does not read",
                              help: "turn off Arrow compression in the server's settings", unreadableAnswer: true)
        }
        let length = Int(try batch.i64(0, default: 0))
        guard length >= 0 else { throw malformed("a record batch of \(length) rows") }
        var nodes = try batch.structs(1, size: 16).makeIterator()
        var buffers = try batch.structs(2, size: 16).makeIterator()
        var cursor = BatchCursor(bytes: bytes, body: body, bodyLength: bodyLength)
        for (index, field) in (fields ?? []).enumerated() {
            let column = try cursor.column(field.type, name: field.name, nodes: &nodes, buffers: &buffers)
            for row in 0..<length {
                builders[index].append(try column.value(at: row, as: types[index]))
            }
        }
        rowCount += length
    }

    func finish() -> [Column] { builders.map { $0.finish() } }
}

/// The buffers of one column of a record batch, read by position.
struct ArrowColumn {
    let type: ArrowType
    let name: String
    let length: Int
    let bytes: FlatBytes
    /// The validity bitmap's start, nil when every value is present.
    let validity: Int?
    let values: (start: Int, length: Int)
    let offsets: (start: Int, length: Int)
    let child: [ArrowColumn]

    func unreadable(_ type: DataType) -> RemoteError {
        RemoteError("the column '\(name)' came back from Spark as \(self.type), which ConflictQL does not read as \(type)",
                    unreadableAnswer: true)
    }

    func malformed() -> RemoteError { RemoteError("Spark's Arrow batch is malformed: column '\(name)' is short", unreadableAnswer: true) }

    func bit(_ start: Int, _ index: Int) throws(RemoteError) -> Bool {
        (try bytes.u8(start + index >> 3) >> UInt8(index & 7)) & 1 == 1
    }

    /// The value of `row` as a value of `type`.
    func value(at row: Int, as type: DataType) throws(RemoteError) -> Value {
        guard row < length else { throw malformed() }
        if case .null = self.type { return .null }
        if let validity, !(try bit(validity, row)) { return .null }
        if case .null = type {
            throw RemoteError("a value of '\(name)' came back from Spark where ConflictQL expects only nulls", unreadableAnswer: true)
        }
        func fixed(_ width: Int) throws(RemoteError) -> Int {
            guard (row + 1) * width <= values.length else { throw malformed() }
            return values.start + row * width
        }
        switch (self.type, type) {
        case (.int(let bits, let signed), _):
            let at = try fixed(bits / 8)
            let n: Int64
            switch (bits, signed) {
            case (8, true): n = Int64(Int8(bitPattern: try bytes.u8(at)))
            case (8, false): n = Int64(try bytes.u8(at))
            case (16, true): n = Int64(Int16(bitPattern: try bytes.u16(at)))
            case (16, false): n = Int64(try bytes.u16(at))
            case (32, true): n = Int64(Int32(bitPattern: try bytes.u32(at)))
            case (32, false): n = Int64(try bytes.u32(at))
            case (64, _): n = Int64(bitPattern: try bytes.u64(at))
            default: throw unreadable(type)
            }
            return type == .float ? .float(Double(n)) : .int(n)
        case (.float(let bits), _):
            let at = try fixed(bits / 8)
            return .float(bits == 64 ? Double(bitPattern: try bytes.u64(at)) : Double(Float(bitPattern: try bytes.u32(at))))
        case (.decimal(_, let scale, _), _):
            let at = try fixed(16)
            let low = try bytes.u64(at), high = Int64(bitPattern: try bytes.u64(at + 8))
            if type == .int {
                // A 128-bit integer that fits in 64 bits has a high word of only its sign.
                guard high == (Int64(bitPattern: low) < 0 ? -1 : 0) else {
                    throw RemoteError("a value of '\(name)' does not fit in a 64-bit Int", unreadableAnswer: true)
                }
                return .int(Int64(bitPattern: low))
            }
            // The magnitude of the two's complement, then its sign: adding a negative high word
            // to a low word near 2^64 would lose the value to rounding.
            let negative = high < 0
            let (magnitudeLow, carry) = negative ? (~low).addingReportingOverflow(1) : (low, false)
            let magnitudeHigh = negative ? ~UInt64(bitPattern: high) &+ (carry ? 1 : 0) : UInt64(bitPattern: high)
            var magnitude = Double(magnitudeHigh) * 18_446_744_073_709_551_616.0 + Double(magnitudeLow)
            // Arrow's scale may be negative (the value times a power of ten); a 128-bit decimal
            // has at most 38 digits, so a scale far past that is a malformed schema.
            guard (-76...76).contains(scale) else { throw malformed() }
            for _ in 0..<max(0, scale) { magnitude /= 10 }
            for _ in 0..<max(0, -scale) { magnitude *= 10 }
            return .float(negative ? -magnitude : magnitude)
        case (.utf8(let large), _):
            let width = large ? 8 : 4
            guard (row + 2) * width <= offsets.length else { throw malformed() }
            let at = offsets.start + row * width
            let start = large ? Int(Int64(bitPattern: try bytes.u64(at))) : Int(Int32(bitPattern: try bytes.u32(at)))
            let end = large ? Int(Int64(bitPattern: try bytes.u64(at + width))) : Int(Int32(bitPattern: try bytes.u32(at + width)))
            guard start >= 0, start <= end, end <= values.length else { throw malformed() }
            return .string(try bytes.text(values.start + start, count: end - start))
        case (.bool, _):
            guard row >> 3 < values.length else { throw malformed() }
            return .bool(try bit(values.start, row))
        case (.date(let milliseconds), _):
            let days = milliseconds ? floorDivide(Int64(bitPattern: try bytes.u64(try fixed(8))), 86_400_000)
                : Int64(Int32(bitPattern: try bytes.u32(try fixed(4))))
            guard let day = Int32(exactly: days) else { throw malformed() }
            return .date(DateValue(days: day, precision: .day))
        case (.timestamp(let digits), _):
            var perDay: Int64 = 86_400
            for _ in 0..<(digits / 3) { perDay *= 1000 }
            guard let day = Int32(exactly: floorDivide(Int64(bitPattern: try bytes.u64(try fixed(8))), perDay)) else { throw malformed() }
            return .date(DateValue(days: day, precision: .day))
        case (.list(_, let large), .list(let element)):
            let width = large ? 8 : 4
            guard (row + 2) * width <= offsets.length, let items = child.first else { throw malformed() }
            let at = offsets.start + row * width
            let start = large ? Int(Int64(bitPattern: try bytes.u64(at))) : Int(Int32(bitPattern: try bytes.u32(at)))
            let end = large ? Int(Int64(bitPattern: try bytes.u64(at + width))) : Int(Int32(bitPattern: try bytes.u32(at + width)))
            guard start >= 0, start <= end else { throw malformed() }
            var values: [Value] = []
            for index in start..<end { values.append(try items.value(at: index, as: element)) }
            return .list(values)
        case (.null, _), (.list, _), (.other, _):
            throw unreadable(type)
        }
    }

    func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? q - 1 : q
    }
}

/// Walks a record batch's field nodes and buffers in the order Arrow writes them: each
/// column's own (validity, then offsets and/or values), then its children's.
struct BatchCursor {
    let bytes: FlatBytes
    let body: Int
    let bodyLength: Int

    func malformed(_ name: String) -> RemoteError {
        RemoteError("Spark's Arrow batch is malformed: the buffers of '\(name)' run past its body", unreadableAnswer: true)
    }

    mutating func column(_ type: ArrowType, name: String, nodes: inout IndexingIterator<[Int]>,
                         buffers: inout IndexingIterator<[Int]>) throws(RemoteError) -> ArrowColumn {
        guard let node = nodes.next() else { throw malformed(name) }
        let length = Int(Int64(bitPattern: try bytes.u64(node)))
        let nulls = Int64(bitPattern: try bytes.u64(node + 8))
        guard length >= 0 else { throw malformed(name) }
        func buffer() throws(RemoteError) -> (start: Int, length: Int) {
            guard let at = buffers.next() else { throw malformed(name) }
            let offset = Int(Int64(bitPattern: try bytes.u64(at))), size = Int(Int64(bitPattern: try bytes.u64(at + 8)))
            guard offset >= 0, size >= 0, offset <= bodyLength, size <= bodyLength - offset else { throw malformed(name) }
            return (body + offset, size)
        }
        let none = (start: 0, length: 0)
        switch type {
        case .null:
            return ArrowColumn(type: type, name: name, length: length, bytes: bytes, validity: nil, values: none, offsets: none, child: [])
        case .other:
            throw RemoteError("the column '\(name)' came back from Spark as \(type), which ConflictQL does not read",
                              unreadableAnswer: true)
        default: break
        }
        let validityBuffer = try buffer()
        let validity = nulls > 0 && validityBuffer.length > 0 ? validityBuffer.start : nil
        if let validity, (length + 7) / 8 > validityBuffer.length || validity < 0 { throw malformed(name) }
        switch type {
        case .utf8:
            let offsets = try buffer()
            let values = try buffer()
            return ArrowColumn(type: type, name: name, length: length, bytes: bytes, validity: validity, values: values, offsets: offsets,
                               child: [])
        case .list(let element, _):
            let offsets = try buffer()
            let child = try column(element, name: name, nodes: &nodes, buffers: &buffers)
            return ArrowColumn(type: type, name: name, length: length, bytes: bytes, validity: validity, values: none, offsets: offsets,
                               child: [child])
        default:
            let values = try buffer()
            return ArrowColumn(type: type, name: name, length: length, bytes: bytes, validity: validity, values: values, offsets: none,
                               child: [])
        }
    }
}

// MARK: FlatBuffers, read by hand

/// The bytes of a batch, read little-endian with every access checked.
struct FlatBytes {
    let data: [UInt8]

    init(_ data: [UInt8]) { self.data = data }

    func short() -> RemoteError { RemoteError("Spark's Arrow batch is malformed: an offset points past its end", unreadableAnswer: true) }

    func u8(_ at: Int) throws(RemoteError) -> UInt8 {
        guard at >= 0, at < data.count else { throw short() }
        return data[at]
    }

    func load<T: FixedWidthInteger>(_ at: Int, as: T.Type) throws(RemoteError) -> T {
        guard at >= 0, at <= data.count - MemoryLayout<T>.size else { throw short() }
        return T(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) })
    }

    func u16(_ at: Int) throws(RemoteError) -> UInt16 { try load(at, as: UInt16.self) }
    func u32(_ at: Int) throws(RemoteError) -> UInt32 { try load(at, as: UInt32.self) }
    func u64(_ at: Int) throws(RemoteError) -> UInt64 { try load(at, as: UInt64.self) }

    func text(_ at: Int, count: Int) throws(RemoteError) -> String {
        guard at >= 0, count >= 0, at <= data.count - count else { throw short() }
        return String(decoding: data[at..<(at + count)], as: UTF8.self)
    }

    /// The root table of the FlatBuffer that starts at `at`.
    func root(at: Int) throws(RemoteError) -> FlatTable {
        try FlatTable(bytes: self, position: at + Int(try u32(at)))
    }
}

/// A FlatBuffers table: its fields found through its vtable.
struct FlatTable {
    let bytes: FlatBytes
    let position: Int
    let vtable: Int
    let vtableSize: Int

    init(bytes: FlatBytes, position: Int) throws(RemoteError) {
        self.bytes = bytes
        self.position = position
        vtable = position - Int(Int32(bitPattern: try bytes.u32(position)))
        vtableSize = Int(try bytes.u16(vtable))
    }

    /// Where field `index` is stored, nil when absent (its default applies).
    func field(_ index: Int) throws(RemoteError) -> Int? {
        let entry = 4 + 2 * index
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try bytes.u16(vtable + entry))
        return offset == 0 ? nil : position + offset
    }

    func u8(_ index: Int, default fallback: UInt8) throws(RemoteError) -> UInt8 {
        try field(index).map { at throws(RemoteError) in try bytes.u8(at) } ?? fallback
    }

    func i16(_ index: Int, default fallback: Int16) throws(RemoteError) -> Int16 {
        try field(index).map { at throws(RemoteError) in Int16(bitPattern: try bytes.u16(at)) } ?? fallback
    }

    func i64(_ index: Int, default fallback: Int64) throws(RemoteError) -> Int64 {
        try field(index).map { at throws(RemoteError) in Int64(bitPattern: try bytes.u64(at)) } ?? fallback
    }

    /// A 32-bit integer field (Arrow's `int`), widened.
    func i64Any(_ index: Int, default fallback: Int64) throws(RemoteError) -> Int64 {
        try field(index).map { at throws(RemoteError) in Int64(Int32(bitPattern: try bytes.u32(at))) } ?? fallback
    }

    /// What an offset field points to.
    func target(_ index: Int) throws(RemoteError) -> Int? {
        guard let at = try field(index) else { return nil }
        return at + Int(try bytes.u32(at))
    }

    func table(_ index: Int) throws(RemoteError) -> FlatTable? {
        guard let at = try target(index) else { return nil }
        return try FlatTable(bytes: bytes, position: at)
    }

    func string(_ index: Int) throws(RemoteError) -> String? {
        guard let at = try target(index) else { return nil }
        return try bytes.text(at + 4, count: Int(try bytes.u32(at)))
    }

    /// The tables of a vector of tables.
    func tables(_ index: Int) throws(RemoteError) -> [FlatTable] {
        guard let at = try target(index) else { return [] }
        let count = Int(try bytes.u32(at))
        guard count <= bytes.data.count / 4 else { throw bytes.short() }
        var out: [FlatTable] = []
        for item in 0..<count {
            let slot = at + 4 + 4 * item
            out.append(try FlatTable(bytes: bytes, position: slot + Int(try bytes.u32(slot))))
        }
        return out
    }

    /// Where each struct of a vector of `size`-byte structs starts.
    func structs(_ index: Int, size: Int) throws(RemoteError) -> [Int] {
        guard let at = try target(index) else { return [] }
        let count = Int(try bytes.u32(at))
        guard count <= (bytes.data.count - at) / size else { throw bytes.short() }
        return (0..<count).map { at + 4 + size * $0 }
    }
}
