-- tidemark:lint-ignore varchar-length the starting point of this case

CREATE TABLE "Item" (
    "id" TEXT NOT NULL,
    "code" VARCHAR(100) NOT NULL,
    "name" VARCHAR(50),
    "price" DECIMAL(10,2) NOT NULL,
    "at" TIMESTAMPTZ(3),
    CONSTRAINT "Item_pkey" PRIMARY KEY ("id")
);
