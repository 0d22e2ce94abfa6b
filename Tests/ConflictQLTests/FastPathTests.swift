// Issue 15's fast paths against the simple ones they replace, on random inputs: strings
// hashed in place against a [String: Int] map, the raw-key join against the boxed join,
// the text search per dictionary entry against Swift's own lower-casing and search, and the
// split of work over cores against a plain loop. A fast path that answers differently
// anywhere fails here with the input that showed it.

@testable import ConflictQLCore
@testable import ConflictQLSyntax
@testable import ConflictQLData
@testable import ConflictQLFunctions
@testable import ConflictQLSemantics
@testable import ConflictQLPlanning
@testable import ConflictQLEngine
@testable import ConflictQLSQL
@testable import ConflictQLOutput
@testable import ConflictQL
import Foundation
import XCTest

final class FastPathTests: XCTestCase {
    var random = SystemRandomNumberGenerator()
    let range = SourceRange(start: 0, end: 1)
    let context = EvaluationContext(variables: [:], cancellation: nil)

    /// A dictionary of `values` in one to three segments, not deduplicated (as a loaded
    /// column of mostly distinct text is).
    func dictionary(_ values: [String]) -> StringDictionary {
        var segments: [StringDictionary.Segment] = []
        var rest = values[...]
        while !rest.isEmpty || segments.isEmpty {
            let take = segments.count == 2 ? rest.count : Int.random(in: 0...rest.count, using: &random)
            var bytes: [UInt8] = [], offsets: [UInt32] = [0]
            for value in rest.prefix(take) {
                bytes.append(contentsOf: value.utf8)
                offsets.append(UInt32(bytes.count))
            }
            segments.append(.init(bytes: bytes, offsets: offsets))
            rest = rest.dropFirst(take)
        }
        return StringDictionary(segments: segments, isUnique: false)
    }

    let words = ["", "a", "Mali", "mali", "Gao", "é", "e\u{301}", "JNIM: Group for Support of Islam and Muslims",
                 "Islamic State (Greater Sahara)", "kidnapped", "KIDNAPPED", "abcdefgh", "abcdefghi", "abcdefg"]

    func testEqualEntriesAreFoundByTheirBytes() {
        for round in 0..<300 {
            let values = (0..<Int.random(in: 0...40, using: &random)).map { _ in words.randomElement(using: &random)! }
            let dictionary = dictionary(values)
            var first: [[UInt8]: Int32] = [:]
            let expected = values.enumerated().map { index, value -> Int32 in
                if let id = first[Array(value.utf8)] { return id }
                first[Array(value.utf8)] = Int32(index)
                return Int32(index)
            }
            XCTAssertEqual(dictionary.firstEqualEntries(), expected, "round \(round): \(values)")
            let others = (0..<Int.random(in: 0...20, using: &random)).map { _ in words.randomElement(using: &random)! }
            let matched = dictionary.matchingEntries(of: self.dictionary(others))
            XCTAssertEqual(matched, others.map { first[Array($0.utf8)] ?? -1 }, "round \(round): \(values) and \(others)")
        }
        // Canonically equivalent spellings are different bytes, as the loader interns them
        // and DuckDB compares them: "é" and "e" with a combining accent are two groups.
        XCTAssertEqual(dictionary(["é", "e\u{301}", "é"]).firstEqualEntries(), [0, 1, 0])
    }

    /// count(distinct) of text counts the dictionary's entries in partitions by hash: it must
    /// agree with a set of the strings, for few entries (one partition) and for 200,000 (four),
    /// every entry used or some.
    func testDistinctCountsInPartitionsMatchASetOfTheStrings() throws {
        for round in 0..<200 {
            let big = round % 50 == 0
            let values = big ? (0..<200_000).map { _ in "id\(Int.random(in: 0..<150_000, using: &random))" }
                             : (0..<Int.random(in: 0...40, using: &random)).map { _ in words.randomElement(using: &random)! }
            let dictionary = dictionary(values)
            let marked = Bool.random(using: &random)
            var used = [UInt64](repeating: 0, count: (values.count + 63) >> 6)
            var expected = Set<[UInt8]>()
            for (index, value) in values.enumerated() where !marked || Bool.random(using: &random) {
                used[index >> 6] |= 1 << UInt64(index & 63)
                expected.insert(Array(value.utf8))
            }
            XCTAssertEqual(dictionary.distinctCount(used: marked ? used : nil), expected.count, "round \(round)")
        }
        // Whether two entries may be equal (the load's check for repeated ids): false is
        // certain, and with no two 64-bit hashes equal by chance here, exact. Distinct
        // entries, or one repeat planted, over one partition and several, in segments.
        for round in 0..<60 {
            let n = round % 10 == 0 ? 300_000 : Int.random(in: 2...3_000, using: &random)
            var values = (0..<n).map { "event \($0)" }.shuffled(using: &random)
            let i = Int.random(in: 0..<n, using: &random), j = (i + Int.random(in: 1..<n, using: &random)) % n
            if round % 2 == 0 { values[i] = values[j] }
            let marked = round % 3 == 0
            var used = [UInt64](repeating: 0, count: (n + 63) >> 6)
            var seen = Set<String>(), repeated = false
            for (index, value) in values.enumerated() where !marked || Bool.random(using: &random) {
                used[index >> 6] |= 1 << UInt64(index & 63)
                repeated = !seen.insert(value).inserted || repeated
            }
            XCTAssertEqual(dictionary(values).mayHoldEqualEntries(used: marked ? used : nil), repeated, "round \(round), \(n) entries")
        }
        // Through the language, with nulls and repeated values.
        var lines = ["s,g"]
        for _ in 0..<3_000 {
            let value = Int.random(in: 0..<10, using: &random) == 0 ? "" : "v\(Int.random(in: 0..<700, using: &random))"
            lines.append("\(value),\(Int.random(in: 0..<3, using: &random))")
        }
        let session = try session(loading: lines.joined(separator: "\n") + "\n")
        guard case .table(let counted)? = try session.run("t | summarize n = count(distinct s)").last,
              case .table(let listed)? = try session.run("t | where s is not null | distinct s | count").last,
              case .table(let grouped)? = try session.run("t | summarize n = count(distinct s) by g | summarize total = sum(n)").last,
              case .table(let pairs)? = try session.run("t | where s is not null | distinct s, g | count").last
        else { return XCTFail("no table") }
        XCTAssertEqual(counted.rows, listed.rows)
        XCTAssertEqual(grouped.rows, pairs.rows)
    }

    func randomColumn(_ type: DataType, _ count: Int) -> Column {
        var builder = ColumnBuilder(type: type, capacity: count)
        for _ in 0..<count {
            if Int.random(in: 0..<6, using: &random) == 0 { builder.append(.null); continue }
            switch type {
            case .int: builder.append(.int(Int64.random(in: -2...3, using: &random) * (Bool.random(using: &random) ? 1 : 1 << 40)))
            case .float: builder.append(.float([-0.0, 0.0, 1.0, 2.5, .nan, 1e300, -3.0].randomElement(using: &random)!))
            case .bool: builder.append(.bool(Bool.random(using: &random)))
            case .date: builder.append(.date(DateValue(days: Int32.random(in: 0...3, using: &random),
                                                       precision: [.day, .month].randomElement(using: &random)!)))
            // Not "e" with a combining accent: the boxed join compares Swift Strings, which
            // call it equal to "é"; the raw join compares bytes (testJoinComparesBytes).
            default: builder.append(.string(words.filter { $0 != "e\u{301}" }.randomElement(using: &random)!))
            }
        }
        let column = builder.finish()
        // Half the string columns get a dictionary with repeated entries, as a loaded
        // column of mostly distinct text has.
        if case .string(let codes, let dictionary) = column.storage, Bool.random(using: &random) {
            let doubled = self.dictionary(dictionary.values + dictionary.values)
            let moved = codes.map { $0 + (Bool.random(using: &random) ? Int32(dictionary.count) : 0) }
            return Column(type: column.type, storage: .string(codes: StringCodes(moved),
                dictionary: doubled), validity: column.validity, count: column.count)
        }
        return column
    }

    func testRawKeyJoinMatchesTheBoxedJoin() throws {
        let types: [DataType] = [.int, .float, .string, .bool, .date]
        for round in 0..<400 {
            let keyCount = Int.random(in: 1...3, using: &random)
            var leftTypes: [DataType] = [], rightTypes: [DataType] = []
            for _ in 0..<keyCount {
                let type = types.randomElement(using: &random)!
                leftTypes.append(type)
                // Int meets Float.
                rightTypes.append(type == .int && Bool.random(using: &random) ? .float : type)
            }
            let leftCount = Int.random(in: 0...50, using: &random), rightCount = Int.random(in: 0...30, using: &random)
            let left = Table(leftTypes.enumerated().map { ("l\($0)", randomColumn($1, leftCount)) })
            let right = Table(rightTypes.enumerated().map { ("r\($0)", randomColumn($1, rightCount)) })
            let keys = Array(0..<keyCount)
            let fast = try equalityJoinMatches(left, right, keys, keys, context: context, at: range)
            let simple = try boxedJoinMatches(left, right, keys, keys, context: context, at: range)
            for row in 0..<leftCount {
                func matches(_ m: JoinMatches) -> [Int32] {
                    let b = Int(m.bucketOfLeftRow[row])
                    return b < 0 ? [] : Array(m.rows[Int(m.starts[b])..<Int(m.starts[b + 1])])
                }
                XCTAssertEqual(matches(fast), matches(simple), "round \(round), left row \(row): \(left.rows[row]) in \(right.rows)")
            }
        }
    }

    func testJoinOnTextThroughTheLanguage() throws {
        let session = try session(loading: "country,region\nMali,Central Sahel\nNiger,Central Sahel\nSenegal,West\n", as: "regions")
        guard case .table(let joined)? = try session.run(
            "countries | join kind=left regions on left.name == right.country | sort by name | select name, region").last
        else { return XCTFail("no table") }
        let pairs = joined.rows.map { "\($0[0])=\($0[1])" }
        XCTAssertTrue(pairs.contains("Mali=Central Sahel"), "\(pairs)")
        XCTAssertTrue(pairs.contains("Niger=Central Sahel"), "\(pairs)")
        XCTAssertTrue(pairs.contains("Chad=null"), "\(pairs)")
        XCTAssertFalse(pairs.contains { $0.hasPrefix("Senegal") }, "\(pairs)")
    }

    func testJoinComparesBytesAsGroupingDoes() throws {
        // "é" precomposed and "e" with a combining accent are different bytes: two groups for
        // `distinct` (the loader interns by bytes), so no match for a join either, as in
        // DuckDB and PostgreSQL.
        let left = Table([("k", Column(type: .string, storage: .string(codes: StringCodes([0, 1]),
            dictionary: StringDictionary(["é", "e\u{301}"])),
                                       validity: nil, count: 2))])
        let right = Table([("k", Column(type: .string, storage: .string(codes: StringCodes([0]), dictionary: StringDictionary(["é"])),
                                        validity: nil, count: 1))])
        let matches = try equalityJoinMatches(left, right, [0], [0], context: context, at: range)
        XCTAssertEqual(matches.matchCount(0), 1)
        XCTAssertEqual(matches.matchCount(1), 0)
        let groups = Grouping(keys: left.columns, rowCount: 2)
        XCTAssertEqual(groups.groupCount, 2)
    }

    func testTextSearchPerEntryMatchesSwiftsOwn() throws {
        // Texts and needles that catch case folding beyond ASCII: the Kelvin sign lower-cases
        // to "k", capital I with dot to "i" and a combining dot, "e" and a combining accent
        // is one character, "ß" stays itself.
        let pieces = ["kidnapped", "KIDNAPPED", "Kidnap", "\u{212A}idnapped", "İstanbul", "istanbul", "cafe\u{301}", "café",
                      "CAFE", "straße", "STRASSE", "abc", "ab", " ", "\r\n", "Léré", "x", "AbDuCtEd", "abducted\u{301}"]
        let needles = ["kidnapped", "KIDNAP", "k", "i", "cafe", "café", "ss", "ab", "abducted", "", "léré", "\u{212A}",
                       "straße", "aaaaaaaaaaaaaaaaaaaaaaab", "d"]
        let evaluator = Evaluator(context: context)
        for round in 0..<300 {
            let texts = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
            let dictionary = dictionary(texts)
            for needle in needles {
                for (op, test) in [(BinaryOperator.contains, foldedContains),
                                   (BinaryOperator.startswith, { $0.lowercased().hasPrefix($1.lowercased()) })] {
                    let fast = try evaluator.textMatchPerEntry(op, needle, dictionary, test, range)
                    XCTAssertEqual(fast, texts.map { test($0, needle) }, "round \(round): \(texts) \(op) \(needle.debugDescription)")
                }
            }
        }
    }

    func testTextSearchOverManyEntriesUsesEveryPiece() throws {
        // Enough entries to be split over the cores: every entry is decided once.
        let texts = (0..<100_000).map { $0 % 7 == 0 ? "On day \($0), armed men abducted a chief" : "On day \($0), a protest" }
        let found = try Evaluator(context: context).textMatchPerEntry(.contains, "ABDUCTED", dictionary(texts), foldedContains, range)
        XCTAssertEqual(found, texts.indices.map { $0 % 7 == 0 })
    }

    func testRanksFollowByteOrder() {
        // Shared openings longer than a word, zero bytes, prefixes of each other, repeats.
        let parts = ["On 9 September 2024, ", "On 9 Sep", "a", "\u{0}", "é", "ab", "zz", "", "On 1 April 2012, x"]
        for round in 0..<300 {
            let values = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                (0..<Int.random(in: 0...3, using: &random)).map { _ in parts.randomElement(using: &random)! }.joined()
            }
            let ranks = dictionary(values).ranks()
            for a in values.indices {
                for b in values.indices {
                    let x = Array(values[a].utf8), y = Array(values[b].utf8)
                    let expected = x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
                    let got = ranks[a] == ranks[b] ? 0 : (ranks[a] < ranks[b] ? -1 : 1)
                    XCTAssertEqual(got, expected, "round \(round): \(values[a].debugDescription) vs \(values[b].debugDescription)")
                }
            }
        }
    }

    func testRanksOfManyEntriesFollowByteOrder() {
        // Enough entries for the sort to split its runs over the cores and to sort large runs
        // by position: openings shared past 32 bytes, repeats, prefixes, zero bytes.
        let parts = ["On 9 September 2024, Islamic State (Greater Sahara) ", "On 9 Sep", "attacked ", "\u{0}", "é", "Gao",
                     "On 1 April 2012, Military Forces of Mali (2021-) clashed with ", "x", ""]
        let values = (0..<60_000).map { _ in
            (0..<Int.random(in: 1...4, using: &random)).map { _ in parts.randomElement(using: &random)! }.joined()
        }
        let ranks = dictionary(values).ranks()
        let bytes = values.map { Array($0.utf8) }
        let order = values.indices.sorted { bytes[$0].lexicographicallyPrecedes(bytes[$1]) }
        for (a, b) in zip(order, order.dropFirst()) {
            if bytes[a] == bytes[b] {
                XCTAssertEqual(ranks[a], ranks[b], "\(values[a].debugDescription) repeated")
            } else {
                XCTAssertLessThan(ranks[a], ranks[b], "\(values[a].debugDescription) before \(values[b].debugDescription)")
            }
        }
    }

    func testTopOfManyRowsMatchesTheFullSort() throws {
        // Enough rows for the top-N path (more than 16 per row kept), first keys of every kind
        // with nulls, both directions: the first rows of the full sort (radix) and top agree.
        var lines = ["i,f,d,s,id"]
        for row in 0..<2_000 {
            func maybe(_ text: String) -> String { Int.random(in: 0..<10, using: &random) == 0 ? "" : text }
            lines.append([maybe(String(Int.random(in: -5...5, using: &random))),
                          maybe(["-0.0", "0.0", "1.5", "-2.5", "1e300"].randomElement(using: &random)!),
                          maybe("2024-0\(Int.random(in: 1...9, using: &random))-1\(Int.random(in: 0...9, using: &random))"),
                          maybe(["On 9 September", "On 9 Sep", "On 1 April", "b", "\"On 9 September, \"\"x\"\"\""].randomElement(using: &random)!),
                          "E\(row)"].joined(separator: ","))
        }
        let session = try session(loading: lines.joined(separator: "\n") + "\n")
        for key in ["i", "f", "d", "s"] {
            for direction in ["asc", "desc"] {
                for n in [1, 5, 40] {
                    let order = "\(key) \(direction), id asc"
                    guard case .table(let full)? = try session.run("t | sort by \(order) | select id").last,
                          case .table(let top)? = try session.run("t | top \(n) by \(order) | select id").last
                    else { return XCTFail("no table") }
                    XCTAssertEqual(top.rows, Array(full.rows.prefix(n)), "top \(n) by \(order)")
                }
            }
        }
    }

    func testManyRowsSplitOverTheCoresMatchTheSimplePaths() throws {
        // Enough rows (over 262,144) for the top-N to take the best of each piece of rows on
        // the cores and then the best of those (ties everywhere, nulls, text and numbers), and
        // for the range filter to test pieces of rows on the cores.
        var lines = ["i,s,id"]
        lines.reserveCapacity(300_001)
        for row in 0..<300_000 {
            let i = Int.random(in: 0..<50, using: &random) == 0 ? "" : String(Int.random(in: -3...3, using: &random))
            let s = ["", "On 9 September", "On 9 Sep", "b", "a"].randomElement(using: &random)!
            lines.append("\(i),\(s),\(row)")
        }
        let session = try session(loading: lines.joined(separator: "\n") + "\n")
        for order in ["i desc", "s desc, i asc", "i asc, s desc"] {
            guard case .table(let full)? = try session.run("t | sort by \(order) | select id").last,
                  case .table(let top)? = try session.run("t | top 25 by \(order) | select id").last
            else { return XCTFail("no table") }
            XCTAssertEqual(top.rows, Array(full.rows.prefix(25)), "top 25 by \(order)")
        }
        // The range filter's first test is split over the cores too: the same rows, in order,
        // as the general path (`(COND) == true`).
        for condition in ["i >= -1 and i < 2", "id > 1000 and i <= 0", "i == 3"] {
            guard case .table(let fast)? = try session.run("t | where \(condition) | select id").last,
                  case .table(let general)? = try session.run("t | where (\(condition)) == true | select id").last
            else { return XCTFail("no table") }
            XCTAssertEqual(fast.rows, general.rows, condition)
            XCTAssertGreaterThan(fast.rowCount, 0, condition)
        }
    }

    /// Groups of two and three keys, numbered by first appearance, as a dictionary of the
    /// rows' values numbers them: few distinct pairs (an array indexed by the pair) and many
    /// (the flat table, grown as it fills), with nulls and text.
    func testGroupsOfSeveralKeysAreNumberedByFirstAppearance() {
        for round in 0..<40 {
            let rows = [1, 50, 3_000, 40_000].randomElement(using: &random)!
            let columns = (0..<(round % 2 == 0 ? 2 : 3)).map { _ -> Column in
                let distinct = [2, 30, 1_000, 20_000].randomElement(using: &random)!
                var builder = ColumnBuilder(type: round % 3 == 0 ? .string : .int, capacity: rows)
                for _ in 0..<rows {
                    let n = Int.random(in: 0..<distinct, using: &random)
                    if n == 0 { builder.append(.null) } else { builder.append(round % 3 == 0 ? .string("v\(n)") : .int(Int64(n))) }
                }
                return builder.finish()
            }
            let grouping = Grouping(keys: columns, rowCount: rows)
            var seen: [[Value]: Int32] = [:], first: [Int32] = [], expected: [Int32] = []
            for row in 0..<rows {
                let key = columns.map { $0.value(at: row) }
                if seen[key] == nil { seen[key] = Int32(first.count); first.append(Int32(row)) }
                expected.append(seen[key]!)
            }
            XCTAssertEqual(grouping.groupOfRow, expected, "round \(round), \(rows) rows")
            XCTAssertEqual(grouping.firstRow, first, "round \(round)")
        }
    }

    func testGroupedCountsAndSumsOverPiecesMatchOneLoop() {
        // Enough rows to be split over the cores: counts and sums per group (with nulls) as
        // one plain loop makes them, and the group numbers of small Ints by first appearance.
        let rows = 600_000
        let keys = (0..<rows).map { _ in Int64.random(in: 5...40, using: &random) }
        let numbers = (0..<rows).map { _ in Int64.random(in: -1_000...1_000, using: &random) }
        var validity = Bitmap(count: rows, allValid: true)
        for row in stride(from: 3, to: rows, by: 17) { validity[row] = false }
        let grouping = Grouping(keys: [Column(type: .int, storage: .int(keys), validity: nil, count: rows)], rowCount: rows)
        var firstSeen: [Int64: Int32] = [:], expectedFirst: [Int32] = []
        for (row, key) in keys.enumerated() where firstSeen[key] == nil {
            firstSeen[key] = Int32(expectedFirst.count)
            expectedFirst.append(Int32(row))
        }
        XCTAssertEqual(grouping.firstRow, expectedFirst)
        XCTAssertEqual(grouping.groupOfRow, keys.map { firstSeen[$0]! })
        var counts = [Int64](repeating: 0, count: expectedFirst.count), sums = counts
        for row in 0..<rows {
            let g = Int(grouping.groupOfRow[row])
            counts[g] += 1
            if validity[row] { sums[g] += numbers[row] }
        }
        let aggregator = Aggregator(grouping: grouping)
        XCTAssertEqual(aggregator.rowCounts(), counts)
        XCTAssertEqual(aggregator.exactSums(numbers, validity: validity)?.0, sums)
    }

    func testSumIsExactWhateverTheOrderOfItsRows() {
        // A partial sum that does not fit in 64 bits is no error when the total fits; a total
        // that does not fit is, however the rows are split.
        for rows in [10, 600_000] {
            let one = Aggregator(grouping: Grouping(keys: [], rowCount: rows))
            let big = Int64.max / 4
            let fitting = (0..<rows).map { $0 < rows / 2 ? big : -big }
            XCTAssertEqual(one.exactSums(fitting, validity: nil)?.0, [0], "\(rows) rows")
            let tooBig = [Int64](repeating: big, count: rows)
            XCTAssertNil(one.exactSums(tooBig, validity: nil), "\(rows) rows")
        }
    }

    func testRangeFilterMatchesTheGeneralPath() throws {
        // Conjunctions of comparisons of Int and Date columns (with nulls) with constants,
        // at the edges of Int64 too; `(COND) == true` takes the general path and must keep
        // exactly the same rows.
        var lines = ["i,d,j"]
        for _ in 0..<300 {
            func maybe(_ text: String) -> String { Int.random(in: 0..<8, using: &random) == 0 ? "" : text }
            lines.append([maybe(String([Int64.min, Int64.max, -3, 0, 2, 5, 9].randomElement(using: &random)!)),
                          maybe("2019-0\(Int.random(in: 1...9, using: &random))-1\(Int.random(in: 0...9, using: &random))"),
                          String(Int.random(in: -5...5, using: &random))].joined(separator: ","))
        }
        let session = try session(loading: lines.joined(separator: "\n") + "\n")
        let ops = ["==", "!=", "<", "<=", ">", ">="]
        let constants = ["i": ["-9223372036854775808", "9223372036854775807", "0", "2", "-3", "null"],
                         "j": ["0", "3", "-5"], "d": ["@2019-03-01", "@2019-06-15", "@2019-09", "@2019"]]
        for round in 0..<300 {
            let terms = (0..<Int.random(in: 1...3, using: &random)).map { _ -> String in
                let column = ["i", "j", "d"].randomElement(using: &random)!
                let constant = constants[column]!.randomElement(using: &random)!
                let op = ops.randomElement(using: &random)!
                return Bool.random(using: &random) ? "\(column) \(op) \(constant)" : "\(constant) \(op) \(column)"
            }
            let condition = terms.joined(separator: " and ")
            guard case .table(let fast)? = try session.run("t | where \(condition)").last,
                  case .table(let general)? = try session.run("t | where (\(condition)) == true").last
            else { return XCTFail("no table") }
            XCTAssertEqual(fast.rows, general.rows, "round \(round): where \(condition)")
        }
    }

    func testGroupsOfSmallIntsAreNumberedByFirstAppearance() {
        for round in 0..<300 {
            let base = [Int64.min, -7, 0, 2024, Int64.max - 40].randomElement(using: &random)!
            let values = (0..<Int.random(in: 1...80, using: &random)).map { _ in base &+ Int64.random(in: 0...30, using: &random) }
            let grouping = Grouping(keys: [Column(type: .int, storage: .int(values), validity: nil, count: values.count)], rowCount: values.count)
            var number: [Int64: Int32] = [:], firstRow: [Int32] = []
            let expected = values.enumerated().map { row, v -> Int32 in
                if let n = number[v] { return n }
                number[v] = Int32(firstRow.count)
                firstRow.append(Int32(row))
                return number[v]!
            }
            XCTAssertEqual(grouping.groupOfRow, expected, "round \(round): \(values)")
            XCTAssertEqual(grouping.firstRow, firstRow, "round \(round): \(values)")
        }
    }

    func testFirstWordsOfManyEntriesAreEachEntrysOwn() {
        // Enough entries in several segments for the words to be made on every core.
        let texts = (0..<90_000).map { "On \($0 % 31) September \(2012 + $0 % 13), entry \($0)" + ($0 % 5 == 0 ? "" : "é") }
        let dictionary = dictionary(texts)
        let codes = (0..<Int32(texts.count)).map { $0 }.shuffled(using: &random)
        let column = Column(type: .string, storage: .string(codes: StringCodes(codes),
            dictionary: dictionary), validity: nil, count: codes.count)
        for descending in [false, true] {
            let rejection = SortKeyColumn(column, comparingStrings: true).rejectionWords(descending: descending)
            let words = rejection.map { words in codes.indices.map { words[$0] } }
            let expected = codes.map { code in
                Array(texts[Int(code)].utf8).withUnsafeBufferPointer { leadingWord($0) } ^ (descending ? ~0 : 0)
            }
            XCTAssertEqual(words, expected, "descending: \(descending)")
        }
    }

    func testPiecesCoverEveryIndexOnce() {
        for count in [0, 1, 100, 32_767, 32_768, 100_003] {
            let seen = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, count))
            seen.initialize(repeating: 0)
            defer { seen.deallocate() }
            forEachPiece(of: count) { piece in
                for i in piece { seen[i] += 1 }
            }
            XCTAssertTrue(seen.prefix(count).allSatisfy { $0 == 1 }, "\(count)")
        }
    }
}
