-- Backfill before the constraint: no project may be without a description any more.
UPDATE "Project" SET "description" = '' WHERE "description" IS NULL;

-- AlterTable
ALTER TABLE "Project" ALTER COLUMN "description" SET NOT NULL,
ALTER COLUMN "description" SET DEFAULT '';
