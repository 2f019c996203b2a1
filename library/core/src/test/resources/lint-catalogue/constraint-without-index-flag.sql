ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email"); -- flag: constraint-without-index
ALTER TABLE "Legacy" ADD PRIMARY KEY ("id"); -- flag: constraint-without-index
