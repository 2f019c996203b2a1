-- A DO block: dollar quotes around a body with its own semicolons and quotes.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM "Workspace" WHERE "slug" = 'system') THEN
        UPDATE "Workspace" SET "name" = 'Harbor (system)' WHERE "slug" = 'system';
    END IF;
END
$$;
