-- PostgreSQL cannot drop an enum value: the type is made again without it.
ALTER TYPE "Role" RENAME TO "Role_old";
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
DROP TYPE "Role_old";
