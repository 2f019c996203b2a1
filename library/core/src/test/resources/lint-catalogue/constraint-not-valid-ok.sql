-- near-miss: constraint-without-not-valid
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") NOT VALID;
ALTER TABLE "Post" ADD CONSTRAINT "Post_score_check" CHECK ("score" >= 0) NOT VALID;
ALTER TABLE "Comment" VALIDATE CONSTRAINT "Comment_postId_fkey";
