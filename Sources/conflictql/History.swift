// The REPL's history file. Each entry is appended on its own, under a lock, the moment it is
// entered, so two sessions on one file both keep theirs (bash's `histappend`); when the file
// grows past the limit it is compacted: the newest entries written whole to a temporary file
// and renamed over it, so it is never left truncated. Readline only keeps the entries in memory.
//
// The format is readline's with timestamps: a `#SECONDS` line, then the entry's lines (a
// statement over several lines keeps its line breaks). Lines before the first `#SECONDS`
// line, as in a file written without timestamps, are one entry each. Reading is one pass.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct HistoryFile {
    let path: String
    let limit: Int
    /// Entries in the file as far as this session knows (other sessions append too).
    private var knownEntries = 0

    /// A symbolic link (a dotfiles folder) is followed: compaction replaces the file it names.
    init(path: String, limit: Int) {
        self.path = resolvingSymbolicLinks(path) ?? path
        self.limit = limit
    }

    /// The newest `limit` entries, oldest first; none when there is no file yet.
    mutating func read() -> [String] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let bytes = readAll(fd)
        let entries = HistoryFile.entries(in: bytes)
        knownEntries = entries.count
        return entries.suffix(limit).map { String(decoding: bytes[$0.text], as: UTF8.self) }
    }

    /// Each entry's bytes in the file (its `#SECONDS` line included) and its text. Linear: a
    /// file of a million lines without timestamps is a million entries, not one.
    static func entries(in bytes: [UInt8]) -> [(whole: Range<Int>, text: Range<Int>)] {
        var entries: [(whole: Range<Int>, text: Range<Int>)] = []
        var stamped = false  // the entry being read began with a `#SECONDS` line
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let next = min(end + 1, bytes.count)
            if isTimestamp(bytes[start..<end]) {
                entries.append((start..<next, next..<next))
                stamped = true
            } else if stamped, let last = entries.last {
                // A line of the stamped entry: its first line, or one more.
                let textStart = last.text.isEmpty ? start : last.text.lowerBound
                entries[entries.count - 1] = (last.whole.lowerBound..<next, textStart..<end)
            } else {
                entries.append((start..<next, start..<end))
            }
            start = next
        }
        return entries.filter { !$0.text.isEmpty }
    }

    static func isTimestamp(_ line: ArraySlice<UInt8>) -> Bool {
        line.count > 1 && line.first == UInt8(ascii: "#") && line.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Appends one entry; a message when it could not be saved (the file is then as it was).
    mutating func append(_ entry: String) -> DiagnosticMessage? {
        let record = "#\(time(nil))\n\(entry)\n"
        let problem = withLockedFile(flags: O_WRONLY | O_APPEND | O_CREAT) { fd -> Int32? in
            let before = lseek(fd, 0, SEEK_END)
            // A file that does not end in a line break (edited by hand) gets one first.
            var last: UInt8 = 0x0A
            if before > 0 { _ = pread(fd, &last, 1, before - 1) }
            if let problem = writeAll(fd, (last == 0x0A ? "" : "\n") + record) {
                // Half an entry must not stay: take back what was written.
                _ = ftruncate(fd, before)
                return problem
            }
            return nil
        }
        if let problem { return .cannotSaveHistory(path, String(cString: strerror(problem))) }
        knownEntries += 1
        return knownEntries > limit + limit / 4 ? compact() : nil
    }

    /// Keeps the newest `limit` entries, written whole to a temporary file renamed over the
    /// old one, under the lock so that no session's append falls between read and rename.
    mutating func compact() -> DiagnosticMessage? {
        let problem = withLockedFile(flags: O_RDONLY) { fd -> Int32? in
            var info = stat()
            fstat(fd, &info)
            let bytes = readAll(fd)
            let entries = HistoryFile.entries(in: bytes)
            guard entries.count > limit else { return nil }
            var kept: [UInt8] = []
            for entry in entries.suffix(limit) {
                kept += bytes[entry.whole]
                if kept.last != 0x0A { kept.append(0x0A) }
            }
            removeStaleTemporaries(of: path)
            let temporary = temporaryName(for: path)
            unlink(temporary)
            let out = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard out >= 0 else { return errno }
            _ = fchown(out, info.st_uid, info.st_gid)
            fchmod(out, info.st_mode & 0o7777)
            let problem = writeAll(out, String(decoding: kept, as: UTF8.self))
                ?? (fsync(out) == 0 ? nil : errno)
            if close(out) != 0 && problem == nil { unlink(temporary); return errno }
            if let problem { unlink(temporary); return problem }
            if rename(temporary, path) != 0 { let problem = errno; unlink(temporary); return problem }
            return nil
        }
        if let problem { return .cannotSaveHistory(path, String(cString: strerror(problem))) }
        knownEntries = min(knownEntries, limit)
        return nil
    }

    /// Runs `body` with the file open and locked (flock); the errno of a failure, or nil. A
    /// compaction renames a new file over the old: a session that locked the old one sees the
    /// change and opens the new.
    private func withLockedFile(flags: Int32, _ body: (Int32) -> Int32?) -> Int32? {
        for _ in 0..<100 {
            let fd = open(path, flags | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return errno }
            defer { close(fd) }
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { return errno }
            }
            var opened = stat(), current = stat()
            fstat(fd, &opened)
            guard stat(path, &current) == 0, current.st_ino == opened.st_ino, current.st_dev == opened.st_dev else { continue }
            return body(fd)
        }
        return EAGAIN
    }
}
