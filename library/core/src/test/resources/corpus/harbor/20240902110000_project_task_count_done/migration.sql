-- The view gains a column (CREATE OR REPLACE VIEW may only add columns at the end).
CREATE OR REPLACE VIEW "ProjectTaskCount" AS
SELECT p."id" AS "projectId",
       count(t."id") AS "tasks",
       count(t."id") FILTER (WHERE t."status" = 'DONE') AS "done"
FROM "Project" p
LEFT JOIN "Task" t ON t."projectId" = p."id"
GROUP BY p."id";
