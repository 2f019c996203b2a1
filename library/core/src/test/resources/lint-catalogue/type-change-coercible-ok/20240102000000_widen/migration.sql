-- near-miss: type-change-rewrites
-- AlterTable
ALTER TABLE "Item" ALTER COLUMN "code" SET DATA TYPE TEXT,
ALTER COLUMN "name" TYPE character varying,
ALTER COLUMN "price" TYPE DECIMAL(14,2),
ALTER COLUMN "at" TYPE timestamp(6) with time zone;
