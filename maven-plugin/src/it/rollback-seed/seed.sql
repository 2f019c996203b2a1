INSERT INTO "User" (name, email) VALUES ('ada', 'ada@example.com'), ('grace', 'grace@example.com');
