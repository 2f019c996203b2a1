-- near-miss: identifier-too-long
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL,
    "title" TEXT,
    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Subscription_organisationId_billingPeriodStart_xxxxxxxxxxxxxxxx" ON "Subscription"("title");
