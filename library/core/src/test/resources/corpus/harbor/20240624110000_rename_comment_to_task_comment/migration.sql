-- The model Comment became TaskComment; rename the table and what Prisma names after it, instead of a drop and a create.
ALTER TABLE "Comment" RENAME TO "TaskComment";
ALTER TABLE "TaskComment" RENAME CONSTRAINT "Comment_pkey" TO "TaskComment_pkey";
ALTER TABLE "TaskComment" RENAME CONSTRAINT "Comment_taskId_fkey" TO "TaskComment_taskId_fkey";
ALTER TABLE "TaskComment" RENAME CONSTRAINT "Comment_authorId_fkey" TO "TaskComment_authorId_fkey";
ALTER INDEX "Comment_taskId_idx" RENAME TO "TaskComment_taskId_idx";
ALTER SEQUENCE "Comment_id_seq" RENAME TO "TaskComment_id_seq";
