-- near-miss: varchar-length
CREATE TABLE "Profile" (
    "id" TEXT NOT NULL,
    "bio" VARCHAR,
    "handle" TEXT NOT NULL CHECK (length("handle") <= 32),
    CONSTRAINT "Profile_pkey" PRIMARY KEY ("id")
);
