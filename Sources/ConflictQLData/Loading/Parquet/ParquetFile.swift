// A Parquet file's footer as the loader uses it: the flat columns of its schema (a nested
// one refused by name) and, per row group, its row count and its column chunks, every count
// and offset checked against the file before anything is read by it.

/// The footer, as the loader needs it: the flat columns and each row group's chunks.
struct ParquetFile: Sendable {
    struct LeafColumn: Sendable {
        var name: String
        var element: ParquetSchemaElement
        var isOptional: Bool
    }

    var columns: [LeafColumn] = []
    var rowCount: Int
    /// Per row group, its row count and its chunks in column order.
    var rowGroups: [[ChunkPlace]] = []
    var rowGroupRows: [Int] = []

    struct ChunkPlace: Sendable {
        var start: Int
        var length: Int
    }

    /// The chunks' metadata, kept whole for the column loaders.
    var chunks: [[ParquetColumnChunk]] = []

    init(_ meta: ThriftStruct, fileSize: Int) throws {
        guard let schema = meta.list(2), case .structure(let rootStruct)? = schema.first else {
            throw ThriftProblem(message: "the schema is missing", offset: meta.offset)
        }
        let rows = try meta.requiredInt(3, "the row count")
        guard rows >= 0, rows <= Int64(Int32.max) else {
            throw ThriftProblem(message: "the row count (\(rows)) is out of range", offset: meta.offset)
        }
        rowCount = Int(rows)
        let root = try ParquetSchemaElement(rootStruct)
        var elements: [ParquetSchemaElement] = []
        for item in schema.dropFirst() {
            guard case .structure(let s) = item else {
                throw ThriftProblem(message: "a schema element is not a struct", offset: meta.offset)
            }
            elements.append(try ParquetSchemaElement(s))
        }
        // Flat: the root's children are all leaves, and there are no others.
        var index = 0
        for _ in 0..<root.childCount {
            guard index < elements.count else {
                throw ThriftProblem(message: "the schema has fewer columns than it says", offset: meta.offset)
            }
            let element = elements[index]
            if element.childCount > 0 || element.physicalType == nil {
                let what: String
                switch element.logical {
                case .nested("LIST")?: what = "is a list"
                case .nested("MAP")?: what = "is a map"
                default: what = "is a struct of \(element.childCount) field\(element.childCount == 1 ? "" : "s")"
                }
                throw ParquetNestedColumn(name: element.name, what: what)
            }
            if element.repetition == 2 {
                throw ParquetNestedColumn(name: element.name, what: "is repeated (a list)")
            }
            columns.append(LeafColumn(name: element.name, element: element, isOptional: element.repetition != 0))
            index += 1
        }
        guard index == elements.count else {
            throw ThriftProblem(message: "the schema has more elements than its root names", offset: meta.offset)
        }
        for item in meta.list(4) ?? [] {
            guard case .structure(let group) = item else {
                throw ThriftProblem(message: "a row group is not a struct", offset: meta.offset)
            }
            let groupRows = try group.requiredInt(3, "a row group's row count")
            guard groupRows >= 0, groupRows <= rows else {
                throw ThriftProblem(message: "a row group's row count is out of range", offset: group.offset)
            }
            let list = group.list(1) ?? []
            guard list.count == columns.count else {
                throw ThriftProblem(message: "a row group has \(list.count) columns where the schema has "
                    + "\(columns.count)", offset: group.offset)
            }
            var places: [ChunkPlace] = []
            var boxes: [ParquetColumnChunk] = []
            for chunkValue in list {
                guard case .structure(let chunkStruct) = chunkValue else {
                    throw ThriftProblem(message: "a column chunk is not a struct", offset: group.offset)
                }
                let chunk = try ParquetColumnChunk(chunkStruct, fileSize: fileSize)
                places.append(ChunkPlace(start: chunk.start, length: chunk.length))
                boxes.append(chunk)
            }
            rowGroups.append(places)
            chunks.append(boxes)
            rowGroupRows.append(Int(groupRows))
        }
        guard rowGroupRows.reduce(0, +) == rowCount else {
            throw ThriftProblem(message: "its row groups hold \(rowGroupRows.reduce(0, +)) rows where the footer says "
                + "\(rowCount)", offset: meta.offset)
        }
    }
}

/// A nested column: refused by name.
struct ParquetNestedColumn: Error {
    let name: String
    let what: String
}
