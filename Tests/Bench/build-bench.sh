# Sourced by the benchmark scripts: builds conflictql-bench (release) and writes the regions
# table. Sets ROOT, OUT (a temporary folder removed on exit) and CQ.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# Built in Tests/Install/static-binary.sh's scratch path, as its generate-manual step builds
# every product (release, the Swift runtime linked dynamically): after that script the
# benchmark is already built, and one release build of the modules serves both.
swift build -c release --product conflictql-bench --package-path "$ROOT" \
  --scratch-path "$ROOT/.build-static" > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
CQ="$ROOT/.build-static/release/conflictql-bench"
"$CQ" --write-regions "$OUT/regions.csv"
