-- AlterTable
ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL; -- flag: set-not-null
