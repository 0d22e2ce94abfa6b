// Reading a worksheet's XML as the scanner streams it (XMLScanner.swift): each `<c>` cell
// becomes a CSV field in its row (shared and inline strings, numbers as Excel saved them,
// booleans, dates from the cell's number format), and the rows become CSV text at the end,
// padded to the widest row, with a blank line for each empty row in between (so that the
// text's line numbers are the sheet's rows, and the CSV loader skips them).

import ConflictQLCore
import ConflictQLSyntax
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SheetReader: XMLHandler {
    let strings: SharedStrings
    let styles: CellStyles
    let date1904: Bool
    let path: String
    var rows: SheetRows

    // The cell being read.
    private var row = 0
    private var nextColumn = 0
    private var cellColumn = 0
    private var cellType: CellType = .number
    private var cellStyle = 0
    private var hasFormula = false
    private var hasValue = false
    private var value: [UInt8] = []
    private var inValue = false, inInlineText = false, inPhonetic = false
    /// The first column of the sheet's dimension (`<dimension ref="B2:R40"/>`): columns
    /// before it are empty, and left out.
    private var firstColumn = 0

    // What the summary says.
    private(set) var merged: [(rows: ClosedRange<Int>, columns: ClosedRange<Int>)] = []
    private var errorCells = 0
    private var formulasWithoutValue = 0
    private var nonexistentDays = 0

    enum CellType { case number, sharedString, inlineString, formulaString, boolean, error, isoDate }

    init(strings: SharedStrings, styles: CellStyles, date1904: Bool, path: String) throws(LoadError) {
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        self.path = path
        guard let rows = SheetRows() else { throw notEnoughMemory(path: path, passing: 1 << 20) }
        self.rows = rows
    }

    /// Reads a piece of the sheet's XML; returns how much of it was whole.
    mutating func consume(_ piece: UnsafeBufferPointer<UInt8>, final: Bool) throws(LoadError) -> Int {
        try XMLScanner.scan(piece, final: final, into: &self)
    }

    mutating func handle(_ event: XMLEvent, _ bytes: UnsafeBufferPointer<UInt8>) throws(LoadError) {
        switch event {
        case .start(let name, let attributes, let empty):
            if XMLScanner.matches(bytes, name, "c") {
                try startCell(attributes, bytes)
                if empty { try endCell() }
            } else if XMLScanner.matches(bytes, name, "v") || (XMLScanner.matches(bytes, name, "t") && cellType == .inlineString) {
                inValue = !empty
                hasValue = true
            } else if XMLScanner.matches(bytes, name, "rPh") {
                inPhonetic = !empty
            } else if XMLScanner.matches(bytes, name, "f") {
                hasFormula = true
            } else if XMLScanner.matches(bytes, name, "row") {
                row = XMLScanner.attributeInt("r", in: attributes, of: bytes) ?? row + 1
                nextColumn = 0
                try rows.beginRow(row, path: path)
                if empty { rows.endRow() }
            } else if XMLScanner.matches(bytes, name, "dimension"),
                      let reference = XMLScanner.attributeText("ref", in: attributes, of: bytes),
                      let first = reference.split(separator: ":").first, let (column, _) = cellReference(first) {
                firstColumn = column
            } else if XMLScanner.matches(bytes, name, "mergeCell"),
                      let reference = XMLScanner.attributeText("ref", in: attributes, of: bytes) {
                let corners = reference.split(separator: ":")
                if corners.count == 2, let (c1, r1) = cellReference(corners[0]), let (c2,
                    r2) = cellReference(corners[1]), r1 <= r2, c1 <= c2 {
                    merged.append((r1...r2, c1...c2))
                }
            }
        case .end(let name):
            if XMLScanner.matches(bytes, name, "c") {
                try endCell()
            } else if XMLScanner.matches(bytes, name, "v") || XMLScanner.matches(bytes, name, "t") {
                inValue = false
            } else if XMLScanner.matches(bytes, name, "rPh") {
                inPhonetic = false
            } else if XMLScanner.matches(bytes, name, "row") {
                rows.endRow()
            }
        case .text(let range, let raw):
            if inValue && !inPhonetic { XMLText.append(bytes, range, raw: raw, to: &value) }
        }
    }

    private mutating func startCell(_ attributes: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) throws(LoadError) {
        cellColumn = nextColumn
        var reference: Range<Int>? = nil, type: Range<Int>? = nil, style: Range<Int>? = nil
        try XMLScanner.forEachAttribute(in: attributes, of: bytes) { (name, value) throws(LoadError) in
            guard name.count == 1 else { return }
            switch bytes[name.lowerBound] {
            case UInt8(ascii: "r"): reference = value
            case UInt8(ascii: "t"): type = value
            case UInt8(ascii: "s"): style = value
            default: break
            }
        }
        if let reference {
            guard let (column, cellRow) = cellReference(bytes, reference), cellRow == row || row == 0 else {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[reference]), as: UTF8.self)
                throw LoadError(.sheetCellNameDamaged(row, text), path: path)
            }
            cellColumn = column
        }
        nextColumn = cellColumn + 1
        cellType = .number
        if let type {
            if XMLScanner.matches(bytes, type, "s") { cellType = .sharedString }
            else if XMLScanner.matches(bytes, type, "inlineStr") { cellType = .inlineString }
            else if XMLScanner.matches(bytes, type, "str") { cellType = .formulaString }
            else if XMLScanner.matches(bytes, type, "b") { cellType = .boolean }
            else if XMLScanner.matches(bytes, type, "e") { cellType = .error }
            else if XMLScanner.matches(bytes, type, "d") { cellType = .isoDate }
        }
        cellStyle = style.flatMap { XMLScanner.integer(bytes, $0) } ?? 0
        hasFormula = false
        hasValue = false
        value.removeAll(keepingCapacity: true)
    }

    /// The cell as a CSV field, or nothing when it is empty.
    private mutating func endCell() throws(LoadError) {
        inValue = false
        // openpyxl writes a formula's missing value as `<v />`.
        if hasValue && value.isEmpty && cellType != .inlineString && cellType != .formulaString { hasValue = false }
        guard hasValue else {
            if hasFormula { formulasWithoutValue += 1 }
            return
        }
        let column = cellColumn - firstColumn
        guard column >= 0 else {
            throw LoadError(.sheetCellLeftOfDimension(cellName(cellColumn, row)), path: path)
        }
        switch cellType {
        case .sharedString:
            let index = value.withUnsafeBufferPointer { XMLScanner.integer($0, 0..<$0.count) }
            guard let index, index < strings.count else {
                throw LoadError(.sheetSharedStringPastEnd(cellName(cellColumn, row), String(decoding: value, as: UTF8.self),
                                                          strings.count), path: path)
            }
            let range = strings.range(index)
            try strings.bytes.withUnsafeBufferPointer { buffer throws(LoadError) in
                try rows.appendText(UnsafeBufferPointer(rebasing: buffer[range]), column: column, path: path)
            }
        case .inlineString, .formulaString:
            try value.withUnsafeBufferPointer { buffer throws(LoadError) in try rows.appendText(buffer, column: column, path: path) }
        case .boolean:
            let text = trimmed(value) == "1" || trimmed(value) == "true" ? "true" : "false"
            try rows.appendPlain(text, column: column, path: path)
        case .error:
            errorCells += 1
        case .isoDate:
            // `2020-07-31T00:00:00`: a date when it is midnight, text otherwise.
            var text = trimmed(value)
            if text.count > 10 && text.dropFirst(10).allSatisfy({ "T0:.Z".contains($0) }) { text = String(text.prefix(10)) }
            try rows.appendText(text, column: column, path: path)
        case .number:
            guard styles.kind(cellStyle) != .number, let serial = Double(trimmed(value)) else {
                // As Excel saved it (`1.5E3`, `-7`), bytes to bytes.
                try value.withUnsafeBufferPointer { buffer throws(LoadError) in try rows.appendText(trimmedBytes(buffer), column: column,
                    path: path) }
                return
            }
            guard let shown = dateText(serial, styles.kind(cellStyle)) else {
                nonexistentDays += 1
                return
            }
            try rows.appendPlain(shown, column: column, path: path)
        }
    }

    /// A serial date as Excel shows it: `2020-07-31`, `2020-07-31 14:05:00`, `14:05:00`;
    /// nil for 29 February 1900, the day Excel counts and the calendar has not.
    func dateText(_ serial: Double, _ kind: CellStyles.Kind) -> String? {
        guard serial.isFinite, serial >= 0, serial < 3_000_000 else { return String(serial) }
        var day = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(day)) * 86_400).rounded())
        if seconds >= 86_400 { day += 1; seconds -= 86_400 }
        let time = [seconds / 3600, seconds / 60 % 60, seconds % 60].map { String($0).leftPadded(to: 2) }.joined(separator: ":")
        if kind == .time { return time }
        // From 1 January 1900 (serial 1), counting the 29 February that 1900 had not (serial
        // 60), as Lotus 1-2-3 did; or from 1 January 1904.
        let unixDays: Int
        if date1904 {
            unixDays = day - 24_107
        } else if day == 60 {
            return nil
        } else {
            unixDays = day < 60 ? day - 25_568 : day - 25_569
        }
        let date = DateValue(days: Int32(unixDays), precision: .day).description
        return kind == .dateTime && seconds != 0 ? date + " " + time : date
    }

    /// What the summary says of the sheet beyond its rows.
    func remarks(header: Bool) -> [String] {
        var remarks: [String] = []
        let headerRow = header ? rows.firstRow : nil
        let inHeader = merged.filter { headerRow.map($0.rows.contains) ?? false && $0.columns.count > 1 }
        if !inHeader.isEmpty {
            let shown = inHeader.prefix(3).map { cellName($0.columns.lowerBound,
                $0.rows.lowerBound) + ":" + cellName($0.columns.upperBound, $0.rows.upperBound) }
            remarks.append("header cells \(shown.joined(separator: ", "))\(inHeader.count > 3 ? " and more" : "") are merged: "
                           + "the name is the first column's, and the others get names column_N")
        }
        let inData = merged.count - inHeader.count
        if inData > 0 {
            remarks.append("\(inData) merged range\(inData == 1 ? "" : "s") of cells hold\(inData == 1 ? "s" : "") "
                           + "a value in the first cell only; the others are null")
        }
        if errorCells > 0 {
            remarks.append("\(errorCells) cell\(errorCells == 1 ? " holds an Excel error" : "s hold Excel errors") "
                           + "(such as #N/A), loaded as null")
        }
        if formulasWithoutValue > 0 {
            remarks.append("\(formulasWithoutValue) formula cell\(formulasWithoutValue == 1 ? " has" : "s have") "
                           + "no saved value (the program "
                           + "that wrote the workbook did not calculate it; open and save it in a spreadsheet), loaded as null")
        }
        if nonexistentDays > 0 {
            remarks.append("\(nonexistentDays) cell\(nonexistentDays == 1 ? " holds" : "s hold") 29 February 1900, a day Excel counts and "
                           + "the calendar has not, loaded as null")
        }
        return remarks
    }

    private func trimmedBytes(_ buffer: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = buffer.count
        while start < end && XMLScanner.isSpace(buffer[start]) { start += 1 }
        while end > start && XMLScanner.isSpace(buffer[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    private func trimmed(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \t\r\n")
    }
}

/// A cell reference in the bytes of an attribute, as `cellReference` reads it.
@inline(__always)
func cellReference(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (column: Int, row: Int)? {
    var column = 0
    var k = range.lowerBound
    while k < range.upperBound, k - range.lowerBound < 3, case let c = bytes[k] & 0xDF, c >= 65 && c <= 90 {
        column = column * 26 + Int(c - 64)
        k += 1
    }
    guard column > 0, k < range.upperBound, let row = XMLScanner.integer(bytes, k..<range.upperBound), row >= 1 else { return nil }
    return (column - 1, row)
}

/// `B12` as (1, 12): the column from 0, the row from 1.
func cellReference(_ reference: Substring) -> (column: Int, row: Int)? {
    var column = 0
    var letters = 0
    var index = reference.startIndex
    while index < reference.endIndex, let ascii = reference[index].asciiValue, ascii >= 65, ascii <= 90 || (ascii >= 97 && ascii <= 122) {
        column = column * 26 + Int((ascii & 0xDF) - 64)
        letters += 1
        index = reference.index(after: index)
        if letters > 3 { return nil }
    }
    guard letters > 0, let row = Int(reference[index...]), row >= 1 else { return nil }
    return (column - 1, row)
}

/// `B12` from (1, 12).
func cellName(_ column: Int, _ row: Int) -> String {
    var letters = ""
    var n = column + 1
    while n > 0 {
        letters = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + letters
        n = (n - 1) / 26
    }
    return letters + String(row)
}

/// The rows read so far, as CSV fields joined by commas, back to back in memory of their own;
/// `csvText` pads them to the widest and ends each with a newline, in place.
struct SheetRows {
    private let text: DecompressedText
    private var starts: [Int] = []
    private var fieldCounts: [Int] = []
    private var sheetRows: [Int] = []
    private var fields = 0
    private var width = 0
    private var lastRow = 0

    init?() {
        guard let text = DecompressedText(capacity: 1 << 20) else { return nil }
        self.text = text
    }

    var firstRow: Int? { sheetRows.first }

    mutating func beginRow(_ number: Int, path: String) throws(LoadError) {
        guard number > lastRow else {
            throw LoadError(.sheetRowsOutOfOrder(number, lastRow), path: path)
        }
        lastRow = number
        starts.append(text.count)
        fieldCounts.append(0)
        sheetRows.append(number)
        fields = 0
    }

    /// A row without a value is no row.
    mutating func endRow() {
        guard let count = fieldCounts.last else { return }
        if count == 0 {
            starts.removeLast()
            fieldCounts.removeLast()
            sheetRows.removeLast()
        }
    }

    /// A field that needs no quotes (a date, a boolean).
    mutating func appendPlain(_ text: String, column: Int, path: String) throws(LoadError) {
        try Array(text.utf8).withUnsafeBufferPointer { buffer throws(LoadError) in try append(buffer, column: column, quoted: false,
            path: path) }
    }

    mutating func appendText(_ text: String, column: Int, path: String) throws(LoadError) {
        try Array(text.utf8).withUnsafeBufferPointer { buffer throws(LoadError) in try appendText(buffer, column: column, path: path) }
    }

    /// Text, quoted when the CSV reader would otherwise read it differently.
    mutating func appendText(_ buffer: UnsafeBufferPointer<UInt8>, column: Int, path: String) throws(LoadError) {
        var needsQuotes = buffer.isEmpty
        if let first = buffer.first, let last = buffer.last, first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 {
            needsQuotes = true
        }
        if !needsQuotes { needsQuotes = buffer.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } }
        try append(buffer, column: column, quoted: needsQuotes, path: path)
    }

    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>, column: Int, quoted: Bool, path: String) throws(LoadError) {
        guard !fieldCounts.isEmpty else { return }  // a cell outside any row
        guard column >= fields else {
            throw LoadError(.sheetCellsOutOfOrder(cellName(column, lastRow), lastRow), path: path)
        }
        guard column < LoadLimits.maximumColumns else { throw LoadError(.tooManyColumnsInFile, path: path) }
        // Commas for the empty cells before it, and one before it.
        let separators = fields == 0 ? column : column - fields + 1
        let quotes = quoted ? 2 + buffer.reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) } : 0
        try reserve(separators + buffer.count + quotes, path: path)
        var end = text.end
        for _ in 0..<separators { end.pointee = 0x2C; end += 1 }
        if quoted {
            end.pointee = 0x22; end += 1
            for byte in buffer {
                end.pointee = byte; end += 1
                if byte == 0x22 { end.pointee = 0x22; end += 1 }
            }
            end.pointee = 0x22; end += 1
        } else if let base = buffer.baseAddress {
            end.update(from: base, count: buffer.count)
            end += buffer.count
        }
        text.count = end - text.base
        fields = column + 1
        fieldCounts[fieldCounts.count - 1] = fields
        width = max(width, fields)
    }

    private func reserve(_ bytes: Int, path: String) throws(LoadError) {
        while text.free < bytes {
            guard text.grow() else { throw notEnoughMemory(path: path, passing: text.count) }
        }
    }

    /// The CSV text: every row padded to the widest, with a blank line for each missing row
    /// between two (up to a thousand), moved into place from the last row back.
    mutating func csvText(path: String) throws(LoadError) -> DecompressedText {
        guard !starts.isEmpty else { throw LoadError(.emptySheet, path: path) }
        let ends = Array(starts.dropFirst()) + [text.count]
        func gap(_ k: Int) -> Int { k == 0 || width == 1 ? 0 : min(1000, max(0, sheetRows[k] - sheetRows[k - 1] - 1)) }
        var total = 0
        for k in starts.indices { total += gap(k) + (ends[k] - starts[k]) + (width - fieldCounts[k]) + 1 }
        try reserve(total - text.count, path: path)
        let base = text.base
        var position = total
        for k in starts.indices.reversed() {
            position -= 1
            base[position] = 0x0A
            let padding = width - fieldCounts[k]
            position -= padding
            (base + position).update(repeating: 0x2C, count: padding)
            let length = ends[k] - starts[k]
            position -= length
            memmove(base + position, base + starts[k], length)
            position -= gap(k)
            (base + position).update(repeating: 0x0A, count: gap(k))
        }
        text.count = total
        return text
    }
}
