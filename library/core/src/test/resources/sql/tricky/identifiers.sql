CREATE TABLE "semi;colon" ("col;umn" int, "quo""te;" text, "begin" int, "end" int);
INSERT INTO "semi;colon" VALUES (1, 'a;', 2, 3);
SELECT U&"col\003Bumn", "quo""te;" FROM "semi;colon";
SELECT "begin", "end" FROM "semi;colon" WHERE "end" > 0;
CREATE TABLE naïve_ünïcödé (ß int, "ü;" int);
SELECT ß FROM naïve_ünïcödé;
