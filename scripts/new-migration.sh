#!/usr/bin/env bash
# Creates a migration for both databases after prisma/schema.prisma changed.
# Usage: npm run db:new-migration -- <name>   (starts the loopback PostgreSQL of scripts/postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: new-migration.sh <name>}"
npm run -s db:generate
tmp=$(mktemp -d)
DATABASE_URL="file:$tmp/migrate.db" npx prisma migrate deploy
DATABASE_URL="file:$tmp/migrate.db" npx prisma migrate dev --name "$name" --skip-generate --skip-seed
pg_url=$(scripts/postgres.sh start)
DATABASE_URL="$pg_url" npx prisma migrate deploy
DATABASE_URL="$pg_url" npx prisma migrate dev --name "$name" --skip-generate --skip-seed
rm -rf "$tmp"
