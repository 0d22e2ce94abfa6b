#!/usr/bin/env bash
# Each question of the wider benchmark in its own process, ConflictQL beside DuckDB: the
# process's peak memory (maximum resident set, /usr/bin/time) for the load and that one
# question, so that a question whose operator holds more than the table shows (issue 15:
# "peak memory stays below DuckDB's on every question"). Prints one line per question with
# both peaks in MiB and their ratio.
#
#   Tests/Bench/question-memory.sh EVENTS.csv [DUCKDB_THREADS]   # 0 (default): DuckDB's own
set -euo pipefail
CSV=${1:?usage: question-memory.sh EVENTS.csv [DUCKDB_THREADS]}
THREADS=${2:-0}
source "$(dirname "$0")/build-bench.sh"

printf "question\tConflictQL MiB\tDuckDB MiB\tratio\n"
for n in $(seq -w 1 19); do
  q="Q$n"
  /usr/bin/time -f "%M" -o "$OUT/cq.time" "$CQ" "$CSV" --only "$q" --repeat 1 > /dev/null 2>&1
  /usr/bin/time -f "%M" -o "$OUT/duck.time" python3 "$ROOT/Tests/Bench/peer_wider.py" duckdb "$CSV" "$OUT/regions.csv" \
    --threads "$THREADS" --only "$q" > /dev/null 2>&1
  cq=$(( $(tail -1 "$OUT/cq.time") / 1024 )); duck=$(( $(tail -1 "$OUT/duck.time") / 1024 ))
  printf "%s\t%d\t%d\t%s\n" "$q" "$cq" "$duck" "$(python3 -c "print(f'{$cq / $duck:.2f}')")"
done
