// Places and distances: great-circle distances on a sphere, a radius and a box around a point,
// the PRIO-GRID cell UCDP codes each event into, cells of other sizes, and the country and
// first-level region whose outlines hold a point. A coordinate that is null, or a latitude outside -90...90 or a
// longitude outside -180...180, gives null: a wrong place is worse than none.
//
// The distance is the haversine formula on a sphere of the WGS84 mean radius, 6371.0088 km
// (the IUGG's R1 = (2a + b) / 3), computed by the same operations in the engine and in SQL:
// degrees times π over 180, and the square root's argument capped at 1. On the ellipsoid the
// true geodesic differs by up to about 0.5 % (0.51 % over the places table's pairs): a great-circle
// distance for questions of tens and hundreds of km, not a surveyor's. A point may be a place's name from the `places` table written
// in the query (`within_km(latitude, longitude, "Gao", 50)`), resolved when the query is
// checked, with a "did you mean" when it is not a known place.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ScalarFunction {
    static let places: [ScalarFunction] = [distance_km, within_km, in_bbox, priogrid, grid, country_of, admin_of]

    /// The WGS84 mean radius (IUGG R1), in kilometres.
    public static let earthRadiusKilometres = 6371.0088

    public static let distance_km = ScalarFunction(
        "distance_km", family: .places, signature: "distance_km(LAT1, LON1, LAT2, LON2) or distance_km(LAT, LON, PLACE) -> Float",
        meaning: "the great-circle distance in km: haversine on a sphere of the WGS84 mean radius 6371.0088 km (up to about 0.5 % off the"
            + " WGS84 ellipsoid's geodesic); PLACE is a name from the places table",
        example: "round(distance_km(12.60915, -7.97522, \"Gao\"), 1)",
        arity: 3...4, usage: "distance_km(LATITUDE, LONGITUDE, LATITUDE, LONGITUDE) or distance_km(LATITUDE, LONGITUDE, \"Gao\")",
        forms: [CallForm([.of(.float), .of(.float), .of(.float), .of(.float)], .float),
                CallForm([.of(.int), .of(.float), .of(.int), .of(.float)], .float)],
        check: { call in
            try checkPoints(&call, placeAt: 2, count: 3)
            return .float
        },
        evaluation: .columns { call in
            let (first, second) = pointColumns(call, placeAt: 2, count: 3)
            return try overPoints(call, [first.0, first.1, second.0, second.1], .float) { v in
                .float(haversine(v[0], v[1], v[2], v[3]))
            }
        },
        sql: { call throws(SQLError) in
            let (a, b) = try pointSQL(call, placeAt: 2, count: 3)
            return try guarded(call, [a, b]) { haversineSQL(a, b) }
        },
        appendedCount: { types in types.count == 5 && types[2] == .string ? 2 : 0 })

    public static let within_km = ScalarFunction(
        "within_km", family: .places, signature: "within_km(LAT, LON, LAT0, LON0, KM) or within_km(LAT, LON, PLACE, KM) -> Bool",
        meaning: "whether the point is at most KM from the other (by distance_km); PLACE is a name from the places table",
        example: "within_km(16.0, 0.5, \"Gao\", 100)",
        arity: 4...5, usage: "within_km(LATITUDE, LONGITUDE, \"Gao\", 50) or within_km(LATITUDE, LONGITUDE, LATITUDE, LONGITUDE, KM)",
        forms: [CallForm([.of(.float), .of(.float), .of(.float), .of(.float), .of(.float)], .bool),
                CallForm([.of(.float), .of(.float), .of(.float), .of(.float), .of(.int)], .bool)],
        check: { call in
            try checkPoints(&call, placeAt: 2, count: 4)
            let km = call.count - 1
            try call.expect(km, "a distance in km (a number)") { $0.isNumeric }
            call.widen([km], to: .float)
            return .bool
        },
        evaluation: .columns { call in
            let (first, second) = pointColumns(call, placeAt: 2, count: 4)
            let km = call.columns.count == 5 ? call.columns[4] : call.columns[3]
            return try overPoints(call, [first.0, first.1, second.0, second.1, km], .bool) { v in
                .bool(haversine(v[0], v[1], v[2], v[3]) <= v[4])
            }
        },
        sql: { call throws(SQLError) in
            let (a, b) = try pointSQL(call, placeAt: 2, count: 4)
            let km = try call.argument(call.count == 5 && call.types[2] != .string ? 4 : 3, as: .float)
            return try guarded(call, [a, b]) { "(\(haversineSQL(a, b)) <= \(km))" }
        },
        appendedCount: { types in types.count == 6 && types[2] == .string ? 2 : 0 })

    public static let in_bbox = ScalarFunction(
        "in_bbox", family: .places, signature: "in_bbox(LAT, LON, SOUTH, WEST, NORTH, EAST) -> Bool",
        meaning: "whether the point is in the box, edges included; a WEST east of EAST crosses the 180th meridian",
        example: "in_bbox(16.27, -0.04, 10, -12.5, 25, 4.5)",
        arity: 6...6, usage: "in_bbox(LATITUDE, LONGITUDE, SOUTH, WEST, NORTH, EAST)",
        forms: [CallForm([.of(.float), .of(.float), .of(.float), .of(.float), .of(.float), .of(.float)], .bool),
                CallForm([.of(.float), .of(.float), .of(.int), .of(.int), .of(.int), .of(.int)], .bool)],
        check: { call in
            let words = ["a latitude", "a longitude", "the south edge's latitude", "the west edge's longitude",
                         "the north edge's latitude", "the east edge's longitude"]
            for i in 0..<6 { try call.expect(i, "\(words[i]) (a number)") { $0.isNumeric } }
            call.widen(Array(0..<6), to: .float)
            return .bool
        },
        evaluation: .columns { call in
            try overPoints(call, Array(call.columns.prefix(6)), .bool) { v in
                let (lat, lon, south, west, north, east) = (v[0], v[1], v[2], v[3], v[4], v[5])
                let inLongitude = west <= east ? (lon >= west && lon <= east) : (lon >= west || lon <= east)
                return .bool(lat >= south && lat <= north && inLongitude)
            }
        },
        sql: { call throws(SQLError) in
            let a = try (0..<6).map { i throws(SQLError) in try call.argument(i, as: .float) }
            let longitude = "(CASE WHEN \(a[3]) <= \(a[5]) THEN \(a[1]) >= \(a[3]) AND \(a[1]) <= \(a[5])"
                + " ELSE \(a[1]) >= \(a[3]) OR \(a[1]) <= \(a[5]) END)"
            return try guarded(call, [(a[0], a[1])], others: [a[2], a[3], a[4], a[5]]) {
                "(\(a[0]) >= \(a[2]) AND \(a[0]) <= \(a[4]) AND \(longitude))"
            }
        })

    public static let priogrid = ScalarFunction(
        "priogrid", family: .places, signature: "priogrid(LAT, LON) -> Int",
        meaning: "the PRIO-GRID cell as UCDP's priogrid_gid codes it: 0.5° cells numbered from 1 at (-90, -180), row by row of 720"
            + " eastward; a point on a border is in the cell north and east of it (the 90th parallel and 180th meridian in the last)",
        example: "priogrid(16.27167, -0.04472)",
        arity: 2...2, usage: "priogrid(LATITUDE, LONGITUDE)",
        forms: [CallForm([.of(.float), .of(.float)], .int), CallForm([.of(.int), .of(.int)], .int)],
        check: { call in
            try checkCoordinates(&call, 0)
            return .int
        },
        evaluation: .columns { call in
            try overPoints(call, [call.columns[0], call.columns[1]], .int) { v in
                // Doubling is exact in binary floating point, so a border is never missed by rounding.
                let row = Swift.min(359, (v[0] * 2).rounded(.down) + 180)
                let column = Swift.min(719, (v[1] * 2).rounded(.down) + 360)
                return .int(Int64(row) * 720 + Int64(column) + 1)
            }
        },
        sql: { call throws(SQLError) in
            let lat = try call.argument(0, as: .float), lon = try call.argument(1, as: .float), int = try call.dialect.typeName(.int)
            return try guarded(call, [(lat, lon)]) {
                "(CAST(LEAST(359, FLOOR(\(lat) * 2) + 180) AS \(int)) * 720 + CAST(LEAST(719, FLOOR(\(lon) * 2) + 360) AS \(int)) + 1)"
            }
        })

    public static let grid = ScalarFunction(
        "grid", family: .places, signature: "grid(LAT, LON, DEGREES) -> Int",
        meaning: "the cell of a grid of DEGREES-sized cells numbered as PRIO-GRID's (from 1 at (-90, -180), row by row of"
            + " ceil(360 / DEGREES)); DEGREES from 0.01 to 180, written in the query",
        example: "grid(16.27167, -0.04472, 1)",
        arity: 3...3, usage: "grid(LATITUDE, LONGITUDE, DEGREES)",
        forms: [CallForm([.of(.float), .of(.float), .size(.float)], .int)],
        check: { call in
            try checkCoordinates(&call, 0)
            try call.expect(2, "a cell size in degrees (a number)") { $0.isNumeric }
            let size: Double
            switch try call.constant(2, .gridSizeNotConstant) {
            case .int(let n): size = Double(n)
            case .float(let x): size = x
            default: throw call.error(.gridSizeNotConstant, at: 2)
            }
            guard size >= 0.01, size <= 180 else {
                throw call.error(.gridSizeOutOfRange, at: 2,
                                 help: "PRIO-GRID's is 0.5: priogrid(lat, lon)")
            }
            // Appended as a Float, so the kernel and the SQL read one constant whatever was written.
            call.appended.append((.float(size), .float))
            return .int
        },
        evaluation: .columns { call in
            guard call.scalars.count == 4, case .float(let size)? = call.scalars[3] else { return call.nulls() }
            let columns = Int64((360 / size).rounded(.up)), rows = (180 / size).rounded(.up)
            return try overPoints(call, [call.columns[0], call.columns[1]], .int) { v in
                let row = Swift.min(rows - 1, ((v[0] + 90) / size).rounded(.down))
                let column = Swift.min(Double(columns - 1), ((v[1] + 180) / size).rounded(.down))
                return .int(Int64(row) * columns + Int64(column) + 1)
            }
        },
        sql: { call throws(SQLError) in
            guard call.count == 4, case .float(let size)? = call.constants[3] else {
                return "CAST(NULL AS \(try call.dialect.typeName(.int)))"
            }
            let lat = try call.argument(0, as: .float), lon = try call.argument(1, as: .float), int = try call.dialect.typeName(.int)
            let columns = Int64((360 / size).rounded(.up)), rows = Int64((180 / size).rounded(.up))
            let d = try call.argument(3, as: .float)
            return try guarded(call, [(lat, lon)]) {
                "(CAST(LEAST(\(rows - 1), FLOOR((\(lat) + 90) / \(d))) AS \(int)) * \(columns)"
                    + " + CAST(LEAST(\(columns - 1), FLOOR((\(lon) + 180) / \(d))) AS \(int)) + 1)"
            }
        },
        appendedCount: { types in types.count == 4 ? 1 : 0 })

    public static let country_of = ScalarFunction(
        "country_of", family: .places, signature: "country_of(LAT, LON) -> String",
        meaning: "the country whose outline holds the point, among Mali, Burkina Faso, Niger and their neighbours (Natural Earth"
            + " 10m, simplified to 0.02°: a point within about 2 km of a border may get either side); null elsewhere",
        example: "country_of(16.27167, -0.04472)",
        arity: 2...2, usage: "country_of(LATITUDE, LONGITUDE)",
        forms: [CallForm([.of(.float), .of(.float)], .string)],
        check: { call in
            try checkCoordinates(&call, 0)
            return .string
        },
        evaluation: .columns { call in
            try overPoints(call, [call.columns[0], call.columns[1]], .string) { v in
                Boundaries.country(latitude: v[0], longitude: v[1]).map { .string($0.name) } ?? .null
            }
        },
        sql: { call throws(SQLError) in
            throw call.refuse("country_of() (a lookup in the country outlines ConflictQL ships; join a table of regions instead)")
        })

    public static let admin_of = ScalarFunction(
        "admin_of", family: .places, signature: "admin_of(LAT, LON) -> String",
        meaning: "the first-level region (admin-1) whose outline holds the point, within the country country_of gives: Natural Earth"
            + " 10m admin-1 borders named by GeoNames, Mali's frame before 2016 (Ménaka in Gao, Taoudénit in Tombouctou); null elsewhere",
        example: "admin_of(16.27167, -0.04472)",
        arity: 2...2, usage: "admin_of(LATITUDE, LONGITUDE)",
        forms: [CallForm([.of(.float), .of(.float)], .string)],
        check: { call in
            try checkCoordinates(&call, 0)
            return .string
        },
        evaluation: .columns { call in
            try overPoints(call, [call.columns[0], call.columns[1]], .string) { v in
                Boundaries.region(latitude: v[0], longitude: v[1]).map { .string($0.name) } ?? .null
            }
        },
        sql: { call throws(SQLError) in
            throw call.refuse("admin_of() (a point-in-polygon lookup in the region outlines ConflictQL ships, which plain SQL"
                              + " cannot say; join a table of regions instead)")
        })

    // MARK: Checking

    /// Arguments `index` and `index + 1` are a latitude and a longitude, widened to Floats.
    static func checkCoordinates(_ call: inout FunctionCheck, _ index: Int) throws {
        try call.expect(index, "a latitude (a number)") { $0.isNumeric }
        try call.expect(index + 1, "a longitude (a number)") { $0.isNumeric }
        call.widen([index, index + 1], to: .float)
    }

    /// Two points: a latitude and a longitude, then either another two or, at `placeAt` when the
    /// call has `count` arguments, a place's name written in the query, whose coordinates are
    /// appended to the call.
    static func checkPoints(_ call: inout FunctionCheck, placeAt: Int, count: Int) throws {
        try checkCoordinates(&call, 0)
        if call.count == count {
            guard call.types[placeAt] == .string else {
                throw call.error(.placeOrCoordinates(call.function.name, found: call.types[placeAt]), at: placeAt,
                                 help: "write: \(call.function.usage)")
            }
            let written = DiagnosticMessage.placeNotConstant(call.function.name)
            guard case .string(let name) = try call.constant(placeAt, written) else { throw call.error(written, at: placeAt) }
            guard let place = Places.named(name) else {
                throw call.error(.unknownPlace(name), at: placeAt,
                                 help: closestName(to: name, in: Places.names).map { "did you mean '\($0)'?" }
                                     ?? "places are \(Places.all.map(\.name).joined(separator: ", "))")
            }
            call.appended.append((.float(place.latitude), .float))
            call.appended.append((.float(place.longitude), .float))
        } else {
            try checkCoordinates(&call, placeAt)
        }
    }

    // MARK: Computing

    /// The two points' columns: the first two arguments, and the next two or a place's appended.
    static func pointColumns(_ call: KernelCall, placeAt: Int, count: Int) -> ((Column, Column), (Column, Column)) {
        let c = call.columns
        if c[placeAt].type == .string {
            return ((c[0], c[1]), (c[count], c[count + 1]))
        }
        return ((c[0], c[1]), (c[placeAt], c[placeAt + 1]))
    }

    /// `body` over rows whose every value is a finite number, with each point's latitude in
    /// -90...90 and longitude in -180...180 (the first four values are two points; a box's
    /// edges are checked as numbers only); null elsewhere.
    static func overPoints(_ call: KernelCall, _ columns: [Column], _ type: DataType, _ body: ([Double]) -> Value) throws -> Column {
        let values: [[Double]?] = columns.map { column in
            if case .float(let v) = column.storage { return v } else { return nil }
        }
        var builder = ColumnBuilder(type: type, capacity: call.rowCount)
        var row = [Double](repeating: 0, count: columns.count)
        let pointValues = Swift.min(4, columns.count) & ~1
        for r in 0..<call.rowCount {
            try call.poll(r)
            var valid = true
            for i in columns.indices {
                guard let v = values[i], !columns[i].isNull(r), v[r].isFinite else { valid = false; break }
                row[i] = v[r]
            }
            if valid {
                for i in Swift.stride(from: 0, to: pointValues, by: 2) where Swift.abs(row[i]) > 90 || Swift.abs(row[i + 1]) > 180 {
                    valid = false
                }
            }
            builder.append(valid ? body(row) : .null)
        }
        return builder.finish()
    }

    /// The haversine distance in km, in the same order of operations as its SQL.
    static func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        func radians(_ degrees: Double) -> Double { degrees * Double.pi / 180 }
        let dLat = sin(radians(lat2 - lat1) / 2), dLon = sin(radians(lon2 - lon1) / 2)
        let h = Swift.min(1, dLat * dLat + cos(radians(lat1)) * cos(radians(lat2)) * (dLon * dLon))
        return 2 * earthRadiusKilometres * asin(h.squareRoot())
    }

    // MARK: SQL

    /// The two points' SQL: the first two arguments, and the next two or the place's appended.
    static func pointSQL(_ call: SQLFunctionCall, placeAt: Int, count: Int)
        throws(SQLError) -> ((String, String), (String, String)) {
        let first = (try call.argument(0, as: .float), try call.argument(1, as: .float))
        if call.types[placeAt] == .string {
            return (first, (try call.argument(count, as: .float), try call.argument(count + 1, as: .float)))
        }
        return (first, (try call.argument(placeAt, as: .float), try call.argument(placeAt + 1, as: .float)))
    }

    static func haversineSQL(_ a: (String, String), _ b: (String, String)) -> String {
        func radians(_ degrees: String) -> String { "(\(degrees)) * ACOS(-1) / 180" }
        let dLat = "SIN(\(radians("\(b.0) - \(a.0)")) / 2)", dLon = "SIN(\(radians("\(b.1) - \(a.1)")) / 2)"
        let h = "\(dLat) * \(dLat) + COS(\(radians(a.0))) * COS(\(radians(b.0))) * (\(dLon) * \(dLon))"
        return "(2 * \(earthRadiusKilometres) * ASIN(SQRT(LEAST(1, \(h)))))"
    }

    /// `exact` where every point is in range and every other value is not null; null elsewhere
    /// (LEAST passes over nulls in some dialects, so nothing reaches it unguarded).
    static func guarded(_ call: SQLFunctionCall, _ points: [(String, String)], others: [String] = [],
                        _ exact: () throws(SQLError) -> String) throws(SQLError) -> String {
        var conditions = points.map { "\($0.0) BETWEEN -90 AND 90 AND \($0.1) BETWEEN -180 AND 180" }
        conditions += others.map { "\($0) IS NOT NULL" }
        return "(CASE WHEN \(conditions.joined(separator: " AND ")) THEN \(try exact()) END)"
    }
}
