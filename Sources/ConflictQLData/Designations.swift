// The `designations` table: the groups as the official lists name them, apart from the
// briefing's own words (`groups.designation`). One row per group, list and listing, with the
// name it was listed under, the date, and the public notice or list entry that says so.
//
// Every date here was read in a public record (a Federal Register notice, a State Department
// statement, a UN narrative summary, a UK statutory instrument) or in a page that quotes one;
// `source` names it and `url` is where it was read. A date no record gave is null, never
// guessed: the UK's 2014 order proscribing al-Murabitun was approved by the Lords on 3 April
// 2014, but the day it came into force was not found, so its `listed` is null and it never
// counts as "designated on the event's date". The MNLA and the briefing's states and forces
// are on none of these lists; the EU's own terrorist list was not found to name any of them.

import ConflictQLCore
import ConflictQLSyntax

public enum Designations {
    /// One listing of a group.
    public struct Listing: Sendable {
        /// The group as the briefing and the `actors` table name it (`groups.name`), or, for a
        /// group the briefing does not list, as `relations` names it.
        public let name: String
        public let list: String
        public let authority: String
        /// The name the list gives, as written there.
        public let listedAs: String
        /// The list's own reference: a UN entry (QDe.135), a Federal Register citation, an SI.
        public let reference: String?
        public let listed: DateValue?
        public let delisted: DateValue?
        /// A later change of the listing (a name added or changed), and when.
        public let amended: DateValue?
        public let amendment: String?
        /// A short name of the notice or entry (shown under answers, so without commas).
        public let source: String
        /// Where it was read: the notice itself, or a page that quotes it.
        public let url: String
    }

    public static let usFTO = "US FTO"
    public static let usSDGT = "US SDGT (E.O. 13224)"
    public static let un = "UN ISIL (Da'esh) & Al-Qaida sanctions list"
    public static let uk = "UK proscribed organisations"

    static let state = "United States Department of State"
    static let council = "UN Security Council"
    static let homeOffice = "UK Home Secretary (Terrorism Act 2000)"

    static let aqim = Actors.aqim, isgs = Actors.isgs, jnim = Actors.jnim
    static let mujao = "Movement for Unity and Jihad in West Africa"
    static let ansarDine = "Ansar Dine"

    static func day(_ y: Int, _ m: Int, _ d: Int) -> DateValue { DateValue(year: y, month: m, day: d)! }

    /// The UK order of 28 February 2019 (in force the next day) that proscribes JNIM "including
    /// Ansar al-Dine (AAD), Macina Liberation Front (MLF), al-Murabitun, al-Qa'ida in the
    /// Maghreb and az-Zallaqa", and Ansaroul Islam.
    static let ukOrder2019 = "UK SI 2019/406"
    static let ukOrder2019URL = "https://www.legislation.gov.uk/uksi/2019/406/made"
    static let ukIncluded = "within the JNIM entry of SI 2019/406"

    public static let listings: [Listing] = [
        // AQIM
        Listing(name: aqim, list: usFTO, authority: state, listedAs: "al-Qaida in the Islamic Maghreb (AQIM)",
                reference: nil, listed: day(2002, 3, 27), delisted: nil, amended: nil,
                amendment: "listed under its former name, the Salafist Group for Call and Combat (GSPC); reviewed and maintained as AQIM in 2009 (74 FR 55278)",
                source: "State Department FTO list",
                url: "https://lni-resourcecenter.com/anti-terror-terror-list/u.s.-state-department-designated-foreign-terrorist-organizations-and-state-sponsors-of-terror-"),
        Listing(name: aqim, list: un, authority: council, listedAs: "Salafist Group for Call and Combat",
                reference: "QDe.014", listed: day(2001, 10, 6), delisted: nil, amended: nil,
                amendment: "now listed as The Organization of Al-Qaida in the Islamic Maghreb (the group took the name in January 2007)",
                source: "UN QDe.014",
                url: "https://www.un.org/securitycouncil/sanctions/1267/aq_sanctions_list/summaries/entity/the-organization-of-al-qaida-in-the-islamic"),
        Listing(name: aqim, list: uk, authority: homeOffice, listedAs: "al-Qa’ida in the Maghreb (\(ukIncluded))",
                reference: "SI 2019/406", listed: day(2019, 3, 1), delisted: nil, amended: nil, amendment: nil,
                source: ukOrder2019, url: ukOrder2019URL),
        // Ansar Dine
        Listing(name: ansarDine, list: usFTO, authority: state, listedAs: "Ansar al-Dine (AAD)",
                reference: nil, listed: day(2013, 3, 21), delisted: nil, amended: nil, amendment: nil,
                source: "State Department 2013-03-21",
                url: "https://www.state.gov/j/ct/rls/other/des/266575.htm"),
        Listing(name: ansarDine, list: usSDGT, authority: state, listedAs: "Ansar al-Dine (AAD)",
                reference: nil, listed: day(2013, 3, 21), delisted: nil, amended: nil, amendment: nil,
                source: "State Department 2013-03-21",
                url: "https://www.state.gov/j/ct/rls/other/des/266575.htm"),
        Listing(name: ansarDine, list: un, authority: council, listedAs: "Ansar Eddine",
                reference: "QDe.135", listed: day(2013, 3, 20), delisted: nil, amended: nil, amendment: nil,
                source: "UN QDe.135",
                url: "https://www.un.org/sc/suborg/fr/sanctions/1267/aq_sanctions_list/summaries/entity/ansar-eddine"),
        Listing(name: ansarDine, list: uk, authority: homeOffice, listedAs: "Ansar al-Dine (AAD) (\(ukIncluded))",
                reference: "SI 2019/406", listed: day(2019, 3, 1), delisted: nil, amended: nil, amendment: nil,
                source: ukOrder2019, url: ukOrder2019URL),
        // MUJAO
        Listing(name: mujao, list: usSDGT, authority: state, listedAs: "Movement for Unity and Jihad in West Africa (MUJWA)",
                reference: nil, listed: day(2012, 12, 7), delisted: nil, amended: nil, amendment: nil,
                source: "Washington Times 2012-12-07 (State Department)",
                url: "https://highergroundtimes.com/higher-ground/2012/dec/7/west-african-militants-added-terrorist-list"),
        Listing(name: mujao, list: un, authority: council,
                listedAs: "Mouvement pour l’Unification et le Jihad en Afrique de l’Ouest (MUJAO)",
                reference: "QDe.134", listed: day(2012, 12, 5), delisted: nil, amended: nil, amendment: nil,
                source: "AFP 2012-12-05 (Security Council)",
                url: "https://en.tengrinews.kz/crime/un-sanctions-al-qaeda-linked-mali-islamists-15050"),
        // al-Mourabitoun and the battalion it grew from
        Listing(name: "al-Mourabitoun", list: usFTO, authority: state, listedAs: "al-Mulathamun Battalion",
                reference: nil, listed: day(2013, 12, 19), delisted: nil, amended: nil,
                amendment: "al-Murabitoun named an alias at listing; now the primary name",
                source: "Rewards for Justice (al-Mourabitoun)",
                url: "https://rewardsforjustice.net/rewards/al-mourabitoun/"),
        Listing(name: "al-Mourabitoun", list: usSDGT, authority: state, listedAs: "al-Mulathamun Battalion",
                reference: nil, listed: day(2013, 12, 18), delisted: nil, amended: nil, amendment: nil,
                source: "State Department 2013-12-18",
                url: "https://rewardsforjustice.net/rewards/al-mourabitoun/"),
        Listing(name: "al-Mourabitoun", list: un, authority: council, listedAs: "Al Mourabitoun",
                reference: "QDe.141", listed: day(2014, 6, 2), delisted: nil, amended: nil, amendment: nil,
                source: "UN QDe.141",
                url: "https://main.un.org/securitycouncil/fr/sanctions/1267/aq_sanctions_list/summaries/entity/al-mourabitoun"),
        Listing(name: "Al Moulathamoun", list: un, authority: council, listedAs: "Al Moulathamoun",
                reference: "QDe.140", listed: day(2014, 6, 2), delisted: nil, amended: nil, amendment: nil,
                source: "UN QDe.140",
                url: "https://main.un.org/securitycouncil/en/sanctions/1267/aq_sanctions_list/summaries/entity/al-moulathamoun"),
        Listing(name: "al-Mourabitoun", list: uk, authority: homeOffice, listedAs: "Al Murabitun",
                reference: "Terrorism Act 2000 (Proscribed Organisations) (Amendment) Order 2014", listed: nil, delisted: nil,
                amended: nil, amendment: "approved by the House of Lords on 3 April 2014; the day it came into force was not found",
                source: "Hansard (Lords) 2014-04-03",
                url: "https://hansard.parliament.uk/Lords/2014-04-03/debates/14040358000110/TerrorismAct2000(ProscribedOrganisations)(Amendment)Order2014"),
        Listing(name: "al-Mourabitoun", list: uk, authority: homeOffice, listedAs: "al-Murabitun (\(ukIncluded))",
                reference: "SI 2019/406", listed: day(2019, 3, 1), delisted: nil, amended: nil, amendment: nil,
                source: ukOrder2019, url: ukOrder2019URL),
        // ISGS
        Listing(name: isgs, list: usSDGT, authority: state, listedAs: "ISIS in the Greater Sahara (ISIS-GS)",
                reference: nil, listed: day(2018, 5, 16), delisted: nil, amended: nil,
                amendment: "the State Department's Country Reports on Terrorism 2022 add the alias ISIS-Sahel",
                source: "State Department 2018-05-16",
                url: "https://2017-2021.state.gov/state-department-terrorist-designations-of-isis-in-the-greater-sahara-isis-gs-and-adnan-abu-walid-al-sahrawi/index.html"),
        Listing(name: isgs, list: usFTO, authority: state, listedAs: "ISIS in the Greater Sahara (ISIS-GS)",
                reference: "83 FR 23987", listed: day(2018, 5, 23), delisted: nil, amended: nil,
                amendment: "the State Department's Country Reports on Terrorism 2022 add the alias ISIS-Sahel",
                source: "83 FR 23987",
                url: "https://lexbuild.dev/fr/2018/05/2018-11007"),
        Listing(name: isgs, list: un, authority: council, listedAs: "Islamic State in the Greater Sahara (ISGS)",
                reference: nil, listed: day(2020, 2, 23), delisted: nil, amended: nil, amendment: nil,
                source: "UN (ISGS) 2020-02-23",
                url: "https://www.un.org/securitycouncil/content/islamic-state-greater-sahara-isgs"),
        // JNIM
        Listing(name: jnim, list: usSDGT, authority: state, listedAs: "Jama’at Nusrat al-Islam wal-Muslimin (JNIM)",
                reference: nil, listed: day(2018, 9, 5), delisted: nil, amended: nil, amendment: nil,
                source: "Rewards for Justice (JNIM)",
                url: "https://rewardsforjustice.net/rewards/jamaat-nusrat-al-islam-wal-muslimin-jnim/"),
        Listing(name: jnim, list: usFTO, authority: state, listedAs: "Jama’at Nusrat al-Islam wal-Muslimin (JNIM)",
                reference: nil, listed: day(2018, 9, 6), delisted: nil, amended: nil, amendment: nil,
                source: "Rewards for Justice (JNIM)",
                url: "https://rewardsforjustice.net/rewards/jamaat-nusrat-al-islam-wal-muslimin-jnim/"),
        Listing(name: jnim, list: un, authority: council, listedAs: "Jama'a Nusrat ul-Islam wa al-Muslimin (JNIM)",
                reference: "QDe.159", listed: day(2018, 10, 4), delisted: nil, amended: nil, amendment: nil,
                source: "UN QDe.159",
                url: "https://www.un.org/securitycouncil/zh/content/jamaa-nusrat-ul-islam-wa-al-muslimin-jnim"),
        Listing(name: jnim, list: uk, authority: homeOffice,
                listedAs: "Jamaat Nusrat al-Islam Wal-Muslimin (JNIM) (Nusrat al-Islam) (Nusrat al-Islam wal Muslimeen) (NIM)",
                reference: "SI 2019/406", listed: day(2019, 3, 1), delisted: nil, amended: nil, amendment: nil,
                source: ukOrder2019, url: ukOrder2019URL),
        // Katiba Macina and Ansarul Islam: not groups of the briefing, but units or neighbours of them.
        Listing(name: "Katiba Macina", list: uk, authority: homeOffice, listedAs: "Macina Liberation Front (MLF) (\(ukIncluded))",
                reference: "SI 2019/406", listed: day(2019, 3, 1), delisted: nil, amended: nil, amendment: nil,
                source: ukOrder2019, url: ukOrder2019URL),
        Listing(name: "Ansarul Islam", list: usSDGT, authority: state, listedAs: "Ansarul Islam",
                reference: nil, listed: day(2018, 2, 20), delisted: nil, amended: nil, amendment: nil,
                source: "Reuters 2018-02-20 (State Department)",
                url: "https://www.reuters.com/article/us-usa-burkina-sanctions/u-s-sanctions-burkina-faso-based-group-over-terrorism-threat-idUSKCN1G42KE"),
        Listing(name: "Ansarul Islam", list: uk, authority: homeOffice, listedAs: "Ansaroul Islam (Ansar ul Islam) (Ansaroul Islam Lil Irchad Wal Jihad)",
                reference: "SI 2019/406", listed: day(2019, 3, 1), delisted: nil, amended: nil, amendment: nil,
                source: ukOrder2019, url: ukOrder2019URL),
    ]

    /// The `designations` table.
    public static var table: Table {
        func s(_ text: String?) -> Value { text.map(Value.string) ?? .null }
        func d(_ date: DateValue?) -> Value { date.map(Value.date) ?? .null }
        return Table(
            schema: Schema([
                Field("name", .string), Field("list", .string), Field("authority", .string), Field("listed_as", .string),
                Field("reference", .string), Field("listed", .date), Field("delisted", .date), Field("amended", .date),
                Field("amendment", .string), Field("source", .string), Field("url", .string),
            ]),
            rows: listings.map { l in
                [s(l.name), s(l.list), s(l.authority), s(l.listedAs), s(l.reference), d(l.listed), d(l.delisted),
                 d(l.amended), s(l.amendment), s(l.source), s(l.url)]
            })
    }
}
