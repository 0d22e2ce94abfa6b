#!/usr/bin/env bash
# Type-checks the Darwin (macOS) branches of the portability layer on Linux, where no macOS
# SDK exists: ConflictQLCore, which holds every platform branch (CLibrary.swift) and the
# calls of the same shape on both (Machine.swift, ...), is compiled with its glibc
# conditions made false, so `#elseif canImport(Darwin)` is taken, against
# Tests/Install/DarwinStub/Darwin.swift: glibc re-exported, with Apple's shapes where Darwin
# differs (sigaction's handler, st_mtimespec, RUSAGE_SELF, posix_spawn's file actions,
# _NSGetEnviron; no environ). It proves the Darwin branches are well-typed against those
# shapes and that no file outside CLibrary needs another branch; it cannot prove a call
# exists on macOS (the stub re-exports all of glibc), nor link, nor run. Seconds; not in CI.
#
#   Tests/Install/darwin-typecheck.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/stub" "$WORK/cre2" "$WORK/core"
swiftc -emit-module -parse-as-library -module-name Darwin "$ROOT/Tests/Install/DarwinStub/Darwin.swift" \
  -emit-module-path "$WORK/stub/Darwin.swiftmodule"
printf 'module CRE2 {\n  header "%s"\n  export *\n}\n' "$ROOT/Sources/CRE2/include/CRE2.h" > "$WORK/cre2/module.modulemap"
# Every file of the module, with `canImport(Glibc)` false: the branch macOS would compile.
while IFS= read -r file; do
  sed 's/canImport(Glibc)/canImport(GlibcHiddenToCheckDarwin)/g' "$file" > "$WORK/core/$(basename "$file")"
done < <(find "$ROOT/Sources/ConflictQLCore" -name '*.swift')
BRANCHES=$(grep -c 'canImport(Darwin)\|^ *#else' "$WORK/core/CLibrary.swift")
swiftc -typecheck -parse-as-library -module-name ConflictQLCore -package-name conflictql -swift-version 6 \
  -I "$WORK/stub" -I "$WORK/cre2" "$WORK"/core/*.swift
echo "PASS: ConflictQLCore ($(ls "$WORK/core" | wc -l) files) type-checks with its Darwin branches ($BRANCHES in CLibrary.swift)"
# The branch taken must be Darwin's: the stub's environ is unavailable, so using it fails.
printf 'import Darwin\nlet e = environ\n' > "$WORK/negative.swift"
if swiftc -typecheck -I "$WORK/stub" "$WORK/negative.swift" > /dev/null 2>&1; then
  echo "FAIL: the stub does not stand for Darwin (environ type-checks)"; exit 1
fi
# The other modules import Darwin where they import Glibc, and call nothing platform-shaped:
# a file importing Glibc with no Darwin branch, or a glibc-only field outside CLibrary, fails.
cd "$ROOT"
ONLY_GLIBC=$(grep -rlZ --include='*.swift' '^import Glibc' Sources Tests | xargs -0 grep -L 'canImport(Darwin)' || true)
SHAPES='__sigaction_handler|st_mtim\b|RUSAGE_SELF\.rawValue|posix_spawn_file_actions_t\(\)|[^.]\benviron\b|Glibc\.'
GLIBC_SHAPED=$(grep -rn --include='*.swift' -E "$SHAPES" Sources Tests \
  | grep -v -e 'Sources/ConflictQLCore/Foundation/CLibrary.swift' -e 'Tests/Install/DarwinStub/' || true)
if [ -n "$ONLY_GLIBC$GLIBC_SHAPED" ]; then
  echo "FAIL: platform code outside CLibrary.swift:"; echo "$ONLY_GLIBC"; echo "$GLIBC_SHAPED"; exit 1
fi
echo "PASS: every other file imports Darwin beside Glibc and calls nothing glibc-shaped"
