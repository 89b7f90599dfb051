#!/usr/bin/env bash
# Proves the app boots on PostgreSQL: starts the loopback cluster (scripts/postgres.sh), applies
# the PostgreSQL migrations to a fresh database, seeds it, runs the integration suite against it,
# then boots the server and signs in a demo user over HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_PORT=$(bash scripts/pg-port.sh)
export PG_PORT
was_running=0
base_url_probe=$(scripts/postgres.sh url)
psql "$base_url_probe" -qtAc "select 1" >/dev/null 2>&1 && was_running=1
base_url=$(scripts/postgres.sh start)
db="consult_check_$$"
psql "$base_url" -qtAc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
psql "$base_url" -qtAc "CREATE DATABASE $db" >/dev/null
url="${base_url%/consult}/$db"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  psql "$base_url" -qtAc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  # Stop the cluster again unless it was already running before this check.
  [ "$was_running" = 1 ] || scripts/postgres.sh stop
}
trap cleanup EXIT
export DATABASE_URL="$url"
npx prisma migrate deploy >/dev/null
node --import tsx prisma/seed.ts >/dev/null
echo "-- integration and collab suites on PostgreSQL"
# Every integration and collab test but three that check the HTTP layer rather than the database and
# already run in full on SQLite: the bad-input corpus, the authorization matrix (both driven by the
# policies, whose queries the other files exercise on PostgreSQL too) and the security headers.
TEST_DATABASE_URL="$url" npx vitest run tests/integration tests/collab \
  --exclude tests/integration/bad-input-corpus.test.ts \
  --exclude tests/integration/authorization-matrix.test.ts \
  --exclude tests/integration/security-headers.test.ts
echo "-- the authorization matrix's global search cases on PostgreSQL (its tsvector adapter, ADR 028)"
TEST_DATABASE_URL="$url" npx vitest run tests/integration/authorization-matrix.test.ts -t "global search"
mkdir -p data
port=$(( 3300 + RANDOM % 500 ))
PORT=$port HOST=127.0.0.1 NODE_ENV=production PUBLIC_URL=http://127.0.0.1:$port node --enable-source-maps build/server/index.js > data/pg-check.log 2>&1 &
pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
health=$(curl -sf "http://127.0.0.1:$port/healthz")
echo "-- healthz: $health"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: http://127.0.0.1:$port" \
  --data-urlencode username=sfj.coord --data-urlencode password=Demo@2026 "http://127.0.0.1:$port/login")
[ "$code" = 302 ] || { echo "demo sign-in on PostgreSQL failed: HTTP $code"; cat data/pg-check.log; exit 1; }
echo "-- demo sign-in on PostgreSQL: HTTP $code (redirect into the app)"
echo "PostgreSQL check passed"
