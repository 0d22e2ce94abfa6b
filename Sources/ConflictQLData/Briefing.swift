// The embedded dataset: every fact of the briefing on the conflict in Mali and the Sahel
// (shared/seed/mali-conflict.txt), compiled into the binary. Nothing is invented: a value
// the briefing does not state is null. Every row names its source: the briefing's own
// attribution (HRW, CFR, Washington Post) where a sentence ends with one, else "briefing".
// A figure keeps its qualifier: "roughly 1,600" is 1600 with qualifier "roughly".
// The tables are built on each use (they are tiny): no process-wide table outlives a session.

import ConflictQLCore
import ConflictQLSyntax

public enum Briefing {
    /// The tables of the briefing, and the actor names that link its groups to event data, as a catalog.
    public static var catalog: Catalog {
        var catalog = Catalog()
        catalog.add("groups", groups, description: "armed groups and forces engaged in Mali, with US designations")
        catalog.add("missions", missions, description: "foreign and international deployments")
        catalog.add("funding", funding, description: "funding pledged or cut off, in US dollars")
        catalog.add("figures", figures, description: "humanitarian and security figures with their qualifiers")
        catalog.add("timeline", timeline, description: "dated events, 2011 to 2018")
        catalog.add("countries", countries, description: "countries the briefing names and their roles")
        catalog.add("concerns", concerns, description: "humanitarian and security concerns the briefing states")
        catalog.add("actors", Actors.table, description: "the names ACLED and UCDP give the briefing's groups, with their sources")
        catalog.add("relations", Relations.table, description: "units, mergers and renamings of the groups, with dates and sources")
        catalog.add("designations", Designations.table,
                    description: "the groups on the official lists (US, UN, UK), with dates and notices")
        catalog.add("places", Places.table, description: "towns and points the questions name, with coordinates and sources")
        return catalog
    }

    static func s(_ text: String?) -> Value { text.map(Value.string) ?? .null }
    static func i(_ value: Int64?) -> Value { value.map(Value.int) ?? .null }
    static func list(_ items: [String]?) -> Value { items.map { .list($0.map(Value.string)) } ?? .null }
    static func year(_ y: Int) -> Value { .date(DateValue(year: y, precision: .year)!) }
    static func month(_ y: Int, _ m: Int) -> Value { .date(DateValue(year: y, month: m, precision: .month)!) }

    static let primary = "primary terrorist presence"
    static let other = "other engaged"

    public static var groups: Table { Table(
        schema: Schema([
            Field("name", .string), Field("abbrev", .string), Field("category", .string), Field("kind", .string),
            Field("designation", .list(.string)), Field("designated_by", .string), Field("designated_year", .int),
            Field("founded", .date), Field("affiliation", .string), Field("area", .string), Field("aims", .string),
            Field("targets", .string), Field("notes", .string), Field("source", .string),
        ]),
        rows: [
            [s("Al Qaeda in the Islamic Maghreb"), s("AQIM"), s(primary), s("jihadist militant group"),
             list(["FTO"]), s("United States"), .null, .null, .null, s("Sahara and Sahel"),
             s("eliminating Western influence in Northern Africa, toppling governments deemed as traitors (Algeria, Libya, Mali, Mauritania, Morocco, Tunisia), and installing fundamentalist regimes based on sharia law"),
             .null, .null, s("briefing")],
            [s("Islamic State in the Greater Sahara"), s("ISGS"), s(primary), .null,
             .null, .null, .null, .null, .null, s("Mali-Niger border"),
             s("replace regional governments with an Islamic state"),
             .null, s("mostly concentrated along the Mali-Niger border"), s("briefing")],
            [s("Jama’at Nusrat al-Islam wal-Muslimin"), s("JNIM"), s(primary), .null,
             .null, .null, .null, .null, s("Al-Qaeda"), s("Mali"),
             s("establish an Islamic state centered in Mali"),
             s("security and peacekeeping forces in Mali"), .null, s("briefing")],
            [s("Ansar Dine"), .null, s(primary), s("militant Islamist group"),
             list(["FTO"]), s("United States"), i(2013), month(2011, 12), .null, s("Mali"),
             s("establish Sharia law across Mali"),
             s("western civilians"), s("translated as “Defenders of the Faith”; played a vital role in the Malian 2012 coup"),
             s("briefing")],
            [s("Movement for Unity and Jihad in West Africa"), s("MUJAO"), s(primary), .null,
             list(["SDGT"]), s("United States"), .null, .null, s("Al Qaeda"), s("northern Mali"),
             s("implement sharia law"),
             .null, s("U.S.-sanctioned Specially Designated Global Terrorist group"), s("briefing")],
            [s("National Movement for the Liberation of Azawad"), s("MNLA"), s(other), s("separatist militant organization"),
             .null, .null, .null, month(2011, 10), .null, s("Azawad"),
             s("autonomy for the region the Tuaregs call Azawad"),
             .null, s("predominantly comprised of ethnic Tuaregs"), s("briefing")],
            [s("G5 Sahel Joint Force"), .null, s(other), s("five-nation counterterrorism military force"),
             .null, .null, .null, .null, .null, s("Mali, Mauritania, Burkina Faso, Niger and Chad"),
             .null,
             .null, s("endorsed by the African Union and welcomed by the UN Security Council"), s("briefing")],
            [s("France"), .null, s(other), s("state: military intervention and Operation Barkhane"),
             .null, .null, .null, .null, .null, s("Mali"),
             s("resist Islamist fighters who had hijacked a Tuareg uprising"),
             .null, s("launched a military intervention in Mali in 2013; Operation Barkhane is a French regional counterterrorism operation (4,000-strong)"),
             s("HRW")],
            [s("United States"), .null, s(other), s("state: support to the French-led mission"),
             .null, .null, .null, .null, .null, s("Niger"),
             s("support the French-led mission to combat extremism"),
             .null, s("cut off funding to the central government after the 2012 coup; established a drone base in neighboring Niger (March 2013) to provide reconnaissance to France and other partners"),
             s("briefing")],
        ]) }

    public static var missions: Table { Table(
        schema: Schema([
            Field("name", .string), Field("lead", .string), Field("kind", .string), Field("deployed", .date),
            Field("deployed_qualifier", .string), Field("location", .string), Field("personnel", .int),
            Field("personnel_qualifier", .string), Field("purpose", .string), Field("source", .string),
        ]),
        rows: [
            [s("UN Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)"), s("United Nations"),
             s("peacekeeping mission"), month(2013, 4), .null, s("Mali"), i(13000), s("over"),
             s("combat extremism in the region; called the UN’s most dangerous mission"), s("briefing")],
            [s("G5 Sahel military missions"), s("G5 Sahel countries"), s("military missions"), month(2013, 4), .null,
             s("Mali, Burkina Faso, Chad, Mauritania and Niger"), .null, .null,
             s("combat extremism in the region"), s("briefing")],
            [s("French military intervention in Mali"), s("France"), s("military intervention"), year(2013), s("early"),
             s("Mali"), .null, .null, s("resist Islamist fighters who had hijacked a Tuareg uprising"), s("briefing")],
            [s("Operation Barkhane"), s("France"), s("regional counterterrorism operation"), .null, .null,
             s("Sahel"), i(4000), .null,
             s("protect civilians and aid local military efforts"), s("HRW")],
            [s("US drone base in Niger"), s("United States"), s("drone base"), month(2013, 3), .null,
             s("Niger"), .null, .null,
             s("provide reconnaissance to France and other partners in the region"), s("briefing")],
        ]) }

    public static var funding: Table { Table(
        schema: Schema([
            Field("donor", .string), Field("recipient", .string), Field("amount_usd", .int), Field("kind", .string),
            Field("year", .int), Field("source", .string),
        ]),
        rows: [
            [s("European Union"), s("G5 Sahel Joint Force"), i(56_000_000), s("pledge"), .null, s("HRW")],
            [s("United States"), s("G5 Sahel Joint Force"), i(60_000_000), s("pledge"), .null, s("HRW")],
            [s("Saudi Arabia"), s("G5 Sahel Joint Force"), i(100_000_000), s("pledge"), .null, s("HRW")],
            [s("United States"), s("Government of Mali"), .null, s("cut off"), i(2012), s("briefing")],
        ]) }

    public static var figures: Table { Table(
        schema: Schema([
            Field("indicator", .string), Field("value", .int), Field("qualifier", .string), Field("as_of", .date),
            Field("as_of_qualifier", .string), Field("period", .string), Field("source", .string),
        ]),
        rows: [
            [s("Malian refugees"), i(140_100), s("estimated"), year(2018), s("late"), .null, s("CFR")],
            [s("internally displaced persons"), i(51_960), s("approximately"), year(2018), s("late"), .null, s("CFR")],
            [s("peacekeepers working in Mali"), i(13_000), s("over"), .null, .null, .null, s("briefing")],
            [s("peacekeepers killed"), i(118), .null, .null, .null, s("past four years"), s("Washington Post")],
            [s("French soldiers deployed by Operation Barkhane"), i(1_600), s("roughly"), .null, .null, .null, s("briefing")],
            [s("Operation Barkhane strength"), i(4_000), .null, .null, .null, .null, s("HRW")],
            [s("lives affected by floods"), i(3_000_000), s("over"), .null, .null, s("last five years"), s("briefing")],
            [s("G5 Sahel member countries"), i(5), .null, .null, .null, .null, s("briefing")],
        ]) }

    /// The briefing's dated facts, each with the record's date beside it where a record was
    /// checked: `recorded_date`, `record_source` (where it was read) and `record_note` (whether
    /// the record agrees). The briefing's `date` is never changed: where the record contradicts
    /// it (the peace agreement, 2017 in the briefing, signed in May and June 2015), both show.
    public static var timeline: Table {
        let ansarDine = "https://www.state.gov/j/ct/rls/other/des/266575.htm"
        let agreement = "https://en.wikipedia.org/wiki/Algiers_Accords_(2015)"
        let minusma = "http://www.theinfolist.com/html/ALL/s/A/Algiers_Agreement_(2015).html"
        let founded = "https://www.un.org/sc/suborg/fr/sanctions/1267/aq_sanctions_list/summaries/entity/ansar-eddine"
        func record(_ date: DateValue, _ note: String, _ url: String) -> [Value] { [.date(date), .string(note), .string(url)] }
        let unchecked: [Value] = [.null, .null, .null]
        let rows: [[Value]] = [
            [month(2011, 10), .null, s("MNLA formed"), list(["MNLA"]), s("briefing")] + unchecked,
            [month(2011, 12), .null, s("Ansar Dine founded"), list(["Ansar Dine"]), s("briefing")]
                + record(DateValue(year: 2011, month: 12, precision: .month)!, "agrees: created in December 2011 (UN QDe.135)", founded),
            [year(2012), .null, s("separatist uprising prompts the overthrow of the president (2012 coup)"),
             list(["Ansar Dine"]), s("briefing")] + unchecked,
            [year(2012), .null, s("United States cuts off funding to the central government after the coup"),
             list(["United States"]), s("briefing")] + unchecked,
            [year(2013), s("early"), s("foreign military intervention into Mali; France launches a military intervention"),
             list(["France"]), s("briefing")] + unchecked,
            [year(2013), .null, s("United States designates Ansar Dine an FTO"), list(["United States", "Ansar Dine"]), s("briefing")]
                + record(DateValue(year: 2013, month: 3, day: 21)!, "agrees: State Department designation of 21 March 2013", ansarDine),
            [month(2013, 3), .null, s("United States establishes a drone base in Niger"), list(["United States"]), s("briefing")] + unchecked,
            [month(2013, 4), .null, s("MINUSMA and missions led by G5 Sahel countries deployed"),
             list(["MINUSMA", "G5 Sahel Joint Force"]), s("briefing")]
                + record(DateValue(year: 2013, month: 4, day: 25)!,
                         "agrees for MINUSMA: established on 25 April 2013 by Security Council resolution 2100; the G5 Sahel's date not checked", minusma),
            [year(2017), .null, s("Peace and Reconciliation agreement"), .null, s("briefing")]
                + record(DateValue(year: 2015, month: 5, day: 15)!,
                         "contradicts: the Agreement for Peace and Reconciliation in Mali was signed in Bamako on 15 May and 20 June 2015", agreement),
            [year(2018), s("late"), s("an estimated 140,100 Malian refugees and approximately 51,960 internally displaced persons"),
             .null, s("CFR")] + unchecked,
        ]
        return Table(
            schema: Schema([
                Field("date", .date), Field("date_qualifier", .string), Field("event", .string),
                Field("actors", .list(.string)), Field("source", .string),
                Field("recorded_date", .date), Field("record_note", .string), Field("record_source", .string),
            ]),
            rows: rows)
    }

    public static var countries: Table { Table(
        schema: Schema([
            Field("name", .string), Field("g5_member", .bool), Field("roles", .list(.string)), Field("source", .string),
        ]),
        rows: [
            [s("Mali"), .bool(true), list(["G5 Sahel member", "conflict country", "government AQIM deems traitor"]), s("briefing")],
            [s("Burkina Faso"), .bool(true), list(["G5 Sahel member"]), s("briefing")],
            [s("Chad"), .bool(true), list(["G5 Sahel member"]), s("briefing")],
            [s("Mauritania"), .bool(true), list(["G5 Sahel member", "government AQIM deems traitor"]), s("briefing")],
            [s("Niger"), .bool(true), list(["G5 Sahel member", "host of the US drone base"]), s("briefing")],
            [s("Algeria"), .bool(false), list(["government AQIM deems traitor"]), s("briefing")],
            [s("Libya"), .bool(false), list(["government AQIM deems traitor"]), s("briefing")],
            [s("Morocco"), .bool(false), list(["government AQIM deems traitor"]), s("briefing")],
            [s("Tunisia"), .bool(false), list(["government AQIM deems traitor"]), s("briefing")],
            [s("France"), .bool(false), list(["leads Operation Barkhane", "military intervention in Mali"]), s("HRW")],
            [s("United States"), .bool(false), list(["designates FTO and SDGT groups", "G5 Sahel donor", "drone base in Niger"]), s("briefing")],
            [s("Saudi Arabia"), .bool(false), list(["G5 Sahel donor"]), s("HRW")],
        ]) }

    /// The humanitarian and security concerns the briefing states without a figure.
    public static var concerns: Table { Table(
        schema: Schema([
            Field("concern", .string), Field("kind", .string), Field("detail", .string), Field("area", .string),
            Field("source", .string),
        ]),
        rows: [
            [s("human trafficking"), s("humanitarian"),
             s("Mali is a source, transit and destination country for men, women and children subjected to forced labor and sex trafficking"),
             s("Mali"), s("briefing")],
            [s("taxing of trafficking and smuggling routes"), s("humanitarian and security"),
             s("militant groups in the Sahel region often tax the trafficking and smuggling routes"),
             s("Sahel"), s("briefing")],
            [s("attacks on aid delivery"), s("humanitarian"),
             s("humanitarian agencies’ ability to deliver aid is severely hampered by attacks by local bandits"),
             s("Mali"), s("HRW")],
            [s("peacekeeper deaths"), s("security"),
             s("MINUSMA is the world body’s deadliest ongoing peace operation"),
             s("Mali"), s("Washington Post")],
            [s("attacks on peacekeepers"), s("security"),
             s("MINUSMA has been called the UN’s most dangerous mission due to the high number of attacks on peacekeepers"),
             s("Mali"), s("briefing")],
            [s("food shortages"), s("humanitarian"),
             s("pervasive food shortages throughout Africa’s Sahel region"),
             s("Sahel"), s("briefing")],
            [s("floods"), s("humanitarian"),
             s("the highest number of floods registered in Mali’s recent history"),
             s("Mali"), s("briefing")],
            [s("terrorism and instability"), s("security"),
             s("despite the Peace and Reconciliation agreement (2017) and other international mediation efforts, terrorism and instability continue to run rampant across the region"),
             s("Sahel"), s("briefing")],
        ]) }
}
