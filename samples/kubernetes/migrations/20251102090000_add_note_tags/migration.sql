-- CreateEnum
CREATE TYPE "NoteKind" AS ENUM ('IDEA', 'TODO', 'DONE');

-- AlterTable
ALTER TABLE "note" ADD COLUMN "kind" "NoteKind" NOT NULL DEFAULT 'IDEA';

-- CreateTable
CREATE TABLE "note_tag" (
    "note_id" BIGINT NOT NULL REFERENCES "note"("id") ON DELETE CASCADE,
    "tag" TEXT NOT NULL,

    CONSTRAINT "note_tag_pkey" PRIMARY KEY ("note_id", "tag")
);
