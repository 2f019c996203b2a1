-- tidemark:transaction=per-migration

CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_title_idx" ON "Post"("title"); -- flag: concurrently-in-transaction
