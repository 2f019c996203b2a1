-- near-miss: backfill-with-ddl,whole-table-update
UPDATE "User" SET "slug" = lower("name") WHERE "slug" IS NULL AND "id" < 'm';
