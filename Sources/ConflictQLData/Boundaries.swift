// Country outlines for `country_of` and for maps: Natural Earth's 10m admin-0 countries
// (public domain) for Mali, Burkina Faso, Niger and their neighbours, simplified as one
// coverage (BoundaryData.swift, made by Tests/Geo/make_boundaries.py), read once on first use.
// A point is in a country when a ray from it crosses the country's rings an odd number of
// times; a point outside every outline kept here has no country (null), which is also the
// answer for the rest of the world. On a border, within the simplification (0.02°, about 2 km),
// the answer may be either neighbour: see Reference's note on country_of.

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

    public static let countries: [Country] = {
        var result: [Country] = []
        var code = "", name = ""
        var rings: [[(longitude: Double, latitude: Double)]] = []
        func finish() {
            guard !code.isEmpty else { return }
            let points = rings.flatMap { $0 }
            let box = (west: points.map(\.longitude).min() ?? 0, south: points.map(\.latitude).min() ?? 0,
                       east: points.map(\.longitude).max() ?? 0, north: points.map(\.latitude).max() ?? 0)
            result.append(Country(code: code, name: name, rings: rings, box: box))
            rings = []
        }
        for line in outlineText.split(separator: "\n") {
            if let bar = line.firstIndex(of: "|") {
                let nextCode = String(line[..<bar])
                if nextCode != code { finish(); code = nextCode; name = String(line[line.index(after: bar)...]) }
                rings.append([])
                continue
            }
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: ",")
                guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]) else { continue }
                rings[rings.count - 1].append((x, y))
            }
        }
        finish()
        return result
    }()


    /// The country whose outline holds the point, or nil.
    public static func country(latitude: Double, longitude: Double) -> Country? {
        guard latitude.isFinite, longitude.isFinite else { return nil }
        for country in countries {
            let box = country.box
            guard longitude >= box.west, longitude <= box.east, latitude >= box.south, latitude <= box.north else { continue }
            var inside = false
            for ring in country.rings where ring.count > 2 {
                var j = ring.count - 1
                for i in ring.indices {
                    let (xi, yi) = ring[i], (xj, yj) = ring[j]
                    if (yi > latitude) != (yj > latitude), longitude < (xj - xi) * (latitude - yi) / (yj - yi) + xi {
                        inside.toggle()
                    }
                    j = i
                }
            }
            if inside { return country }
        }
        return nil
    }
}
