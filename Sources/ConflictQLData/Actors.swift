// The names by which the event datasets code the briefing's groups and forces: the `actors`
// table, and the rules that resolve an event's actor text to a briefing name (`group_of`,
// `groups_of`, `is_joint`). Resolution is exact on whole names, never a substring: "Civilians
// (France)" is not France's military, "Ansaroul Islam" is not Ansar Dine. Nothing is
// invented: a name is listed only where it was seen in the dataset's own exports, and each row
// says where (`evidence`). Groups with no such name found (the G5 Sahel Joint Force,
// al-Mourabitoun; Operation Barkhane is coded as France's military) have no row yet; how to add
// one is in Sources/ConflictQL/ConflictQL.docc/BriefingTables.md. Katiba Macina is not a group
// of the briefing: its name links to the `relations` table, which makes it a unit of JNIM from
// March 2017 (Relations.swift).

import ConflictQLCore
import ConflictQLSyntax

public enum Actors {
    /// One name of a briefing group in one dataset.
    public struct Alias: Sendable {
        /// The briefing's name: `groups.name`, or `missions.name` for MINUSMA; for a group the
        /// briefing does not list (Katiba Macina), its name in `relations`.
        public let name: String
        public let abbrev: String?
        /// The table of the briefing that holds `name`.
        public let table: String
        /// The actor name exactly as the dataset writes it.
        public let alias: String
        public let dataset: String
        /// The years a year-qualified name carries: "(2012-2017)", "(2017-)".
        public let fromYear: Int?
        public let toYear: Int?
        /// The countries whose events the alias codes this group in; nil: every country.
        /// UCDP's "IS" is the Islamic State anywhere (Syria, Iraq, Libya): in the Sahel's
        /// events it is the ISGS, elsewhere it is not the briefing's group.
        public let countries: [String]?
        public let source: String
        public let evidence: String
    }

    static let acled = "ACLED"
    static let ucdp = "UCDP GED"
    static let acledSource = "ACLED data export (actor1/actor2 names)"
    static let ucdpSource = "UCDP GED 23.1 (side_a/side_b names), CC BY 4.0"
    static let sahel = ["Mali", "Niger", "Burkina Faso"]

    static let aqim = "Al Qaeda in the Islamic Maghreb"
    static let isgs = "Islamic State in the Greater Sahara"
    static let jnim = "Jama’at Nusrat al-Islam wal-Muslimin"
    static let minusma = "UN Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)"

    public static let aliases: [Alias] = [
        Alias(name: aqim, abbrev: "AQIM", table: "groups", alias: "AQIM: Al Qaeda in the Islamic Maghreb", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's West Africa 2018 and Mali exports"),
        Alias(name: aqim, abbrev: "AQIM", table: "groups", alias: "AQIM", dataset: ucdp,
              fromYear: nil, toYear: nil, countries: nil, source: ucdpSource,
              evidence: "side_b of GED events 4186 (Algeria, 2003) and 247486 (Algeria, 2017)"),
        Alias(name: isgs, abbrev: "ISGS", table: "groups", alias: "Islamic State (Greater Sahara)", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's West Africa 2018 export"),
        Alias(name: isgs, abbrev: "ISGS", table: "groups", alias: "Islamic State (West Africa) - Greater Sahara Faction", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's Mali 2017-2020 and Sahel 2022 exports"),
        Alias(name: isgs, abbrev: "ISGS", table: "groups", alias: "IS", dataset: ucdp,
              fromYear: nil, toYear: nil, countries: sahel, source: ucdpSource,
              evidence: "side_a or side_b of GED events 398385 (Niger, 2021), 364471 (Burkina Faso, 2020), 352268 and 433894 (Mali, 2020 and 2022)"),
        Alias(name: jnim, abbrev: "JNIM", table: "groups", alias: "JNIM: Group for Support of Islam and Muslims", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's West Africa 2018 and Mali 2017-2020 exports"),
        Alias(name: jnim, abbrev: "JNIM", table: "groups", alias: "JNIM", dataset: ucdp,
              fromYear: nil, toYear: nil, countries: nil, source: ucdpSource,
              evidence: "side_b of GED events 256789 (Mali, 2018) and 456557 (Burkina Faso, 2022)"),
        Alias(name: "Ansar Dine", abbrev: nil, table: "groups", alias: "Ansar Dine", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's West Africa 2018 export"),
        Alias(name: "Ansar Dine", abbrev: nil, table: "groups", alias: "Ansar Dine", dataset: ucdp,
              fromYear: nil, toYear: nil, countries: nil, source: ucdpSource,
              evidence: "side_b of GED event 203499 (Mali, 2015)"),
        Alias(name: "Movement for Unity and Jihad in West Africa", abbrev: "MUJAO", table: "groups",
              alias: "MUJAO: Movement for Unity and Jihad in West Africa", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's Africa 1997-2022 export (Mali, Niger, Burkina Faso)"),
        Alias(name: "France", abbrev: nil, table: "groups", alias: "Military Forces of France (2012-2017)", dataset: acled,
              fromYear: 2012, toYear: 2017, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's Sahel exports"),
        Alias(name: "France", abbrev: nil, table: "groups", alias: "Military Forces of France (2017-)", dataset: acled,
              fromYear: 2017, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's Sahel and Mali 2017-2020 exports"),
        Alias(name: "National Movement for the Liberation of Azawad", abbrev: "MNLA", table: "groups",
              alias: "MNLA: National Movement for the Liberation of Azawad", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 of over a hundred Mali events in an ACLED export, as issue 23 reports; no public copy of the name was found"),
        Alias(name: isgs, abbrev: "ISGS", table: "groups", alias: "Islamic State Sahel Province", dataset: acled,
              fromYear: 2022, toYear: nil, countries: nil, source: acledSource,
              evidence: "matched (lower-cased) in actor1 by a public R analysis of ACLED's West Africa exports; the group's name since 2022 (relations)"),
        Alias(name: "Katiba Macina", abbrev: nil, table: "relations", alias: "Katiba Macina", dataset: acled,
              fromYear: nil, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's Mali and West Africa exports (an R model of actor1 == \"Katiba Macina\", an actor list)"),
        Alias(name: "United States", abbrev: nil, table: "groups", alias: "Military Forces of the United States (2017-2021)", dataset: acled,
              fromYear: 2017, toYear: 2021, countries: nil, source: acledSource,
              evidence: "assoc_actor_1 in a public analysis of ACLED's exports (NATO with the United States, 2017-2021)"),
        Alias(name: "United States", abbrev: nil, table: "groups", alias: "Military Forces of the United States (2021-)", dataset: acled,
              fromYear: 2021, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor names listed in a public analysis of ACLED's Middle East exports"),
        Alias(name: minusma, abbrev: "MINUSMA", table: "missions",
              alias: "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-)", dataset: acled,
              fromYear: 2013, toYear: nil, countries: nil, source: acledSource,
              evidence: "actor1 in public analyses of ACLED's West Africa 2018 export"),
    ]

    /// The `actors` table.
    public static var table: Table {
        func s(_ text: String?) -> Value { text.map(Value.string) ?? .null }
        func i(_ n: Int?) -> Value { n.map { .int(Int64($0)) } ?? .null }
        return Table(
            schema: Schema([
                Field("name", .string), Field("abbrev", .string), Field("table", .string), Field("alias", .string),
                Field("dataset", .string), Field("from_year", .int), Field("to_year", .int),
                Field("countries", .list(.string)), Field("source", .string), Field("evidence", .string),
            ]),
            rows: aliases.map { a in
                [s(a.name), s(a.abbrev), s(a.table), s(a.alias), s(a.dataset), i(a.fromYear), i(a.toYear),
                 a.countries.map { .list($0.map(Value.string)) } ?? .null, s(a.source), s(a.evidence)]
            })
    }

    // MARK: Resolution

    /// The aliases by exact name.
    static let byAlias: [String: [Alias]] = Dictionary(grouping: aliases, by: \.alias)

    /// ACLED's joint attribution: "A and/or B" (the perpetrator is one of them, not known which).
    static let jointSeparator = " and/or "
    /// Several actors in one field: ACLED's `assoc_actor_*` ("A; B"), UCDP's sides ("A, B").
    static let listSeparators = ["; ", ", "]

    /// The briefing name a whole actor name (exactly as written) codes in an event of `country` (nil: unknown),
    /// or nil. Country-scoped aliases need the country.
    public static func group(of name: String, country: String? = nil) -> String? {
        guard let candidates = byAlias[name] else { return nil }
        return candidates.first { alias in
            guard let scope = alias.countries else { return true }
            return country.map(scope.contains) ?? false
        }?.name
    }

    /// Every briefing group an actor field names, in order, each once: the whole field if it
    /// is a known name, else each of its parts (split on "; ", ", " and " and/or ").
    public static func groups(of names: [String], country: String? = nil) -> [String] {
        var found: [String] = []
        func add(_ group: String?) { if let group, !found.contains(group) { found.append(group) } }
        for field in names {
            if let whole = group(of: field, country: country) { add(whole); continue }
            for part in parts(of: field) { add(group(of: part, country: country)) }
        }
        return found
    }

    /// The names inside a field: split on the list separators, then on " and/or ".
    static func parts(of field: String) -> [String] {
        var pieces = [field]
        for separator in listSeparators + [jointSeparator] {
            pieces = pieces.flatMap { $0.split(separator: separator).map(String.init) }
        }
        return pieces.map { $0.trimmingCharacters(in: " \t\r\n") }.filter { !$0.isEmpty }
    }

    /// The briefing names aliases resolve to, each once, in the table's order.
    public static let groupNames: [String] = aliases.reduce(into: []) { names, alias in
        if !names.contains(alias.name) { names.append(alias.name) }
    }

    /// Whether resolving the field may depend on the event's country (it is, or has a part
    /// that is, a country-scoped alias).
    package static func needsCountry(_ field: String) -> Bool {
        func scoped(_ name: String) -> Bool { byAlias[name]?.contains { $0.countries != nil } ?? false }
        return scoped(field) || parts(of: field).contains(where: scoped)
    }

    /// Whether an actor field is a joint attribution ("A and/or B").
    public static func isJoint(_ field: String) -> Bool {
        byAlias[field] == nil && field.contains(jointSeparator)
    }
}
