-- near-miss: not-rerunnable
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_title_idx" ON "Post"("title");
DROP INDEX CONCURRENTLY IF EXISTS "Post_old_idx";
ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'OWNER';
