-- Long enough that two instances starting together overlap while it runs.
SELECT pg_sleep(1);
ALTER TABLE "book" ADD COLUMN "isbn" VARCHAR(20);
