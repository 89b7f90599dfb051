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
# Quiet when it works (the Prisma CLI repeats its config notices); everything it said when it fails.
if ! out=$(npm run -s db:generate 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
