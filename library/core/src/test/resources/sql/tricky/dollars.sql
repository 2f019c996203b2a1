-- Dollar quotes, with and without tags, nested differently-tagged, next to identifiers and parameters.
SELECT $$a; b$$, $tag$ $$ ; $$ $tag$, $_x1$ ; $_x1$;
DO $outer$
BEGIN
  EXECUTE $inner$ SELECT 'x;y' $inner$;
  PERFORM $$;$$;
END
$outer$;
SELECT 1 AS a$b, 2 AS "$$;"; SELECT 3 AS x$$;
PREPARE p(int) AS SELECT $1 + 1; EXECUTE p(41); DEALLOCATE p;
CREATE OR REPLACE FUNCTION tricky_plpgsql(v text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  r text := $$;$$;
BEGIN
  RETURN v || r; -- ; in a comment in a body
END;
$fn$;
SELECT $a$ $b$ ; $b$ $a$;
