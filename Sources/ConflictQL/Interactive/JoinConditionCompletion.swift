// Tab in a join condition: `left.` offers the columns of the join's input, `right.` those of
// the table or pipeline being joined, each written with its side. Part of the completer.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

extension Completer {
    /// The candidates for `word` (`left.…` or `right.…`) in the join stage the cursor is in,
    /// or nil when the word names no side or the cursor is in no join condition.
    func joinSideCandidates(_ source: Source, _ tokens: [Token], _ frames: [Frame], word: String) -> [String]? {
        let lowered = word.lowercased()
        guard let side = ["left", "right"].first(where: { lowered.hasPrefix($0 + ".") }) else { return nil }
        // The innermost pipeline whose last stage is a join with its `on` already written.
        for frame in frames.reversed() {
            guard let pipe = frame.lastPipe, pipe + 1 < tokens.count, tokens[pipe + 1].text.lowercased() == "join" else { continue }
            var depth = 0
            var on: Int? = nil
            for i in (pipe + 2)..<tokens.count {
                switch tokens[i].kind {
                case .leftParen: depth += 1
                case .rightParen: depth -= 1
                case .identifier where depth == 0 && tokens[i].text.lowercased() == "on": on = i
                default: break
                }
                if on != nil { break }
            }
            guard let on else { return nil }
            let schema: Schema?
            if side == "left" {
                schema = inputSchema(source, tokens, frame)
            } else {
                // The source: after `join` and an optional `kind = KIND`, up to `on`.
                var start = pipe + 2
                if start + 2 < on, tokens[start].text.lowercased() == "kind", tokens[start + 1].kind == .assign { start += 3 }
                guard start < on else { return nil }
                var range = SourceRange(start: tokens[start].range.start, end: tokens[on - 1].range.end)
                if tokens[start].kind == .leftParen, tokens[on - 1].kind == .rightParen, start + 1 < on - 1 {
                    range = SourceRange(start: tokens[start + 1].range.start, end: tokens[on - 2].range.end)
                }
                let parsed = parse(Source(name: "<completion>", text: source.text(of: range)))
                if parsed.diagnostics.isEmpty, parsed.script.statements.count == 1, case .query(let pipeline) = parsed.script.statements[0].kind {
                    var checker = Checker(environment: environment)
                    schema = try? checker.checkPipeline(pipeline).schema
                } else {
                    schema = nil
                }
            }
            return (schema?.names ?? []).map { side + "." + $0 }
        }
        return nil
    }
}
