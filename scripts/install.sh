#!/usr/bin/env bash
# Installs the project's dependencies when they are missing or stale, and generates both Prisma
# clients. Used by the quick-start and test commands.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.consult-install-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
npm run -s db:generate >/dev/null
