INSERT INTO "Account" ("email") VALUES ('seeded@example.com');
INSERT INTO "Tag" ("name") VALUES ('seeded');
