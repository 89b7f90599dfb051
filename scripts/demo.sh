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
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null || echo "chromium could not be installed: PDF export will be unavailable" >&2
  else
    echo "note: PDF export needs Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk)" >&2
  fi
fi
bash scripts/install.sh
npm run -s build
npx prisma migrate deploy
npm run -s db:seed
exec env NODE_ENV=production node --import tsx server/index.ts
