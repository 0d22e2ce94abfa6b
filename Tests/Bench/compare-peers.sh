#!/usr/bin/env bash
# The wider events benchmark (Q01-Q05 of shared/bench and Q06-Q19 of issue 15, see
# Sources/ConflictQLData/WiderBenchmark.swift) beside its peers, on one file, in one session:
# ConflictQL (both cores and one thread), DuckDB (one thread and its default), pandas and the
# SQLite shell. Each run is a whole process that loads the CSV and the regions table and
# answers every question once. Runs alternate between peers, ROUNDS times. It prints two
# tables: the whole process (median wall time and peak memory, ratios to DuckDB with one
# thread and with its default threads), and each question's median time in its process
# beside DuckDB's. The answers are checked against each other with shared/bench/compare.py.
#
#   Tests/Bench/compare-peers.sh EVENTS.csv [ROUNDS] [PEER ...]
#
# Needs the peers of shared/bench/README.md (pip install duckdb pandas; apt-get install sqlite3).
set -euo pipefail
CSV=${1:?usage: compare-peers.sh EVENTS.csv [ROUNDS] [PEER ...]}
ROUNDS=${2:-3}
source "$(dirname "$0")/build-bench.sh"
export PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/bench}

declare -A commands=(
  [conflictql]="$CQ $CSV --answers"
  [conflictql_1thread]="$CQ $CSV --answers --threads 1"
  [duckdb1]="python3 $ROOT/Tests/Bench/peer_wider.py duckdb $CSV $OUT/regions.csv --threads 1 --timing"
  [duckdb]="python3 $ROOT/Tests/Bench/peer_wider.py duckdb $CSV $OUT/regions.csv --timing"
  [pandas]="python3 $ROOT/Tests/Bench/peer_wider.py pandas $CSV $OUT/regions.csv --timing"
  [sqlite]="$ROOT/Tests/Bench/wider-sqlite.sh $CSV $OUT/regions.csv"
)
shift $(( $# >= 2 ? 2 : $# ))
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(conflictql conflictql_1thread duckdb1 duckdb pandas sqlite)
for name in duckdb1 duckdb; do
  [[ " ${names[*]} " == *" $name "* ]] || { echo "the peers must include $name (the ratios are to it)"; exit 2; }
done

for round in $(seq "$ROUNDS"); do
  for name in "${names[@]}"; do
    if ! /usr/bin/time -f "%e %M" -o "$OUT/$name.time" ${commands[$name]} > "$OUT/$name.txt" 2> "$OUT/$name.err"; then
      echo "$name failed:"; cat "$OUT/$name.err"; exit 1
    fi
    cat "$OUT/$name.time" >> "$OUT/$name.times"
    grep -P '^\S+\t[0-9.]+$' "$OUT/$name.err" >> "$OUT/$name.phases" || true
  done
  echo "round $round of $ROUNDS done" >&2
done

others=()
for name in "${names[@]}"; do [ "$name" = duckdb1 ] || others+=("$OUT/$name.txt"); done
python3 "$PEERS_DIR/compare.py" "$OUT/duckdb1.txt" "${others[@]}"

python3 - "$OUT" "${names[@]}" <<'PY'
import collections, statistics, sys
out, names = sys.argv[1], sys.argv[2:]
whole, phases = {}, {}
for name in names:
    runs = [line.split() for line in open(f"{out}/{name}.times") if line.strip()]
    whole[name] = (statistics.median(float(r[0]) for r in runs), statistics.median(int(r[1]) for r in runs) / 1024)
    times = collections.defaultdict(list)
    for line in open(f"{out}/{name}.phases"):
        phase, seconds = line.split("\t")
        times[phase].append(float(seconds))
    phases[name] = {phase: statistics.median(values) for phase, values in times.items()}
one, default = whole["duckdb1"][0], whole["duckdb"][0]
print(f"\n{'peer':<20} {'wall s':>8} {'peak MiB':>9} {'/ DuckDB 1 thread':>18} {'/ DuckDB default':>17}")
for name in names:
    wall, peak = whole[name]
    print(f"{name:<20} {wall:>8.2f} {peak:>9.0f} {wall / one:>18.2f} {wall / default:>17.2f}")
questions = sorted({p for name in names for p in phases[name]} - {"load"})
print(f"\nmedian seconds of each phase in its process (ratio to DuckDB 1 thread)")
print(f"{'phase':<6}" + "".join(f"{name:>22}" for name in names))
for phase in ["load"] + questions:
    base = phases["duckdb1"].get(phase)
    cells = []
    for name in names:
        t = phases[name].get(phase)
        cells.append("-" if t is None else (f"{t:.3f} ({t / base:.2f})" if base else f"{t:.3f}"))
    print(f"{phase:<6}" + "".join(f"{c:>22}" for c in cells))
PY
