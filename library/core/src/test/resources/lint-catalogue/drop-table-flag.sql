-- DropTable
DROP TABLE "Session"; -- flag: drop-table
