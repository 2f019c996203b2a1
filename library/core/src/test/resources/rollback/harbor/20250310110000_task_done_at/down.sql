-- DropColumn (the backfilled values go with it)
ALTER TABLE "Task" DROP COLUMN "doneAt";
