// A large JSON file of flat records, an array of them or one a line, read in stretches on all
// cores, as a CSV file is: the text split at what looks like the start of a record, each
// stretch's records scanned into columns of its own (JSONCells.swift), and the stretches
// checked to meet, each ending exactly where the next begins. Anything else (a record the
// scan does not take, an API response, stretches that do not meet because a split fell
// inside a string) leaves the file to the reader that goes through it whole, one record
// after another, which says what is wrong with it.

import ConflictQLCore
import ConflictQLSyntax
import Dispatch
import Synchronization

/// The parts of the text read in stretches, and the table's columns in the order their keys
/// first appear; nil when the file is to be read whole. `progress` is told the bytes and
/// records of all stretches so far.
func readJSONStretches(_ file: DataFile, options: LoadOptions, progress: LoadProgress? = nil) -> (parts: [JSONPart], names: [String])? {
    let text = file.bytes
    guard options.jsonScansFlatRecords, options.records == nil, text.count >= options.jsonStretchThreshold else { return nil }
    let stretches = options.jsonStretches ?? System.coreCount * 2
    guard stretches > 1 else { return nil }
    // The shape: an array, or a first line that is a flat record (not an API response).
    var probe = JSONRecordReader(file: file, options: options, progress: nil)
    probe.parser.skipSpace()
    let isArray: Bool
    var contentStart = probe.parser.position
    switch probe.parser.peek() {
    case UInt8(ascii: "["):
        isArray = true
        probe.parser.position += 1
        probe.parser.skipSpace()
        contentStart = probe.parser.position
        guard probe.parser.peek() == UInt8(ascii: "{") else { return nil }
    case UInt8(ascii: "{"):
        isArray = false
        guard probe.scanFlatRecord(), !probe.names.contains(where: { name in knownResponses.contains { $0.records == name } }) else {
            return nil
        }
        probe.parser.skipSpace()
        guard probe.parser.position < text.count else { return nil }
    default:
        return nil
    }
    // Where each stretch begins: the first likely record start past its share of the text.
    var bounds = [contentStart]
    for k in 1..<stretches {
        let nominal = contentStart + (text.count - contentStart) * k / stretches
        guard let start = likelyJSONRecordStart(text, atOrAfter: max(nominal, bounds[bounds.count - 1] + 1), inArray: isArray) else { break }
        bounds.append(start)
    }
    guard bounds.count > 1 else { return nil }
    let starts = bounds, length = text.count
    let read = Mutex<[UncheckedSendable<JSONPart>?]>([UncheckedSendable<JSONPart>?](repeating: nil, count: bounds.count))
    // Each stretch's bytes and records so far; their sums are the load's progress.
    let done = Mutex<[(bytes: Int, rows: Int)]>([(bytes: Int, rows: Int)](repeating: (0, 0), count: bounds.count))
    let first = contentStart
    DispatchQueue.concurrentPerform(iterations: bounds.count) { k in
        var told: LoadProgress? = nil
        if let progress {
            told = { @Sendable (position: Int, total: Int, rows: Int) -> Void in
                done.withLock { done in
                    done[k] = (position - starts[k], rows)
                    let bytes = done.reduce(0) { $0 + $1.bytes }, records = done.reduce(0) { $0 + $1.rows }
                    progress(first + bytes, total, records)
                }
            }
        }
        var reader = JSONRecordReader(file: file, options: options, progress: told)
        reader.reported = starts[k]
        reader.parser.position = starts[k]
        let last = k == starts.count - 1
        let stop = last ? length : starts[k + 1]
        func met() -> Bool {
            while true {
                guard reader.scanFlatRecord() else { return false }
                do { try reader.recordEnds() } catch { return false }
                reader.parser.skipSpace()
                if isArray {
                    switch reader.parser.peek() {
                    case UInt8(ascii: ","):
                        reader.parser.position += 1
                        reader.parser.skipSpace()
                        if reader.parser.position >= stop { return !last && reader.parser.position == stop }
                    case UInt8(ascii: "]"):
                        guard last else { return false }
                        reader.parser.position += 1
                        reader.parser.skipSpace()
                        return reader.parser.position == length
                    default:
                        return false
                    }
                } else if reader.parser.position >= stop {
                    return reader.parser.position == stop
                }
            }
        }
        guard met() else { return }
        let part = JSONPart(names: reader.names, cells: reader.cells, rows: reader.rows, start: starts[k], ends: reader.ends)
        let done = UncheckedSendable(value: part)
        read.withLock { $0[k] = done }
    }
    let found = read.withLock { $0 }
    var parts: [JSONPart] = []
    for part in found {
        guard let part else { return nil }
        parts.append(part.value)
    }
    var names: [String] = []
    var seen = Set<String>()
    for part in parts { for name in part.names where seen.insert(name).inserted { names.append(name) } }
    guard names.count <= LoadLimits.maximumColumns else { return nil }
    return (parts, names)
}

/// The first offset at or after `offset`, within 1 MiB, that looks like a record's start: a `{`
/// after a line break (one record a line), or after `}` and `,` (an array), with white space
/// between. It may be inside a string: the stretches' meeting is checked.
func likelyJSONRecordStart(_ text: UnsafeBufferPointer<UInt8>, atOrAfter offset: Int, inArray: Bool) -> Int? {
    @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
    /// The last byte before `i` that is not white space.
    func before(_ i: Int) -> Int? {
        var j = i - 1
        while j >= 0 && isSpace(text[j]) { j -= 1 }
        return j >= 0 ? j : nil
    }
    let limit = min(text.count, offset + (1 << 20))
    var i = offset
    while i < limit {
        if text[i] == UInt8(ascii: "{"), let j = before(i) {
            if inArray {
                if text[j] == UInt8(ascii: ","), let h = before(j), text[h] == UInt8(ascii: "}") { return i }
            } else if text[j] == UInt8(ascii: "}") && text[(j + 1)..<i].contains(0x0A) {
                return i
            }
        }
        i += 1
    }
    return nil
}
