// libFuzzer harness: bytes as a JSON data file (an array of objects, one object per line, API responses),
// loaded strictly and leniently, then queried and formatted. Errors are expected; a crash, a
// trap, a leak or a hang is a finding. (The CSV harness names its input fuzz.csv, so it never
// reaches the JSON reader.)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
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
