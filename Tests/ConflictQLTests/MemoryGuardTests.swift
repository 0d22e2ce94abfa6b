// Buffers whose size comes from the data ask before they grow: a size that cannot be had is
// a "not enough memory" error for the caller to report, never an abort in the allocator.
// (LoaderExecutableTests loads a real 400 MB field under a memory limit.)

@testable import ConflictQLCore
@testable import ConflictQLSyntax
@testable import ConflictQLData
@testable import ConflictQLFunctions
@testable import ConflictQLSemantics
@testable import ConflictQLPlanning
@testable import ConflictQLEngine
@testable import ConflictQLSQL
@testable import ConflictQLOutput
@testable import ConflictQL
import XCTest

final class MemoryGuardTests: XCTestCase {
    func testAGrowthThatCannotBeHadIsRefusedBeforeAnythingIsAllocated() {
        var bytes: [UInt8] = [1, 2, 3]
        XCTAssertFalse(reserveChecked(&bytes, adding: 1 << 50))
        XCTAssertFalse(reserveChecked(&bytes, adding: Int.max))
        XCTAssertEqual(bytes, [1, 2, 3])
        XCTAssertTrue(reserveChecked(&bytes, adding: 1000))
        XCTAssertGreaterThanOrEqual(bytes.capacity, 1003)
    }

    /// The string buffer of a loaded column refuses a field it cannot hold, before it copies
    /// a byte (here there are only eight: a column no longer interning stores without hashing).
    func testTheLoadersStringBufferRefusesAFieldItCannotHold() throws {
        var strings = StringInterner()
        strings.interning = false
        let eight: [UInt8] = Array("eight by".utf8)
        try eight.withUnsafeBufferPointer { buffer in
            XCTAssertEqual(try strings.intern(buffer.baseAddress!, 8), 0)
            XCTAssertThrowsError(try strings.intern(buffer.baseAddress!, 1 << 50)) { error in
                guard case FieldProblem.notEnoughMemory(let bytes) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(bytes, 1 << 50)
            }
        }
        XCTAssertEqual(strings.entryCount, 1)
        XCTAssertEqual(strings.bytes, eight)
    }
}
