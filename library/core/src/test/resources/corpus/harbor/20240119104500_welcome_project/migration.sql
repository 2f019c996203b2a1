-- Every workspace starts with a welcome project holding two tasks.
INSERT INTO "Project" ("workspaceId", "name", "description", "updatedAt")
SELECT "id", 'Welcome', 'Start here', CURRENT_TIMESTAMP FROM "Workspace";

INSERT INTO "Task" ("projectId", "title", "status", "assigneeId")
SELECT p."id", t.title, t.status::"TaskStatus", u."id"
FROM "Project" p
CROSS JOIN (VALUES ('Invite your team', 'TODO'), ('Create a project', 'DONE')) AS t(title, status)
LEFT JOIN "User" u ON u."email" = 'ada@harbor.example'
WHERE p."name" = 'Welcome';
