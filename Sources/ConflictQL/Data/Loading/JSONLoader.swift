// The JSON loader: an array of objects, or one object per line (NDJSON). Keys become columns
// in order of first appearance; a key missing from an object is null. Types are inferred over
// all values: Int, Float (when Ints and Floats mix), Bool, String, lists of those, and Date
// for strings that all read as dates.

func loadJSON(_ file: DataFile, options: LoadOptions) throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    var parser = JSONParser(bytes: file.bytes)
    var records: [[(String, Value)]] = []
    var skipped: [(offset: Int, problem: String)] = []
    do {
        parser.skipSpace()
        if parser.peek() == UInt8(ascii: "[") {
            parser.position += 1
            parser.skipSpace()
            if parser.peek() == UInt8(ascii: "]") { parser.position += 1 } else {
                while true {
                    let offset = parser.position
                    let value = try parser.parseValue(depth: 0)
                    guard case .object(let fields) = value else {
                        throw JSONProblem(message: "expected an object in the array", offset: offset)
                    }
                    records.append(fields)
                    parser.skipSpace()
                    if parser.peek() == UInt8(ascii: ",") { parser.position += 1; parser.skipSpace(); continue }
                    if parser.peek() == UInt8(ascii: "]") { parser.position += 1; break }
                    throw JSONProblem(message: "expected ',' or ']' after an object", offset: parser.position)
                }
            }
            parser.skipSpace()
            if parser.position < file.bytes.count {
                throw JSONProblem(message: "unexpected text after the array", offset: parser.position)
            }
        } else {
            // One object per line.
            while true {
                parser.skipSpace()
                if parser.position >= file.bytes.count { break }
                let offset = parser.position
                do {
                    let value = try parser.parseValue(depth: 0)
                    guard case .object(let fields) = value else {
                        throw JSONProblem(message: "expected an object on each line", offset: offset)
                    }
                    records.append(fields)
                } catch let problem as JSONProblem {
                    guard options.lenient else { throw problem }
                    skipped.append((problem.offset, problem.message))
                    // Skip to the next line.
                    while parser.position < file.bytes.count && file.bytes[parser.position] != UInt8(ascii: "\n") { parser.position += 1 }
                }
            }
        }
    } catch let problem as JSONProblem {
        throw file.error(message: problem.message, at: problem.offset)
    } catch {
        throw LoadError(path: file.path, message: "\(error)")
    }
    // Columns in order of first appearance.
    var names: [String] = []
    var index: [String: Int] = [:]
    for record in records {
        for (key, _) in record where index[key] == nil {
            index[key] = names.count
            names.append(key)
        }
    }
    try checkTableSize(columns: names.count, rows: records.count, bytesPerValue: MemoryLayout<Value>.stride, path: file.path)
    var columns = [[Value]](repeating: [Value](repeating: .null, count: records.count), count: names.count)
    for (row, record) in records.enumerated() {
        for (key, value) in record { columns[index[key]!][row] = value }
    }
    var built: [Column] = []
    for (name, values) in zip(names, columns) {
        var type = jsonType(values)
        if let forced = options.types[name] { type = forced }
        var builder = ColumnBuilder(type: type, capacity: values.count)
        for (row, value) in values.enumerated() {
            guard let converted = convert(value, to: type) else {
                throw LoadError(path: file.path, message: "record \(row + 1), key '\(name)': expected \(type), found \(value)")
            }
            builder.append(converted)
        }
        built.append(builder.finish())
    }
    for name in options.types.keys where index[name] == nil {
        throw LoadError(path: file.path, message: "the file has no key '\(name)'")
    }
    let table = Table(schema: Schema(zip(names, built).map { Field($0, $1.type) }), columns: built, rowCount: records.count)
    let report = LoadReport(rows: records.count, columns: names.count, bytes: file.bytes.count, skippedRows: skipped.count,
                            skipped: skipped.prefix(5).map { (file.lineNumber(at: $0.offset), $0.problem) },
                            seconds: monotonicNow() - started)
    return (table, report)
}

/// The narrowest type that holds every value.
func jsonType(_ values: [Value]) -> DataType {
    var type = DataType.null
    for value in values {
        guard let next = DataType.common(type, value.type) else { return .string }
        type = next
    }
    if type == .null { return .string }
    if type == .string {
        let strings = values.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        if !strings.isEmpty && strings.allSatisfy({ var s = $0; return s.withUTF8 { FieldParsers.date($0.baseAddress!, $0.count) } != nil }) {
            return .date
        }
    }
    if case .list(.null) = type { return .list(.string) }
    return type
}

func convert(_ value: Value, to type: DataType) -> Value? {
    switch (value, type) {
    case (.null, _): return .null
    case (.int(let v), .float): return .float(Double(v))
    case (.string(var s), .date):
        return s.withUTF8 { FieldParsers.date($0.baseAddress!, $0.count) }.map(Value.date)
    case (_, .string):
        if case .string = value { return value }
        return .string(value.description)
    default:
        guard DataType.common(value.type, type) == type else { return nil }
        return value
    }
}

struct JSONProblem: Error {
    var message: String
    var offset: Int
}

/// A JSON value while parsing: objects keep their key order.
indirect enum JSONValue {
    case value(Value)
    case object([(String, Value)])
    case array([JSONValue])

    /// As a table cell: arrays of scalars become lists; nested objects become their text.
    var plain: Value {
        switch self {
        case .value(let v): return v
        case .object(let fields): return .string("{" + fields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}")
        case .array(let items): return .list(items.map(\.plain))
        }
    }
}

struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    static let maximumDepth = 200

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
        // A byte-order mark at the very start.
        if position == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3; skipSpace() }
    }

    mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw JSONProblem(message: "nested deeper than \(JSONParser.maximumDepth) levels", offset: position) }
        skipSpace()
        guard let c = peek() else { throw JSONProblem(message: "unexpected end of file", offset: position) }
        switch c {
        case UInt8(ascii: "{"):
            position += 1
            var fields: [(String, Value)] = []
            skipSpace()
            if peek() == UInt8(ascii: "}") { position += 1; return .object(fields) }
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw JSONProblem(message: "expected a key in quotes", offset: position) }
                let key = try parseString()
                skipSpace()
                guard peek() == UInt8(ascii: ":") else { throw JSONProblem(message: "expected ':' after a key", offset: position) }
                position += 1
                fields.append((key, try parseValue(depth: depth + 1).plain))
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                if peek() == UInt8(ascii: "}") { position += 1; return .object(fields) }
                throw JSONProblem(message: "expected ',' or '}' in an object", offset: position)
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONValue] = []
            skipSpace()
            if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
                throw JSONProblem(message: "expected ',' or ']' in an array", offset: position)
            }
        case UInt8(ascii: "\""):
            return .value(.string(try parseString()))
        case UInt8(ascii: "t"): try literal("true"); return .value(.bool(true))
        case UInt8(ascii: "f"): try literal("false"); return .value(.bool(false))
        case UInt8(ascii: "n"): try literal("null"); return .value(.null)
        default:
            return .value(try parseNumber())
        }
    }

    mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard peek() == byte else { throw JSONProblem(message: "invalid value", offset: position) }
            position += 1
        }
    }

    mutating func parseNumber() throws -> Value {
        let start = position
        while let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "e")
                || c == UInt8(ascii: "E") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
            position += 1
        }
        guard position > start else { throw JSONProblem(message: "invalid value", offset: start) }
        let pointer = bytes.baseAddress! + start
        if let v = FieldParsers.int(pointer, position - start) { return .int(v) }
        if let v = FieldParsers.float(pointer, position - start) { return .float(v) }
        throw JSONProblem(message: "invalid number", offset: start)
    }

    mutating func parseString() throws -> String {
        let open = position
        position += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw JSONProblem(message: "unterminated string", offset: open) }
            position += 1
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                guard let e = peek() else { throw JSONProblem(message: "unterminated string", offset: open) }
                position += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard position + 4 <= bytes.count,
                          let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + 4)]), as: UTF8.self), radix: 16) else {
                        throw JSONProblem(message: "invalid \\u escape", offset: position - 2)
                    }
                    position += 4
                    var scalarValue = code
                    // A surrogate pair.
                    if (0xD800...0xDBFF).contains(code), position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                       bytes[position + 1] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 2)..<(position + 6)]), as: UTF8.self), radix: 16),
                       (0xDC00...0xDFFF).contains(low) {
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                    let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
