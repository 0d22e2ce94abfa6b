#!/usr/bin/env bash
# A throwaway PostgreSQL for the differential and remote tests:
#   eval "$(Tests/SQL/postgres.sh start)"   # prints the export lines below
#   Tests/SQL/postgres.sh stop
# Uses Debian's postgresql (installed when missing) and runs the server as the postgres user.
#
# Two ways in. The Unix socket in CONFLICTQL_PG_DIR, trusted (CONFLICTQL_POSTGRES), for the
# tests that make databases. And TCP on loopback only (127.0.0.1, a free port picked here),
# with TLS from a CA and a server certificate for `localhost` made here with openssl, and a
# scram-sha-256 user `analyst` whose password is made here too (CONFLICTQL_POSTGRES_TCP,
# CONFLICTQL_POSTGRES_PASSWORD, CONFLICTQL_POSTGRES_CA): the remote tests sign in over it as
# psql would, with each sslmode. A user `certified` signs in with a client certificate the
# same CA signs (client.crt and client.key beside ca.crt), and nothing else.
set -euo pipefail
DIR=${CONFLICTQL_PG_DIR:-/tmp/conflictql-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_postgres() { su postgres -s /bin/sh -c "$1" >&2; }
case ${1:-} in
  start)
    if [ -z "$BIN" ]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
      BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    if ! command -v openssl >/dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq openssl >&2
    fi
    # A server left running in DIR (an earlier start) is stopped first: removing its files
    # under it would leave it running, and when it notices and exits it deletes the socket
    # file, which by then is the new server's.
    if [ -f "$DIR/data/postmaster.pid" ]; then
      as_postgres "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop >/dev/null" || true
    fi
    rm -rf "$DIR"; mkdir -p "$DIR/tls"; chown postgres "$DIR"
    as_postgres "'$BIN/initdb' -D '$DIR/data' -A trust -E UTF8 --locale=C.UTF-8 >/dev/null"

    # A CA of its own and a server certificate it signs, for localhost only (not 127.0.0.1:
    # verify-full to 127.0.0.1 must be refused).
    (
      cd "$DIR/tls"
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ConflictQL test CA" \
        -keyout ca.key -out ca.crt 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
      printf 'subjectAltName=DNS:localhost\n' > server.ext
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
        -out server.crt 2>/dev/null
      # A client certificate for the user `certified`, who signs in with it alone (cert).
      openssl req -newkey rsa:2048 -nodes -subj "/CN=certified" -keyout client.key -out client.csr 2>/dev/null
      openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt 2>/dev/null
      chmod 600 client.key
      rm -f ca.key server.csr server.ext ca.srl client.csr
    )
    chown postgres "$DIR/tls/server.key" "$DIR/tls/server.crt"; chmod 600 "$DIR/tls/server.key"; chmod 644 "$DIR/tls/ca.crt"
    cat > "$DIR/data/pg_hba.conf" <<EOF
local   all all                trust
hostssl all analyst 127.0.0.1/32 scram-sha-256
host    all analyst 127.0.0.1/32 scram-sha-256
hostssl all certified 127.0.0.1/32 cert
EOF
    # A free port on loopback: the kernel picks one, the server takes it a moment later.
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    OPTIONS="-k '$DIR' -c listen_addresses=127.0.0.1 -p $PORT -c ssl=on -c ssl_cert_file='$DIR/tls/server.crt'"
    OPTIONS="$OPTIONS -c ssl_key_file='$DIR/tls/server.key' -c ssl_ca_file='$DIR/tls/ca.crt'"
    OPTIONS="$OPTIONS -c password_encryption=scram-sha-256"
    as_postgres "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -o \"$OPTIONS\" start >/dev/null"
    PASSWORD=$(openssl rand -hex 12)
    as_postgres "'$BIN/psql' -X -q -h '$DIR' -p $PORT -d postgres -U postgres -c \"CREATE ROLE analyst LOGIN PASSWORD '$PASSWORD'\""
    as_postgres "'$BIN/psql' -X -q -h '$DIR' -p $PORT -d postgres -U postgres -c \"CREATE ROLE certified LOGIN\""
    echo "export CONFLICTQL_POSTGRES='host=$DIR port=$PORT dbname=postgres user=postgres'"
    echo "export CONFLICTQL_POSTGRES_TCP='host=127.0.0.1 port=$PORT dbname=postgres user=analyst'"
    echo "export CONFLICTQL_POSTGRES_PASSWORD='$PASSWORD'"
    echo "export CONFLICTQL_POSTGRES_CA='$DIR/tls/ca.crt'"
    ;;
  stop)
    [ -n "$BIN" ] && [ -d "$DIR/data" ] && as_postgres "'$BIN/pg_ctl' -D '$DIR/data' -m fast stop >/dev/null" || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
