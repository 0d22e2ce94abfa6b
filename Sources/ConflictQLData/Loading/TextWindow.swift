// A parsing thread's view of the text: a buffer of 512 KiB holding one stretch of it, moved
// on as the parse goes, so the file is never held whole. The size is the core's cache's:
// what `pread` copies in is still cached when the structural index and the fields read it
// (8 MiB windows were 10% slower on the 5M-event file: 2.35-2.55 s against 2.07-2.34). The
// buffer is reused from stretch to stretch (no fresh pages to fault in and zero), and
// offsets stay the text's own: the
// scanner's base is the buffer less the stretch's start, so a field's offset is where it is
// in the file, for messages and line numbers.
//
// Text already in memory (transcoded, inflated, or given) is looked at in place: the window
// is then the whole text, and nothing is copied. Text being inflated is looked at in place
// too, the window's end the bytes inflated so far: moving it waits for more.
//
// A record that runs past the end of the stretch is scanned again once more is read; one
// longer than half the buffer doubles it, so a field of any size fits (memory permitting).
// The buffer is mapped, not taken from malloc: the process keeps freed heap memory of up to
// 32 MiB (Machine.swift), and a window's must go back when the parse ends.

import ConflictQLCore
import ConflictQLSyntax
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class TextWindow {
    let file: DataFile
    let delimiter: UInt8
    /// nil when the text is in memory and looked at in place.
    private var buffer: UnsafeMutablePointer<UInt8>?
    private var capacity: Int
    /// The text's offsets held: `start..<end`.
    private(set) var start = 0
    private(set) var end = 0
    private let cancellation: Cancellation?

    /// The buffer's size when a parse starts (a test makes it tiny, to put the stretch's ends
    /// everywhere).
    static let defaultCapacity = 512 << 10

    init?(file: DataFile, delimiter: UInt8, capacity: Int, cancellation: Cancellation?) {
        self.file = file
        self.delimiter = delimiter
        self.cancellation = cancellation
        guard file.isStreamed else {
            buffer = nil
            self.capacity = max(capacity, 1)
            end = file.knownLength ?? 0
            return
        }
        guard let memory = TextWindow.map(max(capacity, 1)) else { return nil }
        buffer = memory
        self.capacity = max(capacity, 1)
    }

    deinit { if let buffer { munmap(buffer, capacity) } }

    private static func map(_ bytes: Int) -> UnsafeMutablePointer<UInt8>? {
        guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), memory != MAP_FAILED else {
            return nil
        }
        return memory.assumingMemoryBound(to: UInt8.self)
    }

    /// Whether the stretch reaches the end of the text.
    var isAtEnd: Bool { end == file.knownLength }

    /// The text's offset of the first byte in memory: the buffer's start (the structural
    /// index is made in blocks from there).
    var origin: Int { buffer == nil ? 0 : start }

    /// A scanner of the stretch: `base + offset` is the byte at the text's `offset`.
    var scanner: RecordScanner {
        guard let buffer else { return RecordScanner(base: file.bytes.baseAddress!, count: end, delimiter: delimiter) }
        return RecordScanner(base: UnsafePointer(buffer) - start, count: end, delimiter: delimiter)
    }

    /// Moves the stretch to begin at `offset` (keeping what is held from there) and reads on
    /// to fill the buffer, doubling it first when what is kept fills half of it.
    func move(to offset: Int) -> ChunkFailure? {
        guard let buffer else {
            // In memory: text being inflated is waited for, a window's size beyond what is held.
            guard end != file.knownLength else { return nil }
            do {
                end = max(end, try file.held(upTo: max(offset, end) + capacity))
            } catch {
                return error.message == "cancelled" ? .cancelled : .changed(error)
            }
            return nil
        }
        let kept = offset >= start && offset < end ? end - offset : 0
        if kept > 0 && offset > start { memmove(buffer, buffer + (offset - start), kept) }
        if kept > capacity / 2 {
            let (bigger, overflow) = capacity.multipliedReportingOverflow(by: 2)
            guard !overflow, fitsAvailableMemory(bigger), let memory = TextWindow.map(bigger) else {
                return .failed(.notEnoughMemory(bytes: kept, offset: offset))
            }
            memory.update(from: buffer, count: kept)
            munmap(buffer, capacity)
            self.buffer = memory
            capacity = bigger
        }
        start = offset
        end = offset + kept
        let count = min(capacity - kept, file.bytes.count - end)
        guard count > 0 else { return nil }
        if let failure = file.copy(end..<(end + count), into: self.buffer! + kept, cancellation: cancellation) {
            return failure.message == "cancelled" ? .cancelled : .changed(failure)
        }
        end += count
        return nil
    }
}
