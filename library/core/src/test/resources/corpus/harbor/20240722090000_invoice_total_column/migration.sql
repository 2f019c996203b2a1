-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN     "totalCents" BIGINT NOT NULL DEFAULT 0;

-- Backfill from the lines, with the function of 20240610120000.
UPDATE "Invoice" i SET "totalCents" = "invoice_total_cents"(i."id");
