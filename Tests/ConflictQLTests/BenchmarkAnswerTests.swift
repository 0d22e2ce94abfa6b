// The benchmark's five questions on a small generated file, against answers computed here
// independently: a plain CSV split and loops over rows, sharing no code with the loader or
// the engine.

import ConflictQL
import Foundation
import XCTest

final class BenchmarkAnswerTests: XCTestCase {
    /// RFC 4180 records, the simple way.
    func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var field = "", record: [String] = []
        var quoted = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(c) }
        }
        return records
    }

    func testFiveAnswersMatchAnIndependentComputation() throws {
        var text = ""
        EventsBenchmark.csv(rows: 5_000, seed: 7) { text += $0 }
        let path = NSTemporaryDirectory() + "bench-\(getpid()).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let all = records(text)
        let header = all[0]
        let rows = all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        XCTAssertEqual(rows.count, 5_000)

        let session = Session()
        try session.load(path: path, as: "events")
        var answers: [String: String] = [:]
        for (name, query) in EventsBenchmark.queries {
            guard case .table(let table) = try session.run(query).last else { return XCTFail(name) }
            answers[name] = EventsBenchmark.tsv(table)
        }

        // Q1: Mali battles.
        let q1 = rows.filter { $0["country"] == "Mali" && $0["event_type"] == "Battles" }.count
        XCTAssertEqual(answers["Q1"], "\(q1)")
        XCTAssertGreaterThan(q1, 0)

        // Q2: deadliest actors, ties by name in byte order.
        var byActor: [String: Int] = [:]
        for row in rows { byActor[row["actor1"]!, default: 0] += Int(row["fatalities"]!)! }
        let q2 = byActor.sorted { $0.value != $1.value ? $0.value > $1.value : Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .prefix(10).map { "\($0.key)\t\($0.value)" }.joined(separator: "\n")
        XCTAssertEqual(answers["Q2"], q2)

        // Q3: events and fatalities per year.
        var byYear: [Int: (Int, Int)] = [:]
        for row in rows {
            let year = Int(row["year"]!)!
            byYear[year, default: (0, 0)].0 += 1
            byYear[year, default: (0, 0)].1 += Int(row["fatalities"]!)!
        }
        XCTAssertEqual(answers["Q3"], byYear.keys.sorted().map { "\($0)\t\(byYear[$0]!.0)\t\(byYear[$0]!.1)" }.joined(separator: "\n"))

        // Q4: distinct actors per country.
        var actors: [String: Set<String>] = [:]
        for row in rows { actors[row["country"]!, default: []].insert(row["actor1"]!) }
        XCTAssertEqual(answers["Q4"], actors.keys.sorted().map { "\($0)\t\(actors[$0]!.count)" }.joined(separator: "\n"))

        // Q5: monthly fatalities in Mali in 2020.
        var byMonth: [String: Int] = [:]
        for row in rows where row["country"] == "Mali" && row["event_date"]!.hasPrefix("2020-") {
            byMonth[String(row["event_date"]!.prefix(7)), default: 0] += Int(row["fatalities"]!)!
        }
        XCTAssertEqual(answers["Q5"], byMonth.keys.sorted().map { "\($0)\t\(byMonth[$0]!)" }.joined(separator: "\n"))
        XCTAssertFalse(byMonth.isEmpty)
    }
}
