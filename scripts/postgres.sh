#!/usr/bin/env bash
# Starts a private PostgreSQL cluster on loopback for Consult (scale-out mode and the PostgreSQL
# checks). Usage: scripts/postgres.sh start|stop|url|running
#   PG_PORT (default 54329) · PG_DIR (default ./data/pg-<port>; as root
#   /var/lib/postgresql/consult-<checkout id>-<port>): one cluster per port
#   · database "consult", user "consult".
# Installs Debian's postgresql when it is missing (root only). Prints the DATABASE_URL on start.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_PORT="${PG_PORT:-54329}"
# As root the cluster runs as the postgres user, which may not be able to enter the checkout (a
# fresh clone under a private mktemp directory): keep its files under postgres' own home then.
if [ -z "${PG_DIR:-}" ] && [ "$(id -u)" = 0 ]; then
  PG_DIR="/var/lib/postgresql/consult-$(pwd | cksum | cut -d' ' -f1)-$PG_PORT"
fi
PG_DIR="$(realpath -m "${PG_DIR:-data/pg-$PG_PORT}")"
URL="postgresql://consult@127.0.0.1:${PG_PORT}/consult"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || return 1
  echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if ! BIN=$(pg_bin); then
      if [ "$(id -u)" = 0 ]; then
        bash "$(dirname "$0")/apt-install.sh" postgresql
        BIN=$(pg_bin)
      else
        echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1
      fi
    fi
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DIR"; chmod 700 "$PG_DIR"; fi
    if [ ! -f "$PG_DIR/PG_VERSION" ]; then
      as_postgres "$BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_postgres "$BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
      # A cluster that just stopped may still hold the port for a moment ("wait a few seconds and
      # retry", says PostgreSQL): up to six tries over about 20 s, then fail with the log's last
      # lines and whatever listens on the port.
      for try in 1 2 3 4 5 6; do
        as_postgres "$BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w \
          -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 && break
        if [ "$try" = 6 ]; then
          tail -5 "$PG_DIR/server.log" >&2
          ss -ltnp 2>/dev/null | grep ":$PG_PORT " >&2 || true
          exit 1
        fi
        sleep 4
      done
    fi
    psql="$BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -v ON_ERROR_STOP=1 -qtA"
    $psql -c "select 1 from pg_roles where rolname='consult'" | grep -q 1 ||
      $psql -c "create role consult login createdb"
    $psql -c "select 1 from pg_database where datname='consult'" | grep -q 1 ||
      $psql -c "create database consult owner consult"
    echo "$URL"
    ;;
  stop)
    BIN=$(pg_bin) || exit 0
    [ -f "$PG_DIR/PG_VERSION" ] && as_postgres "$BIN/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
  url) echo "$URL" ;;
  running)
    # Whether this checkout's cluster on PG_PORT is running (another cluster on the port is not it).
    BIN=$(pg_bin) || exit 1
    [ -f "$PG_DIR/PG_VERSION" ] && as_postgres "$BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1
    ;;
  *) echo "usage: $0 start|stop|url|running" >&2; exit 2 ;;
esac
