// Text replacement by Unicode scalars, shared by the writers (CSV, Markdown) and the
// benchmark generator.

extension String {
    /// Replaces every `target` scalar. By scalars, not Characters: a `"` followed by a
    /// combining mark is one Character (`"́`) that compares unequal to `"`, yet a CSV reader
    /// sees the `"` byte all the same, so comparing Characters let it through unescaped.
    package func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        guard unicodeScalars.contains(target) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            if scalar == target { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
