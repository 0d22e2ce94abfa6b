// Names echoed in messages are shortened: an unknown identifier of 10 MB was printed whole.
// Every quoted span ('...') of a message longer than `maximumQuotedLength` characters keeps
// its start and ends in an ellipsis. Applied where diagnostics and load errors are made, so
// no message needs to remember it.

/// The most characters of a quoted name a message shows.
let maximumQuotedLength = 60

/// `text` with every '...' span over `maximumQuotedLength` characters cut to that many and `…`.
package func shorteningQuotedNames(_ text: String) -> String {
    guard text.utf8.count > maximumQuotedLength + 2 else { return text }
    var result = ""
    var inQuote = false
    var index = text.startIndex
    var spanStart = text.startIndex
    while index < text.endIndex {
        let character = text[index]
        if character == "'" {
            if !inQuote {
                inQuote = true
                spanStart = text.index(after: index)
                result.append("'")
            } else {
                let span = text[spanStart..<index]
                result += span.count > maximumQuotedLength ? span.prefix(maximumQuotedLength) + "…" : span
                result.append("'")
                inQuote = false
            }
        } else if !inQuote {
            result.append(character)
        }
        index = text.index(after: index)
    }
    // An apostrophe with no closing quote: the rest as it is.
    if inQuote { result += text[spanStart...] }
    return result
}
