-- A partial index: the due-soon job only ever looks at tasks that are not done.
CREATE INDEX "Task_open_dueDate_idx" ON "Task"("dueDate") WHERE "status" <> 'DONE';
