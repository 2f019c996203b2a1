-- A folder copied from the previous one and edited, as happens in real histories: the space in its name is part
-- of the migration's name in _prisma_migrations.
-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "expiresAt" TIMESTAMP(3);
