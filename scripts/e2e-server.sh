#!/usr/bin/env bash
# Server for the Playwright run: a fresh SQLite database with the demo data on E2E_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
# One database per port, so two runs (e.g. two checkouts' CI) never share a file.
db="data/e2e-${E2E_PORT:-3100}.db"
export DATABASE_URL="file:./${db}"
rm -f "$db" "$db-journal" "$db-wal" "$db-shm"
npx prisma migrate deploy >/dev/null
node --import tsx prisma/seed.ts >/dev/null
exec env PORT="${E2E_PORT:-3100}" HOST=127.0.0.1 NODE_ENV=production PUBLIC_URL="http://127.0.0.1:${E2E_PORT:-3100}" node --import tsx server/index.ts
