#!/usr/bin/env bash
# Server for the Playwright run: a fresh SQLite database with the demo data on E2E_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="file:./data/e2e.db"
rm -f data/e2e.db data/e2e.db-journal data/e2e.db-wal data/e2e.db-shm
npx prisma migrate deploy >/dev/null
node --import tsx prisma/seed.ts >/dev/null
exec env PORT="${E2E_PORT:-3100}" HOST=127.0.0.1 NODE_ENV=production node --import tsx server/index.ts
