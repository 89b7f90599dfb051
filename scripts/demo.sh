#!/usr/bin/env bash
# Quick start: installs everything, prepares the embedded SQLite database with the 示例市 demo data
# and starts Consult on http://localhost:3000 (PORT to change). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-file:./data/consult.db}"
# The demo serves plain HTTP (also to other machines on the LAN): Secure cookies would be dropped
# there. Behind HTTPS, run `npm start` with COOKIE_SECURE=true (the production default).
export COOKIE_SECURE="${COOKIE_SECURE:-false}"
# PDF export prints with Debian's chromium and the CJK fonts; everything else works without them.
if [ "$(id -u)" = 0 ]; then
  bash scripts/apt-install.sh chromium fonts-noto-cjk fonts-arphic-ukai
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "note: PDF export needs Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk); it is unavailable until then" >&2
fi
bash scripts/install.sh
npm run -s build
# The Prisma CLI's notices (config file, driver adapter) are noise here: print what was applied, or
# everything when it fails.
if ! out=$(npx prisma migrate deploy 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
printf '%s\n' "$out" | grep -E "migrations? found|No pending migrations|All migrations have been successfully applied" || true
npm run -s db:seed
exec env NODE_ENV=production CONSULT_DEMO="${CONSULT_DEMO:-true}" node --enable-source-maps build/server/index.js
