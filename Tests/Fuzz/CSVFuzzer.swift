// libFuzzer harness: bytes as a data file, loaded as CSV (and as JSON when they look like
// it), strictly and leniently, then queried. Errors are expected; crashes are findings.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    for lenient in [false, true] {
        var options = LoadOptions()
        options.lenient = lenient
        options.threads = 2
        guard let (table, _) = try? loadTable(bytes: buffer, name: "fuzz.csv", options: options) else { continue }
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
    return 0
}
