// Places and distances against independent answers: UCDP's own priogrid_gid on every event of
// the GED 23.1 sample (Fixtures/ucdp_points.csv), GeographicLib's geodesic on a sphere of the
// same radius for distances, UCDP's country and adm_1 for the events inside the outlines
// ConflictQL ships, and the briefing's places in the regions their names say.

import ConflictQL
import XCTest

final class GeoFunctionTests: XCTestCase {
    let points = "load \"Tests/ConflictQLTests/Fixtures/ucdp_points.csv\" as u\n"

    override func setUp() {
        _ = FileManager.default.changeCurrentDirectoryPath(repositoryRoot)
    }

    func testPriogridIsUCDPsCellOnEveryEventOfTheSample() throws {
        let results = try Session().run(points + """
            u | extend ours = priogrid(latitude, longitude), on_border = latitude * 2 == round(latitude * 2) or longitude * 2 == round(longitude * 2)
              | summarize events = count(), same = sum(if(ours == priogrid_gid, 1, 0)), border = sum(if(on_border, 1, 0)),
                          border_same = sum(if(on_border and ours == priogrid_gid, 1, 0))
            """)
        guard case .table(let table)? = results.last else { return XCTFail("no table") }
        let row = (0..<4).map { table.columns[$0].value(at: 0) }
        XCTAssertEqual(row[0], .int(1000))
        XCTAssertEqual(row[1], .int(1000), "priogrid differs from UCDP's priogrid_gid")
        // The sample has events on cell borders (whole and half degrees): the edge cases.
        XCTAssertEqual(row[2], .int(67))
        XCTAssertEqual(row[3], .int(67))
    }

    func testGridOfHalfDegreesNumbersAsPriogridAndOtherSizes() {
        XCTAssertEqual(value(points + "u | summarize n = sum(if(grid(latitude, longitude, 0.5) == priogrid_gid, 1, 0))"), .int(1000))
        // 1° cells: 360 a row; Gao (16.27, -0.04) is row 106, column 179.
        XCTAssertEqual(value("grid(16.27167, -0.04472, 1)"), .int(106 * 360 + 179 + 1))
        XCTAssertEqual(value("grid(-90, -180, 10)"), .int(1))
        XCTAssertEqual(value("grid(90, 180, 10)"), .int(18 * 36))
        XCTAssertEqual(value("priogrid(-90, -180)"), .int(1))
        XCTAssertEqual(value("priogrid(90, 180)"), .int(259_200))
        XCTAssertEqual(value("priogrid(-0.0, 0)"), .int(180 * 720 + 360 + 1))
        XCTAssertEqual(value("priogrid(-0.000001, -0.000001)"), .int(179 * 720 + 359 + 1))
        XCTAssertTrue(diagnostics("grid(1, 2, 0)").contains("from 0.01 to 180 degrees"))
        XCTAssertTrue(diagnostics(points + "u | extend g = grid(1, 2, latitude)").contains("the cell size of grid is a number written in the query"))
    }

    func testCoordinatesOutOfRangeOrNullGiveNull() {
        for call in ["priogrid(90.5, 0)", "priogrid(0, -181)", "priogrid(null, 0)", "distance_km(0, 0, 91, 0)", "within_km(0, 0, \"Gao\", null)",
                     "country_of(100, 0)", "grid(0, 200, 1)", "in_bbox(0, 0, null, 0, 1, 1)"] {
            XCTAssertEqual(value(call), .null, call)
        }
    }

    /// GeographicLib's Geodesic(6371.0088 km, flattening 0).Inverse, in km (python geographiclib 2.1).
    func testDistanceAgreesWithGeographicLibOnTheSphereToAMetre() throws {
        let references: [(String, String, Double)] = [
            ("Bamako", "Gao", 945.915423), ("Timbuktu", "Kidal", 503.553877), ("Gao", "Ménaka", 263.682995), ("Mopti", "Bamako", 459.905097),
        ]
        for (a, b, km) in references {
            let query = "places | where name == \"\(a)\" | extend d = distance_km(latitude, longitude, \"\(b)\") | select d"
            guard case .float(let d)? = value(query) else { XCTFail(query); continue }
            XCTAssertEqual(d, km, accuracy: 0.001, "\(a) to \(b)")
        }
        guard case .float(let far)? = value("distance_km(0, 0, 0.5, 179.7)") else { return XCTFail("no distance") }
        XCTAssertEqual(far, 19950.277343, accuracy: 0.001, "near the antipode")
        XCTAssertEqual(value("distance_km(14.5, -4.2, 14.5, -4.2)"), .float(0))
    }

    func testWithinAndBoxes() {
        XCTAssertEqual(value("within_km(16.0, 0.5, \"Gao\", 100)"), .bool(true))
        XCTAssertEqual(value("within_km(16.0, 0.5, \"gao\", 50)"), .bool(false))
        XCTAssertEqual(value("within_km(16.77348, -3.00742, \"Tombouctou\", 0)"), .bool(true))
        XCTAssertEqual(value("within_km(16.0, 0.5, 16.27167, -0.04472, 66)"), .bool(true))
        XCTAssertEqual(value("within_km(16.0, 0.5, 16.27167, -0.04472, 65.5)"), .bool(false))
        XCTAssertEqual(value("in_bbox(16.27, -0.04, 10, -12.5, 25, 4.5)"), .bool(true))
        XCTAssertEqual(value("in_bbox(10, 4.5, 10, -12.5, 25, 4.5)"), .bool(true), "edges are in")
        XCTAssertEqual(value("in_bbox(0, 179.9, -1, 170, 1, -170)"), .bool(true), "across the 180th meridian")
        XCTAssertEqual(value("in_bbox(0, 0, -1, 170, 1, -170)"), .bool(false))
    }

    func testAPlaceIsANameOfThePlacesTable() {
        let rendered = diagnostics("distance_km(1, 2, \"Gaoo\")")
        XCTAssertTrue(rendered.contains("no place named 'Gaoo' in the places table"), rendered)
        XCTAssertTrue(rendered.contains("did you mean 'Gao'?"), rendered)
        XCTAssertTrue(diagnostics(points + "u | extend d = distance_km(1, 2, country)").contains("the place of distance_km is a name written in the query"))
        XCTAssertTrue(diagnostics("within_km(1, 2, 3, 4)").contains("needs a place's name in quotes"))
        // Every place has a source and coordinates in range.
        let table = output("places | where source is null or abs(latitude) > 90 or abs(longitude) > 180 | count")
        XCTAssertTrue(table.contains("0"), table)
    }

    /// UCDP's country for the sample's events inside the fourteen outlines (or recorded in one of
    /// those countries), against country_of: the disagreements are the two events below, each
    /// explained, and the name UCDP writes "Ivory Coast".
    func testCountryOfAgreesWithUCDPsCountry() throws {
        let results = try Session().run(points + """
            u | extend ours = country_of(latitude, longitude)
              | where ours is not null or country in ("Mali", "Burkina Faso", "Niger", "Algeria", "Mauritania", "Senegal", "Guinea",
                                                       "Ivory Coast", "Ghana", "Togo", "Benin", "Nigeria", "Chad", "Libya")
              | extend agrees = ours == country or (country == "Ivory Coast" and ours == "Côte d'Ivoire")
              | summarize events = count(), agree = sum(if(agrees, 1, 0))
            """)
        guard case .table(let table)? = results.last else { return XCTFail("no table") }
        XCTAssertEqual(table.columns[0].value(at: 0), .int(56))
        XCTAssertEqual(table.columns[1].value(at: 0), .int(54))
        // 2647: Algiers, placed in the bay 0.8 km off Natural Earth's coast (a province-level point);
        // 7623: Chad's, placed 0.8 km inside Sudan by Natural Earth's border, and Sudan is not kept.
        let disagreeing = output(points + """
            u | where country in ("Algeria", "Chad") and country_of(latitude, longitude) is null | select id
            """, format: .csv)
        XCTAssertEqual(disagreeing, "id\n2647\n7623\n")
    }

    /// UCDP's adm_1 for the sample's events recorded in the fourteen countries, against admin_of,
    /// names compared folded (case, accents, UCDP's trailing "region", "province", ...): the
    /// agreement rate, and every disagreement listed with its reason.
    func testAdminOfAgreesWithUCDPsRegion() throws {
        let results = try Session().run(points + """
            u | where adm_1 is not null and country in ("Mali", "Burkina Faso", "Niger", "Algeria", "Mauritania", "Senegal", "Guinea",
                                                        "Ivory Coast", "Ghana", "Togo", "Benin", "Nigeria", "Chad", "Libya")
              | extend ours = admin_of(latitude, longitude)
              | select id, adm_1, ours, where_prec
              | sort by id
            """)
        guard case .table(let table)? = results.last else { return XCTFail("no table") }
        var agree = 0, disagreements: [String] = []
        for row in 0..<table.rowCount {
            guard case .string(let theirs) = table.columns[1].value(at: row) else { continue }
            let ours: String
            if case .string(let name) = table.columns[2].value(at: row) { ours = name } else { ours = "null" }
            if Boundaries.foldedRegionName(theirs) == Boundaries.foldedRegionName(ours) {
                agree += 1
            } else {
                disagreements.append("\(table.columns[0].value(at: row)): \(theirs) / \(ours)")
            }
        }
        // Four are the same region spelled otherwise (GeoNames' names against UCDP's):
        //   2537 M'Sila (GeoNames "Wilaya de M'Sila"), 6443 Algiers (GeoNames' French "Alger"),
        //   244424 Misrata (GeoNames "Misratah"), 300133 Mourzouq (GeoNames "Murzuq").
        // One is off the outlines: 2647, placed at the province of Algiers (where_prec 4), lies in
        //   the bay 0.8 km off Natural Earth's coast, so it has no country and no region.
        // One is a naming of the frame, not a border: 42861 is at Duékoué (where_prec 1), which
        //   GeoNames (2016) puts in Dix-Huit Montagnes and UCDP in Moyen-Cavally; every GeoNames
        //   place of Natural Earth's face there is in Dix-Huit Montagnes.
        XCTAssertEqual(disagreements, ["2537: M'Sila province / Wilaya de M'Sila", "2647: Algiers province / null",
                                       "6443: Algiers province / Alger", "42861: Moyen-Cavally region / Dix-Huit Montagnes",
                                       "244424: Misrata district / Misratah", "300133: Mourzouq district / Murzuq"])
        XCTAssertEqual(table.rowCount, 52, "events with a region in the fourteen countries")
        XCTAssertEqual(agree, 46, "the same name; so every event of Mali, Burkina Faso and Niger (6, 4 and 1) agrees")
    }

    /// The briefing's places, each in the region its name says (Kidal in Kidal, Djibo in the Sahel).
    func testAdminOfPlacesTheBriefingsTowns() throws {
        let table = output("places | extend region = admin_of(latitude, longitude) | select name, country, region", format: .csv)
        // Ménaka is in Gao (Mali's frame before 2016), Douentza in Mopti, Tessalit in Kidal; the
        // tri-border point, on the border itself, falls to Niger and so to Tillabéri.
        XCTAssertEqual(table, """
            name,country,region
            Bamako,Mali,Bamako
            Gao,Mali,Gao
            Kidal,Mali,Kidal
            Timbuktu,Mali,Tombouctou
            Mopti,Mali,Mopti
            Ménaka,Mali,Gao
            Ségou,Mali,Segou
            Douentza,Mali,Mopti
            Tessalit,Mali,Kidal
            Niamey,Niger,Niamey
            Tillabéri,Niger,Tillaberi
            Ouagadougou,Burkina Faso,Centre
            Djibo,Burkina Faso,Sahel
            tri-border,"Mali, Burkina Faso, Niger",Tillaberi

            """)
        XCTAssertEqual(Boundaries.regions.filter { $0.countryCode == "MLI" }.map(\.name).sorted(),
                       ["Bamako", "Gao", "Kayes", "Kidal", "Koulikoro", "Mopti", "Segou", "Sikasso", "Tombouctou"])
    }

    func testSQLSaysTheDistanceAndRefusesTheOutlines() throws {
        let session = Session()
        guard case .rows(let sql)? = try session.sql(for: Source(name: "<geo>", text: "distance_km(1, 2, \"Gao\")"), dialect: .duckdb).last else {
            return XCTFail("not compiled")
        }
        XCTAssertTrue(sql.contains("6371.0088"), sql)
        guard case .refused(let refusal)? = try session.sql(for: Source(name: "<geo>", text: "country_of(1, 2)"), dialect: .postgres).last else {
            return XCTFail("not refused")
        }
        XCTAssertTrue(refusal.message.contains("country_of()"), refusal.message)
        guard case .refused(let regions)? = try session.sql(for: Source(name: "<geo>", text: "admin_of(1, 2)"), dialect: .duckdb).last else {
            return XCTFail("not refused")
        }
        XCTAssertTrue(regions.message.contains("admin_of()"), regions.message)
    }
}
