-- near-miss: set-not-null
CREATE TABLE "Note" (
    "id" TEXT NOT NULL,
    "title" TEXT,
    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Note" ALTER COLUMN "title" SET NOT NULL;
