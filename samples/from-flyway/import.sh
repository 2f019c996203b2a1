#!/usr/bin/env bash
# Moves a database that Flyway migrated from db/migration to Tidemark, then seeds it.
# Needs: the tidemark command on PATH (see the main README) and DATABASE_URL of the database Flyway migrated.
set -euo pipefail
cd "$(dirname "$0")"
: "${DATABASE_URL:?Set DATABASE_URL to the database Flyway migrated, e.g. postgresql://postgres@127.0.0.1:5432/app}"

# 1. The files: V1, V1.1, V2, V10 become prisma/migrations/0000000000000{1..4}_v..., byte for byte;
#    R__account_view.sql is reported (Tidemark has no repeatable migrations).
tidemark import flyway --from db/migration --to prisma/migrations

# 2. What Flyway applied, as a dry run, then written to _prisma_migrations.
tidemark import flyway --from db/migration --to prisma/migrations --database
tidemark import flyway --from db/migration --to prisma/migrations --database --apply

# 3. Nothing is applied again; status says up to date (exit 0, 3 if something were pending).
tidemark deploy --migrations prisma/migrations
tidemark status --migrations prisma/migrations --exit-code

# 4. From now on: new migrations with Tidemark (or Prisma), and the seed file next to the migrations.
tidemark seed --migrations prisma/migrations
