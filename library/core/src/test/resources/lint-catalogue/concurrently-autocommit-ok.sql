-- near-miss: concurrently-in-transaction
-- Tidemark runs this file in autocommit, as the statement requires.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Post_slug_key" ON "Post"("slug");
