-- Full-text search over task titles: a generated column and its index.
ALTER TABLE "Task" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce("title", ''))) STORED;

CREATE INDEX "Task_search_idx" ON "Task" USING GIN ("search");
