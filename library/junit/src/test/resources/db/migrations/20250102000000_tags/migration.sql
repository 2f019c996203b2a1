CREATE TABLE "Tag" ("name" TEXT PRIMARY KEY);
INSERT INTO "Tag" ("name") VALUES ('inbox');
