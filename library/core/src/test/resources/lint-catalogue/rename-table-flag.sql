ALTER TABLE "Account" RENAME TO "UserAccount"; -- flag: rename-table
