-- The system user and workspace that own the built-in labels; every later backfill has rows to work on.
INSERT INTO "User" ("email", "name", "role") VALUES ('system@harbor.example', 'System', 'ADMIN');
INSERT INTO "User" ("email", "name") VALUES ('ada@harbor.example', 'Ada');

INSERT INTO "Workspace" ("name", "slug", "domain") VALUES ('Harbor', 'system', 'harbor.example');

INSERT INTO "Membership" ("workspaceId", "userId", "role")
SELECT w."id", u."id", CASE WHEN u."role" = 'ADMIN' THEN 'OWNER'::"MemberRole" ELSE 'MEMBER'::"MemberRole" END
FROM "Workspace" w CROSS JOIN "User" u
WHERE w."slug" = 'system';
