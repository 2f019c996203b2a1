-- near-miss: rename-column,rename-table
ALTER TABLE "User" RENAME CONSTRAINT "User_pk" TO "User_pkey";
ALTER INDEX "User_email" RENAME TO "User_email_key";
