ALTER TABLE "User" ADD COLUMN "token" UUID NOT NULL DEFAULT gen_random_uuid(); -- flag: add-column-volatile-default
ALTER TABLE "User" ADD COLUMN "seq" BIGSERIAL; -- flag: add-column-volatile-default
ALTER TABLE "User" ADD COLUMN "n" BIGINT GENERATED ALWAYS AS IDENTITY; -- flag: add-column-volatile-default
