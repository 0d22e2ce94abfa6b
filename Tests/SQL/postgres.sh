#!/usr/bin/env bash
# A throwaway PostgreSQL for the differential tests, on a Unix socket only (no TCP port):
#   eval "$(Tests/SQL/postgres.sh start)"   # prints export CONFLICTQL_POSTGRES=...
#   Tests/SQL/postgres.sh stop
# Uses Debian's postgresql (installed when missing) and runs the server as the postgres user.
set -euo pipefail
DIR=${CONFLICTQL_PG_DIR:-/tmp/conflictql-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
case ${1:-} in
  start)
    if [ -z "$BIN" ]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
      BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    # A server left running in DIR (an earlier start) is stopped first: removing its files
    # under it would leave it running, and when it notices and exits it deletes the socket
    # file, which by then is the new server's.
    if [ -f "$DIR/data/postmaster.pid" ]; then
      su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop >/dev/null" >&2 || true
    fi
    rm -rf "$DIR"; mkdir -p "$DIR"; chown postgres "$DIR"
    su postgres -s /bin/sh -c "'$BIN/initdb' -D '$DIR/data' -A trust -E UTF8 --locale=C.UTF-8 >/dev/null" >&2
    su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -o \"-k '$DIR' -c listen_addresses=''\" start >/dev/null" >&2
    echo "export CONFLICTQL_POSTGRES='host=$DIR dbname=postgres user=postgres'"
    ;;
  stop)
    [ -n "$BIN" ] && [ -d "$DIR/data" ] && su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DIR/data' -m fast stop >/dev/null" >&2 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
