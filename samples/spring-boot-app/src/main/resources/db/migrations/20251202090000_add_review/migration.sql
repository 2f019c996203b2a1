-- CreateTable
CREATE TABLE "review" (
    "id" BIGSERIAL NOT NULL,
    "book_id" BIGINT NOT NULL,
    "stars" SMALLINT NOT NULL CHECK ("stars" BETWEEN 1 AND 5),
    "comment" VARCHAR(2000),

    CONSTRAINT "review_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_book_id_fkey" FOREIGN KEY ("book_id") REFERENCES "book"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "review_book_id_idx" ON "review"("book_id");
