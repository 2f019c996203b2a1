-- References a table that does not exist, so this migration fails.
ALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;
