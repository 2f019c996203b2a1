-- Data only: the system workspace gets its earlier name back.
UPDATE "Workspace" SET "name" = 'Harbor' WHERE "slug" = 'system' AND "name" = 'Harbor (system)';
