-- near-miss: add-column-volatile-default,add-not-null-without-default
ALTER TABLE "User" ADD COLUMN "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "seenAt" TIMESTAMPTZ NOT NULL DEFAULT now(),
ADD COLUMN "role" TEXT NOT NULL DEFAULT 'USER';
