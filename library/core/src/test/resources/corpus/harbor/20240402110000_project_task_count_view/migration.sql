-- CreateView
CREATE VIEW "ProjectTaskCount" AS
SELECT p."id" AS "projectId",
       count(t."id") AS "tasks"
FROM "Project" p
LEFT JOIN "Task" t ON t."projectId" = p."id"
GROUP BY p."id";
