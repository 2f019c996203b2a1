-- AlterEnum
-- The new value cannot be used in the same transaction; the next migration uses it.
ALTER TYPE "Plan" ADD VALUE IF NOT EXISTS 'ENTERPRISE';
