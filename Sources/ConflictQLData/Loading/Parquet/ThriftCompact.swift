// Apache Thrift's compact protocol, the encoding of a Parquet file's footer and page headers:
// a reader into a small tree of values and a writer for the footer we write. Our own, not a
// Thrift library: the footer is read from a file anyone may hand us, so every length and
// count is checked against the bytes that remain, nesting is capped, and a damaged footer is
// a `ThriftProblem` with the byte where it went wrong, never a trap or a huge allocation.

/// What went wrong reading Thrift: a message and the byte offset in the bytes read.
struct ThriftProblem: Error {
    let message: String
    let offset: Int
}

/// A decoded Thrift value. Structs keep their fields by id; unknown fields are simply not asked for.
indirect enum ThriftValue {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case binary(ArraySlice<UInt8>)
    case list([ThriftValue])
    case map([(ThriftValue, ThriftValue)])
    case structure(ThriftStruct)
}

struct ThriftStruct {
    var fields: [Int16: ThriftValue] = [:]
    /// Where the struct began, for messages.
    var offset = 0

    func int(_ id: Int16) -> Int64? {
        if case .int(let v)? = fields[id] { return v }
        return nil
    }

    func bool(_ id: Int16) -> Bool? {
        if case .bool(let v)? = fields[id] { return v }
        return nil
    }

    func binary(_ id: Int16) -> ArraySlice<UInt8>? {
        if case .binary(let v)? = fields[id] { return v }
        return nil
    }

    func string(_ id: Int16) -> String? {
        binary(id).map { String(decoding: $0, as: UTF8.self) }
    }

    func structure(_ id: Int16) -> ThriftStruct? {
        if case .structure(let v)? = fields[id] { return v }
        return nil
    }

    func list(_ id: Int16) -> [ThriftValue]? {
        if case .list(let v)? = fields[id] { return v }
        return nil
    }

    /// A required integer field; its absence is a problem naming `what`.
    func requiredInt(_ id: Int16, _ what: String) throws(ThriftProblem) -> Int64 {
        guard let v = int(id) else { throw ThriftProblem(message: "\(what) is missing", offset: offset) }
        return v
    }
}

/// Reads compact-protocol values from bytes, with every read checked.
struct ThriftReader {
    let bytes: ArraySlice<UInt8>
    /// The index in `bytes` of the next byte.
    var position: Int
    /// Nesting deeper than this is refused: Parquet's own structures nest five levels.
    static let maximumDepth = 32

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - position }

    mutating func byte() throws(ThriftProblem) -> UInt8 {
        guard position < bytes.endIndex else { throw ThriftProblem(message: "it ends in the middle of a value", offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(ThriftProblem) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw ThriftProblem(message: "a number is longer than 64 bits", offset: position - 1) }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func zigzag() throws(ThriftProblem) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// A length or count, which must fit in what remains (`elementSize` bytes at least each).
    mutating func count(elementSize: Int = 1) throws(ThriftProblem) -> Int {
        let start = position
        let v = try varint()
        guard v <= UInt64(remaining / max(1, elementSize)) else {
            throw ThriftProblem(message: "a length (\(v)) runs past the end of the data", offset: start)
        }
        return Int(v)
    }

    /// A whole struct, with its fields.
    mutating func structure(depth: Int = 0) throws(ThriftProblem) -> ThriftStruct {
        guard depth < ThriftReader.maximumDepth else { throw ThriftProblem(message: "structures nest too deeply", offset: position) }
        var result = ThriftStruct(offset: position)
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return result }
            let type = header & 0x0F
            let delta = header >> 4
            let id: Int16
            if delta == 0 {
                let wide = try zigzag()
                guard let narrow = Int16(exactly: wide) else {
                    throw ThriftProblem(message: "a field id is out of range", offset: position)
                }
                id = narrow
            } else {
                let (sum, overflow) = lastID.addingReportingOverflow(Int16(delta))
                guard !overflow else { throw ThriftProblem(message: "a field id is out of range", offset: position) }
                id = sum
            }
            lastID = id
            switch type {
            case 1: result.fields[id] = .bool(true)
            case 2: result.fields[id] = .bool(false)
            default: result.fields[id] = try value(ofType: type, depth: depth + 1)
            }
        }
    }

    mutating func value(ofType type: UInt8, depth: Int) throws(ThriftProblem) -> ThriftValue {
        guard depth < ThriftReader.maximumDepth else { throw ThriftProblem(message: "structures nest too deeply", offset: position) }
        switch type {
        case 1, 2:
            // Inside a list or map a boolean is a byte of its own.
            return .bool(try byte() == 1)
        case 3:
            return .int(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6:
            return .int(try zigzag())
        case 7:
            guard remaining >= 8 else { throw ThriftProblem(message: "it ends in the middle of a number", offset: position) }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[position + i]) << UInt64(8 * i) }
            position += 8
            return .double(Double(bitPattern: bits))
        case 8:
            let length = try count()
            defer { position += length }
            return .binary(bytes[position..<(position + length)])
        case 9, 10:
            let header = try byte()
            var size = Int(header >> 4)
            if size == 15 { size = try count() }
            guard size <= remaining else {
                throw ThriftProblem(message: "a list of \(size) runs past the end of the data", offset: position)
            }
            let elementType = header & 0x0F
            var items: [ThriftValue] = []
            items.reserveCapacity(size)
            for _ in 0..<size { items.append(try value(ofType: elementType, depth: depth + 1)) }
            return .list(items)
        case 11:
            let size = try count(elementSize: 2)
            guard size > 0 else { return .map([]) }
            let types = try byte()
            var pairs: [(ThriftValue, ThriftValue)] = []
            for _ in 0..<size {
                let key = try value(ofType: types >> 4, depth: depth + 1)
                pairs.append((key, try value(ofType: types & 0x0F, depth: depth + 1)))
            }
            return .map(pairs)
        case 12:
            return .structure(try structure(depth: depth + 1))
        default:
            throw ThriftProblem(message: "an unknown value type (\(type))", offset: position - 1)
        }
    }
}

/// Writes compact-protocol structs: fields in increasing id order, as the protocol wants.
package struct ThriftWriter {
    package var bytes: [UInt8] = []

    package init() {}
    /// The last field id of each open struct.
    private var lastIDs: [Int16] = [0]

    package mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    package mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func fieldHeader(_ id: Int16, _ type: UInt8) {
        let delta = Int(id) - Int(lastIDs[lastIDs.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            zigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    package mutating func int32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, 5)
        zigzag(Int64(value))
    }

    package mutating func int64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, 6)
        zigzag(value)
    }

    package mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? 1 : 2)
    }

    package mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, 8)
        varint(UInt64(value.count))
        bytes += value
    }

    package mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// A struct field: `body` writes its fields.
    package mutating func structure(_ id: Int16, _ body: (inout ThriftWriter) -> Void) {
        fieldHeader(id, 12)
        nested(body)
    }

    /// A struct's fields and its stop byte (a list's element, or the whole message).
    package mutating func nested(_ body: (inout ThriftWriter) -> Void) {
        lastIDs.append(0)
        body(&self)
        bytes.append(0)
        lastIDs.removeLast()
    }

    private mutating func listHeader(_ id: Int16, count: Int, elementType: UInt8) {
        fieldHeader(id, 9)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType)
        } else {
            bytes.append(0xF0 | elementType)
            varint(UInt64(count))
        }
    }

    package mutating func structList<T>(_ id: Int16, _ items: [T], _ body: (inout ThriftWriter, T) -> Void) {
        listHeader(id, count: items.count, elementType: 12)
        for item in items { nested { body(&$0, item) } }
    }

    package mutating func int32List(_ id: Int16, _ items: [Int32]) {
        listHeader(id, count: items.count, elementType: 5)
        for item in items { zigzag(Int64(item)) }
    }

    package mutating func stringList(_ id: Int16, _ items: [String]) {
        listHeader(id, count: items.count, elementType: 8)
        for item in items {
            varint(UInt64(item.utf8.count))
            bytes += Array(item.utf8)
        }
    }
}
