#!/usr/bin/env bash
# Builds and runs a libFuzzer harness over the library's modules.
#
#   Tests/Fuzz/run.sh script|csv|json|roundtrip|compressed SECONDS [extra libFuzzer flags]
#
# The harnesses are executables of a small package written into .build-fuzz/package, which
# depends on this one by path: SwiftPM builds every module of the library (and PostgresNIO's
# stack below ConflictQLRemote) with -sanitize=fuzzer,address and -enable-testing, and each
# harness reaches the modules' package-level API with @testable imports (Tests/Fuzz/Imports.swift).
# A seed corpus is made from Samples/, the queries of the README and of the DocC articles and
# the test fixtures, with a dictionary of the language's words (of JSON's tokens for the json
# harness). Findings (crash-*, timeout-*, leak-*) land in Tests/Fuzz/findings/; the corpus grows
# in Tests/Fuzz/corpus-TARGET/ (not committed).
set -euo pipefail
TARGET=${1:?usage: run.sh script|csv|json|roundtrip|compressed SECONDS}
SECONDS_TO_RUN=${2:-60}
shift 2 || true
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ="$ROOT/Tests/Fuzz"
BUILD="$ROOT/.build-fuzz"
PACKAGE="$BUILD/package"
mkdir -p "$BUILD" "$FUZZ/findings" "$FUZZ/corpus-$TARGET"

case $TARGET in
  script) DICT="$FUZZ/conflictql.dict" ;;
  csv) DICT="$FUZZ/conflictql.dict" ;;
  json) DICT="$FUZZ/json.dict" ;;
  roundtrip) DICT="$FUZZ/conflictql.dict" ;;
  compressed) DICT="$FUZZ/compressed.dict" ;;
  *) echo "unknown target $TARGET (script, csv, json, roundtrip or compressed)" >&2; exit 2 ;;
esac

# One executable target per harness; the round trip shares its table builder and comparison
# with the unit tests (Tests/ConflictQLTests/RoundTrip.swift).
# Each file gets the imports of Imports.swift in front (an import holds for its own file only).
for harness in script csv json roundtrip compressed; do
  mkdir -p "$PACKAGE/Sources/fuzz-$harness"
done
place() {
  local file
  for file in "${@:2}"; do
    cat "$FUZZ/Imports.swift" "$file" > "$PACKAGE/Sources/fuzz-$1/$(basename "$file").new"
    cmp -s "$PACKAGE/Sources/fuzz-$1/$(basename "$file").new" "$PACKAGE/Sources/fuzz-$1/$(basename "$file")" 2>/dev/null \
      && rm "$PACKAGE/Sources/fuzz-$1/$(basename "$file").new" \
      || mv "$PACKAGE/Sources/fuzz-$1/$(basename "$file").new" "$PACKAGE/Sources/fuzz-$1/$(basename "$file")"
  done
}
place script "$FUZZ/ScriptFuzzer.swift"
place csv "$FUZZ/CSVFuzzer.swift"
place json "$FUZZ/JSONFuzzer.swift"
place roundtrip "$FUZZ/RoundTripFuzzer.swift" "$ROOT/Tests/ConflictQLTests/RoundTrip.swift"
place compressed "$FUZZ/CompressedFuzzer.swift"
# The package identity SwiftPM gives this checkout is its folder's name.
IDENTITY=$(basename "$ROOT" | tr 'A-Z' 'a-z')
cat > "$PACKAGE/Package.swift.new" <<SWIFT
// swift-tools-version:6.1
// Written by Tests/Fuzz/run.sh: the libFuzzer harnesses over the ConflictQL checkout at $ROOT.
import PackageDescription

let harness: (String) -> Target = { name in
    .executableTarget(name: name, dependencies: [.product(name: "ConflictQL", package: "$IDENTITY")],
                      swiftSettings: [.define("FUZZING"), .unsafeFlags(["-parse-as-library"])])
}
let package = Package(
    name: "ConflictQLFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "$ROOT")],
    targets: ["fuzz-script", "fuzz-csv", "fuzz-json", "fuzz-roundtrip", "fuzz-compressed"].map(harness),
    swiftLanguageModes: [.v6]
)
SWIFT
cmp -s "$PACKAGE/Package.swift.new" "$PACKAGE/Package.swift" || mv "$PACKAGE/Package.swift.new" "$PACKAGE/Package.swift"
rm -f "$PACKAGE/Package.swift.new"

# Every harness at once: a build of one product after another's compiled the whole graph again
# (SwiftPM plans each product's build apart), about 25 minutes each on two cores; built
# together, the next harness's run only checks that nothing changed.
echo "building the harnesses (SwiftPM, release, -sanitize=fuzzer,address)" >&2
swift build --package-path "$PACKAGE" --scratch-path "$BUILD/swiftpm" -c release \
  --sanitize fuzzer --sanitize address -Xswiftc -enable-testing -Xswiftc -g >&2
BINARY="$BUILD/swiftpm/release/fuzz-$TARGET"

# Seeds: scripts for the script harness, data files for the csv harness, JSON files (the
# fixtures and the catalogue's) for the json harness, bytes for the round trip.
SEEDS="$BUILD/seeds-$TARGET"
rm -rf "$SEEDS"; mkdir -p "$SEEDS"
if [ "$TARGET" = script ]; then
  cp "$ROOT"/Samples/*.cq "$SEEDS/"
  # Scripts with dot-commands (Interactive/ScriptCommands.swift), good and bad.
  cp "$ROOT"/Tests/ConflictQLTests/Catalogue/script-dot-*.cq "$SEEDS/"
  printf '.mode csv\nfunding | count\n.output\n.timer on\n.maxrows 2\n.sources off\ncountries | where name == "Mail"\n.help stages\n' > "$SEEDS/dot-commands.cq"
  i=0
  # The queries of the README and of the DocC articles, one seed each.
  for doc in "$ROOT/README.md" "$ROOT"/Sources/ConflictQL/ConflictQL.docc/*.md; do
    name=$(basename "$doc" .md | tr 'A-Z' 'a-z')
    awk '/^```cq$/{f=1; next} /^```$/{if(f){f=0; n++}} f{print > ("'"$SEEDS"'/doc-'"$name"'-" n ".cq")}' "$doc"
  done
  grep -o 'example: .* \*)' "$ROOT/Grammar/ConflictQL.ebnf" | sed 's/example: //; s/ \*)$//' | while read -r line; do
    i=$((i + 1)); printf '%s\n' "$line" > "$SEEDS/grammar-$i.cq"; done
elif [ "$TARGET" = json ]; then
  cp "$ROOT"/Tests/ConflictQLTests/Fixtures/*.json "$ROOT"/Tests/ConflictQLTests/Fixtures/*.ndjson \
     "$ROOT"/Tests/ConflictQLTests/Catalogue/data/*.json "$SEEDS/"
elif [ "$TARGET" = compressed ]; then
  # Real .gz and .zip files to mutate, and plain files for the oracle (compressed here).
  cp "$ROOT"/Tests/ConflictQLTests/Fixtures/compressed/* "$ROOT"/Tests/ConflictQLTests/Catalogue/data/*.gz \
     "$ROOT"/Tests/ConflictQLTests/Catalogue/data/*.zip "$ROOT"/Tests/ConflictQLTests/Catalogue/data/*.xlsx \
     "$ROOT"/Tests/ConflictQLTests/Fixtures/*.csv "$SEEDS/"
elif [ "$TARGET" = roundtrip ]; then
  # Any bytes make a table: a few random ones start the corpus.
  for i in 1 2 3 4; do head -c 256 /dev/urandom > "$SEEDS/random-$i"; done
else
  cp "$ROOT"/Tests/ConflictQLTests/Fixtures/*.csv "$ROOT"/Tests/ConflictQLTests/Fixtures/*.tsv \
     "$ROOT"/Tests/ConflictQLTests/Fixtures/*.json "$ROOT"/Tests/ConflictQLTests/Fixtures/*.ndjson "$SEEDS/"
fi

cd "$FUZZ/findings"
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$BINARY" "$FUZZ/corpus-$TARGET" "$SEEDS" \
  -dict="$DICT" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=4096 \
  -max_len=4096 -print_final_stats=1 "$@"
