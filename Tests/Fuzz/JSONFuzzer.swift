// libFuzzer harness: bytes as a JSON data file (an array of objects, one object per line, API responses),
// loaded strictly and leniently, then queried and formatted. Errors are expected; a crash, a
// trap, a leak or a hang is a finding. So is a table or an error of the scan of flat records,
// read in stretches and built a block at a time (JSONCells.swift, JSONStretches.swift,
// JSONColumns.swift), that differs from the parser's whole read (its oracle). (The CSV harness
// names its input fuzz.csv, so it never reaches the JSON reader.)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    for lenient in [false, true] {
        var fast = LoadOptions()
        fast.format = .json
        fast.lenient = lenient
        fast.jsonStretchThreshold = 0
        fast.jsonStretches = 2 + size % 4
        fast.jsonRangeThreshold = 0
        fast.jsonBlockRows = 1 + size % 3
        var oracle = fast
        oracle.jsonScansFlatRecords = false
        let scanned = describe(fast, buffer), parsed = describe(oracle, buffer)
        if scanned != parsed { fatalError("the scan read \(scanned)\nthe parser read \(parsed)") }
    }
    // Strict, lenient, and with a records path (API responses: JSONEnvelope.swift).
    for (lenient, records) in [(false, nil), (true, nil), (false, "data"), (true, "a.data")] as [(Bool, String?)] {
        var options = LoadOptions()
        options.format = .json
        options.lenient = lenient
        options.records = records
        guard let (table, _) = try? loadTable(bytes: buffer, name: "fuzz.json", options: options) else { continue }
        var catalog = Catalog()
        catalog.add("t", table, description: "fuzz")
        let session = Session(catalog: catalog, allowsFileAccess: false)
        let first = table.schema.names.first.map { "`\($0.filter { $0 != "`" })`" } ?? "x"
        for query in ["t | count", "t | distinct \(first)", "t | expand e = \(first) | count", "t | summarize count() by \(first)"] {
            if case .table(let result)? = try? session.run(query).last {
                _ = ResultFormatter(format: .json).format(.table(result))
            }
        }
        _ = ResultFormatter(format: .table, maxRows: 20, maxWidth: 100).format(.table(table))
        _ = ResultFormatter(format: .csv).format(.table(table))
    }
    return 0
}

/// A load's table as CSV with its schema, or its error.
func describe(_ options: LoadOptions, _ buffer: UnsafeBufferPointer<UInt8>) -> String {
    do {
        let (table, _) = try loadTable(bytes: buffer, name: "fuzz.json", options: options)
        return table.schema.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "\n"
            + ResultFormatter(format: .csv).format(.table(table))
    } catch {
        return "error: \(error.description)"
    }
}
