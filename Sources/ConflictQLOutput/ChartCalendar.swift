// Ticks of a time axis on calendar boundaries: the first step of each month, quarter, year or
// run of years, the finest that fits, so that ten years of days are ticked at January firsts
// (`2014`), not every 380th day (`2013-05-10`). Both renderers use it; labels are the axis's
// own ("2014", "2014-03", "2014-03-05") or whole numbers for an Int axis.

/// The ticks of `labels`, at most `fitting` of them: each an index of `labels` and its text.
func calendarTicks(_ labels: [String], fitting: Int) -> [(index: Int, text: String)] {
    guard !labels.isEmpty else { return [] }
    let fitting = max(2, fitting)
    let parts: [(year: Int, month: Int, day: Int)?] = labels.map { label in
        let pieces = label.split(separator: "-", omittingEmptySubsequences: false)
        guard !label.hasPrefix("-"), (1...3).contains(pieces.count), let year = Int(pieces[0]) else { return nil }
        let month = pieces.count > 1 ? Int(pieces[1]) : 1, day = pieces.count > 2 ? Int(pieces[2]) : 1
        guard let month, let day else { return nil }
        return (year, month, day)
    }
    guard parts.allSatisfy({ $0 != nil }) else {
        // Not dates: every step, or every k-th, starting at a multiple of k where they are numbers.
        var stride = 1
        while (labels.count + stride - 1) / stride > fitting { stride = nextStride(stride) }
        let numbers = labels.map { Int($0) }
        return labels.indices.filter { i in numbers[i].map { $0 % stride == 0 } ?? (i % stride == 0) }.map { ($0, labels[$0]) }
    }
    let dates = parts.map { $0! }
    let precision = labels[0].split(separator: "-").count
    // A rule keys each step; a tick is where the key changes (or the first step when it is a start).
    typealias Day = (year: Int, month: Int, day: Int)
    typealias Rule = (key: (Day) -> Int, text: (Int) -> String, starts: (Day) -> Bool)
    var rules: [Rule] = []
    rules.append(({ $0.year * 10_000 + $0.month * 100 + $0.day }, { labels[$0] }, { _ in true }))
    if precision >= 3 {
        rules.append(({ $0.year * 12 + $0.month }, { String(labels[$0].prefix(7)) }, { $0.day == 1 }))
    }
    if precision >= 2 {
        rules.append(({ $0.year * 4 + ($0.month - 1) / 3 }, { String(labels[$0].prefix(7)) }, { $0.day == 1 && ($0.month - 1) % 3 == 0 }))
    }
    for years in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] {
        rules.append(({ Int((Double($0.year) / Double(years)).rounded(.down)) }, { String(labels[$0].prefix(4)) },
                      { $0.day == 1 && $0.month == 1 && $0.year % years == 0 }))
    }
    var previous: [(index: Int, text: String)] = []
    for rule in rules {
        var ticks: [(index: Int, text: String)] = []
        for i in dates.indices where i == 0 ? rule.starts(dates[0]) : rule.key(dates[i]) != rule.key(dates[i - 1]) {
            ticks.append((i, rule.text(i)))
        }
        if ticks.count < 2 && !previous.isEmpty {
            // Too coarse for this span: the finer rule's ticks, every k-th.
            var stride = 1
            while (previous.count + stride - 1) / stride > fitting { stride = nextStride(stride) }
            return previous.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        if ticks.count <= fitting { return ticks.isEmpty ? [(0, labels[0])] : ticks }
        previous = ticks
    }
    return previous.isEmpty ? [(0, labels[0])] : previous
}

/// 1, 2, 5, 10, 20, 50, ...
private func nextStride(_ stride: Int) -> Int {
    var power = 1
    while power * 10 <= stride { power *= 10 }
    let lead = stride / power
    return lead == 1 ? 2 * power : lead == 2 ? 5 * power : 10 * power
}
