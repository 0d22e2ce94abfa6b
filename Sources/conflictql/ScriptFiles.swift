// Reading scripts for the command line and the REPL's `.read`: whole files or standard
// input, with messages a person can act on, and never more than the script size limit.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FileReadResult {
    case success([UInt8])
    case failure(DiagnosticMessage)
}

/// Reads a whole file, with a message a person can act on when it cannot be read.
func readFile(_ path: String) -> FileReadResult {
    var info = stat()
    if stat(path, &info) != 0 {
        return .failure(.cannotReadScript(path, String(cString: strerror(errno))))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
        return .failure(.scriptIsADirectory(path))
    }
    let fd = open(path, O_RDONLY)
    if fd < 0 {
        return .failure(.cannotOpenScript(path, String(cString: strerror(errno))))
    }
    defer { close(fd) }
    return .success(readAll(fd))
}

/// Reads a script to its end, but never more than one byte past the size limit: an endless
/// input (`/dev/zero`, a pipe that never closes its end) costs no more than the limit, and
/// the parser then says the script is too large.
func readAll(_ fd: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while bytes.count <= Source.maximumBytes {
        let wanted = min(buffer.count, Source.maximumBytes + 1 - bytes.count)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, wanted) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
}
