-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "position" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- Backfill: keep today's order (creation order within a project).
UPDATE "Task" t
SET "position" = r.rn
FROM (
    SELECT "id", row_number() OVER (PARTITION BY "projectId" ORDER BY "createdAt", "id") AS rn
    FROM "Task"
) r
WHERE r."id" = t."id";
