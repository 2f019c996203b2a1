-- Task is large in production: build the index without blocking writes.
-- (CONCURRENTLY cannot run in a transaction; it is the only statement of this migration.)
CREATE INDEX CONCURRENTLY "Task_title_idx" ON "Task"("title");
