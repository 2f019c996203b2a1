-- The view is renamed and reshaped: drop it and create the new one (a rename would keep the old columns).
DROP VIEW "ProjectTaskCount";

CREATE VIEW "ProjectStats" AS
SELECT p."id" AS "projectId",
       p."workspaceId",
       count(t."id") AS "tasks",
       count(t."id") FILTER (WHERE t."status" = 'DONE') AS "done",
       max(t."dueDate") AS "lastDueDate"
FROM "Project" p
LEFT JOIN "Task" t ON t."projectId" = p."id"
WHERE NOT p."archived"
GROUP BY p."id", p."workspaceId";
