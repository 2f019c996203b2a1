-- CreateIndex
CREATE INDEX "Notification_payload_idx" ON "Notification" USING GIN ("payload" jsonb_path_ops);
