-- AlterTable
ALTER TABLE "book" ADD COLUMN "isbn" VARCHAR(20);
