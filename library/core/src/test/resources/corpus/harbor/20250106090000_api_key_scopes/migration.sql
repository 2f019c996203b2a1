-- CreateEnum
CREATE TYPE "ApiScope" AS ENUM ('READ', 'WRITE', 'ADMIN');

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "scopes" "ApiScope"[] DEFAULT ARRAY['READ']::"ApiScope"[];
