// A text predicate with a constant pattern (`contains`, `startswith`, `has`, `matches`, ...)
// decided once per dictionary entry, then read per row by code. An ASCII pattern of
// `contains` or `startswith` is searched in the entries' bytes with case folded once, in the
// needle; the exact Unicode comparison runs only for non-ASCII entries where the bytes say it
// may match (see `mayLowerToASCII`). Entries are split over the cores, for `matches` too
// (RE2 matches from several threads at once).

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    func textMatchPerEntry(_ op: BinaryOperator, _ pattern: String, _ dictionary: StringDictionary,
                           _ test: (String, String) -> Bool, _ range: SourceRange) throws -> [Bool] {
        let needle = Array(pattern.lowercased().utf8)
        let bytewise = (op == .contains || op == .startswith) && needle.allSatisfy { $0 < 0x80 }
        let compiled = op == .matches ? try? Pattern(pattern) : nil
        let search = FoldedNeedle(lowercased: needle)
        let cancellation = context.cancellation
        var perEntry = [Bool](repeating: false, count: dictionary.count)
        dictionary.withEntryLocations { places in
            perEntry.withUnsafeMutableBufferPointer { perEntry in
                func decide(_ index: Int) -> Bool {
                    let bytes = UnsafeBufferPointer(start: places.starts[index], count: places.lengths[index])
                    if let compiled { return compiled.matches(bytes) }
                    guard bytewise else { return test(String(decoding: bytes, as: UTF8.self), pattern) }
                    let found = op == .contains ? search.occurs(in: bytes) : asciiFoldedMatch(bytes, needle, prefixOnly: true)
                    if isASCII(bytes) { return found }
                    // Non-ASCII text: the bytes' answer holds when they find nothing and no
                    // character of the text lower-cases to ASCII; otherwise compare exactly.
                    if !found && !mayLowerToASCII(bytes) { return false }
                    return test(String(decoding: bytes, as: UTF8.self), pattern)
                }
                // Cancellation is looked at every 1,024 entries or 256 KiB of text, whichever
                // comes first: a pattern takes time linear in the text, so a long column of
                // long notes stops within a few milliseconds.
                forEachPiece(of: dictionary.count) { piece in
                    var bytesSincePoll = 0
                    for index in piece {
                        if index & 0x3FF == 0 || bytesSincePoll > 1 << 18 {
                            if cancellation?.isCancelled == true { return }
                            bytesSincePoll = 0
                        }
                        bytesSincePoll += places.lengths[index]
                        perEntry[index] = decide(index)
                    }
                }
            }
        }
        try context.checkCancelled(range)
        return perEntry
    }
}
