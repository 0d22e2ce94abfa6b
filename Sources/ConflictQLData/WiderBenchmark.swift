// The wider events benchmark of issue 15: the questions an analyst asks after the first five
// (text search, full sorts, top-N, distinct counts, joins, a window, a union), and the small
// dimension table one of them joins. Tests/Bench/ has the same questions for DuckDB, SQLite
// and pandas, and compare-peers.sh checks that every peer gives the same answers.

import ConflictQLCore
import ConflictQLSyntax

extension EventsBenchmark {
    /// A question of the wider benchmark. A `digest` question makes a whole sorted table;
    /// its answer is its first three and last three rows (every row would be megabytes).
    public struct Question: Sendable {
        public let name: String
        public let text: String
        public let digest: Bool
        public init(name: String, text: String, digest: Bool) {
            self.name = name
            self.text = text
            self.digest = digest
        }
    }

    /// Q6–Q19 over `events` and `regions` (`regionsCSV`).
    public static let widerQueries: [Question] = [
        // Substring search, ignoring case as `contains` does.
        .init(name: "Q06", text: #"events | where notes contains "ABDUCTED" | count"#, digest: false),
        // A full sort by a long string, and by two keys.
        .init(name: "Q07", text: "events | sort by notes desc | select notes", digest: true),
        .init(name: "Q08", text: "events | sort by admin1, fatalities desc | select admin1, fatalities", digest: true),
        // sort | take and top (which orders largest first unless told): top-N by text, and by
        // a number and a date with ties broken by text.
        .init(name: "Q09", text: "events | sort by notes desc | take 3 | select notes", digest: false),
        .init(name: "Q10", text: "events | sort by fatalities desc, event_id_cnty | take 5 | select event_id_cnty, fatalities",
              digest: false),
        .init(name: "Q11", text: "events | top 5 by event_date desc, fatalities desc, event_id_cnty asc | select event_id_cnty, event_date, fatalities",
              digest: false),
        // count(distinct) of a column whose every value is distinct.
        .init(name: "Q12", text: "events | summarize n = count(distinct event_id_cnty)", digest: false),
        // The events joined with an aggregate of themselves, and with a small dimension table.
        .init(name: "Q13", text: "events | join (events | summarize total = sum(fatalities) by actor1) on actor1 | where fatalities * 100 > total | count",
              digest: false),
        .init(name: "Q14", text: "events | join regions on country | summarize events = count(), fatalities = sum(fatalities) by region | sort by region",
              digest: false),
        // distinct over three columns.
        .init(name: "Q15", text: "events | distinct actor1, location, year | count", digest: false),
        // A date range.
        .init(name: "Q16", text: "events | where event_date >= @2019-03-01 and event_date < @2019-09-01 | summarize events = count(), fatalities = sum(fatalities)",
              digest: false),
        // A running total per group; the sum of the running totals depends on every row's order.
        .init(name: "Q17", text: "events | window by country sort by event_date, event_id_cnty running = running_sum(fatalities) | summarize checksum = sum(running)",
              digest: false),
        // A union of two tables.
        .init(name: "Q18", text: "events | where year < 2016 | union (events | where year >= 2022) | summarize events = count(), fatalities = sum(fatalities) by country | sort by country",
              digest: false),
        // Count distinct of long text (nearly every note differs).
        .init(name: "Q19", text: "events | summarize n = count(distinct notes)", digest: false),
    ]

    /// The dimension table of Q14 (made up): four of the five countries of the events, and one
    /// that has none, so the inner join drops rows on both sides.
    public static let regionsCSV = """
        country,iso3,region,population_millions
        Mali,MLI,Central Sahel,23
        Burkina Faso,BFA,Central Sahel,23
        Niger,NER,Central Sahel,27
        Mauritania,MRT,Western Sahel,5
        Senegal,SEN,Western Sahel,18

        """

    /// A question's answer as the peers print it: every row, or for a digest the first and
    /// last three.
    public static func answer(_ table: Table, digest: Bool) -> String {
        guard digest, table.rowCount > 6 else { return tsv(table) }
        let rows = Array(0..<3) + Array(table.rowCount - 3..<table.rowCount)
        return rows.map { row in
            table.columns.map { $0.value(at: row).description }.joined(separator: "\t")
        }.joined(separator: "\n")
    }
}
