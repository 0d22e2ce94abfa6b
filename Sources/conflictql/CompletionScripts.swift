// `conflictql --generate-completion-script bash|zsh|fish`: swift-argument-parser's scripts,
// less the `help` subcommand it gives every command with a tree (conflictql has none: `fmt`
// and `lsp` are read before the parser). In zsh its two rest-argument specs beside the
// script files' made `_arguments` fail ("doubled rest argument definition"), so nothing
// completed; fish offered `help` as a word, which runs as a script of that name. zsh's value
// lists also get their colons escaped (`postgres://` after `--engine`).

import ArgumentParser

/// The completion script for the shell named after `--generate-completion-script` (or in
/// `--generate-completion-script=SHELL`), or nil when the arguments ask for none or name a
/// shell argument-parser does not know (it then says so itself).
func requestedCompletionScript(_ arguments: [String]) -> String? {
    let option = "--generate-completion-script"
    var name: String?
    if let index = arguments.firstIndex(of: option), arguments.indices.contains(index + 1) { name = arguments[index + 1] }
    if let joined = arguments.first(where: { $0.hasPrefix(option + "=") }) { name = String(joined.dropFirst(option.count + 1)) }
    guard let name, let shell = CompletionShell(rawValue: name) else { return nil }
    let script = ConflictQLCommand.completionScript(for: shell)
    let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if shell == .zsh {
        // A value list goes to `_describe`, which reads `VALUE:DESCRIPTION`: the colons of
        // `postgres://` must be escaped, or it offers `postgres`.
        return lines.filter { !["'(-): :->command'", "'(-)*:: :->arg'"].contains($0.drop { $0 == " " }) }
            .map { $0.drop { $0 == " " }.hasPrefix("local -ar ___") ? $0.replacing(":", with: "\\:") : $0 }
            .joined(separator: "\n")
    }
    if shell == .fish {
        return lines.filter { !$0.contains("-fa 'help'") && !$0.contains("\"conflictql help\"") }.joined(separator: "\n")
    }
    return lines.filter { !$0.contains("compgen -W 'help'") }.joined(separator: "\n")
}
