SET lock_timeout = 0; -- flag: timeout-disabled
SET SESSION statement_timeout TO '0'; -- flag: timeout-disabled
