-- CreateIndex
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Project_workspaceId_name_key" ON "Project"("workspaceId", "name");
