#!/usr/bin/env bash
# Server for one Playwright worker (tests/e2e/fixtures.ts starts one per worker): a fresh SQLite
# database with the demo data on E2E_PORT.
#   E2E_DB        the database file (default data/e2e-$E2E_PORT.db: one per port, so two runs, e.g. two
#                 checkouts' CI, never share a file)
#   E2E_TEMPLATE  a migrated and seeded database to copy instead of migrating and seeding here
#                 (tests/e2e/global-setup.ts makes one per run with `--prepare`)
# `--prepare`: migrate and seed E2E_DB, leave it as one self-contained file, and exit.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${E2E_PORT:-3100}"
db="${E2E_DB:-data/e2e-${port}.db}"
export DATABASE_URL="file:./${db}"
mkdir -p "$(dirname "$db")"
rm -f "$db" "$db-journal" "$db-wal" "$db-shm"
if [[ -n "${E2E_TEMPLATE:-}" && "${1:-}" != "--prepare" ]]; then
  cp "$E2E_TEMPLATE" "$db"
else
  npx prisma migrate deploy >/dev/null
  node --import tsx prisma/seed.ts >/dev/null
fi
if [[ "${1:-}" == "--prepare" ]]; then
  # Fold the write-ahead log into the file, so a plain copy of it is the whole database.
  node --input-type=module -e "import Database from 'better-sqlite3'; new Database(process.argv[1]).pragma('journal_mode = DELETE');" "$db"
  exit 0
fi
[ -f build/server/index.js ] || { echo "build/server/index.js is missing: run npm run build first" >&2; exit 1; }
exec env PORT="$port" HOST=127.0.0.1 NODE_ENV=production PUBLIC_URL="http://127.0.0.1:${port}" node --enable-source-maps build/server/index.js
