-- forgets to drop the table
SELECT 1;
