-- near-miss: create-index-not-concurrent,set-not-null
-- tidemark:lint-ignore create-index-not-concurrent lookup tables, all small
-- tidemark:lint-ignore set-not-null backfilled in 20240101000000_backfill

CREATE INDEX "Country_name_idx" ON "Country"("name");
CREATE INDEX "Currency_code_idx" ON "Currency"("code");
ALTER TABLE "Country" ALTER COLUMN "name" SET NOT NULL;
