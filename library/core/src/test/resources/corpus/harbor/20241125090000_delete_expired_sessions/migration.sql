-- Called by the nightly job; returns how many sessions it removed.
CREATE OR REPLACE FUNCTION "delete_expired_sessions"() RETURNS INTEGER
    LANGUAGE plpgsql
AS $$
DECLARE
    removed INTEGER;
BEGIN
    DELETE FROM "AuthSession" WHERE "expiresAt" < CURRENT_TIMESTAMP;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$;
