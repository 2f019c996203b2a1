-- near-miss: rename-table
CREATE TABLE "Tmp" (
    "id" TEXT NOT NULL,
    "title" TEXT,
    CONSTRAINT "Tmp_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "Tmp" RENAME TO "Archive";
