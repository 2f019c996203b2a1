-- Prisma generated a drop and an add; edited by hand into a rename so that no avatar is lost.
ALTER TABLE "User" RENAME COLUMN "avatarUrl" TO "imageUrl";
