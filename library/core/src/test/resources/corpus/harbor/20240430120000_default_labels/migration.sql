-- Backfill: every existing workspace gets the default labels new workspaces get from the application.
INSERT INTO "Label" ("workspaceId", "name", "color")
SELECT w."id", l.name, l.color
FROM "Workspace" w
CROSS JOIN (VALUES ('bug', '#d73a4a'), ('feature', '#a2eeef'), ('question', '#d876e3')) AS l(name, color);
