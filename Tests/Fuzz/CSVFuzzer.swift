// libFuzzer harness: bytes as a CSV data file, loaded strictly and leniently, then queried.
// Errors are expected; crashes are findings. One oracle too: the file parsed in three
// chunks (as a large file is), read through windows of a few bytes whose size and the first
// split's place the input chooses, must give exactly what one chunk gives, the same table or
// the same error, which checks the stitching of chunks, the moving of windows and the
// widening of types across chunks.
// The bytes are also loaded as Windows-1252 and UTF-16, through the transcoder.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    for lenient in [false, true] {
        var options = LoadOptions()
        options.format = .csv
        options.lenient = lenient
        options.threads = 1
        let whole = Result { () throws(LoadError) in try loadTable(bytes: buffer, name: "fuzz.csv", options: options).0 }
        var chunked = options
        chunked.threads = 3
        chunked.chunkingThreshold = 0
        if size > 0 {
            chunked.windowBytes = 1 + Int(data[size - 1] % 16)
            chunked.splitAt = Int(data[0]) % size
        }
        let split = Result { () throws(LoadError) in try loadTable(bytes: buffer, name: "fuzz.csv", options: chunked).0 }
        switch (whole, split) {
        case (.success(let a), .success(let b)):
            precondition(a.schema.fields.map(\.type) == b.schema.fields.map(\.type) && a.rows == b.rows,
                         "three chunks loaded another table than one")
        case (.failure(let a), .failure(let b)):
            precondition(a.description == b.description, "three chunks failed otherwise than one: \(a.description) / \(b.description)")
        default:
            preconditionFailure("one of one chunk and three chunks failed, the other did not")
        }
        guard case .success(let table) = whole else { continue }
        var catalog = Catalog()
        catalog.add("t", table, description: "fuzz")
        let session = Session(catalog: catalog, allowsFileAccess: false)
        let first = table.schema.names.first.map { "`\($0)`" } ?? "x"
        for query in ["t | count", "t | distinct \(first)", "t | sort by \(first) | take 3", "t | summarize count() by \(first)"] {
            if case .table(let result)? = try? session.run(query).last {
                _ = ResultFormatter(format: .csv).format(.table(result))
            }
        }
        _ = ResultFormatter(format: .table, maxRows: 20, maxWidth: 100).format(.table(table))
    }
    // The same bytes in the other encodings: transcoded to UTF-8 first (UTF-16's faults are
    // errors at a line and column); errors are expected, crashes are findings.
    for encoding in [TextEncoding.windows1252, .utf16, .utf16LE, .utf16BE] {
        var options = LoadOptions()
        options.format = .csv
        options.encoding = encoding
        options.threads = 3
        options.chunkingThreshold = 0
        if case .failure(let error) = Result(catching: { () throws(LoadError) in try loadTable(bytes: buffer, name: "fuzz.csv", options: options) }) {
            _ = error.renderedExcerpt
        }
    }
    return 0
}
