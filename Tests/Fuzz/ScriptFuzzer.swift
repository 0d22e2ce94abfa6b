// libFuzzer harness: bytes as a ConflictQL script, lexed, parsed, checked and run against the
// embedded briefing in safe mode (no file is read), every result formatted in every format.
// A crash, a trap, a leak or a hang is a finding; an error message is the expected outcome.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let (source, encodingError) = Source.decoding(bytes, name: "<fuzz>")
    if encodingError != nil { return 0 }
    let session = Session(allowsFileAccess: false)
    let formatters = OutputFormat.allCases.map { ResultFormatter(format: $0, maxRows: 50, maxWidth: 80) }
    do {
        // Dot-command lines are taken out and parsed too; empty answers are explained (and
        // each hint rendered), as the executable does.
        try session.run(source, onHint: { _ = DiagnosticRenderer().render($0.diagnostics, in: $0.source) },
                        onCommand: { _ in }, onResult: { result in
            for formatter in formatters { _ = formatter.format(result) }
        })
    } catch let error as DiagnosticError {
        _ = DiagnosticRenderer().render(error.diagnostics, in: error.source)
    } catch {}
    // Completion over any prefix must not crash either.
    let completer = Completer(symbols: session.symbols)
    _ = completer.complete(String(source.text.prefix(200)), word: "")
    return 0
}
