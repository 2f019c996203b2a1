-- the name moves to a profile table
ALTER TABLE "User" DROP COLUMN "name";
