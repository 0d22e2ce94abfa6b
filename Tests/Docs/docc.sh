#!/usr/bin/env bash
# Renders the DocC catalogue with the toolchain's docc, warnings as errors (broken links,
# unknown symbols, bad anchors fail). Reads the ConflictQL module that `swift build` made
# (no second build, no package plugin): symbolgraph-extract takes its public symbols.
# Usage: Tests/Docs/docc.sh [OUTPUT-DIR]   (after `swift build`)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-.build/docs}
bin=$(swift build --show-bin-path)
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT
# The C modules: each system library's folder (its module.modulemap).
includes=()
for map in Sources/C*/module.modulemap; do includes+=(-I "$(dirname "$map")"); done
# The C targets' maps SwiftPM wrote (CRE2's, and the dependencies': NIO's, swift-atomics').
# A plugin tool's copy of a C target (CGRPCProtobuf-tool.build) defines the same module again: left out.
for map in "$bin"/*.build/module.modulemap; do
  case $map in *-tool.build/*) continue ;; esac
  includes+=(-Xcc -fmodule-map-file="$map")
done
# And the dependencies' C targets that carry their own map (swift-atomics' _AtomicsShims).
for map in .build/checkouts/*/Sources/*/include/module.modulemap; do
  [ -e "$map" ] && includes+=(-I "$(dirname "$map")")
done
swift symbolgraph-extract -module-name ConflictQL -target "$(uname -m)-unknown-linux-gnu" \
  -I "$bin/Modules" "${includes[@]}" -I Sources/CRE2/include -I Sources/CCSVScan/include \
  -minimum-access-level public -output-dir "$graphs"
mkdir -p "$graphs/main" && mv "$graphs/ConflictQL.symbols.json" "$graphs/main/"
docc convert Sources/ConflictQL/ConflictQL.docc --additional-symbol-graph-dir "$graphs/main" \
  --fallback-display-name ConflictQL --fallback-bundle-identifier org.conflictql.ConflictQL \
  --output-path "$out" --warnings-as-errors
echo "docc: the catalogue rendered without warnings into $out"
