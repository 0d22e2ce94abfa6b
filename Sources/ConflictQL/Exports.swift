// The public face of the library. An embedder writes `import ConflictQL` and sees every public
// type of the layers below (tables, values, diagnostics, the plan, the session) without
// naming the layer modules, which are the package's own structure, not its interface.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput
import ConflictQLRemote
import ConflictQLSpark

@_exported import ConflictQLCore
@_exported import ConflictQLSyntax
@_exported import ConflictQLData
@_exported import ConflictQLFunctions
@_exported import ConflictQLSemantics
@_exported import ConflictQLPlanning
@_exported import ConflictQLEngine
@_exported import ConflictQLSQL
@_exported import ConflictQLOutput
@_exported import ConflictQLRemote
@_exported import ConflictQLSpark
