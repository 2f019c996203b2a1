CREATE TABLE "Counter" (
    "id" SERIAL NOT NULL, -- flag: int-primary-key
    "value" BIGINT NOT NULL,
    CONSTRAINT "Counter_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Legacy" (
    id integer PRIMARY KEY -- flag: int-primary-key
);
