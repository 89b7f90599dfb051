#!/usr/bin/env bash
# Creates a migration for both databases after prisma/schema.prisma changed.
# Usage: npm run db:new-migration -- <name>   (starts the loopback PostgreSQL of scripts/postgres.sh)
# The SQL comes from `prisma migrate diff --from-migrations` (non-interactive: `migrate dev` refuses
# to run without a terminal when a change carries a warning, e.g. a new unique index).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: new-migration.sh <name>}"
npm run -s db:generate
ts=$(date -u +%Y%m%d%H%M%S)
pg_url=$(scripts/postgres.sh start)
for target in sqlite postgres; do
  if [ "$target" = sqlite ]; then dir=prisma/migrations; schema=prisma/schema.prisma; url="file:$(mktemp -d)/diff.db"
  else dir=prisma/postgres/migrations; schema=prisma/postgres/schema.prisma; url="$pg_url"; fi
  if ! out=$(DATABASE_URL="$url" PRISMA_SCHEMA="$schema" npx prisma migrate diff --from-migrations "$dir" --to-schema-datamodel "$schema" --script 2>&1); then
    echo "$target: prisma migrate diff failed:" >&2; echo "$out" >&2; exit 1
  fi
  sql=$(printf '%s\n' "$out" | grep -v -e '^Loaded Prisma config' -e '^npm warn')
  # The FTS5 table of global search (ADR 028) is hand-written SQL: Prisma sees only its shadow tables
  # ("SearchFts_data", …) and would drop them. Leave out every statement block that names them.
  # Likewise PostgreSQL's stored tsvector column "tsv" of SearchEntry and its index (hand-written, ADR 028).
  sql=$(printf '%s\n' "$sql" | awk 'BEGIN { RS = ""; ORS = "\n\n" } !/"SearchFts/ && !/"tsv"/ && !/SearchEntry_tsv_idx/')
  if [ -z "$(printf '%s' "$sql" | grep -v '^--' | tr -d '[:space:]')" ]; then echo "$target: no changes"; continue; fi
  mkdir -p "$dir/${ts}_${name}"
  printf '%s\n' "$sql" > "$dir/${ts}_${name}/migration.sql"
  echo "$target: $dir/${ts}_${name}/migration.sql"
done
