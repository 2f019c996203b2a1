-- Every status change of a task lands in the audit log, whoever makes it.
CREATE FUNCTION "audit_task_status"() RETURNS trigger
    LANGUAGE plpgsql
AS $body$
DECLARE
    workspace INTEGER;
BEGIN
    SELECT p."workspaceId" INTO workspace FROM "Project" p WHERE p."id" = NEW."projectId";
    INSERT INTO "AuditLog" ("workspaceId", "action", "target")
    VALUES (workspace, 'task.status', format('task %s: %s -> %s', NEW."id", OLD."status", NEW."status"));
    RETURN NEW;
END;
$body$;

CREATE TRIGGER "Task_audit_status"
    AFTER UPDATE OF "status" ON "Task"
    FOR EACH ROW
    WHEN (OLD."status" IS DISTINCT FROM NEW."status")
    EXECUTE FUNCTION "audit_task_status"();
