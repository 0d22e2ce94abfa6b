// `.load` and `--load` checked as the `load` statement they stand for (LoadCommand): the same
// safe-mode rule, table-name rule and options, with the same messages and did-you-mean.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData
import ConflictQLFunctions
import ConflictQLSemantics
import ConflictQLPlanning
import ConflictQLEngine
import ConflictQLSQL
import ConflictQLOutput

extension Session {
    /// The path, table name and options of a `--load`, or its diagnostics. What is named on
    /// the command line is loaded in safe mode too (as the SQLite shell's `-safe` opens the
    /// database it is given), so this check does not refuse it; `.load` runs as a statement.
    public func checkLoad(_ command: LoadCommand, in source: Source) throws(DiagnosticError) -> (path: String, name: String, options: LoadOptions) {
        let checked = ConflictQLSemantics.check(command.script, in: symbols, allowsFileAccess: true)
        if !checked.diagnostics.isEmpty { throw DiagnosticError(checked.diagnostics, source: source) }
        guard case .load(let paths, let name, let options)? = checked.statements.first, let path = paths.first else {
            throw DiagnosticError([Diagnostic(.expectedFileToLoad, at: command.statement.range)], source: source)
        }
        return (path, name, options)
    }
}
