// The `relations` table: how the groups of the record became one another (Ansar Dine,
// al-Mourabitoun and the Macina Liberation Front into JNIM in March 2017; MUJAO into
// al-Mourabitoun in August 2013), each with its date and the record that gives it; and the
// rule `groups_on` applies: the groups an event's actors belonged to on the event's date.
//
// Two relations fold an actor into another group from their date on: `unit_of` (a unit that
// goes on under its own name: Katiba Macina of JNIM) and `merged_into` (a group that joined
// another: an event ACLED still codes "Ansar Dine" after March 2017 is JNIM's too). Before the
// date they fold nothing: Ansar Dine's events of 2015 are Ansar Dine's alone, since JNIM did
// not exist. `renamed` and `split_from` are recorded, not folded: the aliases of both names of
// a renamed group already resolve to it (ISGS's "Islamic State Sahel Province"), and a split
// makes a new group, not a unit of the old one.

import ConflictQLCore
import ConflictQLSyntax

public enum Relations {
    public struct Relation: Sendable {
        public let name: String
        public let relation: String
        public let other: String
        public let date: DateValue
        public let source: String
        public let url: String
    }

    public static let unitOf = "unit_of", mergedInto = "merged_into", renamed = "renamed", splitFrom = "split_from"
    /// The relations that make an actor's events another group's from their date on.
    static let folded: Set<String> = [unitOf, mergedInto]

    static let jnim = Actors.jnim, isgs = Actors.isgs
    static let jnimFounded = DateValue(year: 2017, month: 3, day: 2)!
    static let jnimSummary = "https://www.un.org/securitycouncil/zh/content/jamaa-nusrat-ul-islam-wa-al-muslimin-jnim"
    static let mourabitounFounded = DateValue(year: 2013, month: 8, day: 20)!
    static let mourabitounSummary =
        "https://main.un.org/securitycouncil/fr/sanctions/1267/aq_sanctions_list/summaries/entity/al-mourabitoun"

    public static let relations: [Relation] = [
        Relation(name: "Ansar Dine", relation: mergedInto, other: jnim, date: jnimFounded,
                 source: "UN QDe.159", url: jnimSummary),
        Relation(name: "al-Mourabitoun", relation: mergedInto, other: jnim, date: jnimFounded,
                 source: "UN QDe.159", url: jnimSummary),
        Relation(name: "Al Qaeda in the Islamic Maghreb (Sahara branch)", relation: mergedInto, other: jnim, date: jnimFounded,
                 source: "UN QDe.159", url: jnimSummary),
        Relation(name: "Katiba Macina", relation: unitOf, other: jnim, date: jnimFounded,
                 source: "Rewards for Justice (JNIM)", url: "https://rewardsforjustice.net/rewards/jamaat-nusrat-al-islam-wal-muslimin-jnim/"),
        Relation(name: "Movement for Unity and Jihad in West Africa", relation: mergedInto, other: "al-Mourabitoun",
                 date: mourabitounFounded, source: "UN QDe.141", url: mourabitounSummary),
        Relation(name: "Al Moulathamoun", relation: mergedInto, other: "al-Mourabitoun",
                 date: mourabitounFounded, source: "UN QDe.141", url: mourabitounSummary),
        Relation(name: isgs, relation: splitFrom, other: "al-Mourabitoun", date: DateValue(year: 2015, month: 5, precision: .month)!,
                 source: "UN (ISGS) 2020-02-23", url: "https://www.un.org/securitycouncil/content/islamic-state-greater-sahara-isgs"),
        Relation(name: isgs, relation: renamed, other: "Islamic State Sahel Province", date: DateValue(year: 2022, precision: .year)!,
                 source: "State Department Country Reports on Terrorism 2022", url: "https://www.ecoi.net/de/dokument/2101624.html"),
    ]

    /// The `relations` table.
    public static var table: Table {
        Table(
            schema: Schema([
                Field("name", .string), Field("relation", .string), Field("other", .string), Field("date", .date),
                Field("source", .string), Field("url", .string),
            ]),
            rows: relations.map { r in
                [.string(r.name), .string(r.relation), .string(r.other), .date(r.date), .string(r.source), .string(r.url)]
            })
    }

    /// `groups` and, on `date`, the groups they were units of or had merged into, and so on up
    /// (MUJAO in 2018: al-Mourabitoun, then JNIM), each once, in order. A null date folds nothing.
    public static func groups(_ groups: [String], on date: DateValue?) -> [String] {
        guard let date else { return groups }
        var found = groups
        var index = 0
        while index < found.count {
            for relation in relations where relation.name == found[index] && folded.contains(relation.relation)
                && relation.date.days <= date.days && !found.contains(relation.other) {
                found.append(relation.other)
            }
            index += 1
        }
        return found
    }

    /// The groups an event's actor fields name (`Actors.groups(of:country:)`), with those they
    /// belonged to on the event's date.
    public static func groups(of names: [String], on date: DateValue?, country: String? = nil) -> [String] {
        groups(Actors.groups(of: names, country: country), on: date)
    }
}
