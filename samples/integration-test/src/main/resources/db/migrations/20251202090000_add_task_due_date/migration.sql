-- AlterTable
ALTER TABLE "Task" ADD COLUMN "dueDate" DATE;
