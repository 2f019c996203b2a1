-- Lines with a zero or negative quantity came from a bug in the importer; fix them, then forbid them.
UPDATE "InvoiceLine" SET "quantity" = 1 WHERE "quantity" <= 0;
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_quantity_check" CHECK ("quantity" > 0);
