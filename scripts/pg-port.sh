#!/usr/bin/env bash
# Prints the port for this checkout's loopback PostgreSQL (scripts/postgres.sh): PG_PORT when given,
# else the first port from 54329 up that is free or already serves this checkout's own cluster —
# another checkout's cluster, or any other server, may hold the default one.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PG_PORT:-}" ]; then echo "$PG_PORT"; exit 0; fi
port=54329
while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port " && ! PG_PORT=$port scripts/postgres.sh running; do
  port=$((port + 1))
done
echo "$port"
