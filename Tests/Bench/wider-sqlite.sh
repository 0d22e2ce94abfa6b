#!/usr/bin/env bash
# The wider benchmark in the sqlite3 shell, in memory: shared/bench's schema, the events and
# the regions imported, then wider_sqlite.sql with the timer on. The answers go to standard
# output, each question's time (the sum of its statements' real times) to standard error.
#
#   Tests/Bench/wider-sqlite.sh EVENTS.csv REGIONS.csv
set -euo pipefail
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEERS=${PEERS_DIR:-$DIR/../../../shared/bench}
EVENTS=${1:?usage: wider-sqlite.sh EVENTS.csv REGIONS.csv}
REGIONS=${2:?usage: wider-sqlite.sh EVENTS.csv REGIONS.csv}
sqlite3 -batch :memory: ".read $PEERS/sqlite_schema.sql" \
  "CREATE TABLE regions(country TEXT, iso3 TEXT, region TEXT, population_millions INTEGER);" \
  ".timer on" ".import --csv --skip 1 \"$EVENTS\" events" ".import --csv --skip 1 \"$REGIONS\" regions" \
  ".read $DIR/wider_sqlite.sql" | python3 -c '
import sys
section, times = "load", {}
for line in sys.stdin:
    if line.startswith("Run Time: real "):
        times[section] = times.get(section, 0.0) + float(line.split()[3])
        continue
    if line.startswith("## "):
        section = line[3:].strip()
    sys.stdout.write(line)
for name, seconds in times.items():
    sys.stderr.write("%s\t%.4f\n" % (name, seconds))
'
