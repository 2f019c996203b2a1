-- AlterTable
ALTER TABLE "Item" ALTER COLUMN "qty" SET DATA TYPE BIGINT; -- flag: type-change-rewrites
ALTER TABLE "Item" ALTER COLUMN "price" TYPE DECIMAL(12,4); -- flag: type-change-rewrites
ALTER TABLE "Item" ALTER COLUMN "label" TYPE INTEGER USING "label"::integer; -- flag: type-change-rewrites
