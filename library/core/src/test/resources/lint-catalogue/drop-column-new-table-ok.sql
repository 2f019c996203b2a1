-- near-miss: drop-column
CREATE TABLE "Staging" (
    "id" TEXT NOT NULL,
    "title" TEXT,
    CONSTRAINT "Staging_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Staging" DROP COLUMN "title";
ALTER TABLE "User" DROP CONSTRAINT "User_legacy_check";
