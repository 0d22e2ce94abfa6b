// sum and avg over many rows: exact for Ints (avg of a million 9e18 gave 9.000000000209797e+18),
// compensated for Floats (a million 0.1 gave 100000.00000133288).

import ConflictQL
import XCTest

final class SummationTests: XCTestCase {
    /// A million rows: a 1,000-row table joined with itself.
    let million = "let a = groups | take 1 | extend x = [\((0..<1000).map(String.init).joined(separator: ","))] | expand x | extend k = 1 | select x, k\n"
        + "let m = a | join (a | select k) on k\n"

    func testAvgOfLargeIntsIsExact() {
        XCTAssertEqual(value(million + "m | extend v = 9000000000000000000 | summarize avg(v)"), .float(9e18))
        XCTAssertEqual(value("groups | take 2 | extend v = -9223372036854775807 - 1 | summarize avg(v)"), .float(-9223372036854775808.0))
    }

    func testFloatSumAndAvgAreCompensated() {
        XCTAssertEqual(value(million + "m | extend v = 0.1 | summarize sum(v)"), .float(100000.0))
        XCTAssertEqual(value(million + "m | extend v = 0.1 | summarize avg(v)"), .float(0.1))
    }
}
