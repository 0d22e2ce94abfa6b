# Sourced by the benchmark scripts: builds conflictql-bench (release) and writes the regions
# table. Sets ROOT, OUT (a temporary folder removed on exit) and CQ.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift build -c release --product conflictql-bench --package-path "$ROOT" > "$OUT/build.log" 2>&1 \
  || { cat "$OUT/build.log"; exit 1; }
CQ="$ROOT/.build/release/conflictql-bench"
"$CQ" --write-regions "$OUT/regions.csv"
