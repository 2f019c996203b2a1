-- near-miss: whole-table-update
-- tidemark:transaction=none

UPDATE "User" SET "active" = true WHERE "id" IN (SELECT "id" FROM "User" WHERE "active" IS NULL LIMIT 1000);
UPDATE "User" SET "active" = true;
