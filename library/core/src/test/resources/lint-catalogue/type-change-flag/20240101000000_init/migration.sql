CREATE TABLE "Item" (
    "id" TEXT NOT NULL,
    "qty" INTEGER NOT NULL,
    "price" DECIMAL(10,2) NOT NULL,
    "label" TEXT,
    CONSTRAINT "Item_pkey" PRIMARY KEY ("id")
);
