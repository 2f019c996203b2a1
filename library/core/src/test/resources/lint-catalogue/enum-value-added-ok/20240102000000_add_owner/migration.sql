-- near-miss: enum-value-removed
-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'OWNER';
