#!/usr/bin/env bash
# CSV against Parquet loading (issue 27): the events file converted to Parquet by DuckDB (its
# defaults: Snappy, dictionary pages, data pages v1, row groups of 122,880 rows), then loaded
# by ConflictQL from each, and read by DuckDB from each into a table, alternating, ROUNDS
# rounds. Each ConflictQL run is a process that loads the file and counts its rows (its
# start-up, measured alone, is printed too); DuckDB's time is measured inside python around
# CREATE TABLE ... AS SELECT * FROM read_parquet / read_csv. Prints wall seconds, CPU seconds
# (user + system: on a shared machine the steadier figure) and peak MiB per run.
#
#   Tests/Bench/parquet-load.sh EVENTS.csv [ROUNDS]
set -euo pipefail
CSV=${1:?usage: parquet-load.sh EVENTS.csv [ROUNDS]}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PARQUET=${CSV%.csv}.parquet
CQ=${CONFLICTQL:-"$ROOT/.build/release/conflictql"}
[ -x "$CQ" ] || (cd "$ROOT" && swift build -c release --product conflictql >&2)
if [ ! -f "$PARQUET" ]; then
  python3 -c "import duckdb, sys; duckdb.sql(f\"COPY (SELECT * FROM read_csv('{sys.argv[1]}')) TO '{sys.argv[2]}' (FORMAT parquet)\")" "$CSV" "$PARQUET"
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

cq() {  # label, script
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time" "$CQ" -c "$2" > /dev/null
  read -r wall user sys peak < "$OUT/time"
  printf "%s\t%s\t%.2f\t%d\n" "$1" "$wall" "$(echo "$user + $sys" | bc)" $((peak / 1024))
}

duck() {  # label, reader
  python3 - "$2" <<'PY'
import duckdb, resource, sys, time
con = duckdb.connect()
wall, cpu = time.perf_counter(), time.process_time()
con.execute(f"CREATE TABLE t AS SELECT * FROM {sys.argv[1]}")
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
assert con.execute("SELECT count(*) FROM t").fetchone()[0] > 0
print(f"{wall:.2f}\t{cpu:.2f}\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")
PY
}

ls -l "$CSV" "$PARQUET" | awk '{ printf "%s\t%d MiB\n", $NF, $5 / 1048576 }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf "run\twall s\tCPU s\tpeak MiB\n"
for round in $(seq 1 "$ROUNDS"); do
  cq "ConflictQL start-up" '1'
  cq "ConflictQL CSV" "load \"$CSV\" as e
e | count"
  cq "ConflictQL Parquet" "load \"$PARQUET\" as e
e | count"
  printf "DuckDB CSV\t%s\n" "$(duck "DuckDB CSV" "read_csv('$CSV')")"
  printf "DuckDB Parquet\t%s\n" "$(duck "DuckDB Parquet" "read_parquet('$PARQUET')")"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
