-- AlterTable
ALTER TABLE "User" ADD COLUMN "tenantId" TEXT NOT NULL; -- flag: add-not-null-without-default
