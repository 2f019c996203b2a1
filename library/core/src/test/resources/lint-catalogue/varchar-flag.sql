CREATE TABLE "Profile" (
    "id" TEXT NOT NULL,
    "bio" VARCHAR(255), -- flag: varchar-length
    "handle" character varying(32) NOT NULL, -- flag: varchar-length
    CONSTRAINT "Profile_pkey" PRIMARY KEY ("id")
);
