#!/usr/bin/env bash
# The events benchmark beside its peers, on one file, in one session: ConflictQL (with both
# cores and with one), DuckDB (one thread and default), pandas and the SQLite shell. Each run
# is a whole process that loads the CSV and answers Q1-Q5. Runs alternate between peers, ROUNDS
# times; the table shows the median wall time, the median peak memory, and the ratio to DuckDB
# with one thread. The answers are checked against each other with shared/bench/compare.py.
#
#   Tests/Bench/compare-peers.sh EVENTS.csv [ROUNDS]
#
# Needs the peers of shared/bench/README.md (pip install duckdb pandas; apt-get install sqlite3).
set -euo pipefail
CSV=${1:?usage: compare-peers.sh EVENTS.csv [ROUNDS]}
ROUNDS=${2:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERS=${PEERS_DIR:-$ROOT/../shared/bench}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

swift build -c release --product conflictql-bench --package-path "$ROOT" > "$OUT/build.log" 2>&1 \
  || { cat "$OUT/build.log"; exit 1; }
CQ="$ROOT/.build/release/conflictql-bench"

names=(conflictql conflictql_1thread duckdb1 duckdb pandas sqlite)
commands=(
  "$CQ $CSV --answers"
  "$CQ $CSV --answers --threads 1"
  "$PEERS/peers.sh $CSV duckdb1"
  "$PEERS/peers.sh $CSV duckdb"
  "$PEERS/peers.sh $CSV pandas"
  "$PEERS/peers.sh $CSV sqlite"
)

for round in $(seq "$ROUNDS"); do
  for i in "${!names[@]}"; do
    name=${names[$i]}
    if ! /usr/bin/time -f "%e %M" -o "$OUT/$name.time" ${commands[$i]} > "$OUT/$name.txt" 2> "$OUT/$name.err"; then
      echo "$name failed:"; cat "$OUT/$name.err"; exit 1
    fi
    cat "$OUT/$name.time" >> "$OUT/$name.times"
  done
  echo "round $round of $ROUNDS done" >&2
done

python3 "$PEERS/compare.py" "$OUT/duckdb1.txt" "$OUT/conflictql.txt" "$OUT/conflictql_1thread.txt" \
  "$OUT/duckdb.txt" "$OUT/pandas.txt" "$OUT/sqlite.txt"

python3 - "$OUT" "${names[@]}" <<'PY'
import statistics, sys
out, names = sys.argv[1], sys.argv[2:]
rows = {}
for name in names:
    runs = [line.split() for line in open(f"{out}/{name}.times") if line.strip()]
    rows[name] = (statistics.median(float(r[0]) for r in runs), statistics.median(int(r[1]) for r in runs) / 1024)
base = rows["duckdb1"][0]
print(f"\n{'peer':<20} {'wall s':>8} {'peak MiB':>9} {'ratio to DuckDB 1 thread':>25}")
for name in names:
    wall, peak = rows[name]
    print(f"{name:<20} {wall:>8.2f} {peak:>9.0f} {wall / base:>25.2f}")
PY
