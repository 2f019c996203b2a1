-- Builds the index without blocking writes; Tidemark runs this file outside a transaction.
CREATE INDEX CONCURRENTLY "note_created_at_idx" ON "note" ("created_at");
