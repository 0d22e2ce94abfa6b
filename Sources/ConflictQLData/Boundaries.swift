// Country outlines for `country_of` and for maps: Natural Earth's 10m admin-0 countries
// (public domain) for Mali, Burkina Faso, Niger and their neighbours, simplified as one
// coverage (BoundaryData.swift, made by Tests/Geo/make_boundaries.py), read once on first use.
// A point is in a country when a ray from it crosses the country's rings an odd number of
// times; a point outside every outline kept here has no country (null), which is also the
// answer for the rest of the world. On a border, within the simplification (0.02°, about 2 km),
// the answer may be either neighbour: see Reference's note on country_of. The first-level
// regions (RegionData.swift, made by Tests/Geo/make_regions.py from Natural Earth's admin-1
// borders, named by GeoNames) answer `admin_of` the same way, within the country `country_of` gives.

public enum Boundaries {
    public struct Country: Sendable {
        public let code: String
        public let name: String
        /// Rings of (longitude, latitude), outsides and holes alike.
        public let rings: [[(longitude: Double, latitude: Double)]]
        /// west, south, east, north.
        public let box: (west: Double, south: Double, east: Double, north: Double)
    }

    public static let source = "Natural Earth 10m admin-0 countries 5.1.1 (public domain), simplified to 0.02°"

    /// A first-level region (admin-1): its country's ISO code and its name as GeoNames writes it.
    public struct Region: Sendable {
        public let countryCode: String
        public let name: String
        public let rings: [[(longitude: Double, latitude: Double)]]
        public let box: (west: Double, south: Double, east: Double, north: Double)
    }

    public static let regionSource = "Natural Earth 10m admin-1 (public domain) named by GeoNames (CC BY 4.0), simplified to 0.02°"

    public static let countries: [Country] = parse(outlineText).map {
        Country(code: $0.code, name: $0.name, rings: $0.rings, box: $0.box)
    }

    /// The regions of every country kept, from RegionData.swift (made by Tests/Geo/make_regions.py).
    public static let regions: [Region] = parse(regionText).map {
        Region(countryCode: $0.code, name: $0.name, rings: $0.rings, box: $0.box)
    }

    package typealias Ring = [(longitude: Double, latitude: Double)]
    package typealias Box = (west: Double, south: Double, east: Double, north: Double)
    typealias Shape = (code: String, name: String, rings: [Ring], box: Box)

    /// Reads lines of 'CODE|name' each opening a ring, then lines of 'lon,lat' pairs; the rings
    /// of one code and name in a row are one shape.
    static func parse(_ text: String) -> [Shape] {
        var result: [Shape] = []
        var code = "", name = ""
        var rings: [Ring] = []
        func finish() {
            guard !code.isEmpty else { return }
            let points = rings.flatMap { $0 }
            let box = (west: points.map(\.longitude).min() ?? 0, south: points.map(\.latitude).min() ?? 0,
                       east: points.map(\.longitude).max() ?? 0, north: points.map(\.latitude).max() ?? 0)
            result.append((code, name, rings, box))
            rings = []
        }
        for line in text.split(separator: "\n") {
            if let bar = line.firstIndex(of: "|") {
                let nextCode = String(line[..<bar]), nextName = String(line[line.index(after: bar)...])
                if nextCode != code || nextName != name { finish(); code = nextCode; name = nextName }
                rings.append([])
                continue
            }
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: ",")
                guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]), !rings.isEmpty else { continue }
                rings[rings.count - 1].append((x, y))
            }
        }
        finish()
        return result
    }

    /// The country whose outline holds the point, or nil.
    public static func country(latitude: Double, longitude: Double) -> Country? {
        guard latitude.isFinite, longitude.isFinite else { return nil }
        return countries.first { contains($0.rings, $0.box, latitude: latitude, longitude: longitude) }
    }

    /// The first-level region of the point: among the regions of the country `country(...)`
    /// gives (so the two never disagree), the one whose outline holds it, or, for a point in the
    /// country but in none of its regions' simplified outlines (within about 2 km of a border),
    /// the nearest. Nil where there is no country.
    public static func region(latitude: Double, longitude: Double) -> Region? {
        guard let country = country(latitude: latitude, longitude: longitude) else { return nil }
        let own = regionsByCountry[country.code] ?? []
        if let region = own.first(where: { contains($0.rings, $0.box, latitude: latitude, longitude: longitude) }) { return region }
        return own.min { distance($0.rings, latitude, longitude) < distance($1.rings, latitude, longitude) }
    }

    /// A region by its name (folded: case, accents, a trailing "region", "province", ...), for maps.
    public static func region(named name: String) -> Region? { regionsByName[foldedRegionName(name)] }

    /// A country by its name or ISO code, in any case (UCDP's "Ivory Coast" too).
    public static func country(named name: String) -> Country? {
        let folded = foldedRegionName(name)
        return countries.first { foldedRegionName($0.name) == folded || $0.code.lowercased() == folded }
            ?? (folded == "ivory coast" ? countries.first { $0.code == "CIV" } : nil)
    }

    /// A name compared without case, accents, apostrophes' forms, hyphens or a trailing word
    /// UCDP adds ("Tombouctou region", "Borno state"): how a result's region names find ours.
    public static func foldedRegionName(_ name: String) -> String {
        var text = String(name.lowercased().map { character -> Character in
            if character == "-" { return " " }
            if character == "’" || character == "`" { return "'" }
            return unaccented[character] ?? character
        })
        for suffix in levelWords where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        text = text.split(separator: " ").joined(separator: " ")
        return aliases[text] ?? text
    }

    /// The level a source may write after a region's name.
    static let levelWords = [" region", " province", " state", " district", " governorate", " prefecture", " department", " wilaya"]

    /// Latin letters with accents, without them (no Foundation in this layer for a full folding).
    static let unaccented: [Character: Character] = {
        var table: [Character: Character] = [:]
        let letters = [("a", "àáâãäå"), ("c", "çć"), ("e", "èéêë"), ("i", "ìíîï"), ("n", "ñ"), ("o", "òóôõö"),
                       ("u", "ùúûü"), ("y", "ýÿ"), ("s", "şš"), ("g", "ğ")]
        for (plain, accented) in letters {
            for character in accented { table[character] = Character(plain) }
        }
        return table
    }()

    /// Other names of the same regions: English and French exonyms a source may write.
    static let aliases = ["timbuktu": "tombouctou", "hauts bassins": "high basins", "sud ouest": "southwest"]

    static let regionsByCountry: [String: [Region]] = Dictionary(grouping: regions, by: \.countryCode)

    static let regionsByName: [String: Region] = {
        var names: [String: Region] = [:]
        for region in regions where names[foldedRegionName(region.name)] == nil { names[foldedRegionName(region.name)] = region }
        return names
    }()

    /// Whether a ray from the point crosses the rings an odd number of times.
    package static func contains(_ rings: [Ring], _ box: Box, latitude: Double, longitude: Double) -> Bool {
        guard longitude >= box.west, longitude <= box.east, latitude >= box.south, latitude <= box.north else { return false }
        var inside = false
        for ring in rings where ring.count > 2 {
            var j = ring.count - 1
            for i in ring.indices {
                let (xi, yi) = ring[i], (xj, yj) = ring[j]
                if (yi > latitude) != (yj > latitude), longitude < (xj - xi) * (latitude - yi) / (yj - yi) + xi {
                    inside.toggle()
                }
                j = i
            }
        }
        return inside
    }

    /// The least distance in degrees (planar, enough to choose among neighbours a few km away)
    /// from the point to the rings' edges.
    static func distance(_ rings: [Ring], _ latitude: Double, _ longitude: Double) -> Double {
        var least = Double.infinity
        for ring in rings where ring.count > 1 {
            for i in 1..<ring.count {
                let (x0, y0) = ring[i - 1], (x1, y1) = ring[i]
                let dx = x1 - x0, dy = y1 - y0, length = dx * dx + dy * dy
                let t = length > 0 ? Swift.max(0, Swift.min(1, ((longitude - x0) * dx + (latitude - y0) * dy) / length)) : 0
                let ex = x0 + t * dx - longitude, ey = y0 + t * dy - latitude
                least = Swift.min(least, ex * ex + ey * ey)
            }
        }
        return least.squareRoot()
    }
}
