-- AlterTable
-- Estimates in minutes; NULL means "not estimated".
ALTER TABLE "Task" ADD COLUMN     "estimateMinutes" INTEGER;

-- AlterTable
ALTER TABLE "Task" ADD CONSTRAINT "Task_estimateMinutes_check" CHECK ("estimateMinutes" IS NULL OR "estimateMinutes" >= 0);
