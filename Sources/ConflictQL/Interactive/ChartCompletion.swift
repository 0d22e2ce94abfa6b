// Tab in a `chart` stage: the kinds of chart right after the word, then `title`; nothing
// else fits there (the stage takes no columns: the result's shape decides its roles).

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
    func chartWords(_ tokens: [Token]) -> [String]? {
        guard let pipe = tokens.lastIndex(where: { $0.kind == .pipe }), pipe + 1 < tokens.count,
              tokens[pipe + 1].text.lowercased() == "chart" else { return nil }
        switch tokens.count - pipe - 2 {
        case 0: return ChartKind.allCases.map(\.rawValue) + ["title"]
        case 1 where ChartKind(rawValue: tokens[pipe + 2].text.lowercased()) != nil: return ["title"]
        default: return []
        }
    }
}
