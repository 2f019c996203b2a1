-- near-miss: set-not-null,constraint-without-not-valid
ALTER TABLE "User" ADD CONSTRAINT "User_name_not_null" CHECK ("name" IS NOT NULL) NOT VALID;
