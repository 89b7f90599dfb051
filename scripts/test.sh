#!/usr/bin/env bash
# The whole test suite (README's second command; .ci/run calls it too):
# types and lint, unit + integration + collab tests (vitest, real server on port 0), browser tests
# (Playwright with Debian's chromium), the PostgreSQL boot check, and the scale-out drills (two
# processes behind nginx on PostgreSQL + Redis; scripts/scale-out.sh installs what it lacks as root).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

# Debian's chromium (browser tests, PDF export), CJK fonts (宋/黑 and 楷 faces), poppler-utils (the PDF
# tests read pages back), LibreOffice Writer and Calc (the .docx/.xlsx exports opened as WPS/LibreOffice users do).
bash scripts/apt-install.sh chromium fonts-noto-cjk fonts-arphic-ukai poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui

bash scripts/install.sh
echo "== typecheck and lint (side by side: each is mostly one core)"
npm run -s typecheck > /tmp/consult-typecheck.$$ 2>&1 &
typecheck=$!
lint_ok=true
npm run -s lint || lint_ok=false
typecheck_ok=true
wait "$typecheck" || typecheck_ok=false
cat /tmp/consult-typecheck.$$
rm -f /tmp/consult-typecheck.$$
if [ "$typecheck_ok" != true ] || [ "$lint_ok" != true ]; then
  echo "typecheck or lint failed" >&2
  exit 1
fi
echo "== build"
npm run -s build >/dev/null
echo "== vitest (unit, integration, collab)"
npx vitest run
echo "== playwright (e2e)"
npx playwright test
# One port for the PostgreSQL steps below, free of other checkouts' clusters.
PG_PORT=$(bash scripts/pg-port.sh)
export PG_PORT
echo "== PostgreSQL boot check"
bash scripts/postgres-check.sh
echo "== scale-out drills (PostgreSQL, Redis, two processes, nginx)"
npm run -s test:scale-out
echo "== all tests passed in $(( $(date +%s) - start ))s"
