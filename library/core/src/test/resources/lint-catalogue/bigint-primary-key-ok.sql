-- near-miss: int-primary-key
CREATE TABLE "Counter" (
    "id" BIGSERIAL NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Counter_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Event" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY
);
