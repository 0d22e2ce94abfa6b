// The parts of Apache Parquet's format (parquet.thrift) that a flat file needs: the physical
// and logical types, encodings, codecs, the footer's schema and row groups, and page headers,
// each read from a ThriftStruct with its field ids spelled out beside the names the spec uses.
// Writers (ParquetWriter) use the same numbers.

/// The physical type of a column's values (`Type`).
enum ParquetPhysicalType: Int64 {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLengthByteArray = 7
}

/// `Encoding`.
enum ParquetEncoding: Int64 {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5, deltaLengthByteArray = 6
    case deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    var name: String {
        switch self {
        case .plain: return "PLAIN"
        case .plainDictionary: return "PLAIN_DICTIONARY"
        case .rle: return "RLE"
        case .bitPacked: return "BIT_PACKED"
        case .deltaBinaryPacked: return "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: return "DELTA_BYTE_ARRAY"
        case .rleDictionary: return "RLE_DICTIONARY"
        case .byteStreamSplit: return "BYTE_STREAM_SPLIT"
        }
    }
}

/// `CompressionCodec`.
enum ParquetCodec: Int64 {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    var name: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }
}

/// `ConvertedType`, the older annotation most writers still set beside the logical type.
enum ParquetConvertedType: Int64 {
    case utf8 = 0, map = 1, mapKeyValue = 2, list = 3, enumeration = 4, decimal = 5, date = 6, timeMillis = 7, timeMicros = 8
    case timestampMillis = 9, timestampMicros = 10, uint8 = 11, uint16 = 12, uint32 = 13, uint64 = 14
    case int8 = 15, int16 = 16, int32 = 17, int64 = 18, json = 19, bson = 20, interval = 21
}

/// A column's meaning beyond its physical type: the union `LogicalType`, with the older
/// `ConvertedType` folded in.
enum ParquetLogicalType: Equatable {
    case string, date, decimal(scale: Int, precision: Int), timestamp(unitsPerSecond: Int64), time
    case integer(bits: Int, signed: Bool), json, uuid, float16, unknown, nested(String), other(String)
}

/// One element of the footer's schema (`SchemaElement`), flattened in depth-first order.
struct ParquetSchemaElement {
    var name: String
    var physicalType: ParquetPhysicalType?
    var typeLength: Int?
    /// 0 required, 1 optional, 2 repeated (`FieldRepetitionType`).
    var repetition: Int64?
    var childCount: Int
    var logical: ParquetLogicalType?

    init(_ s: ThriftStruct) throws(ThriftProblem) {
        guard let name = s.string(4) else { throw ThriftProblem(message: "a schema element has no name", offset: s.offset) }
        self.name = name
        if let raw = s.int(1) {
            guard let type = ParquetPhysicalType(rawValue: raw) else {
                throw ThriftProblem(message: "column '\(name)' has an unknown physical type (\(raw))", offset: s.offset)
            }
            physicalType = type
        }
        typeLength = s.int(2).map { Int(clamping: $0) }
        repetition = s.int(3)
        childCount = Int(clamping: s.int(5) ?? 0)
        guard childCount >= 0 else { throw ThriftProblem(message: "'\(name)' has a negative number of fields", offset: s.offset) }
        let scale = Int(clamping: s.int(7) ?? 0), precision = Int(clamping: s.int(8) ?? 0)
        if let logical = s.structure(10), let (id, value) = logical.fields.first {
            logicalType: switch id {
            case 1: self.logical = .string
            case 2: self.logical = .nested("MAP")
            case 3: self.logical = .nested("LIST")
            case 4: self.logical = .string  // ENUM: text
            case 5:
                guard case .structure(let d) = value else { break logicalType }
                self.logical = .decimal(scale: Int(clamping: d.int(1) ?? 0), precision: Int(clamping: d.int(2) ?? 0))
            case 6: self.logical = .date
            case 7: self.logical = .time
            case 8:
                guard case .structure(let t) = value, let unit = t.structure(2), let which = unit.fields.keys.first else {
                    self.logical = .other("TIMESTAMP without a unit")
                    break logicalType
                }
                self.logical = .timestamp(unitsPerSecond: which == 1 ? 1_000 : which == 2 ? 1_000_000 : 1_000_000_000)
            case 10:
                guard case .structure(let i) = value else { break logicalType }
                self.logical = .integer(bits: Int(clamping: i.int(1) ?? 64), signed: i.bool(2) ?? true)
            case 11: self.logical = .unknown
            case 12: self.logical = .json
            case 13: self.logical = .other("BSON")
            case 14: self.logical = .uuid
            case 15: self.logical = .float16
            default: self.logical = .other("a logical type numbered \(id)")
            }
            return
        }
        guard let raw = s.int(6) else { return }
        switch ParquetConvertedType(rawValue: raw) {
        case .utf8, .enumeration: logical = .string
        case .json: logical = .json
        case .map, .mapKeyValue: logical = .nested("MAP")
        case .list: logical = .nested("LIST")
        case .decimal: logical = .decimal(scale: scale, precision: precision)
        case .date: logical = .date
        case .timeMillis, .timeMicros: logical = .time
        case .timestampMillis: logical = .timestamp(unitsPerSecond: 1_000)
        case .timestampMicros: logical = .timestamp(unitsPerSecond: 1_000_000)
        case .uint8: logical = .integer(bits: 8, signed: false)
        case .uint16: logical = .integer(bits: 16, signed: false)
        case .uint32: logical = .integer(bits: 32, signed: false)
        case .uint64: logical = .integer(bits: 64, signed: false)
        case .int8: logical = .integer(bits: 8, signed: true)
        case .int16: logical = .integer(bits: 16, signed: true)
        case .int32: logical = .integer(bits: 32, signed: true)
        case .int64: logical = .integer(bits: 64, signed: true)
        case .bson: logical = .other("BSON")
        case .interval: logical = .other("INTERVAL")
        case nil: logical = .other("a converted type numbered \(raw)")
        }
    }
}

/// One column chunk of a row group (`ColumnChunk` with its `ColumnMetaData`).
struct ParquetColumnChunk {
    var physicalType: ParquetPhysicalType
    var path: [String]
    var codec: ParquetCodec
    var valueCount: Int
    /// The bytes of the chunk in the file: its dictionary page (if any) and data pages.
    var start: Int
    var length: Int

    init(_ chunk: ThriftStruct, fileSize: Int) throws(ThriftProblem) {
        if let external = chunk.string(1), !external.isEmpty {
            throw ThriftProblem(message: "a column chunk is in another file ('\(external)'), which is not read", offset: chunk.offset)
        }
        guard let meta = chunk.structure(3) else {
            throw ThriftProblem(message: "a column chunk has no metadata (an encrypted file?)", offset: chunk.offset)
        }
        let rawType = try meta.requiredInt(1, "a column chunk's type")
        guard let type = ParquetPhysicalType(rawValue: rawType) else {
            throw ThriftProblem(message: "a column chunk has an unknown type (\(rawType))", offset: meta.offset)
        }
        physicalType = type
        path = (meta.list(3) ?? []).compactMap { item in
            guard case .binary(let b) = item else { return nil }
            return String(decoding: b, as: UTF8.self)
        }
        let rawCodec = try meta.requiredInt(4, "a column chunk's codec")
        guard let codec = ParquetCodec(rawValue: rawCodec) else {
            throw ThriftProblem(message: "column '\(path.joined(separator: "."))' has an unknown compression codec "
                + "(\(rawCodec))", offset: meta.offset)
        }
        self.codec = codec
        let values = try meta.requiredInt(5, "a column chunk's value count")
        let compressed = try meta.requiredInt(7, "a column chunk's size")
        let dataPage = try meta.requiredInt(9, "a column chunk's first page")
        // The dictionary page comes first when there is one; some writers set its offset to 0
        // for none, and a few old ones point the data page offset at the dictionary.
        var first = dataPage
        if let dictionary = meta.int(11), dictionary > 0, dictionary < dataPage { first = dictionary }
        guard values >= 0, compressed >= 0, first >= 4, first <= Int64(fileSize), compressed <= Int64(fileSize) - first else {
            throw ThriftProblem(message: "column '\(path.joined(separator: "."))' has a chunk outside the file", offset: meta.offset)
        }
        valueCount = Int(values)
        start = Int(first)
        length = Int(compressed)
    }
}

/// A page header (`PageHeader` with the header of its kind).
struct ParquetPageHeader {
    enum Kind {
        case dataV1(valueCount: Int, encoding: ParquetEncoding, definitionEncoding: ParquetEncoding)
        case dataV2(valueCount: Int, nullCount: Int, encoding: ParquetEncoding, definitionLength: Int, repetitionLength: Int,
                    isCompressed: Bool)
        case dictionary(valueCount: Int, encoding: ParquetEncoding)
        case other
    }

    var kind: Kind
    var uncompressedSize: Int
    var compressedSize: Int

    init(_ s: ThriftStruct) throws(ThriftProblem) {
        let type = try s.requiredInt(1, "a page's type")
        let uncompressed = try s.requiredInt(2, "a page's size")
        let compressed = try s.requiredInt(3, "a page's compressed size")
        guard uncompressed >= 0, compressed >= 0, uncompressed <= Int64(Int32.max), compressed <= Int64(Int32.max) else {
            throw ThriftProblem(message: "a page has a negative size", offset: s.offset)
        }
        uncompressedSize = Int(uncompressed)
        compressedSize = Int(compressed)
        func encoding(_ header: ThriftStruct, _ id: Int16) throws(ThriftProblem) -> ParquetEncoding {
            let raw = try header.requiredInt(id, "a page's encoding")
            guard let e = ParquetEncoding(rawValue: raw) else {
                throw ThriftProblem(message: "a page has an unknown encoding (\(raw))", offset: header.offset)
            }
            return e
        }
        func count(_ header: ThriftStruct, _ id: Int16, _ what: String) throws(ThriftProblem) -> Int {
            let v = try header.requiredInt(id, what)
            guard v >= 0, v <= Int64(Int32.max) else {
                throw ThriftProblem(message: "\(what) is out of range (\(v))", offset: header.offset)
            }
            return Int(v)
        }
        switch type {
        case 0:
            guard let h = s.structure(5) else { throw ThriftProblem(message: "a data page has no header", offset: s.offset) }
            kind = .dataV1(valueCount: try count(h, 1, "a page's value count"), encoding: try encoding(h, 2),
                           definitionEncoding: try encoding(h, 3))
        case 2:
            guard let h = s.structure(7) else { throw ThriftProblem(message: "a dictionary page has no header", offset: s.offset) }
            kind = .dictionary(valueCount: try count(h, 1, "a dictionary's value count"), encoding: try encoding(h, 2))
        case 3:
            guard let h = s.structure(8) else { throw ThriftProblem(message: "a data page has no header", offset: s.offset) }
            kind = .dataV2(valueCount: try count(h, 1, "a page's value count"), nullCount: try count(h, 2, "a page's null count"),
                           encoding: try encoding(h, 4), definitionLength: try count(h, 5, "a page's definition levels' length"),
                           repetitionLength: try count(h, 6, "a page's repetition levels' length"), isCompressed: h.bool(7) ?? true)
        default:
            kind = .other
        }
    }
}
