-- CreateIndex
CREATE UNIQUE INDEX "Label_workspaceId_name_key" ON "Label"("workspaceId", "name");

-- Backfill: the new default label, for workspaces that do not have it yet.
INSERT INTO "Label" ("workspaceId", "name", "color")
SELECT "id", 'urgent', '#b60205' FROM "Workspace"
ON CONFLICT ("workspaceId", "name") DO NOTHING;
