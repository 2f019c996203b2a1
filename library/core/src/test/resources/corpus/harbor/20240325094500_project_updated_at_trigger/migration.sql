-- Keep "updatedAt" right for writes that do not come through Prisma (support scripts, psql).
CREATE OR REPLACE FUNCTION "set_updated_at"() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    -- a semicolon in a comment; and one in a string: ';'
    NEW."updatedAt" := CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "Project_set_updated_at"
    BEFORE UPDATE ON "Project"
    FOR EACH ROW
    EXECUTE FUNCTION "set_updated_at"();
