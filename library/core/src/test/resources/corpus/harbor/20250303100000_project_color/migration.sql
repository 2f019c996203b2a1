-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "color" VARCHAR(7),
ADD COLUMN     "icon" TEXT;
