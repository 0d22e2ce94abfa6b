// Writes the commit the executable is built from into a Swift file of the build
// (`BuildCommit.swift`: `let buildCommit = "abc1234"`, or nil outside a git checkout), so
// that `conflictql --version` names it. A prebuild command: it runs before every build, and
// rewrites the file only when the commit changed, so an unchanged tree compiles nothing again.

import Foundation
import PackagePlugin

@main
struct BuildCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildCommit.swift")
        let root = context.package.directoryURL.path(percentEncoded: false)
        // `git describe --always --dirty`: the short hash, "-dirty" when files were changed.
        let script = """
            commit=$(git -C "$1" describe --always --dirty --abbrev=10 2>/dev/null)
            if [ -n "$commit" ]; then line="let buildCommit: String? = \\"$commit\\""; else line="let buildCommit: String? = nil"; fi
            printf '%s\\n' "// Written by BuildCommitPlugin." "$line" > "$2.new"
            if cmp -s "$2.new" "$2"; then rm "$2.new"; else mv "$2.new" "$2"; fi
            """
        return [.prebuildCommand(
            displayName: "Naming the commit conflictql is built from",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", script, "sh", root, output.path(percentEncoded: false)],
            outputFilesDirectory: context.pluginWorkDirectoryURL)]
    }
}
