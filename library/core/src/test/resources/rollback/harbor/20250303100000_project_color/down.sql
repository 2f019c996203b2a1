ALTER TABLE "Project" DROP COLUMN "icon",
DROP COLUMN "color";
