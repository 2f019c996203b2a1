-- AlterTable
ALTER TABLE "User" DROP COLUMN "legacyId", -- flag: drop-column
DROP COLUMN IF EXISTS "oldName"; -- flag: drop-column
