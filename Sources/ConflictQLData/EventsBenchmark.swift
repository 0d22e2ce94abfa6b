// The events benchmark (shared/bench/QUERIES.md) in ConflictQL: the five questions, and a
// deterministic generator of an ACLED-shaped events file, so the benchmark and its tests
// need no Python. The generator imitates the shape of ACLED's Sahel exports (skewed actors,
// mostly-zero fatalities, notes with commas and quotes, accented place names); it is not
// byte-identical to shared/bench/gen_events.py, whose files the peer comparison uses.

import ConflictQLCore
import ConflictQLSyntax

public enum EventsBenchmark {
    /// Q1–Q5 over a table called `events`.
    public static let queries: [(name: String, text: String)] = [
        ("Q1", #"events | where country == "Mali" and event_type == "Battles" | count"#),
        ("Q2", "events | summarize total = sum(fatalities) by actor1 | top 10 by total desc, actor1 asc"),
        ("Q3", "events | summarize events = count(), fatalities = sum(fatalities) by year | sort by year"),
        ("Q4", "events | summarize actors = count(distinct actor1) by country | sort by country"),
        ("Q5", #"events | where country == "Mali" and event_date >= @2020-01-01 and event_date < @2021-01-01 | summarize fatalities = sum(fatalities) by month = to_month(event_date) | sort by month"#),
    ]

    public static let header = ["event_id_cnty", "event_date", "year", "disorder_type", "event_type", "sub_event_type",
                                "actor1", "assoc_actor_1", "actor2", "country", "admin1", "admin2", "location",
                                "latitude", "longitude", "source", "notes", "fatalities"]

    /// A result as the peers print it: one line per row, fields separated by tabs.
    public static func tsv(_ table: Table) -> String {
        (0..<table.rowCount).map { row in
            table.columns.map { $0.value(at: row).description }.joined(separator: "\t")
        }.joined(separator: "\n")
    }

    /// SplitMix64: small, fast, and the same everywhere.
    public struct Random {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        /// Index 0 most often, then 1, ... (a Zipf-like skew).
        public mutating func skewed(_ n: Int) -> Int {
            let u = Double(next() >> 11) / Double(1 << 53)
            return min(n - 1, Int(Double(n) * u * u * u))
        }
    }

    static let countries = [("Mali", "MLI", 52), ("Burkina Faso", "BFA", 22), ("Niger", "NER", 13), ("Chad", "TCD", 8),
                            ("Mauritania", "MRT", 5)]
    static let places: [String: [(String, String, String, Double, Double)]] = [
        "Mali": [("Mopti", "Bandiagara", "Sangha", 14.35, -3.6), ("Gao", "Ansongo", "Ouatagouna", 15.2, 0.7),
                 ("Timbuktu", "Niafunke", "Léré", 15.7, -4.9), ("Segou", "Macina", "Monimpébougou", 14.1, -5.4),
                 ("Menaka", "Menaka", "Anderamboukane", 15.4, 3.0), ("Kidal", "Tessalit", "Aguelhok", 19.5, 0.9)],
        "Burkina Faso": [("Sahel", "Soum", "Djibo", 14.1, -1.6), ("Est", "Gourma", "Fada N'gourma", 12.1, 0.4),
                         ("Nord", "Loroum", "Titao", 13.8, -2.1)],
        "Niger": [("Tillaberi", "Ouallam", "Ouallam", 14.3, 2.1), ("Tahoua", "Tillia", "Tillia", 16.1, 4.8),
                  ("Diffa", "Diffa", "Diffa", 13.3, 12.6)],
        "Chad": [("Lac", "Mamdi", "Bol", 13.5, 14.7), ("Tibesti", "Tibesti Est", "Bardaï", 21.4, 17.0)],
        "Mauritania": [("Hodh ech Chargui", "Bassikounou", "Bassikounou", 15.9, -5.9), ("Nouakchott", "Ksar", "Nouakchott", 18.1, -15.9)],
    ]
    static let actors = ["JNIM: Group for Support of Islam and Muslims", "Islamic State (Greater Sahara)",
                         "Military Forces of Mali (2021-)", "Unidentified Armed Group (Mali)", "Military Forces of Burkina Faso (2022-)",
                         "Military Forces of Niger (2023-)", "Dan Na Ambassagou", "Operation Barkhane", "Wagner Group",
                         "Protesters (Mali)", "Koglweogo Militia", "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-)",
                         "Military Forces of Chad (2021-)", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
                         "Rioters (Niger)", "CMA: Coordination of Azawad Movements", "Unidentified Communal Militia (Burkina Faso)",
                         "Military Forces of Mauritania (2019-)", "Civilians (Mali)", "Police Forces of Niger (2021-)"]
    static let eventTypes: [(String, String, [String])] = [
        ("Political violence", "Battles", ["Armed clash", "Government regains territory"]),
        ("Political violence", "Violence against civilians", ["Attack", "Abduction/forced disappearance"]),
        ("Political violence", "Explosions/Remote violence", ["Remote explosive/landmine/IED", "Air/drone strike"]),
        ("Demonstrations", "Protests", ["Peaceful protest"]),
        ("Demonstrations", "Riots", ["Violent demonstration"]),
        ("Strategic developments", "Strategic developments", ["Looting/property destruction"]),
    ]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    /// Writes `rows` events as CSV text, the same for the same rows and seed.
    public static func csv(rows: Int, seed: UInt64 = 42, write: (String) -> Void) {
        var random = Random(seed: seed)
        write(header.joined(separator: ",") + "\n")
        var batch = ""
        batch.reserveCapacity(1 << 20)
        for n in stride(from: 1, through: rows, by: 1) {
            var pick = random.below(100)
            var country = countries[0]
            for c in countries { if pick < c.2 { country = c; break }; pick -= c.2 }
            let place = places[country.0]![random.below(places[country.0]!.count)]
            let year = 2012 + random.skewed(13) % 13
            let month = 1 + random.below(12), day = 1 + random.below(28)
            let type = eventTypes[random.skewed(eventTypes.count)]
            let actor1 = actors[random.skewed(actors.count)]
            let actor2 = random.below(4) == 0 ? "" : actors[random.below(actors.count)]
            let associate = random.below(10) < 7 ? "" : "Civilians (\(country.0))"
            let fatalities = random.below(3) == 0 ? random.skewed(150) : 0
            let latitude = place.3 + Double(random.below(2000) - 1000) / 10000
            let longitude = place.4 + Double(random.below(2000) - 1000) / 10000
            let date = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
            var note = "On \(day) \(months[month - 1]) \(year), \(actor1) clashed with \(actor2.isEmpty ? "unknown assailants" : actor2) near \(place.2) (\(place.1), \(place.0))."
            if random.below(5) == 0 { note += " Locals spoke of \"\(fatalities) dead\"." }
            if fatalities == 0 { note += " No fatalities reported." } else { note += " \(fatalities) fatalities." }
            let fields = ["\(country.1)\(n)", date, String(year), type.0, type.1, type.2[random.below(type.2.count)],
                          actor1, associate, actor2, country.0, place.0, place.1, place.2,
                          formatCoordinate(latitude), formatCoordinate(longitude), "Local media", note, String(fatalities)]
            batch += fields.map(quoteIfNeeded).joined(separator: ",") + "\n"
            if batch.utf8.count > 1 << 20 { write(batch); batch = "" }
        }
        write(batch)
    }

    static func formatCoordinate(_ v: Double) -> String {
        let scaled = Int((v * 10000).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        return "\(sign)\(magnitude / 10000).\(String(magnitude % 10000).leftPadded(to: 4))"
    }

    static func quoteIfNeeded(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}
