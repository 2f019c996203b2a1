-- CreateTable
CREATE TABLE "InvoiceLine" (
    "id" SERIAL NOT NULL,
    "invoiceId" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "unitCents" INTEGER NOT NULL,

    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One invoice for the system workspace, so that later backfills have something to compute.
INSERT INTO "Invoice" ("workspaceId", "number", "status", "amountCents")
SELECT "id", 'H-0001', 'PAID', 4200 FROM "Workspace" WHERE "slug" = 'system';

INSERT INTO "InvoiceLine" ("invoiceId", "description", "quantity", "unitCents")
SELECT i."id", l.description, l.quantity, l.unit
FROM "Invoice" i
CROSS JOIN (VALUES ('Seats', 3, 1000), ('Storage', 1, 1200)) AS l(description, quantity, unit)
WHERE i."number" = 'H-0001';
