COMMENT ON TABLE "AuditLog" IS 'Append-only: rows are written by triggers and the application, never updated';
COMMENT ON COLUMN "AuditLog"."target" IS 'What the action was done to, as text: "task 12: TODO -> DONE"';
