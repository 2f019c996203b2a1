-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "ownerId" INTEGER;

-- Backfill: the owner is the member with the OWNER role.
UPDATE "Workspace" w
SET "ownerId" = m."userId"
FROM "Membership" m
WHERE m."workspaceId" = w."id" AND m."role" = 'OWNER';

-- AddForeignKey
ALTER TABLE "Workspace" ADD CONSTRAINT "Workspace_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
