// The wire of the Language Server Protocol: JSON-RPC messages, each after a `Content-Length`
// header, over standard input and output. Reading and writing are kept apart from what the
// messages mean (LanguageServer.swift), so the tests can hand the server messages directly.

import Foundation

/// A JSON value as JSONSerialization reads and writes it.
public typealias JSONObject = [String: Any]

/// Reads framed messages from a file descriptor.
public struct MessageReader {
    let descriptor: Int32
    var buffer: [UInt8] = []
    /// A message may not be larger than this (64 MiB): a bad header cannot make us allocate more.
    static let maximumLength = 64 << 20

    public init(descriptor: Int32) { self.descriptor = descriptor }

    /// The next message's body, or nil at the end of the input (or a header we cannot read).
    public mutating func next() -> [UInt8]? {
        while true {
            if let (length, headerEnd) = header() {
                guard length >= 0 && length <= MessageReader.maximumLength else { return nil }
                while buffer.count < headerEnd + length {
                    guard fill() else { return nil }
                }
                let body = Array(buffer[headerEnd..<(headerEnd + length)])
                buffer.removeFirst(headerEnd + length)
                return body
            }
            guard buffer.count < 1 << 16, fill() else { return nil }
        }
    }

    /// The content length and where the body starts, once a whole header is buffered.
    func header() -> (Int, Int)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard buffer.count >= 4 else { return nil }
        for end in 0...(buffer.count - 4) where Array(buffer[end..<(end + 4)]) == separator {
            let text = String(decoding: buffer[0..<end], as: UTF8.self)
            for line in text.split(separator: "\r\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "content-length",
                   let length = Int(parts[1].trimmingCharacters(in: .whitespaces)) {
                    return (length, end + 4)
                }
            }
            return (-1, end + 4)
        }
        return nil
    }

    mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }
}

/// `message` framed for the wire.
public func framed(_ message: JSONObject) -> [UInt8] {
    let body = (try? JSONSerialization.data(withJSONObject: message, options: [])) ?? Data("{}".utf8)
    return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + Array(body)
}

/// Writes all of `bytes` to a file descriptor; false when it cannot.
@discardableResult
public func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written <= 0 { return false }
        offset += written
    }
    return true
}
