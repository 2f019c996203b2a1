-- near-miss: drop-index-not-concurrent
DROP INDEX CONCURRENTLY IF EXISTS "Post_title_idx";
