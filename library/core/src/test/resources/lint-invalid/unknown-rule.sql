CREATE INDEX "a_idx" ON "a"("b");

-- tidemark:lint-ignore no-such-rule because
CREATE INDEX "c_idx" ON "c"("d");
