#!/usr/bin/env bash
# Quick start: installs everything, prepares the embedded SQLite database with the 示例市 demo data
# and starts Consult on http://localhost:3000 (PORT to change). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-file:./data/consult.db}"
# The demo serves plain HTTP (also to other machines on the LAN): Secure cookies would be dropped
# there. Behind HTTPS, run `npm start` with COOKIE_SECURE=true (the production default).
export COOKIE_SECURE="${COOKIE_SECURE:-false}"
bash scripts/install.sh
npm run -s build
npx prisma migrate deploy
npm run -s db:seed
exec env NODE_ENV=production node --import tsx server/index.ts
