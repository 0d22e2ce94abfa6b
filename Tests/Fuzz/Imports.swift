// Put in front of every harness file by run.sh: the library's modules, with their package-level
// API (loadTable(bytes:), LoadOptions' chunking knobs) through @testable imports, since run.sh
// builds them with -enable-testing.

@testable import ConflictQL
@testable import ConflictQLCore
@testable import ConflictQLData
@testable import ConflictQLOutput
@testable import ConflictQLSyntax

