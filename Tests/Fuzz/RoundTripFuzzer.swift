// libFuzzer harness: bytes as a table of awkward values (Tests/ConflictQLTests/RoundTrip.swift,
// compiled in with -D FUZZING), written as CSV and JSON, loaded back and compared value for
// value; Markdown must keep one cell per column. A difference traps, so it is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoundTrip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var values = AwkwardValues(Array(UnsafeBufferPointer(start: data, count: size)))
    let table = values.table()
    for format in [OutputFormat.csv, .tsv, .json, .ndjson] {
        if let mismatch = roundTripMismatch(table, format: format) { fatalError(mismatch) }
    }
    if let mismatch = markdownShapeMismatch(table) { fatalError(mismatch) }
    return 0
}
