-- Replaced by "Task_search_idx"; dropped without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS "Task_title_idx";
