-- Both tables are large: the indexes are built CONCURRENTLY, and the column added in the same file.
-- Tidemark runs such a file statement by statement in autocommit; Prisma cannot run it as one script.
-- CreateIndex
CREATE INDEX CONCURRENTLY "WebhookDelivery_webhookId_attemptedAt_idx" ON "WebhookDelivery"("webhookId", "attemptedAt");

-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Comment_taskId_idx" ON "Comment"("taskId");

-- AlterTable
ALTER TABLE "Comment" ADD COLUMN     "editedAt" TIMESTAMP(3);
