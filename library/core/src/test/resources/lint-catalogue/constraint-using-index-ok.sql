-- near-miss: constraint-without-index
ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_idx";
ALTER TABLE "Legacy" ADD CONSTRAINT "Legacy_pkey" PRIMARY KEY USING INDEX "Legacy_id_idx";
