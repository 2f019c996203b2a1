-- The backfilled 'urgent' labels stay: they are data, and a redeploy keeps them (ON CONFLICT DO NOTHING).
DROP INDEX "Label_workspaceId_name_key";
