DROP TYPE "Role";
