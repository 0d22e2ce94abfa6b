// One loaded column built from a Parquet column's pages: the file's type mapped to ours, each
// page's values converted once (a dictionary page once per row group, its strings interned so
// the column's dictionary is the file's), then placed by the definition levels with nulls.

import ConflictQLCore
import ConflictQLSyntax

/// What a Parquet column becomes in ConflictQL.
enum ParquetTarget: Equatable {
    case int(ParquetIntegerKind)
    case float
    case decimal(scale: Int)
    case bool
    case date
    /// Read as Int64 in these units; a Date when every value is a midnight, otherwise text.
    case timestamp(unitsPerSecond: Int64)
    case string
    /// A UUID (16 bytes) shown as text.
    case uuid
    /// The `NULL` logical type: every value null.
    case nothing

    /// The target for a schema element, or why it cannot be loaded.
    init(_ element: ParquetSchemaElement) throws(ParquetDataProblem) {
        guard let physical = element.physicalType else { throw ParquetDataProblem("it has no physical type") }
        switch (physical, element.logical) {
        case (_, .nested(let what)?):
            throw ParquetDataProblem("it is a \(what), a nested type, which ConflictQL does not load")
        case (_, .decimal(let scale, _)?) where physical != .boolean && physical != .float && physical != .double:
            self = .decimal(scale: scale)
        case (_, .unknown?): self = .nothing
        case (.boolean, nil): self = .bool
        case (.int32, nil), (.int64, nil): self = .int(.signed)
        case (.int32, .integer(let bits, let signed)?), (.int64, .integer(let bits, let signed)?):
            self = .int(signed ? .signed : bits == 64 ? .unsigned64 : .unsigned32)
        case (.int32, .date?): self = .date
        case (.int64, .timestamp(let units)?): self = .timestamp(unitsPerSecond: units)
        case (.int96, nil), (.int96, .timestamp?): self = .timestamp(unitsPerSecond: 1_000_000_000)
        case (.float, nil), (.double, nil): self = .float
        case (.byteArray, nil), (.byteArray, .string?), (.byteArray, .json?): self = .string
        case (.fixedLengthByteArray, .uuid?) where element.typeLength == 16: self = .uuid
        case (_, .time?):
            throw ParquetDataProblem("it holds times of day (TIME), which ConflictQL has no type for")
        case (.fixedLengthByteArray, .float16?):
            throw ParquetDataProblem("it holds half-precision floats (FLOAT16), which ConflictQL does not read")
        case (.fixedLengthByteArray, nil):
            throw ParquetDataProblem("it holds fixed-length binary values, which ConflictQL does not read")
        case (_, let logical?):
            throw ParquetDataProblem("its type (\(physical) annotated \(logical)) is not one ConflictQL reads")
        }
    }

    var dataType: DataType {
        switch self {
        case .int: return .int
        case .float, .decimal: return .float
        case .bool: return .bool
        case .date: return .date
        case .timestamp: return .date  // or String, decided when the column is finished
        case .string, .uuid, .nothing: return .string
        }
    }
}

enum ParquetIntegerKind: Equatable { case signed, unsigned32, unsigned64 }

/// A page's or a dictionary's values, converted to the column's type.
enum ConvertedValues {
    case ints([Int64])
    case floats([Double])
    case bools([Bool])
    case days([Int32])
    case codes([Int32])

    var count: Int {
        switch self {
        case .ints(let v): return v.count
        case .floats(let v): return v.count
        case .bools(let v): return v.count
        case .days(let v): return v.count
        case .codes(let v): return v.count
        }
    }
}

struct ParquetColumnBuilder {
    let name: String
    let target: ParquetTarget
    var ints: [Int64] = []
    var floats: [Double] = []
    var bools: [Bool] = []
    var days: [Int32] = []
    var strings = StringInterner()
    var validity: [UInt64] = []
    var count = 0
    var nullCount = 0

    init(name: String, target: ParquetTarget, capacity: Int) {
        self.name = name
        self.target = target
        validity.reserveCapacity(capacity / 64 + 1)
        switch target {
        case .int, .timestamp: ints.reserveCapacity(capacity)
        case .float, .decimal: floats.reserveCapacity(capacity)
        case .bool: bools.reserveCapacity(capacity)
        case .date: days.reserveCapacity(capacity)
        case .string, .uuid, .nothing: strings.codes.reserveCapacity(capacity)
        }
    }

    /// Converts values as the file stores them into the column's type.
    mutating func convert(_ values: PageValues) throws(ParquetDataProblem) -> ConvertedValues {
        switch (target, values) {
        case (.int(.signed), .ints(let v)): return .ints(v)
        case (.int(.unsigned32), .ints(let v)): return .ints(v.map { $0 & 0xFFFF_FFFF })
        case (.int(.unsigned64), .ints(let v)):
            if let big = v.first(where: { $0 < 0 }) {
                throw ParquetDataProblem("it holds \(UInt64(bitPattern: big)), an unsigned value larger than an Int holds")
            }
            return .ints(v)
        case (.timestamp, .ints(let v)): return .ints(v)
        case (.float, .doubles(let v)): return .floats(v)
        case (.bool, .bools(let v)): return .bools(v)
        case (.date, .ints(let v)): return .days(v.map { Int32(truncatingIfNeeded: $0) })
        case (.decimal(let scale), .ints(let v)):
            let divisor = power10(scale)
            return .floats(v.map { Double($0) / divisor })
        case (.decimal(let scale), .bytes(let b)):
            let divisor = power10(scale)
            return .floats((0..<b.count).map { bigEndianDecimal(b.buffer[b.starts[$0]..<b.ends[$0]]) / divisor })
        case (.string, .bytes(let b)):
            var codes: [Int32] = []
            codes.reserveCapacity(b.count)
            try b.buffer.withUnsafeBufferPointer { buffer throws(ParquetDataProblem) in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
                for k in 0..<b.count {
                    let p = base + b.starts[k], length = b.ends[k] - b.starts[k]
                    do throws(FieldProblem) {
                        codes.append(try strings.intern(p, length))
                    } catch .invalidUTF8 {
                        throw ParquetDataProblem("it holds binary values that are not UTF-8 text, which ConflictQL does not load")
                    } catch {
                        throw ParquetDataProblem("there is not enough memory for its text (\(error.bytes >> 20) MB more)")
                    }
                }
            }
            return .codes(codes)
        case (.uuid, .bytes(let b)):
            var codes: [Int32] = []
            for k in 0..<b.count {
                let hex = b.buffer[b.starts[k]..<b.ends[k]].map { String($0, radix: 16).leftPadded(to: 2, with: "0") }
                var text = Array(hex.joined().utf8)
                for dash in [20, 16, 12, 8] { text.insert(UInt8(ascii: "-"), at: dash) }
                let code = text.withUnsafeBufferPointer { try? strings.intern($0.baseAddress!, $0.count) }
                guard let code else { throw ParquetDataProblem("there is not enough memory for its text") }
                codes.append(code)
            }
            return .codes(codes)
        case (.nothing, _):
            return .codes([Int32](repeating: 0, count: values.count))
        default:
            throw ParquetDataProblem("its values are stored as another type than its schema says")
        }
    }

    /// A dictionary's values picked by indices.
    func gather(_ dictionary: ConvertedValues, _ indices: [UInt32]) throws(ParquetDataProblem) -> ConvertedValues {
        let limit = dictionary.count
        if let largest = indices.max(), Int(largest) >= limit {
            throw ParquetDataProblem("a page refers to entry \(largest) of a dictionary of \(limit)")
        }
        // Every index was checked above: the picking reads without checks.
        func pick<T>(_ v: [T]) -> [T] { v.withUnsafeBufferPointer { p in indices.map { p[Int($0)] } } }
        switch dictionary {
        case .ints(let v): return .ints(pick(v))
        case .floats(let v): return .floats(pick(v))
        case .bools(let v): return .bools(pick(v))
        case .days(let v): return .days(pick(v))
        case .codes(let v): return .codes(pick(v))
        }
    }

    /// Appends a page: `values` are its non-null values, `defined` (nil: all) says which rows have one.
    mutating func append(_ values: ConvertedValues, defined: [Bool]?, rows: Int) throws(ParquetDataProblem) {
        let present = defined.map { $0.reduce(0) { $0 + ($1 ? 1 : 0) } } ?? rows
        guard values.count == present else {
            throw ParquetDataProblem("a page holds \(values.count) values where its levels say \(present)")
        }
        if target == .nothing {
            for _ in 0..<rows { strings.appendNull() }
            markValidity(defined.map { $0.map { _ in false } } ?? [Bool](repeating: false, count: rows))
            return
        }
        guard let defined, present < rows else {
            switch values {
            case .ints(let v): ints += v
            case .floats(let v): floats += v
            case .bools(let v): bools += v
            case .days(let v): days += v
            case .codes(let v): for code in v { strings.codes.append(code) }
            }
            markValidity(nil, rows: rows)
            return
        }
        func scatter<T>(_ v: [T], _ filler: T, into array: inout [T]) {
            var next = 0
            for isDefined in defined {
                if isDefined { array.append(v[next]); next += 1 } else { array.append(filler) }
            }
        }
        switch values {
        case .ints(let v): scatter(v, 0, into: &ints)
        case .floats(let v): scatter(v, 0, into: &floats)
        case .bools(let v): scatter(v, false, into: &bools)
        case .days(let v): scatter(v, 0, into: &days)
        case .codes(let v):
            var next = 0
            for isDefined in defined {
                if isDefined { strings.codes.append(v[next]); next += 1 } else { strings.appendNull() }
            }
        }
        markValidity(defined)
    }

    private mutating func markValidity(_ defined: [Bool]?, rows: Int = 0) {
        guard let defined else {
            // All valid: the bits of the last word, then whole words.
            var left = rows
            while left > 0 {
                if count & 63 == 0 { validity.append(0) }
                let room = 64 - (count & 63), n = min(room, left)
                let bits: UInt64 = n == 64 ? ~0 : ((1 << UInt64(n)) - 1)
                validity[count >> 6] |= bits << UInt64(count & 63)
                count += n
                left -= n
            }
            return
        }
        for isDefined in defined {
            if count & 63 == 0 { validity.append(0) }
            if isDefined { validity[count >> 6] |= 1 << UInt64(count & 63) } else { nullCount += 1 }
            count += 1
        }
    }

    /// The column, and a remark when its type is not the one the file gives (timestamps with times).
    func finish() -> (Column, remark: String?) {
        var bitmap: Bitmap? = nil
        if nullCount > 0 {
            var bits = Bitmap(count: count, allValid: false)
            bits.words = validity
            bitmap = bits
        }
        func column(_ type: DataType, _ storage: Column.Storage) -> Column {
            Column(type: type, storage: storage, validity: bitmap, count: count)
        }
        switch target {
        case .int: return (column(.int, .int(ints)), nil)
        case .float, .decimal: return (column(.float, .float(floats)), nil)
        case .bool: return (column(.bool, .bool(bools)), nil)
        case .date: return (column(.date, .date(days: days, precision: [DatePrecision](repeating: .day, count: count))), nil)
        case .string, .uuid, .nothing: return (column(.string, .string(codes: strings.codes.finish(),
            dictionary: strings.dictionary())), nil)
        case .timestamp(let unitsPerSecond):
            let perDay = unitsPerSecond * 86_400
            let valid = { (row: Int) in bitmap?[row] ?? true }
            let allMidnight = ints.indices.allSatisfy { !valid($0) || ints[$0] % perDay == 0 }
            let dayNumbers = ints.map { floorDivide($0, perDay) }
            if allMidnight, dayNumbers.allSatisfy({ Int32(exactly: $0) != nil }) {
                let precisions = [DatePrecision](repeating: .day, count: count)
                return (column(.date, .date(days: dayNumbers.map { Int32($0) }, precision: precisions)), nil)
            }
            let texts = ints.indices.map { valid($0) ? timestampText(ints[$0], unitsPerSecond: unitsPerSecond) : "" }
            let dictionary = StringDictionary(texts, isUnique: false)
            let remark = "'\(name)' holds times of day, which ConflictQL has no type for: loaded as text "
                + "(\(texts.first(where: { !$0.isEmpty }) ?? ""))"
            return (column(.string, .string(codes: .sequence(count), dictionary: dictionary)), remark)
        }
    }
}

func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// `2024-03-05 14:30:00`, with the fraction of a second when there is one.
func timestampText(_ value: Int64, unitsPerSecond: Int64) -> String {
    let perDay = unitsPerSecond * 86_400
    let day = floorDivide(value, perDay)
    let within = value - day * perDay
    let seconds = within / unitsPerSecond, fraction = within % unitsPerSecond
    let date = Int32(exactly: day).map { DateValue(days: $0, precision: .day).description } ?? "day \(day)"
    func two(_ n: Int64) -> String { String(n).leftPadded(to: 2, with: "0") }
    var text = "\(date) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    if fraction != 0 {
        let digits = String(unitsPerSecond).count - 1
        var shown = String(fraction).leftPadded(to: digits, with: "0")
        while shown.hasSuffix("0") { shown.removeLast() }
        text += "." + shown
    }
    return text
}

func power10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<max(0, min(n, 400)) { result *= 10 }
    return result
}

/// A big-endian two's-complement integer of any length, as a Double.
func bigEndianDecimal(_ bytes: ArraySlice<UInt8>) -> Double {
    guard let first = bytes.first else { return 0 }
    let negative = first & 0x80 != 0
    var value = 0.0
    for b in bytes { value = value * 256 + Double(negative ? ~b : b) }
    return negative ? -(value + 1) : value
}
