-- near-miss: add-not-null-without-default
ALTER TABLE "User" ADD COLUMN "tenantId" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN "nickname" TEXT;
