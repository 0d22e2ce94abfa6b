// Where `.output` results go, and the temporary files of our own naming (`TARGET.tmp-PID`)
// that make writing atomic. A regular file, or a path that does not exist yet, is written to
// a temporary file beside it and renamed over it when closed: a crash or a full disk leaves
// the old content or the new, never a mix. A symbolic link is followed, so the file it points
// to is replaced and the link stays; the file keeps its permissions. A FIFO, a device or a
// socket cannot be replaced, only written to: it is written directly (`.output /dev/null`
// must not turn /dev/null into a regular file). A directory is refused at once.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class OutputFile {
    /// What the user named, for messages.
    let path: String
    /// Atomic writing: the temporary file, renamed over `target` when closed.
    let temporaryPath: String?
    /// The file that is replaced (the end of a chain of symbolic links).
    let target: String
    let fd: Int32
    private(set) var failure: DiagnosticMessage?
    /// The temporary file's registration, so that a signal removes it (TemporaryFiles.swift).
    private let registration: Int?

    private init(path: String, target: String, temporaryPath: String?, fd: Int32, registration: Int? = nil) {
        self.path = path
        self.target = target
        self.temporaryPath = temporaryPath
        self.fd = fd
        self.registration = registration
    }

    static func open(_ path: String) -> Result<OutputFile, OutputFileError> {
        func failed(_ what: String = "'\(path)'") -> Result<OutputFile, OutputFileError> {
            .failure(OutputFileError(.cannotWrite(what, String(cString: strerror(errno)))))
        }
        guard let target = resolvingSymbolicLinks(path) else { return failed() }
        var info = stat()
        let exists = stat(target, &info) == 0
        if !exists && errno != ENOENT { return failed() }
        let kind = info.st_mode & S_IFMT
        if exists && kind == S_IFDIR {
            return .failure(OutputFileError(.outputIsADirectory(path)))
        }
        if exists && kind != S_IFREG {
            // A FIFO, a device, a socket: written in place. Opening a FIFO waits for a reader.
            let fd = CLibrary.open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            if fd < 0 { return failed() }
            return .success(OutputFile(path: path, target: target, temporaryPath: nil, fd: fd))
        }
        // Renaming over a file needs only the folder's permission: ask the file's own, as a
        // shell's `>` would, before replacing it.
        if exists && access(target, W_OK) != 0 { return failed() }
        removeStaleTemporaries(of: target)
        let temporary = temporaryName(for: target)
        unlink(temporary)
        // Registered before it exists: a signal between the open and the registration would
        // otherwise leave it.
        let registration = TemporaryFiles.register(temporary)
        // O_EXCL|O_NOFOLLOW: never write through a link someone left under our name.
        let fd = CLibrary.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exists ? 0o600 : 0o666)
        if fd < 0 {
            TemporaryFiles.unregister(registration)
            return failed()
        }
        // The replacement keeps the permissions of the file it replaces (0600 stays 0600),
        // and its owner where we may give it (root writing another user's file).
        if exists {
            _ = fchown(fd, info.st_uid, info.st_gid)
            fchmod(fd, info.st_mode & 0o7777)
        }
        return .success(OutputFile(path: path, target: target, temporaryPath: temporary, fd: fd, registration: registration))
    }

    /// Writes results; a failure is thrown at once (the statement stops) and kept.
    func write(_ text: String) throws(WriteFailure) {
        if let problem = writeAll(fd, text) {
            failure = .cannotWrite("'\(path)'", String(cString: strerror(problem)))
            throw WriteFailure(target: "'\(path)'", errorNumber: problem)
        }
    }

    /// Writes a Parquet file's bytes, as `write` writes text.
    func write(bytes: [UInt8]) throws(WriteFailure) {
        if let problem = writeAll(fd, bytes: bytes) {
            failure = .cannotWrite("'\(path)'", String(cString: strerror(problem)))
            throw WriteFailure(target: "'\(path)'", errorNumber: problem)
        }
    }

    /// Flushes and renames into place; a message when that failed (the target is then as it
    /// was, and the temporary file is gone).
    func commit() -> DiagnosticMessage? {
        guard let temporaryPath else {
            close(fd)
            return failure
        }
        if failure == nil && fsync(fd) != 0 { failure = .cannotWrite("'\(path)'", String(cString: strerror(errno))) }
        if close(fd) != 0 && failure == nil { failure = .cannotWrite("'\(path)'", String(cString: strerror(errno))) }
        defer { TemporaryFiles.unregister(registration) }
        if let failure {
            unlink(temporaryPath)
            return failure.adding(after: "; '\(path)' was left as it was")
        }
        if rename(temporaryPath, target) != 0 {
            let message = DiagnosticMessage.cannotReplace("'\(path)'", String(cString: strerror(errno)))
            unlink(temporaryPath)
            return message
        }
        return nil
    }
}

extension OutputFile {
    /// Drops an unfinished file after an error: the temporary file goes and the target stays
    /// as it was. A FIFO or device was written in place and keeps what it got.
    func discard() {
        close(fd)
        if let temporaryPath { unlink(temporaryPath) }
        TemporaryFiles.unregister(registration)
    }
}

struct OutputFileError: Error {
    let diagnostic: DiagnosticMessage
    init(_ diagnostic: DiagnosticMessage) { self.diagnostic = diagnostic }
}

/// `TARGET.tmp-PID`: beside the target (a rename does not cross file systems), named for the
/// process, so that a later process can tell a stale one from one still being written.
func temporaryName(for target: String) -> String {
    target + ".tmp-\(getpid())"
}

/// Follows symbolic links to the file they name (relative links from their own folder); nil
/// for a loop. A path that is no link, or a link to nothing yet, is returned as it ends.
func resolvingSymbolicLinks(_ path: String) -> String? {
    var current = path
    for _ in 0..<40 {
        var info = stat()
        guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(current, &buffer, buffer.count - 1)
        guard length > 0 else { return current }
        let link = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if link.hasPrefix("/") {
            current = link
        } else if let slash = current.lastIndex(of: "/") {
            current = String(current[...slash]) + link
        } else {
            current = link
        }
    }
    errno = ELOOP
    return nil
}

/// Removes `TARGET.tmp-PID` files whose process is gone (killed with -9, or lost with the
/// machine): left alone, each would keep a whole result's size on the disk. One whose process
/// still runs is its own business.
func removeStaleTemporaries(of target: String) {
    let slash = target.lastIndex(of: "/")
    let folder = slash.map { String(target[...$0]) } ?? "./"
    let prefix = (slash.map { String(target[target.index(after: $0)...]) } ?? target) + ".tmp-"
    guard let directory = opendir(folder) else { return }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        guard name.hasPrefix(prefix), let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
        if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + name) }
    }
}
