// Text as a JSON string literal, for every layer that writes JSON: the output format, and the
// loader, which spells a nested object it keeps as text. By scalars, not Characters, so a
// quote followed by a combining mark is still escaped.

/// `text` in quotes with JSON's escapes; control characters and DEL as `\u00XX`.
package func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
