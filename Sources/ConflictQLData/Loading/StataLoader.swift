// Stata data files (.dta) of formats 113 to 119 (Stata 8 and later, and every format pandas'
// `to_stata` writes, its default 114 included): the header (tagged and with a map of the
// sections from 117 on), the variables' types, names, formats and value-label names, then
// the fixed-width records, the long strings (strL, from 117) and the value labels. The
// columns keep Stata's types: byte, int and long are Int, float and double are Float, str#
// and strL are String, `%td` dates are Date; Stata's missing values (`.`, `.a` to `.z`, and
// the empty string) are null.
//
// The records are turned into CSV text with every column's type given, and read by the CSV
// loader: one way to build columns, the same nulls, names and messages. Labelled values come
// as their labels' text unless `labels = "codes"` (or `"both"`, the text beside the codes).

import ConflictQLCore
import ConflictQLSyntax

/// How a Stata column with value labels loads.
public enum StataLabels: String, Sendable, CaseIterable {
    /// The label's text in place of the code (a code without a label stays a number, as text).
    case text
    /// The codes, as Int.
    case codes
    /// The codes, and the text in a column `NAME_label` after them.
    case both
}

/// The bytes of a .dta file and the reading of its numbers in the file's byte order.
private struct StataBytes {
    let bytes: [UInt8]
    let bigEndian: Bool
    let path: String
    /// Format 117 (Stata 13) wrote text in the machine's code page, Latin-1 as a rule;
    /// 118 and 119 write UTF-8.
    var latin1 = false

    func check(_ offset: Int, _ count: Int) throws(LoadError) {
        guard offset >= 0, count >= 0, offset <= bytes.count - count else {
            throw LoadError(.stataCutShort(bytes.count), path: path)
        }
    }

    func unsigned(_ offset: Int, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0..<count {
            let byte = UInt64(bytes[offset + (bigEndian ? k : count - 1 - k)])
            value = value << 8 | byte
        }
        return value
    }

    func int(_ offset: Int, _ count: Int) throws(LoadError) -> Int {
        try check(offset, count)
        let value = unsigned(offset, count)
        guard value <= UInt64(Int.max) else { throw LoadError(.stataSizeDamaged, path: path) }
        return Int(value)
    }

    /// Text in a field of `width` bytes, up to its first NUL.
    func text(_ offset: Int, width: Int) -> String {
        let end = bytes[offset..<(offset + width)].firstIndex(of: 0) ?? offset + width
        return decoded(bytes[offset..<end])
    }

    func decoded(_ slice: ArraySlice<UInt8>) -> String {
        if latin1, slice.contains(where: { $0 >= 0x80 }), String(validating: slice, as: UTF8.self) == nil {
            return String(String.UnicodeScalarView(slice.map { Unicode.Scalar($0) }))
        }
        return String(decoding: slice, as: UTF8.self)
    }

    /// Whether `tag` (`<data>`) is at `offset`.
    func expect(_ tag: String, at offset: Int) throws(LoadError) {
        let spelled = Array(tag.utf8)
        try check(offset, spelled.count)
        guard Array(bytes[offset..<(offset + spelled.count)]) == spelled else {
            throw LoadError(.stataSectionMisplaced(tag, offset), path: path)
        }
    }
}

/// A Stata variable's storage type.
private enum StataType: Equatable {
    case fixedString(Int), longString, double, float, long, int, byte

    init?(code: Int) {
        switch code {
        case 1...2045: self = .fixedString(code)
        case 32768: self = .longString
        case 65526: self = .double
        case 65527: self = .float
        case 65528: self = .long
        case 65529: self = .int
        case 65530: self = .byte
        default: return nil
        }
    }

    var width: Int {
        switch self {
        case .fixedString(let n): return n
        case .longString, .double: return 8
        case .float, .long: return 4
        case .int: return 2
        case .byte: return 1
        }
    }
}

func loadStata(_ input: CompressedInput, path: String, options: LoadOptions) throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    if options.delimiter != nil || options.encoding != nil || options.member != nil || options.records != nil || options.sheet != nil {
        throw LoadError(.stataTextOptions, path: path)
    }
    guard fitsAvailableMemory(input.size) else { throw LoadError(.stataTooLargeForMemory(megabytes(input.size)), path: path) }
    let raw = try input.bytes(at: 0, count: input.size)
    try input.checkUnchanged()
    let layout = raw.starts(with: Array("<stata_dta>".utf8)) ? try readTaggedLayout(raw, path: path)
        : try readOldLayout(raw, path: path)
    let (data, release, variableCount, rowCount) = (layout.data, layout.release, layout.types.count, layout.rowCount)
    let (types, names, formats, labelNames) = (layout.types, layout.names, layout.formats, layout.labelNames)
    let (recordWidth, dataStart, strings, labels) = (layout.recordWidth, layout.dataStart, layout.strings, layout.labels)
    let labelling = options.labels ?? .text

    // Columns as CSV: each Stata variable, and its labels' text beside it under `both`.
    struct Output { var variable: Int; var asLabel: Bool; var name: String; var type: DataType }
    var outputs: [Output] = []
    var unknownLabelSets: Set<String> = []
    for k in 0..<variableCount {
        let labelled = !labelNames[k].isEmpty && labels[labelNames[k]] != nil
        if !labelNames[k].isEmpty && labels[labelNames[k]] == nil { unknownLabelSets.insert(labelNames[k]) }
        let type: DataType
        switch types[k] {
        case .fixedString, .longString: type = .string
        case .double, .float: type = isDate(formats[k]) ? .date : .float
        case .long, .int, .byte: type = isDate(formats[k]) ? .date : .int
        }
        if labelled && labelling == .text {
            outputs.append(Output(variable: k, asLabel: true, name: names[k], type: .string))
        } else {
            outputs.append(Output(variable: k, asLabel: false, name: names[k], type: type))
            if labelled && labelling == .both { outputs.append(Output(variable: k, asLabel: true, name: names[k] + "_label",
                type: .string)) }
        }
    }
    var offsets: [Int] = []
    var offset = 0
    for type in types { offsets.append(offset); offset += type.width }

    var csv: [UInt8] = []
    csv.reserveCapacity(recordWidth * rowCount * 2 + 1024)
    func appendField(_ text: String, quoted: Bool) {
        if quoted {
            csv.append(0x22)
            for byte in text.utf8 { csv.append(byte); if byte == 0x22 { csv.append(0x22) } }
            csv.append(0x22)
        } else {
            csv.append(contentsOf: text.utf8)
        }
    }
    for (k, output) in outputs.enumerated() {
        if k > 0 { csv.append(0x2C) }
        appendField(output.name, quoted: true)
    }
    csv.append(0x0A)
    var nonexistentDates = 0
    for row in 0..<rowCount {
        if row & 4095 == 0 && options.cancellation?.isCancelled == true { throw LoadError(.cancelled, path: path) }
        let record = dataStart + row * recordWidth
        for (k, output) in outputs.enumerated() {
            if k > 0 { csv.append(0x2C) }
            let variable = output.variable
            let at = record + offsets[variable]
            switch types[variable] {
            case .fixedString(let width):
                let text = data.text(at, width: width)
                if !text.isEmpty { appendField(text, quoted: true) }
            case .longString:
                if let text = strings[longStringKey(data, at, release: release)], !text.isEmpty { appendField(text, quoted: true) }
            case .double, .float, .long, .int, .byte:
                guard let number = stataNumber(data, at, types[variable]) else { continue }
                if output.asLabel, let label = labels[labelNames[variable]]?[number.integer ?? Int.min] {
                    appendField(label, quoted: true)
                } else if output.type == .date {
                    guard let date = stataDate(number.value, format: formats[variable]) else { nonexistentDates += 1; continue }
                    appendField(date, quoted: false)
                } else if let integer = number.integer, output.type != .float {
                    appendField(String(integer), quoted: false)
                } else {
                    appendField(number.integer.map(String.init) ?? number.text, quoted: output.asLabel)
                }
            }
        }
        csv.append(0x0A)
    }
    var csvOptions = options
    csvOptions.delimiter = UInt8(ascii: ",")
    csvOptions.labels = nil
    csvOptions.format = .csv
    for output in outputs where options.types[output.name] == nil { csvOptions.types[output.name] = output.type }
    var (table, report) = try csv.withUnsafeBufferPointer { buffer throws(LoadError) in
        try loadCSV(try DataFile(path: path, contents: buffer), options: csvOptions, progress: nil)
    }
    if !unknownLabelSets.isEmpty {
        let named = unknownLabelSets.sorted().map { "'\($0)'" }.joined(separator: ", ")
        report.remarks.append("value labels \(named) are named but not in the file; the codes are kept")
    }
    let labelledCount = (0..<variableCount).filter { !labelNames[$0].isEmpty && labels[labelNames[$0]] != nil }.count
    if labelledCount > 0 && labelling == .text {
        report.remarks.append("\(labelledCount) labelled column\(labelledCount == 1 ? "" : "s") loaded as the labels' text "
                              + "(labels = \"codes\" keeps the numbers, \"both\" adds NAME_label)")
    }
    if nonexistentDates > 0 { report.remarks.append("\(nonexistentDates) dates out of the calendar's range, loaded as null") }
    report.bytes = input.size
    report.seconds = monotonicNow() - started
    return (table, report)
}

/// What the header and the sections before the records say, in either generation of the format.
private struct StataLayout {
    var data: StataBytes
    var release: Int
    var rowCount: Int
    var types: [StataType]
    var names: [String]
    var formats: [String]
    var labelNames: [String]
    var dataStart: Int
    var strings: [LongStringKey: String]
    var labels: [String: [Int: String]]
    var recordWidth: Int { types.reduce(0) { $0 + $1.width } }
}

/// Formats 117 to 119: tagged sections, found through the map.
private func readTaggedLayout(_ raw: [UInt8], path: String) throws(LoadError) -> StataLayout {
    // `<stata_dta><header><release>118</release><byteorder>LSF</byteorder>`
    let head = String(decoding: raw.prefix(80), as: UTF8.self)
    guard head.hasPrefix("<stata_dta><header><release>"), head.count > 31, let release = Int(head.dropFirst(28).prefix(3)),
          [117, 118, 119].contains(release) else {
        throw LoadError(.stataRelease, path: path)
    }
    guard let orderAt = findTag("<byteorder>", in: raw, from: 0), orderAt + 14 <= raw.count else {
        throw LoadError(.stataNoByteOrder, path: path)
    }
    let order = String(decoding: raw[(orderAt + 11)..<(orderAt + 14)], as: UTF8.self)
    let data = StataBytes(bytes: raw, bigEndian: order == "MSF", path: path, latin1: release == 117)
    var at = orderAt + 14 + "</byteorder>".utf8.count
    try data.expect("<K>", at: at)
    let kWidth = release == 119 ? 4 : 2
    let variableCount = try data.int(at + 3, kWidth)
    at += 3 + kWidth + 4
    try data.expect("<N>", at: at)
    let nWidth = release == 117 ? 4 : 8
    let rowCount = try data.int(at + 3, nWidth)
    guard variableCount <= LoadLimits.maximumColumns else { throw LoadError(.tooManyColumnsInFile, path: path) }

    // The map: where each section starts.
    guard let mapStart = findTag("<map>", in: raw, from: at) else { throw LoadError(.stataNoMap, path: path) }
    var map: [Int] = []
    for k in 0..<14 { map.append(try data.int(mapStart + 5 + 8 * k, 8)) }
    let nameWidth = release == 117 ? 33 : 129
    let formatWidth = release == 117 ? 49 : 57

    try data.expect("<variable_types>", at: map[2])
    var types: [StataType] = []
    for k in 0..<variableCount {
        let code = try data.int(map[2] + 16 + 2 * k, 2)
        guard let type = StataType(code: code) else {
            throw LoadError(.stataStorageType(k + 1, code), path: path)
        }
        types.append(type)
    }
    try data.expect("<varnames>", at: map[3])
    try data.check(map[3] + 10, variableCount * nameWidth)
    let names = (0..<variableCount).map { data.text(map[3] + 10 + $0 * nameWidth, width: nameWidth) }
    try data.expect("<formats>", at: map[5])
    try data.check(map[5] + 9, variableCount * formatWidth)
    let formats = (0..<variableCount).map { data.text(map[5] + 9 + $0 * formatWidth, width: formatWidth) }
    try data.expect("<value_label_names>", at: map[6])
    try data.check(map[6] + 19, variableCount * nameWidth)
    let labelNames = (0..<variableCount).map { data.text(map[6] + 19 + $0 * nameWidth, width: nameWidth) }

    let recordWidth = types.reduce(0) { $0 + $1.width }
    try data.expect("<data>", at: map[9])
    let (dataBytes, overflow) = recordWidth.multipliedReportingOverflow(by: rowCount)
    guard !overflow else { throw LoadError(.stataRowCountDamaged, path: path) }
    try data.check(map[9] + 6, dataBytes)
    let strings = try readLongStrings(data, from: map[10], release: release)
    let labels = try readValueLabels(data, from: map[11], release: release, nameWidth: nameWidth)
    return StataLayout(data: data, release: release, rowCount: rowCount, types: types, names: names, formats: formats,
                       labelNames: labelNames, dataStart: map[9] + 6, strings: strings, labels: labels)
}

/// Formats 113 to 115 (Stata 8 to 12, and pandas' default 114): a fixed header of 109 bytes,
/// then the descriptors, the expansion fields, the records and the value labels, untagged.
private func readOldLayout(_ raw: [UInt8], path: String) throws(LoadError) -> StataLayout {
    guard raw.count >= 109, (113...115).contains(Int(raw[0])), raw[1] == 1 || raw[1] == 2 else {
        throw LoadError(.stataOldRelease, path: path)
    }
    let release = Int(raw[0])
    let data = StataBytes(bytes: raw, bigEndian: raw[1] == 1, path: path, latin1: true)
    let variableCount = try data.int(4, 2)
    let rowCount = try data.int(6, 4)
    var at = 109
    try data.check(at, variableCount)
    var types: [StataType] = []
    for k in 0..<variableCount {
        let code = Int(raw[at + k])
        let type: StataType
        switch code {
        case 1...244: type = .fixedString(code)
        case 251: type = .byte
        case 252: type = .int
        case 253: type = .long
        case 254: type = .float
        case 255: type = .double
        default:
            throw LoadError(.stataStorageType(k + 1, code), path: path)
        }
        types.append(type)
    }
    at += variableCount
    try data.check(at, variableCount * 33)
    let names = (0..<variableCount).map { data.text(at + $0 * 33, width: 33) }
    at += variableCount * 33 + 2 * (variableCount + 1)
    let formatWidth = release == 113 ? 12 : 49
    try data.check(at, variableCount * formatWidth)
    let formats = (0..<variableCount).map { data.text(at + $0 * formatWidth, width: formatWidth) }
    at += variableCount * formatWidth
    try data.check(at, variableCount * 33)
    let labelNames = (0..<variableCount).map { data.text(at + $0 * 33, width: 33) }
    at += variableCount * 33 + variableCount * 81
    // Expansion fields: a type byte and a length, until both are zero.
    while true {
        try data.check(at, 5)
        let type = raw[at]
        let length = try data.int(at + 1, 4)
        at += 5
        if type == 0 && length == 0 { break }
        try data.check(at, length)
        at += length
    }
    let recordWidth = types.reduce(0) { $0 + $1.width }
    let (dataBytes, overflow) = recordWidth.multipliedReportingOverflow(by: rowCount)
    guard !overflow else { throw LoadError(.stataRowCountDamaged, path: path) }
    try data.check(at, dataBytes)
    let labels = try readValueLabels(data, from: at + dataBytes, release: release, nameWidth: 33, tagged: false)
    return StataLayout(data: data, release: release, rowCount: rowCount, types: types, names: names, formats: formats,
                       labelNames: labelNames, dataStart: at, strings: [:], labels: labels)
}

private func findTag(_ tag: String, in bytes: [UInt8], from start: Int) -> Int? {
    let spelled = Array(tag.utf8)
    var i = start
    while i + spelled.count <= min(bytes.count, start + 4096) {
        if bytes[i] == spelled[0] && Array(bytes[i..<(i + spelled.count)]) == spelled { return i }
        i += 1
    }
    return nil
}

/// `%td`, `%d` (days since 1960) and `%tc`, `%tC` (milliseconds since 1960) are dates.
private func isDate(_ format: String) -> Bool {
    format.hasPrefix("%td") || format.hasPrefix("%d") || format.hasPrefix("%tc") || format.hasPrefix("%tC")
        || format.hasPrefix("%-td") || format.hasPrefix("%-tc")
}

/// A date value as `2020-07-31`: days since 1 January 1960, or milliseconds for `%tc`.
private func stataDate(_ value: Double, format: String) -> String? {
    let milliseconds = format.contains("tc") || format.contains("tC")
    let days = milliseconds ? (value / 86_400_000).rounded(.down) : value.rounded(.down)
    guard days.isFinite, abs(days) < 3_000_000 else { return nil }
    // 1960-01-01 is 3,653 days before 1970-01-01.
    let date = DateValue(days: Int32(days) - 3653, precision: .day)
    guard (1...9999).contains(date.parts.year) else { return nil }
    return date.description
}

/// A number, or nil for Stata's missing values (`.`, `.a`–`.z`: the top of each type's range).
private func stataNumber(_ data: StataBytes, _ at: Int, _ type: StataType) -> (value: Double, integer: Int?, text: String)? {
    switch type {
    case .byte:
        let value = Int(Int8(truncatingIfNeeded: data.unsigned(at, 1)))
        return value > 100 ? nil : (Double(value), value, String(value))
    case .int:
        let value = Int(Int16(truncatingIfNeeded: data.unsigned(at, 2)))
        return value > 32_740 ? nil : (Double(value), value, String(value))
    case .long:
        let value = Int(Int32(truncatingIfNeeded: data.unsigned(at, 4)))
        return value > 2_147_483_620 ? nil : (Double(value), value, String(value))
    case .float:
        let value = Float(bitPattern: UInt32(data.unsigned(at, 4)))
        guard value.isFinite, value < 0x1.fffffep+126 else { return nil }
        let integer = value == value.rounded() && abs(value) < 1e15 ? Int(value) : nil
        return (Double(value), integer, "\(value)")
    case .double:
        let value = Double(bitPattern: data.unsigned(at, 8))
        guard value.isFinite, value < 0x1.fffffffffffffp+1022 else { return nil }
        let integer = value == value.rounded() && abs(value) < 1e15 ? Int(value) : nil
        return (value, integer, "\(value)")
    case .fixedString, .longString:
        return nil
    }
}

/// Which long string a record refers to: a variable and an observation.
private struct LongStringKey: Hashable {
    var variable: UInt64
    var observation: UInt64
}

/// A record's strL reference: 117 gives v and o 4 bytes each; 118 packs them in 2 + 6 bytes,
/// 119 in 3 + 5 (as pandas reads them, for files of either byte order it writes: LSF).
private func longStringKey(_ data: StataBytes, _ at: Int, release: Int) -> LongStringKey {
    let vWidth = release == 117 ? 4 : release == 118 ? 2 : 3
    return LongStringKey(variable: data.unsigned(at, vWidth), observation: data.unsigned(at + vWidth, 8 - vWidth))
}

/// The strls section: `GSO`, v, o, t, len, contents; keyed as the records refer to them.
private func readLongStrings(_ data: StataBytes, from start: Int, release: Int) throws(LoadError) -> [LongStringKey: String] {
    try data.expect("<strls>", at: start)
    var strings: [LongStringKey: String] = [:]
    var at = start + 7
    let oWidth = release == 117 ? 4 : 8
    while at + 3 <= data.bytes.count && data.bytes[at] == UInt8(ascii: "G") && data.bytes[at + 1] == UInt8(ascii: "S")
            && data.bytes[at + 2] == UInt8(ascii: "O") {
        let v = UInt64(try data.int(at + 3, 4))
        let o = UInt64(try data.int(at + 7, oWidth))
        let typeAt = at + 7 + oWidth
        try data.check(typeAt, 5)
        let binary = data.bytes[typeAt] == 129
        let length = try data.int(typeAt + 1, 4)
        try data.check(typeAt + 5, length)
        var content = data.bytes[(typeAt + 5)..<(typeAt + 5 + length)]
        if !binary, content.last == 0 { content = content.dropLast() }
        strings[LongStringKey(variable: v, observation: o)] = data.decoded(content)
        at = typeAt + 5 + length
    }
    return strings
}

/// The value labels: for each label set, its codes' text.
/// Untagged (formats before 117), each set is its length, name, padding and table, to the end.
private func readValueLabels(_ data: StataBytes, from start: Int, release: Int,
    nameWidth: Int, tagged: Bool = true) throws(LoadError) -> [String: [Int: String]] {
    if tagged { try data.expect("<value_labels>", at: start) }
    var sets: [String: [Int: String]] = [:]
    var at = tagged ? start + 14 : start
    let open = Array("<lbl>".utf8)
    let tagLength = tagged ? 5 : 0
    while tagged ? (at + 5 <= data.bytes.count && Array(data.bytes[at..<(at + 5)]) == open) : at + 4 + 33 + 3 <= data.bytes.count {
        let length = try data.int(at + tagLength, 4)
        let name = data.text(at + tagLength + 4, width: nameWidth)
        let table = at + tagLength + 4 + nameWidth + 3
        try data.check(table, length)
        let count = try data.int(table, 4)
        let textLength = try data.int(table + 4, 4)
        guard count <= length / 8, 8 + 8 * count + textLength <= length else {
            throw LoadError(.stataLabelsDamaged(name), path: path(data))
        }
        var labels: [Int: String] = [:]
        let texts = table + 8 + 8 * count
        for k in 0..<count {
            let offset = try data.int(table + 8 + 4 * k, 4)
            let code = Int(Int32(truncatingIfNeeded: data.unsigned(table + 8 + 4 * count + 4 * k, 4)))
            guard offset < textLength else { continue }
            labels[code] = data.text(texts + offset, width: textLength - offset)
        }
        sets[name] = labels
        at = table + length + (tagged ? 6 : 0)  // `</lbl>`
    }
    return sets
}

private func path(_ data: StataBytes) -> String { data.path }
