-- "assignee" became "owner" in the product; keep the data.
ALTER TABLE "Task" RENAME COLUMN "assigneeId" TO "ownerId";
ALTER TABLE "Task" RENAME CONSTRAINT "Task_assigneeId_fkey" TO "Task_ownerId_fkey";
