// `conflictql-bench --patterns [FILE.csv]`: what regular expressions cost (issue 22, finding
// 4). First RE2 (the engine of `matches` and `extract`) beside glibc's regcomp/regexec (the
// engine before it) on 200,000 lines shaped like ACLED notes, per pattern; then pathological
// patterns on texts of growing length, whose time must grow as the text does; then, with a
// file, `matches` against the `contains` fast path in whole queries over its events.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// glibc's engine, as Pattern used it: REG_EXTENDED, REG_ICASE for a leading (?i), REG_STARTEND.
final class GlibcPattern {
    var compiled = regex_t()
    init?(_ text: String) {
        var body = Substring(text), flags = REG_EXTENDED | REG_NOSUB
        if body.hasPrefix("(?i)") { body = body.dropFirst(4); flags |= REG_ICASE }
        guard regcomp(&compiled, String(body), flags) == 0 else { return nil }
    }
    deinit { regfree(&compiled) }
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var whole = regmatch_t(rm_so: 0, rm_eo: regoff_t(bytes.count))
        return bytes.withMemoryRebound(to: CChar.self) { regexec(&compiled, $0.baseAddress!, 1, &whole, REG_STARTEND) == 0 }
    }
}

func noteLines(_ count: Int) -> [[UInt8]] {
    let actors = ["JNIM", "ISGS", "Military Forces of Mali", "Dozo militia", "Unidentified armed group", "Wagner Group"]
    let places = ["Gao", "Ségou", "Tombouctou", "Mopti", "Ménaka", "Kidal", "Bandiagara", "Djenné"]
    let verbs = ["attacked", "abducted 4 civilians in", "clashed with the army near", "kidnapped a trader in", "ambushed a convoy near"]
    var state: UInt64 = 0x9E3779B97F4A7C15
    func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
    return (0..<count).map { i in
        let line = "On \(1 + next(28)) May \(2012 + next(12)), \(actors[next(actors.count)]) \(verbs[next(verbs.count)]) \(places[next(places.count)]) (\(places[next(places.count)]), Mali). \(next(9)) fatalities. Event \(i)."
        return Array(line.utf8)
    }
}

func secondsOf(_ body: () -> Void) -> Double {
    let started = now()
    body()
    return now() - started
}

func runPatternBenchmark(file: String?) {
    let lines = noteLines(200_000)
    let bytes = lines.reduce(0) { $0 + $1.count }
    print("RE2 and glibc, 200,000 lines of notes (\(bytes / 1_048_576) MiB), one thread, best of 3: ns a line")
    print("| pattern | matching lines | RE2 | glibc | glibc / RE2 |")
    print("|---|---:|---:|---:|---:|")
    let typical = [#"kidnap(ped|ping)"#, #"(?i)(JNIM|ISGS)"#, #"[0-9]+ fatalities"#, #"^On [0-9]+ May 2019"#,
                   #"(?i)abducted"#, #"(Gao|Mopti|Kidal), Mali"#, #"(?i)wagner.*convoy"#, #"S.gou"#]
    for text in typical {
        guard let re2 = try? Pattern(text), let glibc = GlibcPattern(text) else { print("| `\(text)` | (does not compile) |"); continue }
        var found = 0, glibcFound = 0
        var best = Double.infinity, glibcBest = Double.infinity
        for _ in 0..<3 {
            best = min(best, secondsOf { found = lines.reduce(0) { n, line in n + (line.withUnsafeBufferPointer { re2.matches($0) } ? 1 : 0) } })
            glibcBest = min(glibcBest, secondsOf { glibcFound = lines.reduce(0) { n, line in n + (line.withUnsafeBufferPointer { glibc.matches($0) } ? 1 : 0) } })
        }
        let agree = found == glibcFound ? "" : " (glibc: \(glibcFound))"
        print("| `\(text)` | \(found)\(agree) | \(Int(best / 200_000 * 1e9)) | \(Int(glibcBest / 200_000 * 1e9)) | \(String(format1(glibcBest / best))) |")
    }

    print("\nPathological patterns, RE2: ms to match a text of n characters (no match), best of 3")
    let sizes = [10_000, 100_000, 1_000_000, 10_000_000]
    print("| pattern | text | " + sizes.map { "n = \($0)" }.joined(separator: " | ") + " |")
    print("|---|---|" + sizes.map { _ in "---:" }.joined(separator: "|") + "|")
    let pathological: [(String, UInt8)] = [
        ("(x+x+)+y", UInt8(ascii: "x")), ("(x|xx)+y", UInt8(ascii: "x")), ("(.*)*y", UInt8(ascii: "x")),
        ("(x*)*y", UInt8(ascii: "x")), ("^(x?){50}x{50}$", UInt8(ascii: "x")),
        ("[a-q][^u-z]{13}x", UInt8(ascii: "a")), ("(?i)(\\pL|\\pN){1,1000}y", UInt8(ascii: "x")),
    ]
    for (text, byte) in pathological {
        guard let pattern = try? Pattern(text) else { print("| `\(text)` | (refused) |"); continue }
        var cells: [String] = []
        for n in sizes {
            let subject = [UInt8](repeating: byte, count: n)
            var best = Double.infinity
            for _ in 0..<3 { best = min(best, secondsOf { _ = subject.withUnsafeBufferPointer { pattern.matches($0) } }) }
            cells.append(format1(best * 1000))
        }
        print("| `\(text)` | \(Character(UnicodeScalar(byte)))… | " + cells.joined(separator: " | ") + " |")
    }

    guard let file else { return }
    let session = Session()
    do { try session.load(path: file, as: "events") } catch { fail("cannot load \(error.description)") }
    print("\nWhole queries over \(file), best of 5 (s)")
    print("| query | s |")
    print("|---|---:|")
    for query in [#"events | where notes contains "ABDUCTED" | count"#, #"events | where notes matches r"(?i)abducted" | count"#,
                  #"events | where notes matches r"abducted" | count"#, #"events | where notes matches r"kidnap(ped|ping)" | count"#,
                  #"events | where notes matches r"(?i)(JNIM|ISGS)" | count"#, #"events | where notes matches r"[0-9]+ fatalities" | count"#] {
        var best = Double.infinity
        for _ in 0..<5 { best = min(best, secondsOf { _ = try? session.run(query) }) }
        print("| `\(query.replacingPipes())` | \(format3(best)) |")
    }
}

func format1(_ v: Double) -> String {
    let tenths = Int((v * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

extension String {
    func replacingPipes() -> String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
