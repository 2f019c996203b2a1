-- DropIndex
DROP INDEX "Post_title_idx"; -- flag: drop-index-not-concurrent
