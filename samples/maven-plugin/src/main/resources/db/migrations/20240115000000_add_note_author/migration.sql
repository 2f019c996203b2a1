-- AlterTable
ALTER TABLE "Note" ADD COLUMN "author" TEXT;

-- CreateIndex
CREATE INDEX "Note_author_idx" ON "Note"("author");
