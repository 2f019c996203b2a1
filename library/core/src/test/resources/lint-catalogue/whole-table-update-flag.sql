UPDATE "User" SET "active" = true; -- flag: whole-table-update
DELETE FROM "Session"; -- flag: whole-table-update
