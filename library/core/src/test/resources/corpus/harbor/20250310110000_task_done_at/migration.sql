-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "doneAt" TIMESTAMP(3);

-- Backfill: tasks already done count as done when they were created (the best we know).
UPDATE "Task" SET "doneAt" = "createdAt" WHERE "status" = 'DONE';
