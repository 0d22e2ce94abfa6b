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
    let read = monotonicNow()
    var reader = JSONRecordReader(file: file, options: options, progress: progress)
    let parts: [JSONPart]
    let names: [String]
    if let stretches = readJSONStretches(file, options: options, progress: progress) {
        (parts, names) = stretches
        progress?(file.bytes.count, file.bytes.count, parts.reduce(0) { $0 + $1.rows })
    } else {
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
        parts = [JSONPart(names: reader.names, cells: reader.cells, rows: reader.rows, start: 0, ends: reader.ends)]
        names = reader.names
        reader.cells = []
    }
    let rows = parts.reduce(0) { $0 + $1.rows }
    for name in options.types.keys where !names.contains(name) {
        let suggestion = closestName(to: name, in: names)
        throw LoadError(.noSuchColumn("key", name, suggestion: suggestion), path: file.path)
    }
    // Every column holds a value (or a null) per record: check that they fit before building.
    try checkTableSize(columns: names.count, rows: rows, bytesPerValue: 9, path: file.path)
    let scanned = monotonicNow()
    let built = try buildJSONColumns(names: names, parts: parts, options: options, file: file)
    let table = Table(schema: Schema(zip(names, built).map { Field($0, $1.type) }), columns: built, rowCount: rows)
    var report = LoadReport(rows: rows, columns: names.count, bytes: file.bytes.count,
                            skippedRows: reader.skipped.count,
                            skipped: reader.skipped.prefix(5).map { (file.lineNumber(at: $0.offset), $0.problem) },
                            seconds: monotonicNow() - started)
    report.phases = [("read", read - started), ("records", scanned - read), ("columns", monotonicNow() - scanned)]
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
/// A flat record is scanned straight into the columns' spans (JSONCells.swift); any other is
/// parsed into nodes.
struct JSONRecordReader {
    let file: DataFile
    let options: LoadOptions
    let progress: LoadProgress?
    var parser: JSONParser
    var names: [String] = []
    var index: [String: Int] = [:]
    var cells: [JSONCells] = []
    /// The columns' keys as bytes (key `k` is `keyText[keyStarts[k]..<keyStarts[k + 1]]`), and
    /// the columns of the last scanned record's keys in order.
    var keyText: [UInt8] = []
    var keyStarts: [Int] = [0]
    var keyOrder: [Int] = []
    /// The values of the record being scanned: a record is added whole or not at all.
    var pending: [(column: Int, kind: JSONCells.Kind, start: Int, length: Int)] = []
    /// The keys of the record being scanned that no earlier record had, in order.
    var pendingNames: [String] = []
    var rows = 0
    /// Where each record ends in the text (the build reads the text of a block of records ahead).
    var ends: [Int] = []
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
        progress?(file.bytes.count, file.bytes.count, rows)
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
                try readRecord(expected: expected)
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

    /// One record of an array: scanned when it is flat, parsed otherwise.
    mutating func readRecord(expected: String) throws(JSONReadFailure) {
        parser.skipSpace()
        if scanFlatRecord() {
            try recordEnds()
            return
        }
        let fields = try syntax { (parser: inout JSONParser) throws(JSONProblem) in
            let offset = parser.position
            let value = try parser.parseValue(depth: 0)
            guard case .object(let fields) = value else {
                throw JSONProblem(message: "\(expected), found \(describeJSON(value))", offset: offset)
            }
            return fields
        }
        try add(fields)
    }

    /// One object per line; a lenient load skips the lines that cannot be read.
    mutating func readLines() throws(JSONReadFailure) {
        while true {
            parser.skipSpace()
            if parser.position >= file.bytes.count { break }
            if scanFlatRecord() {
                try recordEnds()
                continue
            }
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
            let column: Int
            if let known = index[field.key] {
                column = known
            } else {
                guard names.count < LoadLimits.maximumColumns else { throw .tooManyColumns }
                column = newColumn(field.key)
            }
            cells[column].add(field.value, offset: field.offset, row: rows)
        }
        try recordEnds()
    }

    /// Counts a record read; now and then checks for cancelling and reports progress.
    mutating func recordEnds() throws(JSONReadFailure) {
        rows += 1
        ends.append(parser.position)
        if rows & 1023 == 0 {
            if options.cancellation?.isCancelled == true { throw .cancelled }
            if parser.position - reported >= 8 << 20 {
                progress?(parser.position, file.bytes.count, rows)
                reported = parser.position
            }
        }
    }
}
