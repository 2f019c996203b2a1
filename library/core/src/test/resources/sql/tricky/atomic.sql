-- SQL-standard function bodies: the semicolons inside BEGIN ATOMIC ... END belong to the function.
CREATE TABLE atomic_log (v int);
CREATE FUNCTION atomic_one() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1;
END;
CREATE OR REPLACE FUNCTION atomic_case(x int) RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x > 0 THEN 'pos;' ELSE 'neg;' END;
END;
CREATE PROCEDURE atomic_insert(v int) LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO atomic_log VALUES (v);
  INSERT INTO atomic_log VALUES (v + 1);
END;
CREATE OR REPLACE PROCEDURE atomic_nested(v int) LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO atomic_log SELECT CASE WHEN v > 0 THEN CASE WHEN v > 10 THEN 10 ELSE v END END;
  DELETE FROM atomic_log WHERE v < 0;
END;
CREATE FUNCTION atomic_param("begin" int, "end" int) RETURNS int LANGUAGE sql RETURN "begin" + "end";
CREATE FUNCTION atomic_case_outside(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 ELSE 0 END;
CALL atomic_insert(1);
SELECT atomic_one(), atomic_case(1), atomic_param(1, 2), atomic_case_outside(3);
