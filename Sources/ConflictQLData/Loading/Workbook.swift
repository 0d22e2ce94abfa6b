// Excel workbooks (.xlsx): a zip of XML parts. The workbook part lists the sheets, its
// relationships say which part holds each, the shared-strings part holds the text of the
// cells, and the styles part says which cells are dates (by their number format). One
// sheet is read, streaming (SheetReader.swift), into CSV text, which the CSV loader then
// reads as it reads any file: the same type inference, options, HXL tags, messages and
// speed. A cell's line in that text is its row in the sheet, so `book.xlsx(Events):12:5`
// is row 12 of the sheet.
//
// What a spreadsheet has and a CSV file has not is said in the summary: merged header
// cells, cells holding Excel errors (#N/A), formulas never calculated (no saved value).

import ConflictQLCore
import ConflictQLSyntax
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which sheet to load: by name, or by position from 1.
public enum SheetChoice: Sendable, Equatable {
    case name(String)
    case index(Int)
}

/// One sheet of the workbook: its name and the part that holds its cells.
struct WorkbookSheet {
    var name: String
    var part: String?
    var isChart: Bool
}

/// Whether a zip's members are an Excel workbook's.
func isWorkbook(_ members: [ZipMember]) -> Bool {
    members.contains { $0.name == "xl/workbook.xml" }
}

/// Loads one sheet of a workbook as a table.
func loadWorkbook(_ input: CompressedInput, path: String, options: LoadOptions, progress: LoadProgress?)
    throws(LoadError) -> (Table, LoadReport) {
    let started = monotonicNow()
    try refuseCSVOptions(options, path: path)
    let members = try zipDirectory(input, path: path).filter { !$0.isDirectory }
    let parts = Dictionary(members.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    func part(_ name: String) throws(LoadError) -> [UInt8]? {
        guard let member = parts[name] else { return nil }
        return try readPart(member, input, path: path, options: options)
    }
    guard let workbookXML = try part("xl/workbook.xml") else {
        throw LoadError(.zipNotAWorkbook, path: path)
    }
    let relationships = try part("xl/_rels/workbook.xml.rels").map(readRelationships) ?? [:]
    let (sheets, date1904) = readWorkbook(workbookXML, relationships: relationships)
    let sheet = try chooseSheet(sheets, options.sheet, path: path)
    let shownPath = "\(path)(\(sheet.name))"
    guard !sheet.isChart else {
        throw LoadError(.chartSheet(sheet.name, first: sheets.first { !$0.isChart }?.name ?? ""), path: path)
    }
    guard let sheetPart = sheet.part, let sheetMember = parts[sheetPart] else {
        throw LoadError(.sheetPartMissing(sheet.name), path: path)
    }
    let sharedStringsPart = relationships.values.first { $0.type.hasSuffix("/sharedStrings") }.map { resolvePart($0.target) }
        ?? "xl/sharedStrings.xml"
    let stylesPart = relationships.values.first { $0.type.hasSuffix("/styles") }.map { resolvePart($0.target) } ?? "xl/styles.xml"
    let strings = try parts[sharedStringsPart].map { member throws(LoadError) in
        try readSharedStrings(member, input, path: path, options: options)
    } ?? SharedStrings()
    let styles = try part(stylesPart).map(readCellStyles) ?? CellStyles()
    var reader = try SheetReader(strings: strings, styles: styles, date1904: date1904, path: shownPath)
    var sink = XMLStreamSink { (piece, final) throws(LoadError) -> Int in try reader.consume(piece, final: final) }
    let selection = try locateMember(sheetMember, input, path: path)
    let crc = try inflateMember(selection, input, path: path, options: options, progress: progress, into: &sink)
    try sink.finish()
    guard sink.written == sheetMember.size, crc == sheetMember.crc else {
        throw LoadError(.workbookPartDamaged(selection.shown), path: path)
    }
    let text = try reader.rows.csvText(path: shownPath)
    let file = try DataFile(path: shownPath, contents: text.bytes, owner: text)
    var csvOptions = options
    csvOptions.delimiter = UInt8(ascii: ",")
    csvOptions.sheet = nil
    var (table, report) = try loadCSV(file, options: csvOptions, progress: nil)
    report.remarks += reader.remarks(header: options.header)
    if sheets.count > 1 && options.sheet == nil {
        report.remarks.append("read sheet '\(sheet.name)', the first of \(sheets.count) (sheet = \"NAME\" or a number picks another)")
    }
    report.bytes = input.size
    report.seconds = monotonicNow() - started
    return (table, report)
}

/// What is for text files only: a workbook's cells have no delimiter and no encoding.
private func refuseCSVOptions(_ options: LoadOptions, path: String) throws(LoadError) {
    if options.delimiter != nil {
        throw LoadError(.workbookDelimiter, path: path)
    }
    if let encoding = options.encoding, encoding != .utf8 {
        throw LoadError(.workbookEncoding, path: path)
    }
    if options.member != nil {
        throw LoadError(.workbookMember, path: path)
    }
    try refuseFormatOptions(options, path: path, format: "an Excel workbook", allowingSheet: true)
    if options.records != nil {
        throw LoadError(.workbookRecords, path: path)
    }
}

/// The sheet asked for, or the first.
func chooseSheet(_ sheets: [WorkbookSheet], _ choice: SheetChoice?, path: String) throws(LoadError) -> WorkbookSheet {
    let listed = sheets.prefix(10).map { "'\($0.name)'" }.joined(separator: ", ") + (sheets.count > 10 ? ", …" : "")
    guard !sheets.isEmpty else { throw LoadError(.workbookWithoutSheets, path: path) }
    switch choice {
    case nil:
        return sheets.first { !$0.isChart } ?? sheets[0]
    case .index(let number):
        guard number >= 1 && number <= sheets.count else {
            throw LoadError(.sheetNumberPastEnd(number, sheets: sheets.count, listed: listed), path: path)
        }
        return sheets[number - 1]
    case .name(let name):
        if let exact = sheets.first(where: { $0.name == name }) { return exact }
        // Excel itself does not tell `Events` from `events`.
        if let folded = sheets.first(where: { $0.name.lowercased() == name.lowercased() }) { return folded }
        let suggestion = closestName(to: name, in: sheets.map(\.name))
        throw LoadError(.noSuchSheet(name, suggestion: suggestion, listed: listed), path: path)
    }
}

/// A part of the workbook (a few kilobytes: the workbook, its relationships, the styles),
/// inflated whole; a part that says it is huge is refused.
private func readPart(_ member: ZipMember, _ input: CompressedInput, path: String, options: LoadOptions) throws(LoadError) -> [UInt8] {
    guard member.size <= 256 << 20 else {
        throw LoadError(.workbookPartTooLarge(member.name, megabytes(member.size)), path: path)
    }
    let selection = try locateMember(member, input, path: path)
    guard let text = DecompressedText(capacity: member.size + 1) else { throw notEnoughMemory(path: path, passing: member.size) }
    var sink = text
    let crc = try inflateMember(selection, input, path: path, options: options, progress: nil, into: &sink)
    guard text.count == member.size, crc == member.crc else {
        throw LoadError(.workbookPartDamaged(selection.shown), path: path)
    }
    return Array(text.bytes)
}

/// `xl/worksheets/sheet1.xml` from a relationship's target (relative to `xl/`, or absolute).
func resolvePart(_ target: String) -> String {
    if target.hasPrefix("/") { return String(target.dropFirst()) }
    var parts = ["xl"]
    for piece in target.split(separator: "/") {
        if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(String(piece)) }
    }
    return parts.joined(separator: "/")
}

/// The workbook's relationships: id to target and type.
private func readRelationships(_ xml: [UInt8]) -> [String: (target: String, type: String)] {
    var result: [String: (target: String, type: String)] = [:]
    xml.withUnsafeBufferPointer { bytes in
        _ = try? XMLScanner.scan(bytes, final: true) { (event, bytes) throws(LoadError) in
            guard case .start(let name, let attributes, _) = event, XMLScanner.matches(bytes, name, "Relationship"),
                  let id = XMLScanner.attributeText("Id", in: attributes, of: bytes),
                  let target = XMLScanner.attributeText("Target", in: attributes, of: bytes) else { return }
            result[id] = (target, XMLScanner.attributeText("Type", in: attributes, of: bytes) ?? "")
        }
    }
    return result
}

/// The sheets in the workbook's order, and whether its dates count from 1904 (old Macs).
private func readWorkbook(_ xml: [UInt8], relationships: [String: (target: String, type: String)]) -> ([WorkbookSheet], Bool) {
    var sheets: [WorkbookSheet] = []
    var date1904 = false
    xml.withUnsafeBufferPointer { bytes in
        _ = try? XMLScanner.scan(bytes, final: true) { (event, bytes) throws(LoadError) in
            guard case .start(let name, let attributes, _) = event else { return }
            if XMLScanner.matches(bytes, name, "workbookPr") {
                let value = XMLScanner.attributeText("date1904", in: attributes, of: bytes)
                date1904 = value == "1" || value == "true"
            } else if XMLScanner.matches(bytes, name, "sheet") {
                let sheetName = XMLScanner.attributeText("name", in: attributes, of: bytes) ?? "Sheet\(sheets.count + 1)"
                let relationship = XMLScanner.attributeText("r:id", in: attributes, of: bytes)
                    ?? XMLScanner.attributeText("id", in: attributes, of: bytes)
                let target = relationship.flatMap { relationships[$0] }
                sheets.append(WorkbookSheet(name: sheetName, part: target.map { resolvePart($0.target) },
                                            isChart: target?.type.hasSuffix("/chartsheet") ?? false))
            }
        }
    }
    return (sheets, date1904)
}

// MARK: Shared strings

/// The workbook's table of text, which cells name by index: UTF-8 bytes end to end.
struct SharedStrings {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    var count: Int { ends.count }
    func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }
}

/// Reads the shared strings streaming (a workbook of many distinct notes has a large table):
/// the text of each `<si>` is its `<t>` runs, less the phonetic ones (`<rPh>`, Japanese).
private func readSharedStrings(_ member: ZipMember, _ input: CompressedInput, path: String, options: LoadOptions)
    throws(LoadError) -> SharedStrings {
    var strings = SharedStrings()
    var inText = false, inPhonetic = false
    var sink = XMLStreamSink { (piece, final) throws(LoadError) -> Int in
        try XMLScanner.scan(piece, final: final) { (event, bytes) throws(LoadError) in
            switch event {
            case .start(let name, _, let empty):
                if XMLScanner.matches(bytes, name, "t") { inText = !empty }
                if XMLScanner.matches(bytes, name, "rPh") { inPhonetic = !empty }
            case .end(let name):
                if XMLScanner.matches(bytes, name, "t") { inText = false }
                if XMLScanner.matches(bytes, name, "rPh") { inPhonetic = false }
                if XMLScanner.matches(bytes, name, "si") { strings.ends.append(strings.bytes.count) }
            case .text(let range, let raw):
                if inText && !inPhonetic { XMLText.append(bytes, range, raw: raw, to: &strings.bytes) }
            }
        }
    }
    let selection = try locateMember(member, input, path: path)
    let crc = try inflateMember(selection, input, path: path, options: options, progress: nil, into: &sink)
    try sink.finish()
    guard sink.written == member.size, crc == member.crc else {
        throw LoadError(.workbookPartDamaged(selection.shown), path: path)
    }
    return strings
}

// MARK: Styles

/// What each cell style (`s="3"`) says of its number format: a date, a time, both, or a number.
struct CellStyles {
    enum Kind { case number, date, dateTime, time }
    var kinds: [Kind] = []

    func kind(_ style: Int) -> Kind { style >= 0 && style < kinds.count ? kinds[style] : .number }

    /// Excel's built-in formats that are dates or times (ECMA-376 18.8.30; 27-36 and 50-58
    /// are the East Asian date formats).
    static func builtIn(_ id: Int) -> Kind {
        switch id {
        case 14...17, 27...31, 34...36, 50...58: return .date
        case 22: return .dateTime
        case 18...21, 32, 33, 45...47: return .time
        default: return .number
        }
    }

    /// A custom format's kind, from its codes outside quotes, brackets and escapes:
    /// `d`, `y` (and `m` beside them) are a date, `h` and `s` a time. `[h]:mm` is a
    /// duration, read as a number.
    static func custom(_ code: String) -> Kind {
        var date = false, time = false
        var quoted = false, bracket = false, escaped = false
        let section = code.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if section.lowercased().contains("[h") || section.lowercased().contains("[m") || section.lowercased().contains("[s") {
            return .number
        }
        for c in section.lowercased() {
            if escaped { escaped = false; continue }
            if quoted { if c == "\"" { quoted = false }; continue }
            if bracket { if c == "]" { bracket = false }; continue }
            switch c {
            case "\"": quoted = true
            case "[": bracket = true
            case "\\", "_", "*": escaped = true
            case "d", "y": date = true
            case "h", "s": time = true
            default: break
            }
        }
        switch (date, time) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        case (false, false): return .number
        }
    }
}

private func readCellStyles(_ xml: [UInt8]) -> CellStyles {
    var custom: [Int: String] = [:]
    var formatIDs: [Int] = []
    var inCellFormats = false
    xml.withUnsafeBufferPointer { bytes in
        _ = try? XMLScanner.scan(bytes, final: true) { (event, bytes) throws(LoadError) in
            switch event {
            case .start(let name, let attributes, let empty):
                if XMLScanner.matches(bytes, name, "numFmt"),
                   let id = XMLScanner.attributeText("numFmtId", in: attributes, of: bytes).flatMap({ Int($0) }),
                   let code = XMLScanner.attributeText("formatCode", in: attributes, of: bytes) {
                    custom[id] = code
                } else if XMLScanner.matches(bytes, name, "cellXfs") {
                    inCellFormats = !empty
                } else if XMLScanner.matches(bytes, name, "xf") && inCellFormats {
                    formatIDs.append(XMLScanner.attributeText("numFmtId", in: attributes, of: bytes).flatMap { Int($0) } ?? 0)
                }
            case .end(let name):
                if XMLScanner.matches(bytes, name, "cellXfs") { inCellFormats = false }
            case .text: break
            }
        }
    }
    return CellStyles(kinds: formatIDs.map { id in custom[id].map(CellStyles.custom) ?? CellStyles.builtIn(id) })
}

// MARK: Streaming

/// Where a streamed part's inflated bytes go: a window the XML scanner reads as it fills,
/// keeping back only what a piece cut in two. The window grows only for a single text or
/// tag longer than it (a cell of several megabytes).
struct XMLStreamSink: InflateSink {
    private var buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
    private var filled = 0
    private(set) var written = 0
    private var failure: LoadError?
    private let consume: (UnsafeBufferPointer<UInt8>, Bool) throws(LoadError) -> Int
    private let owner = Deallocator()

    /// `consume` reads a piece and returns how many bytes it took.
    init(consume: @escaping (UnsafeBufferPointer<UInt8>, Bool) throws(LoadError) -> Int) {
        self.consume = consume
        owner.buffer = buffer
    }

    var isSatisfied: Bool { failure != nil }

    mutating func room() -> UnsafeMutableBufferPointer<UInt8>? {
        if filled == buffer.count {
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = bigger.initialize(from: buffer)
            buffer.deallocate()
            buffer = bigger
            owner.buffer = bigger
        }
        return UnsafeMutableBufferPointer(rebasing: buffer[filled...])
    }

    mutating func took(_ count: Int) {
        written += count
        filled += count
        guard failure == nil else { return }
        do {
            let used = try consume(UnsafeBufferPointer(rebasing: buffer[..<filled]), false)
            if used > 0 {
                let left = filled - used
                if left > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + used, left) }
                filled = left
            }
        } catch {
            failure = error
        }
    }

    /// The end of the part: what is left must be whole; a failure while reading is thrown.
    mutating func finish() throws(LoadError) {
        if let failure { throw failure }
        let used = try consume(UnsafeBufferPointer(rebasing: buffer[..<filled]), true)
        filled -= used
    }

    private final class Deallocator {
        var buffer: UnsafeMutableBufferPointer<UInt8>?
        deinit { buffer?.deallocate() }
    }
}
