// Dates with precision, in Swift Testing (the rest of the suite is XCTest; both run under
// `swift test`).

import ConflictQL
import Testing

@Suite struct DateValueTests {
    @Test(arguments: [
        ("2013-04-01", "2013-04-01", DatePrecision.day),
        ("2011-10", "2011-10", .month),
        ("2013", "2013", .year),
        ("2024-02-29", "2024-02-29", .day),
        ("1970-01-01", "1970-01-01", .day),
    ])
    func parsesAndPrintsWithItsPrecision(text: String, printed: String, precision: DatePrecision) throws {
        let date = try #require(DateValue.parseISO(Substring(text)))
        #expect(date.description == printed)
        #expect(date.precision == precision)
    }

    @Test(arguments: ["2013-02-29", "2013-13", "2013-00-10", "13-04-01", "2013-4-1", "20130401", ""])
    func rejectsImpossibleDates(text: String) {
        #expect(DateValue.parseISO(Substring(text)) == nil)
    }

    @Test func dayNumbersRoundTrip() throws {
        let epoch = try #require(DateValue(year: 1970, month: 1, day: 1))
        #expect(epoch.days == 0)
        let date = try #require(DateValue(year: 2012, month: 3, day: 22))
        #expect(date.days == 15_421)
        #expect(date.parts == (2012, 3, 22))
    }

    @Test func floatsPrintShortestAndLookLikeFloats() {
        #expect(formatFloat(216) == "216.0")
        #expect(formatFloat(29.5) == "29.5")
        #expect(formatFloat(0.1 + 0.2) == "0.30000000000000004")
        #expect(formatFloat(.infinity) == "inf")
    }
}
