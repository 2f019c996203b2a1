-- Two accounts differing only in the case of their email were a support nightmare.
CREATE UNIQUE INDEX "User_email_lower_key" ON "User"(lower("email"));
