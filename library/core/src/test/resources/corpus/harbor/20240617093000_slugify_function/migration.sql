-- An SQL-standard body (BEGIN ATOMIC): parsed when created. Used by the application and by the backfill below.
CREATE FUNCTION "slugify"(value TEXT) RETURNS TEXT
    LANGUAGE SQL
    IMMUTABLE
    RETURNS NULL ON NULL INPUT
BEGIN ATOMIC
    SELECT trim(BOTH '-' FROM regexp_replace(lower(value), '[^a-z0-9]+', '-', 'g'));
END;

UPDATE "Workspace" SET "slug" = "slugify"("name") WHERE "slug" <> 'system';
