-- near-miss: create-index-not-concurrent,drop-column
-- CreateIndex
-- tidemark:lint-ignore create-index-not-concurrent the table holds 40 rows
CREATE INDEX "Country_name_idx" ON "Country"("name");

-- tidemark:lint-ignore drop-column,drop-table the app stopped using both in release 41
ALTER TABLE "User" DROP COLUMN "legacyId";
