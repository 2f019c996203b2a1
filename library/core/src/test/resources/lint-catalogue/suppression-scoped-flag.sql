-- tidemark:lint-ignore create-index-not-concurrent only this one
CREATE INDEX "Country_name_idx" ON "Country"("name");
CREATE INDEX "Currency_code_idx" ON "Currency"("code"); -- flag: create-index-not-concurrent
