// Text bound for a terminal. Anything a user or a data file wrote (a cell, a column name, a
// load path, a chart label, a message quoting them) is shown through `escapingControlCharacters`,
// the one sanitiser every writer uses: a control character (C0, DEL, C1: U+009B is CSI and
// U+009D OSC to many terminals), a line separator or a bidirectional override or isolate
// would move the cursor, clear the screen, set the window title or reorder what the reader
// sees, so each is shown as its escape (`\u{1B}`) instead. `displayWidth` is how many cells
// the text takes: East Asian wide characters and emoji take two, combining marks none.

/// Whether `scalar` must not reach a terminal raw.
public func isTerminalUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
        || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
}

/// Text shown in a terminal, with each unsafe scalar (`isTerminalUnsafe`) written as an
/// escape (`\u{1B}`).
public func escapingControlCharacters(_ text: String) -> String {
    escapingControlCharacters(text, keeping: [])
}

/// The same, except for the scalars in `keeping` (a writer that lays out lines keeps `\n`).
public func escapingControlCharacters(_ text: String, keeping: Set<Unicode.Scalar>) -> String {
    guard text.unicodeScalars.contains(where: { isTerminalUnsafe($0) && !keeping.contains($0) }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        if isTerminalUnsafe(scalar) && !keeping.contains(scalar) {
            out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// The cells `text` takes in a terminal (text already through `escapingControlCharacters`).
public func displayWidth<S: StringProtocol>(_ text: S) -> Int {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
    return text.reduce(0) { $0 + displayWidth(of: $1) }
}

/// The cells one character takes: 2 for East Asian wide and fullwidth characters and emoji,
/// 0 for a lone combining mark or format character, 1 otherwise.
func displayWidth(of character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if first.value < 0x300 { return 1 }
    if scalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) { return 2 }
    if isEastAsianWide(first.value) { return 2 }
    switch first.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: return 1
    }
}

/// Unicode's East Asian Width W and F ranges (the emoji among them are found by their
/// emoji presentation).
func isEastAsianWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
         0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
         0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF,
         0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
        return true
    default:
        return false
    }
}

/// `text` cut to at most `width` cells, ending in `…` when cut.
public func truncated(_ text: String, toWidth width: Int) -> String {
    guard displayWidth(text) > width else { return text }
    var out = "", used = 0
    for character in text {
        let w = displayWidth(of: character)
        if used + w > width - 1 { break }
        out.append(character)
        used += w
    }
    return out + (width > 0 ? "…" : "")
}
