ALTER TYPE "Status" RENAME VALUE 'DONE' TO 'COMPLETED'; -- flag: enum-value-removed
