// libFuzzer harness: bytes as a .gz or .zip file (the seeds are real ones, so mutations reach
// the zip directory, zlib's checks and the member choice), loaded with and without a member
// named; errors are expected, crashes are findings. One oracle too: the bytes as text,
// gzipped here and stored in a zip here, must load exactly as the plain bytes do, the same
// table or the same message at the same line and column.

import CZlib

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCompressed(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    var options = LoadOptions()
    options.threads = 1
    for name in ["fuzz.zip", "fuzz.csv.gz", "fuzz"] {
        _ = try? loadTable(bytes: buffer, name: name, options: options)
    }
    var named = options
    named.member = "a.csv"
    _ = try? loadTable(bytes: buffer, name: "fuzz.zip", options: named)

    // The oracle, on bytes that are not already compressed.
    guard size >= 4, !(data[0] == 0x1F && data[1] == 0x8B), !(data[0] == 0x50 && data[1] == 0x4B) else { return 0 }
    options.format = .csv
    let plain = describe(Result { () throws(LoadError) in try loadTable(bytes: buffer, name: "a.csv", options: options).0 })
    for packed in [gzipped(buffer), storedZip(buffer, name: "a.csv")] {
        let loaded = packed.withUnsafeBufferPointer { bytes in
            describe(Result { () throws(LoadError) in try loadTable(bytes: bytes, name: "a.zip", options: options).0 })
        }
        precondition(loaded == plain, "compressed bytes loaded otherwise than plain ones: \(loaded) / \(plain)")
    }
    return 0
}

/// A table's types, rows and values, or an error's message and place (not its path).
private func describe(_ result: Result<Table, LoadError>) -> String {
    switch result {
    case .success(let table): return "\(table.schema.fields.map { "\($0.name): \($0.type)" }) \(table.rows)"
    case .failure(let error): return "\(error.line ?? 0):\(error.column ?? 0): \(error.message)"
    }
}

private func gzipped(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    let written = output.withUnsafeMutableBufferPointer { out in
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress)
        stream.avail_in = UInt32(bytes.count)
        stream.next_out = out.baseAddress
        stream.avail_out = UInt32(out.count)
        precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
        return out.count - Int(stream.avail_out)
    }
    return Array(output.prefix(written))
}

/// A zip of one stored member.
private func storedZip(_ bytes: UnsafeBufferPointer<UInt8>, name: String) -> [UInt8] {
    func le(_ value: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    let crc = Int(crc32(0, bytes.baseAddress, UInt32(bytes.count)))
    let nameBytes = Array(name.utf8)
    let common = le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(bytes.count, 4) + le(bytes.count, 4) + le(nameBytes.count, 2) + le(0, 2)
    let local = le(0x0403_4B50, 4) + le(20, 2) + common + nameBytes + Array(bytes)
    let central = le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + nameBytes
    return local + central + le(0x0605_4B50, 4) + le(0, 4) + le(1, 2) + le(1, 2) + le(central.count, 4) + le(local.count, 4) + le(0, 2)
}
