CREATE TABLE "Account" (
    "id" SERIAL PRIMARY KEY,
    "email" TEXT NOT NULL UNIQUE
);
CREATE TABLE "Note" (
    "id" SERIAL PRIMARY KEY,
    "accountId" INTEGER NOT NULL REFERENCES "Account"("id"),
    "text" TEXT NOT NULL
);
INSERT INTO "Account" ("email") VALUES ('admin@example.com');
