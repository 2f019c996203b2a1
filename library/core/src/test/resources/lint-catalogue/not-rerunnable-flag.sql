CREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"("title"); -- flag: not-rerunnable
DROP INDEX CONCURRENTLY "Post_old_idx"; -- flag: not-rerunnable
ALTER TYPE "Role" ADD VALUE 'OWNER'; -- flag: not-rerunnable
