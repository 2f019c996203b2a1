-- AlterTable
ALTER TABLE "Webhook" ALTER COLUMN "enabled" SET DEFAULT false;
