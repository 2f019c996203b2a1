-- near-miss: create-index-not-concurrent
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_title_idx" ON "Post"("title");
