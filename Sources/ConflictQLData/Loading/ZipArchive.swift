// Zip archives: the central directory at the end of the file lists the members (ZIP64 too);
// the one CSV or JSON member, or the one named with `member = "..."`, is inflated (stored or
// deflate) into memory and checked against the directory's size and CRC-32.
//
// The directory's size of a member is what memory is asked for, so a member that says it is
// small and inflates to more is caught at the first byte too many, and one that says it is
// huge is refused before anything is inflated: a zip bomb ends in a message.

import ConflictQLCore
import ConflictQLSyntax
import CZlib

/// One member, as the central directory describes it.
struct ZipMember {
    var name: String
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    var headerOffset: Int

    var isDirectory: Bool { name.hasSuffix("/") }
    /// Files a Mac adds to the zips it makes (`__MACOSX/`, `._name`): not data.
    var isSystemFile: Bool {
        name.hasPrefix("__MACOSX/") || (name.split(separator: "/").last?.hasPrefix("._") ?? false)
    }
    var isDataFile: Bool {
        let lowered = name.lowercased()
        // A Frictionless data package's descriptor describes the CSV beside it.
        if lowered.split(separator: "/").last == "datapackage.json" { return false }
        return !isDirectory && !isSystemFile && [".csv", ".tsv", ".json", ".ndjson", ".jsonl"].contains { lowered.hasSuffix($0) }
    }
}

/// The member to load and where its compressed bytes are.
struct ZipSelection {
    var member: ZipMember
    var dataStart: Int
    var dataEnd: Int
    var shown: String { "member '\(member.name)'" }
}

/// Inflates the member to load into memory of its own, checked against the directory.
func unzip(_ selection: ZipSelection, _ input: CompressedInput, path: String, options: LoadOptions, progress: LoadProgress?)
    throws(LoadError) -> DecompressedText {
    let member = selection.member
    // One byte more than the directory says, so that a member that inflates to more is seen.
    let (room, tooBig) = member.size.addingReportingOverflow(1)
    guard !tooBig, let text = DecompressedText(capacity: room) else {
        throw LoadError(.memberTooLargeForMemory(selection.shown, megabytes(member.size)), path: path)
    }
    var sink = text
    let crc = try inflateMember(selection, input, path: path, options: options, progress: progress, into: &sink)
    try checkMember(selection, inflated: text.count, crc: crc, path: path)
    return text
}

/// A member inflated must have the size and CRC-32 the directory says.
func checkMember(_ selection: ZipSelection, inflated: Int, crc: UInt32, path: String) throws(LoadError) {
    guard inflated == selection.member.size else {
        throw LoadError(.memberSizeDiffers(selection.shown, inflated, selection.member.size), path: path)
    }
    guard crc == selection.member.crc else {
        throw LoadError(.memberChecksum(selection.shown), path: path)
    }
}

/// Chooses the member and checks that it can be read, before any memory is asked for it.
func selectMember(_ input: CompressedInput, path: String, options: LoadOptions) throws(LoadError) -> ZipSelection {
    let members = try zipDirectory(input, path: path).filter { !$0.isDirectory }
    return try locateMember(try chooseMember(members, named: options.member, path: path), input, path: path)
}

/// Where a member's compressed bytes are, checked against its local header.
func locateMember(_ member: ZipMember, _ input: CompressedInput, path: String) throws(LoadError) -> ZipSelection {
    let shown = "member '\(member.name)'"
    if member.flags & 1 != 0 || member.method == 99 {
        throw LoadError(.memberEncrypted(shown), path: path)
    }
    guard member.method == 0 || member.method == 8 else {
        let names: [UInt16: String] = [1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd"]
        let method = names[member.method].map { "\($0) (method \(member.method))" } ?? "method \(member.method)"
        throw LoadError(.memberMethod(shown, method), path: path)
    }
    // The local header: its name and extra field lengths may differ from the directory's.
    let local = member.headerOffset <= input.size - 30 ? try input.bytes(at: member.headerOffset, count: 30) : []
    guard local.count == 30, local.uint32(at: 0) == 0x0403_4B50 else {
        throw LoadError(.memberMisplaced(shown, member.headerOffset), path: path)
    }
    let dataStart = member.headerOffset + 30 + Int(local.uint16(at: 26)) + Int(local.uint16(at: 28))
    let (dataEnd, overflow) = dataStart.addingReportingOverflow(member.compressedSize)
    guard !overflow, dataEnd <= input.size else { throw cutShort(shown, path) }
    if member.method == 0 && member.compressedSize != member.size {
        throw LoadError(.storedSizesDiffer(shown), path: path)
    }
    return ZipSelection(member: member, dataStart: dataStart, dataEnd: dataEnd)
}

private func cutShort(_ shown: String, _ path: String) -> LoadError {
    LoadError(.memberCutShort(shown), path: path)
}

/// Inflates (or copies, when stored) the member's bytes into `sink`; returns the CRC-32 of
/// the bytes given to it, computed as they are made, while they are in the cache.
@discardableResult
func inflateMember(_ selection: ZipSelection, _ input: CompressedInput, path: String, options: LoadOptions,
                   progress: LoadProgress?, into sink: inout some InflateSink) throws(LoadError) -> UInt32 {
    let (member, shown, dataStart, dataEnd) = (selection.member, selection.shown, selection.dataStart, selection.dataEnd)
    var offset = dataStart
    var crc: UInt = 0
    func checkCancelled() throws(LoadError) {
        if options.cancellation?.isCancelled == true { throw LoadError(.cancelled, path: path) }
    }
    if member.method == 0 {
        // Stored: the bytes are the text, read straight into place.
        while offset < dataEnd && !sink.isSatisfied {
            try checkCancelled()
            guard let room = sink.room() else { throw notEnoughMemory(path: path, passing: sink.written) }
            let n = try input.read(into: room.baseAddress!, count: min(room.count, CompressedInput.pieceSize, dataEnd - offset), at: offset)
            guard n > 0 else { throw cutShort(shown, path) }
            offset += n
            crc = crc32(crc, room.baseAddress, UInt32(n))
            sink.took(n)
            progress?(offset - dataStart, member.compressedSize, 0)
        }
    } else {
        guard let inflater = Inflater(gzip: false) else { throw LoadError(.zlibCannotStart, path: path) }
        let piece = UnsafeMutablePointer<UInt8>.allocate(capacity: CompressedInput.pieceSize)
        defer { piece.deallocate() }
        while !sink.isSatisfied {
            try checkCancelled()
            if inflater.inputLeft == 0 && offset < dataEnd {
                let n = try input.read(into: piece, count: min(CompressedInput.pieceSize, dataEnd - offset), at: offset)
                guard n > 0 else { throw cutShort(shown, path) }
                offset += n
                inflater.supply(piece, count: n)
                progress?(offset - dataStart, member.compressedSize, 0)
            }
            guard let room = sink.room() else { throw notEnoughMemory(path: path, passing: sink.written) }
            let (step, written) = inflater.inflate(into: room.baseAddress!, room: room.count)
            crc = crc32(crc, room.baseAddress, UInt32(written))
            sink.took(written)
            if sink.written > member.size {
                throw LoadError(.memberInflatesBeyond(shown, member.size), path: path)
            }
            if case .end = step { break }
            if case .damaged(let reason) = step {
                throw LoadError(.memberCorrupt(shown, offset - inflater.inputLeft, reason), path: path)
            }
            // Nothing more to read and nothing more made: the deflate data stops early.
            if written == 0 && inflater.inputLeft == 0 && offset == dataEnd { throw cutShort(shown, path) }
        }
    }
    try input.checkUnchanged()
    return UInt32(truncatingIfNeeded: crc)
}

/// The member to load: the one named, or the only data file.
func chooseMember(_ members: [ZipMember], named: String?, path: String) throws(LoadError) -> ZipMember {
    // `'a.csv', 'b.csv' and 'c.csv'`, or the first ten `and 32 more`.
    func listed(_ list: [ZipMember]) -> String {
        let names = list.prefix(10).map { "'\($0.name)'" }
        if list.count > 10 { return names.joined(separator: ", ") + " and \(list.count - 10) more" }
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
    if let named {
        if let exact = members.first(where: { $0.name == named }) { return exact }
        // A name without its folder, when only one member has it.
        let byFile = members.filter { $0.name.split(separator: "/").last.map(String.init) == named }
        if byFile.count == 1 { return byFile[0] }
        let suggestion = closestName(to: named, in: members.map(\.name))
        throw LoadError(.noSuchMember(named, suggestion: suggestion, holds: members.isEmpty ? nil : listed(members)), path: path)
    }
    let data = members.filter(\.isDataFile)
    if data.count == 1 { return data[0] }
    if data.isEmpty && members.contains(where: { $0.name == "xl/workbook.xml" }) {
        throw LoadError(.excelWorkbook, path: path)
    }
    if data.isEmpty {
        throw LoadError(members.isEmpty ? .emptyZip : .noDataFileInZip(listed(members), first: members[0].name), path: path)
    }
    throw LoadError(.severalDataFiles(data.count, listed(data), data[0].name), path: path)
}

/// Reads the central directory (after the end record, or the ZIP64 one).
func zipDirectory(_ input: CompressedInput, path: String) throws(LoadError) -> [ZipMember] {
    let damaged = { (what: String) in LoadError(.zipDamaged(what), path: path) }
    guard let (tail, end) = try zipEndRecord(input) else { throw damaged("its directory of members (at its end) is missing") }
    if tail.uint16(at: end + 4) != 0 || tail.uint16(at: end + 6) != 0 {
        throw LoadError(.splitZip, path: path)
    }
    var count = Int(tail.uint16(at: end + 10))
    var directorySize = Int(tail.uint32(at: end + 12))
    var directoryOffset = Int(tail.uint32(at: end + 16))
    // ZIP64: the locator sits just before the end record and points at a larger one.
    if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF, end >= 20,
       tail.uint32(at: end - 20) == 0x0706_4B50 {
        let recordOffset = tail.uint64(at: end - 12)
        guard recordOffset < input.size else { throw damaged("its ZIP64 end record is missing") }
        let record = try input.bytes(at: recordOffset, count: 56)
        guard record.count == 56, record.uint32(at: 0) == 0x0606_4B50 else { throw damaged("its ZIP64 end record is missing") }
        count = record.uint64(at: 32)
        directorySize = record.uint64(at: 40)
        directoryOffset = record.uint64(at: 48)
    }
    let (directoryEnd, overflow) = directoryOffset.addingReportingOverflow(directorySize)
    guard !overflow, directoryEnd <= input.size, count <= directorySize / 46 else {
        throw damaged("its directory of members is not where its end record says")
    }
    let directory = try input.bytes(at: directoryOffset, count: directorySize)
    var members: [ZipMember] = []
    var at = 0
    for _ in 0..<count {
        guard at + 46 <= directory.count, directory.uint32(at: at) == 0x0201_4B50 else {
            throw damaged("its directory of members is cut short")
        }
        let nameLength = Int(directory.uint16(at: at + 28)), extraLength = Int(directory.uint16(at: at + 30))
        let commentLength = Int(directory.uint16(at: at + 32))
        let next = at + 46 + nameLength + extraLength + commentLength
        guard next <= directory.count else { throw damaged("its directory of members is cut short") }
        var member = ZipMember(
            name: zipName(directory[(at + 46)..<(at + 46 + nameLength)], utf8: directory.uint16(at: at + 8) & 0x800 != 0),
            flags: directory.uint16(at: at + 8), method: directory.uint16(at: at + 10), crc: directory.uint32(at: at + 16),
            compressedSize: Int(directory.uint32(at: at + 20)), size: Int(directory.uint32(at: at + 24)),
            headerOffset: Int(directory.uint32(at: at + 42)))
        // ZIP64 extra field (id 1): the 64-bit values of the fields that read 0xFFFFFFFF, in order.
        var extra = at + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = directory.uint16(at: extra), length = Int(directory.uint16(at: extra + 2))
            if id == 1 {
                var field = extra + 4
                for keyPath in [\ZipMember.size, \ZipMember.compressedSize, \ZipMember.headerOffset]
                    where member[keyPath: keyPath] == 0xFFFF_FFFF && field + 8 <= min(extraEnd, extra + 4 + length) {
                    member[keyPath: keyPath] = directory.uint64(at: field)
                    field += 8
                }
            }
            extra += 4 + length
        }
        members.append(member)
        at = next
    }
    return members
}

/// A member's name: UTF-8 when the zip says so or the bytes are valid UTF-8, else code page
/// 437, the zip format's own (Windows' built-in zip writes `données.csv` so: `é` is 0x82).
func zipName(_ bytes: ArraySlice<UInt8>, utf8: Bool) -> String {
    if utf8 || bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    return String(bytes.map { $0 < 0x80 ? Character(UnicodeScalar($0)) : codePage437[Int($0) - 0x80] })
}

private let codePage437 = Array("ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}")

/// The last bytes of the file and where in them the end record begins, or nil when there is
/// none: 22 bytes and a comment of at most 65,535, at the very end.
func zipEndRecord(_ input: CompressedInput) throws(LoadError) -> ([UInt8], Int)? {
    let tailStart = max(0, input.size - 22 - 0xFFFF)
    let tail = try input.bytes(at: tailStart, count: input.size - tailStart)
    var end = tail.count - 22
    while end >= 0 && tail.uint32(at: end) != 0x0605_4B50 { end -= 1 }
    return end >= 0 ? (tail, end) : nil
}

extension [UInt8] {
    func uint16(at i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func uint32(at i: Int) -> UInt32 { UInt32(uint16(at: i)) | UInt32(uint16(at: i + 2)) << 16 }
    /// A 64-bit field, as an Int (a value past Int.max reads as Int.max, which no file reaches).
    func uint64(at i: Int) -> Int {
        let value = UInt64(uint32(at: i)) | UInt64(uint32(at: i + 4)) << 32
        return value > UInt64(Int.max) ? Int.max : Int(value)
    }
}
