-- near-miss: drop-table
CREATE TABLE "Import" (
    "id" TEXT NOT NULL,
    "title" TEXT,
    CONSTRAINT "Import_pkey" PRIMARY KEY ("id")
);

DROP TABLE "Import";
