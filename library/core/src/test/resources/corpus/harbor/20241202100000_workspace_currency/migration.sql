-- Written by hand: the currency moves from each invoice to the workspace, in one explicit transaction.
BEGIN;

ALTER TABLE "Workspace" ADD COLUMN "currency" CHAR(3) NOT NULL DEFAULT 'EUR';

UPDATE "Workspace" w
SET "currency" = i."currency"
FROM (
    SELECT DISTINCT ON ("workspaceId") "workspaceId", "currency"
    FROM "Invoice"
    ORDER BY "workspaceId", "issuedAt" DESC
) i
WHERE i."workspaceId" = w."id";

COMMIT;
