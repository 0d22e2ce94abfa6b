// The JSON loader: an array of objects, one object per line (NDJSON), or API responses whose
// records are an array inside an object (JSONEnvelope.swift). Keys become columns
// in order of first appearance; a key missing from an object is null. A column's type is the
// narrowest that holds every value exactly, decided over the whole column:
//
//   - Int; Float when decimals mix with integers that a Float holds exactly; Bool; String.
//   - A column of strings only is typed as CSV types text (JSONTyping.swift: QuotedTyping):
//     `"3"` is 3 when every value reads as an Int, dates are Date, `"007"` stays text.
//   - Anything else mixed (text and numbers, a number too large for Int and Float, nested
//     objects) is String, each value spelt as in the file: `1.50` stays `1.50`, never `1.5`.
//   - Arrays become lists whose element type follows the same rule, so `[1, "x"]` is the list
//     of text `["1", "x"]` and `[true, 5]` is `["true", "5"]`: a value is never changed.

import ConflictQLCore
import ConflictQLSyntax

/// Loads a JSON file as a table.
func loadJSON(_ file: DataFile, options: LoadOptions, progress: LoadProgress?) throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    // The JSON parser reads the text whole: a plain file is read on past its prefix.
    try file.restore()
    var reader = JSONRecordReader(file: file, options: options, progress: progress)
    do throws(JSONReadFailure) {
        try reader.readAll()
    } catch {
        switch error {
        case .problem(let problem), .response(let problem):
            if let what = problem.notUTF8 { throw file.notUTF8Error(what, at: problem.offset) }
            throw file.error(.malformedData(problem.message), at: problem.offset)
        case .tooManyColumns: throw LoadError(.tooManyColumnsInFile, path: file.path)
        case .cancelled: throw LoadError(.cancelled, path: file.path)
        }
    }
    for name in options.types.keys where reader.index[name] == nil {
        let suggestion = closestName(to: name, in: reader.names)
        throw LoadError(.noSuchColumn("key", name, suggestion: suggestion), path: file.path)
    }
    // Every column holds a value (or a null) per record: check that they fit before building.
    try checkTableSize(columns: reader.names.count, rows: reader.rows, bytesPerValue: 9, path: file.path)
    var built: [Column] = []
    built.reserveCapacity(reader.names.count)
    for (name, cells) in zip(reader.names, reader.cells) {
        if options.cancellation?.isCancelled == true { throw LoadError(.cancelled, path: file.path) }
        let type = options.types[name] ?? JSONTyping.columnType(cells.lazy.map(\.node))
        var builder = ColumnBuilder(type: type, capacity: reader.rows)
        var row = 0
        for cell in cells {
            while row < cell.row { builder.append(.null); row += 1 }
            guard let value = JSONTyping.value(cell.node, as: type) else {
                let found = JSONTyping.text(cell.node)
                let shown = found.count > 40 ? String(found.prefix(40)) + "…" : found
                let article = type == .int ? "an" : "a"
                throw file.error(.jsonCellType(name, article, "\(type)", shown), at: cell.offset)
            }
            builder.append(value)
            row += 1
        }
        while row < reader.rows { builder.append(.null); row += 1 }
        built.append(builder.finish())
    }
    let table = Table(schema: Schema(zip(reader.names, built).map { Field($0, $1.type) }), columns: built, rowCount: reader.rows)
    let report = LoadReport(rows: reader.rows, columns: reader.names.count, bytes: file.bytes.count,
                            skippedRows: reader.skipped.count,
                            skipped: reader.skipped.prefix(5).map { (file.lineNumber(at: $0.offset), $0.problem) },
                            seconds: monotonicNow() - started)
    return (table, reader.describingResponses(report))
}

enum JSONReadFailure: Error {
    case problem(JSONProblem)
    /// An API response without the records it should hold: not skipped by a lenient load.
    case response(JSONProblem)
    case tooManyColumns
    case cancelled
}

/// Reads the records of a file into columns of cells, as they come: a column holds only the
/// rows that have its key, so a key that first appears late costs nothing for earlier rows.
struct JSONRecordReader {
    struct Cell {
        var row: Int
        var offset: Int
        var node: JSONNode
    }

    let file: DataFile
    let options: LoadOptions
    let progress: LoadProgress?
    var parser: JSONParser
    var names: [String] = []
    var index: [String: Int] = [:]
    var cells: [[Cell]] = []
    var rows = 0
    var skipped: [(offset: Int, problem: String)] = []
    var reported = 0
    /// The API responses read, when the file is responses rather than records (JSONEnvelope).
    var responses = ResponsesRead()

    init(file: DataFile, options: LoadOptions, progress: LoadProgress?) {
        self.file = file
        self.options = options
        self.progress = progress
        parser = JSONParser(bytes: file.bytes)
    }

    mutating func readAll() throws(JSONReadFailure) {
        parser.skipSpace()
        if parser.peek() == UInt8(ascii: "[") {
            if let path = options.records {
                throw .problem(JSONProblem(message: "the file is an array of records, not an object with '\(path)' in it; leave out records = \"\(path)\"",
                                           offset: parser.position))
            }
            try readArray()
        } else if parser.peek() == UInt8(ascii: "{") {
            try readObjects()
        } else {
            try readLines()
        }
        progress?(file.bytes.count - reported, file.bytes.count, rows)
    }

    /// `[ {...}, {...} ]`
    mutating func readArray() throws(JSONReadFailure) {
        try readRecords(expected: "expected an object in the array")
        try syntax { (parser: inout JSONParser) throws(JSONProblem) in
            parser.skipSpace()
            if parser.position < parser.bytes.count {
                throw JSONProblem(message: "unexpected text after the array", offset: parser.position)
            }
        }
    }

    /// The records of an array, from its `[` to its `]`; `expected` is the message for an
    /// element that is not an object.
    mutating func readRecords(expected: String) throws(JSONReadFailure) {
        try syntax { (parser: inout JSONParser) throws(JSONProblem) in
            parser.position += 1
            parser.skipSpace()
        }
        if parser.peek() == UInt8(ascii: "]") {
            parser.position += 1
        } else {
            while true {
                let fields = try syntax { (parser: inout JSONParser) throws(JSONProblem) in
                    let offset = parser.position
                    let value = try parser.parseValue(depth: 0)
                    guard case .object(let fields) = value else {
                        throw JSONProblem(message: "\(expected), found \(describeJSON(value))", offset: offset)
                    }
                    return fields
                }
                try add(fields)
                let more = try syntax { (parser: inout JSONParser) throws(JSONProblem) -> Bool in
                    parser.skipSpace()
                    if parser.peek() == UInt8(ascii: ",") { parser.position += 1; parser.skipSpace(); return true }
                    if parser.peek() == UInt8(ascii: "]") { parser.position += 1; return false }
                    throw JSONProblem(message: "expected ',' or ']' after an object", offset: parser.position)
                }
                if !more { break }
            }
        }
    }

    /// One object per line; a lenient load skips the lines that cannot be read.
    mutating func readLines() throws(JSONReadFailure) {
        while true {
            parser.skipSpace()
            if parser.position >= file.bytes.count { break }
            let fields: [JSONField]
            do throws(JSONProblem) {
                fields = try parser.parseObject(expected: "expected an object on each line")
            } catch {
                guard options.lenient else { throw .problem(error) }
                skipped.append((error.offset, error.message))
                // Go on at the next line.
                while parser.position < file.bytes.count && file.bytes[parser.position] != UInt8(ascii: "\n") { parser.position += 1 }
                continue
            }
            try add(fields)
        }
    }

    /// Runs a step of the parser, its syntax errors becoming read failures.
    mutating func syntax<T>(_ step: (inout JSONParser) throws(JSONProblem) -> T) throws(JSONReadFailure) -> T {
        do throws(JSONProblem) {
            return try step(&parser)
        } catch {
            throw .problem(error)
        }
    }

    /// One record's fields, each to its column (a repeated key: the last value counts).
    mutating func add(_ fields: [JSONField]) throws(JSONReadFailure) {
        for field in fields {
            let key = field.key
            let column: Int
            if let known = index[key] {
                column = known
            } else {
                guard names.count < LoadLimits.maximumColumns else { throw .tooManyColumns }
                column = names.count
                index[key] = column
                names.append(key)
                cells.append([])
            }
            let cell = Cell(row: rows, offset: field.offset, node: field.value)
            if cells[column].last?.row == rows { cells[column][cells[column].count - 1] = cell } else { cells[column].append(cell) }
        }
        rows += 1
        if rows & 1023 == 0 {
            if options.cancellation?.isCancelled == true { throw .cancelled }
            if parser.position - reported >= 8 << 20 {
                progress?(parser.position - reported, file.bytes.count, rows)
                reported = parser.position
            }
        }
    }
}
