-- near-miss: timeout-disabled
SET LOCAL lock_timeout = '5s';
SET statement_timeout TO '15min';
