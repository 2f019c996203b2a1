CREATE TABLE "Audit" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, -- flag: timestamp-without-time-zone
    "seenAt" timestamp without time zone, -- flag: timestamp-without-time-zone
    CONSTRAINT "Audit_pkey" PRIMARY KEY ("id")
);
