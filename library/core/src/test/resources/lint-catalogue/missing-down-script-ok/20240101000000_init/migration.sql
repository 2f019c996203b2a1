-- near-miss: missing-down-script
CREATE TABLE "Tag" ("id" BIGINT NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
