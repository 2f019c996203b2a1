-- AlterTable
ALTER TABLE "User" ADD COLUMN "slug" TEXT;
UPDATE "User" SET "slug" = lower("name") WHERE "slug" IS NULL; -- flag: backfill-with-ddl
