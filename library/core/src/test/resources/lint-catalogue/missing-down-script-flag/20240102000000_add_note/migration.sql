-- AlterTable -- flag: missing-down-script
ALTER TABLE "Note" ADD COLUMN "body" TEXT;
