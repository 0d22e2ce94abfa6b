// Numbers and labels as both chart renderers show them: values read from typed columns,
// "1,234,567" and "12.5", round axis ticks (1, 2 or 5 times a power of ten), and positions
// on screen that no value, however large, can turn into a trap.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func chartValue(_ value: Value) -> Double? {
    switch value {
    case .int(let v): return Double(v)
    case .float(let v): return v.isFinite ? v : nil
    default: return nil
    }
}

/// A column's numbers, nil where null (or not finite).
func chartNumbers(_ column: Column) -> [Double?] {
    switch column.storage {
    case .int(let values): return values.indices.map { column.isNull($0) ? nil : Double(values[$0]) }
    case .float(let values): return values.indices.map { column.isNull($0) || !values[$0].isFinite ? nil : values[$0] }
    default: return (0..<column.count).map { chartValue(column.value(at: $0)) }
    }
}

/// A column's values as labels; a string column makes each distinct label once.
func chartLabels(_ column: Column) -> [String] {
    if case .string(let codes, let dictionary) = column.storage {
        var made: [Int32: String] = [:]
        return codes.indices.map { row in
            if column.isNull(row) { return "null" }
            if let label = made[codes[row]] { return label }
            let label = chartLabel(.string(dictionary[Int(codes[row])]))
            made[codes[row]] = label
            return label
        }
    }
    return (0..<column.count).map { chartLabel(column.value(at: $0)) }
}

/// A label as the table would show it, on one line.
func chartLabel(_ value: Value) -> String {
    ResultFormatter().cellText(value)
}

/// 1234567 as "1,234,567"; a fraction with at most two decimals ("0.25", "12.5").
func formatNumber(_ value: Double) -> String {
    guard value.isFinite else { return value.description }
    if value == value.rounded(), abs(value) < 1e15 { return withThousands(Int64(value)) }
    let magnitude = abs(value)
    let digits = magnitude >= 100 ? 0 : magnitude >= 1 ? 2 : 3
    let scale = pow(10, Double(digits))
    guard magnitude * scale < 9e15 else { return value.description }
    let scaled = Int64((magnitude * scale).rounded())
    let whole = scaled / Int64(scale)
    var fraction = String(scaled % Int64(scale))
    fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return (value < 0 && scaled != 0 ? "-" : "") + withThousands(whole) + (fraction.isEmpty ? "" : "." + fraction)
}

func withThousands(_ value: Int) -> String { withThousands(Int64(value)) }

/// "1 row", "2,000 rows".
func rowsText(_ count: Int) -> String { "\(withThousands(count)) row\(count == 1 ? "" : "s")" }

func withThousands(_ value: Int64) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return (value < 0 ? "-" : "") + out
}

/// The round step (1, 2 or 5 times a power of ten) at least `raw`.
func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let power = pow(10, (log10(raw)).rounded(.down))
    for factor in [1.0, 2, 5, 10] where factor * power >= raw * (1 - 1e-9) { return factor * power }
    return 10 * power
}

/// Round axis ticks covering `low...high` (zero included), about `count` of them.
func axisTicks(_ low: Double, _ high: Double, count: Int) -> [Double] {
    let low = min(low, 0), high = max(high, 0)
    // Values near the ends of Double's range: two ticks at the ends, never a NaN scale.
    guard high > low, (high - low).isFinite else { return high > low ? [low, high] : [0, 1] }
    let step = niceStep((high - low) / Double(max(1, count)))
    var ticks: [Double] = []
    var t = (low / step).rounded(.down) * step
    while t < high + step * 0.999 && ticks.count < 50 {
        ticks.append(abs(t) < step * 1e-9 ? 0 : t)
        t += step
    }
    return ticks.count >= 2 && ticks.last! > ticks.first! ? ticks : [low, high]
}

/// A position in characters or dots as an Int: NaN is 0 and the rest is clamped, so no value
/// of a result (however large) can trap a conversion.
func toCells(_ value: Double) -> Int {
    value.isNaN ? 0 : Int(max(-1e9, min(1e9, value)))
}
