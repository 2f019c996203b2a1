DROP TABLE "Member";
DROP TYPE "Role";
