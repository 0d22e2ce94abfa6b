// Writing a result as a Parquet file (`--format parquet`, `.output FILE.parquet`): one row
// group per million rows, every column OPTIONAL, data pages v1 compressed with Snappy (our own
// encoder, Data/Loading/Parquet/ParquetCompression.swift), text dictionary-encoded when its
// values repeat and PLAIN otherwise. Types: Int → INT64, Float → DOUBLE, Bool → BOOLEAN,
// Date → INT32 DATE (a month or a year is written as its first day), String → BYTE_ARRAY
// UTF8. The footer is Thrift's compact protocol (ThriftWriter). Bytes go to a sink a column
// chunk at a time; everything that could refuse the table is checked before the first byte.

import ConflictQLCore
import ConflictQLData

public enum ParquetWriter {
    /// Rows per row group and per data page.
    static let rowGroupRows = 1 << 20
    static let pageRows = 1 << 16

    /// Why `table` cannot be written as Parquet (a list column), or nil when it can.
    public static func problem(_ table: Table) -> DiagnosticMessage? {
        for (field, column) in zip(table.schema.fields, table.columns) {
            if case .list = column.storage { return .parquetListColumn(field.name) }
        }
        return nil
    }

    /// Writes `table` as a whole Parquet file, in pieces, to `sink`.
    public static func write(_ table: Table, to sink: ([UInt8]) throws -> Void) throws {
        var offset = 0
        func emit(_ bytes: [UInt8]) throws {
            try sink(bytes)
            offset += bytes.count
        }
        try emit(Array("PAR1".utf8))
        var rowGroups: [RowGroupMeta] = []
        var start = 0
        repeat {
            let rows = start..<min(table.rowCount, start + rowGroupRows)
            var chunks: [ChunkMeta] = []
            for (field, column) in zip(table.schema.fields, table.columns) {
                var chunk = columnChunk(column, name: field.name, rows: rows)
                chunk.meta.shift(by: offset)
                try emit(chunk.bytes)
                chunks.append(chunk.meta)
            }
            rowGroups.append(RowGroupMeta(rows: rows.count, chunks: chunks))
            start = rows.upperBound
        } while start < table.rowCount
        var footer = ThriftWriter()
        footer.nested { w in
            w.int32(1, 1)
            w.structList(2, [nil] + table.schema.fields.map { Optional($0) }) { w, field in
                guard let field else {
                    w.string(4, "schema")
                    w.int32(5, Int32(table.schema.fields.count))
                    return
                }
                schemaElement(&w, name: field.name, kind: PhysicalKind(field.type))
            }
            w.int64(3, Int64(table.rowCount))
            w.structList(4, rowGroups) { w, group in
                w.structList(1, group.chunks) { w, chunk in chunk.write(&w) }
                w.int64(2, Int64(group.chunks.reduce(0) { $0 + $1.uncompressedSize }))
                w.int64(3, Int64(group.rows))
            }
            w.string(6, "ConflictQL")
        }
        let length = UInt32(footer.bytes.count)
        try emit(footer.bytes + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
                 + Array("PAR1".utf8))
    }

    /// How a column is stored: its physical type and annotation.
    enum PhysicalKind {
        case int64, double, boolean, date, string

        init(_ type: DataType) {
            switch type {
            case .int: self = .int64
            case .float: self = .double
            case .bool: self = .boolean
            case .date: self = .date
            case .string, .null, .list: self = .string
            }
        }

        var physicalType: Int32 {
            switch self {
            case .int64: return 2
            case .double: return 5
            case .boolean: return 0
            case .date: return 1
            case .string: return 6
            }
        }
    }

    static func schemaElement(_ w: inout ThriftWriter, name: String, kind: PhysicalKind) {
        w.int32(1, kind.physicalType)
        w.int32(3, 1)  // OPTIONAL
        w.string(4, name)
        switch kind {
        case .date:
            w.int32(6, 6)  // ConvertedType DATE
            w.structure(10) { $0.structure(6) { _ in } }
        case .string:
            w.int32(6, 0)  // ConvertedType UTF8
            w.structure(10) { $0.structure(1) { _ in } }
        case .int64, .double, .boolean:
            break
        }
    }

    struct RowGroupMeta {
        var rows: Int
        var chunks: [ChunkMeta]
    }

    struct ChunkMeta {
        var name: String
        var kind: PhysicalKind
        var encodings: [Int32]
        var values: Int
        var uncompressedSize: Int
        var compressedSize: Int
        var dataPageOffset: Int
        var dictionaryPageOffset: Int?

        mutating func shift(by offset: Int) {
            dataPageOffset += offset
            dictionaryPageOffset = dictionaryPageOffset.map { $0 + offset }
        }

        func write(_ w: inout ThriftWriter) {
            w.int64(2, Int64(dictionaryPageOffset ?? dataPageOffset))
            w.structure(3) { m in
                m.int32(1, kind.physicalType)
                m.int32List(2, encodings)
                m.stringList(3, [name])
                m.int32(4, 1)  // SNAPPY
                m.int64(5, Int64(values))
                m.int64(6, Int64(uncompressedSize))
                m.int64(7, Int64(compressedSize))
                m.int64(9, Int64(dataPageOffset))
                if let dictionaryPageOffset { m.int64(11, Int64(dictionaryPageOffset)) }
            }
        }
    }

    /// One column's chunk for `rows`: its bytes, and its metadata with offsets from the chunk's start.
    static func columnChunk(_ column: Column, name: String, rows: Range<Int>) -> (bytes: [UInt8], meta: ChunkMeta) {
        let kind = PhysicalKind(column.type)
        var bytes: [UInt8] = []
        var uncompressed = 0
        var meta = ChunkMeta(name: name, kind: kind, encodings: [0, 3], values: rows.count, uncompressedSize: 0, compressedSize: 0,
                             dataPageOffset: 0, dictionaryPageOffset: nil)
        /// A page: its header (type, sizes, then the header of its kind from `kindHeader`), its body compressed.
        func page(type: Int32, _ body: [UInt8], _ kindHeader: (inout ThriftWriter) -> Void) {
            let compressed = snappyCompress(body)
            var w = ThriftWriter()
            w.nested { w in
                w.int32(1, type)
                w.int32(2, Int32(body.count))
                w.int32(3, Int32(compressed.count))
                kindHeader(&w)
            }
            bytes += w.bytes
            bytes += compressed
            uncompressed += w.bytes.count + body.count
        }
        // A dictionary for text whose values repeat: the entries the rows use, numbered anew.
        var dictionaryIndex: [Int32]? = nil
        if case .string(let codes, let dictionary) = column.storage, !rows.isEmpty {
            var used = [Int32](repeating: -1, count: dictionary.count)
            var entries: [Int32] = []
            for row in rows where !column.isNull(row) && used[Int(codes[row])] < 0 {
                used[Int(codes[row])] = Int32(entries.count)
                entries.append(codes[row])
                if entries.count > max(1_000, rows.count / 2) { break }
            }
            if entries.count <= max(1_000, rows.count / 2) {
                var plain: [UInt8] = []
                for entry in entries { appendByteArray(&plain, dictionary, Int(entry)) }
                meta.dictionaryPageOffset = bytes.count
                page(type: 2, plain) { w in  // DICTIONARY_PAGE
                    w.structure(7) { d in
                        d.int32(1, Int32(entries.count))
                        d.int32(2, 0)  // PLAIN
                    }
                }
                dictionaryIndex = used
                meta.encodings = [0, 3, 8]
            }
        }
        var pageStart = rows.lowerBound
        meta.dataPageOffset = bytes.count
        while pageStart < rows.upperBound || (rows.isEmpty && pageStart == rows.lowerBound) {
            let pageRows = pageStart..<min(rows.upperBound, pageStart + pageRows)
            var body: [UInt8] = []
            let levels = definitionLevels(column, pageRows)
            appendUInt32(&body, UInt32(levels.count))
            body += levels
            if let dictionaryIndex, case .string(let codes, _) = column.storage {
                let indices = pageRows.filter { !isNull(column, $0) }.map { UInt32(dictionaryIndex[Int(codes[$0])]) }
                let width = max(1, bitWidth(UInt32(max(0, dictionaryIndex.max() ?? 0))))
                body.append(UInt8(width))
                body += bitPackedRun(indices, width: width)
            } else {
                plainValues(column, pageRows, into: &body)
            }
            page(type: 0, body) { w in  // DATA_PAGE
                w.structure(5) { d in
                    d.int32(1, Int32(pageRows.count))
                    d.int32(2, dictionaryIndex == nil ? 0 : 8)  // PLAIN or RLE_DICTIONARY
                    d.int32(3, 3)  // RLE
                    d.int32(4, 3)
                }
            }
            pageStart = pageRows.upperBound
            if rows.isEmpty { break }
        }
        meta.compressedSize = bytes.count
        meta.uncompressedSize = uncompressed
        return (bytes, meta)
    }

    static func definitionLevels(_ column: Column, _ rows: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        if case .null = column.storage { return bitPackedRun([UInt32](repeating: 0, count: rows.count), width: 1) }
        guard column.validity != nil else {
            // One RLE run of 1s.
            var header = UInt64(rows.count) << 1
            while header >= 0x80 { out.append(UInt8(header & 0x7F) | 0x80); header >>= 7 }
            out.append(UInt8(header))
            out.append(1)
            return out
        }
        return bitPackedRun(rows.map { column.isNull($0) ? 0 : 1 }, width: 1)
    }

    /// The RLE/bit-packed hybrid as one bit-packed run (groups of eight values).
    static func bitPackedRun(_ values: [UInt32], width: Int) -> [UInt8] {
        var out: [UInt8] = []
        let groups = (values.count + 7) / 8
        var header = UInt64(groups) << 1 | 1
        while header >= 0x80 { out.append(UInt8(header & 0x7F) | 0x80); header >>= 7 }
        out.append(UInt8(header))
        var packed = [UInt8](repeating: 0, count: groups * width)
        for (k, value) in values.enumerated() {
            let bit = k * width
            for b in 0..<width where value >> UInt32(b) & 1 != 0 {
                packed[(bit + b) >> 3] |= 1 << UInt8((bit + b) & 7)
            }
        }
        return out + packed
    }

    static func isNull(_ column: Column, _ row: Int) -> Bool {
        if case .null = column.storage { return true }
        return column.isNull(row)
    }

    static func bitWidth(_ value: UInt32) -> Int { 32 - value.leadingZeroBitCount }

    static func appendUInt32(_ out: inout [UInt8], _ v: UInt32) {
        out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
    }

    static func appendByteArray(_ out: inout [UInt8], _ dictionary: StringDictionary, _ entry: Int) {
        dictionary.withEntry(entry) { bytes in
            appendUInt32(&out, UInt32(bytes.count))
            out.append(contentsOf: bytes)
        }
    }

    /// The non-null values of `rows`, PLAIN.
    static func plainValues(_ column: Column, _ rows: Range<Int>, into out: inout [UInt8]) {
        let present = rows.filter { !isNull(column, $0) }
        switch column.storage {
        case .int(let values):
            for row in present { withUnsafeBytes(of: values[row].littleEndian) { out.append(contentsOf: $0) } }
        case .float(let values):
            for row in present { withUnsafeBytes(of: values[row].bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        case .bool(let values):
            var packed = [UInt8](repeating: 0, count: (present.count + 7) / 8)
            for (k, row) in present.enumerated() where values[row] { packed[k >> 3] |= 1 << UInt8(k & 7) }
            out += packed
        case .date(let days, _):
            for row in present { withUnsafeBytes(of: days[row].littleEndian) { out.append(contentsOf: $0) } }
        case .string(let codes, let dictionary):
            for row in present { appendByteArray(&out, dictionary, Int(codes[row])) }
        case .null, .list:
            break  // every row null (a list is refused before writing)
        }
    }
}
