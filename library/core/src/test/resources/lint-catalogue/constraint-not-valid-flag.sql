-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE; -- flag: constraint-without-not-valid

ALTER TABLE "Post"
    ADD CONSTRAINT "Post_score_check" CHECK ("score" >= 0); -- flag: constraint-without-not-valid
