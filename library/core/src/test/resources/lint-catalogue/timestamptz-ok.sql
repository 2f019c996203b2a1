-- near-miss: timestamp-without-time-zone
CREATE TABLE "Audit" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" timestamp(6) with time zone,
    CONSTRAINT "Audit_pkey" PRIMARY KEY ("id")
);
