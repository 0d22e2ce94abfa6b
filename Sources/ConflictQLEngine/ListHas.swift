// `LIST has TEXT` where both are dictionary-encoded strings (a list of group names against a
// joined table's names, pair after pair): every distinct string of either side is folded to
// lower case once and numbered, and each row compares numbers, with no string made per row.
// Part of the evaluator; the row-by-row path remains for everything else.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning

extension Evaluator {
    /// The result, or nil when the columns are not both strings or their dictionaries are
    /// too large for the rows to pay for folding them.
    func listHasText(_ list: Column, _ offsets: [Int32], _ values: Column, _ needle: Column, _ count: Int,
                     _ range: SourceRange) throws -> Column? {
        guard case .string(let elementCodes, let elements) = values.storage,
              case .string(let needleCodes, let needles) = needle.storage,
              elements.count + needles.count <= 4 * (count + values.count) + 1024 else { return nil }
        var numbers: [String: Int32] = [:]
        func number(_ text: String) -> Int32 {
            let folded = text.lowercased()
            if let known = numbers[folded] { return known }
            let next = Int32(numbers.count)
            numbers[folded] = next
            return next
        }
        var elementNumbers = [Int32](repeating: 0, count: elements.count)
        for i in 0..<elements.count { try context.poll(i, range); elementNumbers[i] = number(elements[i]) }
        var needleNumbers = [Int32](repeating: 0, count: needles.count)
        for i in 0..<needles.count { try context.poll(i, range); needleNumbers[i] = number(needles[i]) }
        var result = [Bool](repeating: false, count: count)
        var bits = Bitmap(count: count, allValid: true)
        for row in 0..<count {
            try context.poll(row, range)
            if list.isNull(row) || needle.isNull(row) { bits[row] = false; continue }
            let wanted = needleNumbers[Int(needleCodes[row])]
            for e in Int(offsets[row])..<Int(offsets[row + 1])
            where !values.isNull(e) && elementNumbers[Int(elementCodes[e])] == wanted {
                result[row] = true
                break
            }
        }
        return Column(type: .bool, storage: .bool(result), validity: bits, count: count)
    }
}
