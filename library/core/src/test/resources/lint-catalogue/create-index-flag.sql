-- CreateIndex
CREATE INDEX "Post_title_idx" ON "Post"("title"); -- flag: create-index-not-concurrent

-- CreateIndex
CREATE UNIQUE INDEX "Post_slug_key" ON public."Post" USING btree ("slug"); -- flag: create-index-not-concurrent
