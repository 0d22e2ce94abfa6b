#!/usr/bin/env bash
# Builds and runs a libFuzzer harness over the library's sources.
#
#   Tests/Fuzz/run.sh script|csv|json|roundtrip|compressed SECONDS [extra libFuzzer flags]
#
# The harness is compiled with the library into one binary (-sanitize=fuzzer,address), with a
# seed corpus made from Samples/, the queries of the README and of the DocC articles and the
# test fixtures, and a dictionary of the language's words (of JSON's tokens for the json
# harness). Findings (crash-*, timeout-*, leak-*) land in Tests/Fuzz/findings/; the corpus grows in
# Tests/Fuzz/corpus-TARGET/ (not committed).
set -euo pipefail
TARGET=${1:?usage: run.sh script|csv|json|roundtrip|compressed SECONDS}
SECONDS_TO_RUN=${2:-60}
shift 2 || true
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ="$ROOT/Tests/Fuzz"
BUILD="$ROOT/.build-fuzz"
mkdir -p "$BUILD" "$FUZZ/findings" "$FUZZ/corpus-$TARGET"

case $TARGET in
  script) HARNESS=("$FUZZ/ScriptFuzzer.swift"); DICT="$FUZZ/conflictql.dict" ;;
  csv) HARNESS=("$FUZZ/CSVFuzzer.swift"); DICT="$FUZZ/conflictql.dict" ;;
  json) HARNESS=("$FUZZ/JSONFuzzer.swift"); DICT="$FUZZ/json.dict" ;;
  # The round trip shares its table builder and comparison with the unit tests.
  roundtrip) HARNESS=("$FUZZ/RoundTripFuzzer.swift" "$ROOT/Tests/ConflictQLTests/RoundTrip.swift"); DICT="$FUZZ/conflictql.dict" ;;
  compressed) HARNESS=("$FUZZ/CompressedFuzzer.swift"); DICT="$FUZZ/compressed.dict" ;;
  *) echo "unknown target $TARGET (script, csv, json, roundtrip or compressed)" >&2; exit 2 ;;
esac

BINARY="$BUILD/fuzz-$TARGET"
SOURCES=$(find "$ROOT/Sources/ConflictQL" -name '*.swift' | sort)
if [ ! -x "$BINARY" ] || [ -n "$(find "$ROOT/Sources/ConflictQL" "${HARNESS[@]}" -newer "$BINARY" -name '*.swift' | head -1)" ]; then
  echo "building $BINARY" >&2
  # The library inflates .gz and .zip files with the system zlib (Sources/CZlib).
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name ConflictQL \
    -swift-version 6 -D FUZZING -I "$ROOT/Sources/CZlib" -lz $SOURCES "${HARNESS[@]}" -o "$BINARY"
fi

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
